import { savedViews } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const savedViewsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => savedViews.listViews(ctx.db, ctx.actor)),

  create: protectedProcedure
    .input(savedViews.savedViewCreateSchema)
    .mutation(({ ctx, input }) => savedViews.createView(ctx.db, ctx.actor, input)),

  update: protectedProcedure
    .input(savedViews.savedViewUpdateSchema)
    .mutation(({ ctx, input }) => savedViews.updateView(ctx.db, ctx.actor, input)),

  delete: protectedProcedure
    .input(savedViews.savedViewIdInputSchema)
    .mutation(({ ctx, input }) => savedViews.deleteView(ctx.db, ctx.actor, input)),
});
