import { imports } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/**
 * CSV imports. The file itself arrives over plain HTTP (POST /api/contacts/import, which
 * stages it) and the problem report leaves the same way (GET /api/contacts/import/report);
 * everything in between is here.
 */
export const importsRouter = createTRPCRouter({
  /** Dry run with a mapping: outcome of every row, counts and samples; writes no contact. */
  preview: protectedProcedure
    .input(imports.importPreviewSchema)
    .mutation(({ ctx, input }) => imports.previewImport(ctx.db, ctx.actor, input)),

  /**
   * Starts (or resumes) a previewed import and returns at once: the run continues in the
   * background, chunk by chunk; `status` reports its progress.
   */
  run: protectedProcedure.input(imports.importRunSchema).mutation(({ ctx, input }) =>
    imports.startImport(ctx.db, ctx.actor, input, (error) => {
      ctx.log.error(
        { err: error, importId: input.importId, userId: ctx.actor.userId, outcome: "error" },
        "contacts import run failed",
      );
    }),
  ),

  status: protectedProcedure
    .input(imports.importIdInputSchema)
    .query(({ ctx, input }) => imports.importStatus(ctx.db, ctx.actor, input)),

  undo: protectedProcedure
    .input(imports.importIdInputSchema)
    .mutation(({ ctx, input }) => imports.undoImport(ctx.db, ctx.actor, input)),

  list: protectedProcedure
    .input(imports.importListInputSchema)
    .query(({ ctx, input }) => imports.listImports(ctx.db, ctx.actor, input)),

  saveMapping: protectedProcedure
    .input(imports.importSaveMappingSchema)
    .mutation(({ ctx, input }) => imports.saveMapping(ctx.db, ctx.actor, input)),

  presets: protectedProcedure
    .input(imports.importPresetsInputSchema)
    .query(({ ctx, input }) => imports.listPresets(ctx.db, ctx.actor, input)),
});
