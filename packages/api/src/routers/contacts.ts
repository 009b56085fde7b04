import {
  contactBulkDeleteSchema,
  contactBulkStageSchema,
  contactIdInputSchema,
  contactInputSchema,
  contactListInputSchema,
  contactRestoreSchema,
  contactUpdateSchema,
  contacts,
} from "@omnicrm/core";
import { compactContactPage } from "../transformer.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const contactsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(contactListInputSchema)
    .query(async ({ ctx, input }) =>
      compactContactPage(await contacts.listContacts(ctx.db, ctx.actor, input)),
    ),

  byId: protectedProcedure
    .input(contactIdInputSchema)
    .query(({ ctx, input }) => contacts.getContact(ctx.db, ctx.actor, input)),

  create: protectedProcedure
    .input(contactInputSchema)
    .mutation(({ ctx, input }) => contacts.createContact(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(contactUpdateSchema)
    .mutation(({ ctx, input }) => contacts.updateContact(ctx.db, ctx.actor, input)),

  /** Moves contacts to "recently deleted"; the receipt's deletionId undoes it. */
  delete: protectedProcedure
    .input(contactBulkDeleteSchema)
    .mutation(({ ctx, input }) => contacts.deleteContacts(ctx.db, ctx.actor, input)),

  restore: protectedProcedure
    .input(contactRestoreSchema)
    .mutation(({ ctx, input }) => contacts.restoreContacts(ctx.db, ctx.actor, input)),

  deleted: protectedProcedure.query(({ ctx }) => contacts.listDeletedContacts(ctx.db, ctx.actor)),

  setStage: protectedProcedure
    .input(contactBulkStageSchema)
    .mutation(({ ctx, input }) => contacts.setStage(ctx.db, ctx.actor, input)),
});
