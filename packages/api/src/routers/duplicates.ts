import { duplicates } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** Duplicate suggestions, merging two contacts, and undoing a merge. */
export const duplicatesRouter = createTRPCRouter({
  suggestions: protectedProcedure
    .input(duplicates.duplicateListInputSchema)
    .query(({ ctx, input }) => duplicates.listDuplicateSuggestions(ctx.db, ctx.actor, input)),

  dismiss: protectedProcedure
    .input(duplicates.contactPairSchema)
    .mutation(({ ctx, input }) => duplicates.dismissSuggestion(ctx.db, ctx.actor, input)),

  preview: protectedProcedure
    .input(duplicates.mergePreviewInputSchema)
    .query(({ ctx, input }) => duplicates.mergePreview(ctx.db, ctx.actor, input)),

  merge: protectedProcedure
    .input(duplicates.mergeInputSchema)
    .mutation(({ ctx, input }) => duplicates.mergeContacts(ctx.db, ctx.actor, input)),

  undo: protectedProcedure
    .input(duplicates.mergeIdInputSchema)
    .mutation(({ ctx, input }) => duplicates.undoMerge(ctx.db, ctx.actor, input)),

  merges: protectedProcedure
    .input(duplicates.mergeListInputSchema)
    .query(({ ctx, input }) => duplicates.listMerges(ctx.db, ctx.actor, input)),
});
