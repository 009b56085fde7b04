import { timeline } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const timelineRouter = createTRPCRouter({
  list: protectedProcedure
    .input(timeline.timelineListInputSchema)
    .query(({ ctx, input }) => timeline.contactTimeline(ctx.db, ctx.actor, input)),
});
