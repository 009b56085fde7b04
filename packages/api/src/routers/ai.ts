import {
  BudgetExceededError,
  createAiProvider,
  guardModels,
  testConnection,
  usageSummary,
} from "@omnicrm/ai";
import { aiStatus } from "../ai-status.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** The assistant's settings: the active provider and models, the budget left, a test call. */
export const aiRouter = createTRPCRouter({
  settings: protectedProcedure.query(async ({ ctx }) => ({
    ...aiStatus(),
    usage: await usageSummary(ctx.db, ctx.actor.userId),
  })),

  /**
   * Makes one minimal call to the provider and says whether it answered. It is a model call
   * like any other: it passes the user's guardrails and counts against the budget.
   */
  testConnection: protectedProcedure.mutation(async ({ ctx }) => {
    const provider = createAiProvider();
    if (!provider.configured) return testConnection(provider);
    const guarded = guardModels(provider, {
      db: ctx.db,
      userId: ctx.actor.userId,
      feature: "connection_test",
      redact: false,
    });
    try {
      await guarded.precheck();
    } catch (error) {
      if (error instanceof BudgetExceededError)
        return { ok: false as const, message: error.message };
      throw error;
    }
    return testConnection({ ...provider, embeddingModel: guarded.embeddingModel });
  }),
});
