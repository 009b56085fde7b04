import { home } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

export const homeRouter = createTRPCRouter({
  overview: protectedProcedure.query(({ ctx }) => home.homeOverview(ctx.db, ctx.actor)),
});
