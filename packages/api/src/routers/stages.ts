import { stages } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const stagesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => stages.listStages(ctx.db, ctx.actor)),

  create: protectedProcedure
    .input(stages.stageCreateSchema)
    .mutation(({ ctx, input }) => stages.createStage(ctx.db, ctx.actor, input)),

  rename: protectedProcedure
    .input(stages.stageRenameSchema)
    .mutation(({ ctx, input }) => stages.renameStage(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(stages.stageIdInputSchema)
    .mutation(({ ctx, input }) => stages.deleteStage(ctx.db, ctx.actor, input)),
});
