import { contactInsight, generateInsight } from "@omnicrm/ai";
import { assistant } from "@omnicrm/core";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/**
 * A contact's insight (summary, next best action, engagement signal). Reading it says whether
 * it is current (the hash of what would be sent now against the stored one) and never calls a
 * model; generating it calls the model only when that hash changed.
 */
export const insightsRouter = createTRPCRouter({
  byContact: protectedProcedure
    .input(assistant.insightContactInputSchema)
    .query(({ ctx, input }) => contactInsight(ctx.db, ctx.actor, input.contactId)),

  generate: protectedProcedure
    .input(assistant.insightContactInputSchema)
    .mutation(({ ctx, input }) => generateInsight(ctx.db, ctx.actor, input.contactId)),
});
