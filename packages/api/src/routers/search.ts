import { aiSearch } from "@omnicrm/ai";
import { search } from "@omnicrm/core";
import { embeddingsRequested, inngest } from "@omnicrm/jobs";
import { TRPCError } from "@trpc/server";
import { backgroundJobsStatus, forgetBackgroundJobsStatus } from "../background-jobs.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/**
 * Search across the signed-in user's contacts, notes, emails and sessions, by keyword and by
 * meaning; the search index's coverage and job; a request to bring the index up to date.
 */
export const searchRouter = createTRPCRouter({
  query: protectedProcedure
    .input(search.searchInputSchema)
    .query(({ ctx, input }) => aiSearch.searchEverything(ctx.db, ctx.actor, input)),

  /** What search by meaning covers, what waits, and why it cannot run when it cannot. */
  status: protectedProcedure.query(async ({ ctx }) => {
    const [status, backgroundJobs] = await Promise.all([
      aiSearch.searchIndexStatus(ctx.db, ctx.actor),
      backgroundJobsStatus(),
    ]);
    return { ...status, backgroundJobs };
  }),

  /** "Index now": hands the index to the background jobs, refused in words when none can run. */
  reindex: protectedProcedure.mutation(async ({ ctx }) => {
    const status = await aiSearch.searchIndexStatus(ctx.db, ctx.actor);
    if (!status.meaning.available) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: status.meaning.reason ?? "" });
    }
    const jobs = await backgroundJobsStatus();
    if (!jobs.available) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: jobs.reason ?? "" });
    }
    try {
      await inngest.send(
        embeddingsRequested.create({ userId: ctx.actor.userId, trigger: "manual" }),
      );
    } catch (error) {
      forgetBackgroundJobsStatus();
      ctx.log.warn({ err: error, outcome: "error" }, "index request not accepted");
      throw new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message:
          "The Inngest server did not accept the index request, so nothing is being indexed. Check that it is running and try again.",
      });
    }
    return { requested: true };
  }),
});
