import { assistant } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** The assistant's conversations, the per-contact AI consent, redaction and the audit log. */
export const assistantRouter = createTRPCRouter({
  threads: createTRPCRouter({
    list: protectedProcedure
      .input(assistant.threadListInputSchema.optional())
      .query(({ ctx, input }) => assistant.listThreads(ctx.db, ctx.actor, input)),

    /** A new conversation (the latest one while it is still empty). */
    create: protectedProcedure.mutation(({ ctx }) => assistant.createThread(ctx.db, ctx.actor)),

    get: protectedProcedure
      .input(assistant.threadIdInputSchema)
      .query(({ ctx, input }) => assistant.getThread(ctx.db, ctx.actor, input)),

    rename: protectedProcedure
      .input(assistant.threadRenameSchema)
      .mutation(({ ctx, input }) => assistant.renameThread(ctx.db, ctx.actor, input)),

    delete: protectedProcedure
      .input(assistant.threadIdInputSchema)
      .mutation(({ ctx, input }) => assistant.deleteThread(ctx.db, ctx.actor, input)),
  }),

  /** Gives or withdraws AI consent for one or many contacts. */
  setConsent: protectedProcedure
    .input(assistant.aiConsentInputSchema)
    .mutation(({ ctx, input }) => assistant.setAiConsent(ctx.db, ctx.actor, input)),

  preferences: protectedProcedure.query(({ ctx }) => assistant.getAiSettings(ctx.db, ctx.actor)),

  updatePreferences: protectedProcedure
    .input(assistant.aiSettingsInputSchema)
    .mutation(({ ctx, input }) => assistant.updateAiSettings(ctx.db, ctx.actor, input)),

  audit: protectedProcedure
    .input(assistant.auditListInputSchema.optional())
    .query(({ ctx, input }) => assistant.listAuditEvents(ctx.db, ctx.actor, input)),
});
