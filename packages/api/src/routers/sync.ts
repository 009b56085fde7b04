import { sync, type Actor } from "@omnicrm/core";
import { disconnect } from "@omnicrm/google";
import {
  inngest,
  openGoogle,
  previewCalendar,
  previewGmail,
  syncRequestEvent,
  type ChannelPreview,
} from "@omnicrm/jobs";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  backgroundJobsStatus,
  forgetBackgroundJobsStatus,
  type BackgroundJobsStatus,
} from "../background-jobs.ts";
import { googleSetup, requireConnection, requireGoogleConfigured, withGoogle } from "../google.ts";
import type { Logger } from "../logger.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";

/** Gmail's system labels worth offering, with the names people know them by. */
const systemLabelNames: Record<string, string> = {
  INBOX: "Inbox",
  SENT: "Sent",
  IMPORTANT: "Important",
  STARRED: "Starred",
  CATEGORY_PERSONAL: "Primary",
};

export interface GmailLabelOption {
  id: string;
  name: string;
  type: "user" | "system";
}

export interface SyncRequestOutcome {
  /** Whether the sync was handed to the background jobs. */
  requested: boolean;
  /** Why not, in words; null when it was. */
  reason: string | null;
}

/**
 * Hands a sync to the background jobs. Never pretends: when no Inngest server can take it,
 * or it refuses, the outcome says so in words.
 */
async function requestSync(
  log: Logger,
  actor: Actor,
  kind: sync.SyncChannelKind,
  trigger: "manual" | "approval",
  jobs?: BackgroundJobsStatus,
): Promise<SyncRequestOutcome> {
  const status = jobs ?? (await backgroundJobsStatus());
  if (!status.available) return { requested: false, reason: status.reason };
  try {
    await inngest.send(syncRequestEvent(kind, { userId: actor.userId, trigger }));
    return { requested: true, reason: null };
  } catch (error) {
    forgetBackgroundJobsStatus();
    log.warn({ err: error, kind, trigger, outcome: "error" }, "sync request not accepted");
    return {
      requested: false,
      reason:
        "The Inngest server did not accept the sync request, so nothing is syncing. Check that it is running and try again.",
    };
  }
}

const kindInput = sync.channelKindInputSchema;

/**
 * Google sync, as the signed-in user: connection, the two channels (Gmail, Calendar) with
 * their preferences, previews before approval, runs and their history. Syncs themselves run
 * in the background (packages/jobs); "Connect Google" and its callback are plain HTTP routes.
 */
export const syncRouter = createTRPCRouter({
  /** Everything the sync page shows: connection, channels with their last run, and whether syncs can run. */
  overview: protectedProcedure.query(async ({ ctx }) => {
    const setup = googleSetup();
    const [overview, backgroundJobs] = await Promise.all([
      sync.syncOverview(ctx.db, ctx.actor),
      backgroundJobsStatus(),
    ]);
    return {
      googleConfigured: setup.configured,
      /** Settings the operator must add before Google can be connected. */
      googleMissing: setup.missing,
      connection: overview.connection,
      channels: overview.channels.map((channel) => ({
        ...channel,
        blockedReason: sync.blockedReason(channel, overview.connection),
      })),
      backgroundJobs,
    };
  }),

  /** The Gmail labels to choose from (the user's own first, then Inbox, Sent…). */
  labels: protectedProcedure.query(async ({ ctx }): Promise<GmailLabelOption[]> => {
    requireGoogleConfigured();
    await requireConnection(ctx.db, ctx.actor);
    const labels = await withGoogle(ctx.db, ctx.actor, async () => {
      const google = await openGoogle({ db: ctx.db }, ctx.actor);
      try {
        return await google.gmail.labels();
      } finally {
        await google.session.flush();
      }
    });
    const own = labels
      .filter((label) => label.type === "user" && label.id)
      .map((label) => ({ id: label.id, name: label.name || label.id, type: "user" as const }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const system = Object.entries(systemLabelNames)
      .filter(([id]) => labels.some((label) => label.id === id))
      .map(([id, name]) => ({ id, name, type: "system" as const }));
    return [...own, ...system];
  }),

  /** The calendars to choose from (the primary one first). */
  calendars: protectedProcedure.query(async ({ ctx }) => {
    requireGoogleConfigured();
    await requireConnection(ctx.db, ctx.actor);
    const calendars = await withGoogle(ctx.db, ctx.actor, async () => {
      const google = await openGoogle({ db: ctx.db }, ctx.actor);
      try {
        return await google.calendar.calendars();
      } finally {
        await google.session.flush();
      }
    });
    return calendars
      .filter((calendar) => calendar.id)
      .sort((a, b) => Number(b.primary) - Number(a.primary) || a.summary.localeCompare(b.summary));
  }),

  updatePreferences: protectedProcedure
    .input(sync.updatePreferencesSchema)
    .mutation(({ ctx, input }) => sync.updatePreferences(ctx.db, ctx.actor, input)),

  /** What a sync would do with the saved preferences, without writing anything. */
  preview: protectedProcedure
    .input(kindInput)
    .mutation(async ({ ctx, input }): Promise<ChannelPreview> => {
      requireGoogleConfigured();
      await requireConnection(ctx.db, ctx.actor);
      const deps = { db: ctx.db };
      const preview = await withGoogle(ctx.db, ctx.actor, () =>
        input.kind === "gmail" ? previewGmail(deps, ctx.actor) : previewCalendar(deps, ctx.actor),
      );
      // Approving needs a preview of the preferences as they are now.
      await sync.markPreviewed(ctx.db, ctx.actor, input);
      return preview;
    }),

  /** The user approves syncing after a preview; the first sync is requested at once. */
  approve: protectedProcedure.input(kindInput).mutation(async ({ ctx, input }) => {
    requireGoogleConfigured();
    const channel = await sync.approveChannel(ctx.db, ctx.actor, input);
    const firstSync = await requestSync(ctx.log, ctx.actor, input.kind, "approval");
    return { channel, firstSync };
  }),

  pause: protectedProcedure
    .input(kindInput)
    .mutation(({ ctx, input }) => sync.pauseChannel(ctx.db, ctx.actor, input)),

  /** "Sync now": refused in words when the channel cannot run or no background jobs can. */
  syncNow: protectedProcedure.input(kindInput).mutation(async ({ ctx, input }) => {
    requireGoogleConfigured();
    const [channel, connection] = await Promise.all([
      sync.getChannel(ctx.db, ctx.actor, input.kind),
      sync.getConnectionSummary(ctx.db, ctx.actor),
    ]);
    const blocked = sync.blockedReason(channel, connection);
    if (blocked) throw new TRPCError({ code: "PRECONDITION_FAILED", message: blocked });
    const jobs = await backgroundJobsStatus();
    if (!jobs.available) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: jobs.reason ?? "" });
    }
    const outcome = await requestSync(ctx.log, ctx.actor, input.kind, "manual", jobs);
    if (!outcome.requested) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: outcome.reason ?? "" });
    }
    return outcome;
  }),

  runs: protectedProcedure
    .input(sync.syncRunListInputSchema)
    .query(({ ctx, input }) => sync.listRuns(ctx.db, ctx.actor, input)),

  run: protectedProcedure
    .input(z.strictObject({ id: z.uuid({ error: "Not a valid run id." }) }))
    .query(({ ctx, input }) => sync.getRun(ctx.db, ctx.actor, input.id)),

  /**
   * Revokes OmniCRM's access at Google and deletes the tokens; what was synced stays.
   * `revoked` says whether Google confirmed it.
   */
  disconnect: protectedProcedure.mutation(async ({ ctx }) => {
    const wasConnected = (await sync.getConnectionSummary(ctx.db, ctx.actor)) !== null;
    const { revoked } = await disconnect(ctx.db, ctx.actor);
    return { wasConnected, revoked: wasConnected && revoked };
  }),
});
