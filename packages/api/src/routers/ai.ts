import { createAiProvider, testConnection, usageSummary } from "@omnicrm/ai";
import { aiStatus } from "../ai-status.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** The assistant's settings: the active provider and models, the budget left, a test call. */
export const aiRouter = createTRPCRouter({
  settings: protectedProcedure.query(async ({ ctx }) => ({
    ...aiStatus(),
    usage: await usageSummary(ctx.db, ctx.actor.userId),
  })),

  /** Makes one minimal call to the provider and says whether it answered. */
  testConnection: protectedProcedure.mutation(async () => testConnection(createAiProvider())),
});
