import { sync } from "@omnicrm/core";
import type { GetStepTools } from "inngest";
import { gmailSyncRequested, inngest } from "../client.ts";
import { type SyncDeps } from "../sync/context.ts";
import {
  beginGmailRun,
  finishGmailRun,
  gmailHistoryPage,
  listGmailPage,
  reconcileGmail,
  syncGmailBatch,
  totalCounts,
  type GmailBatchCounts,
  type GmailPlan,
} from "../sync/gmail.ts";
import { channelSyncOptions, guarded, recordFailure } from "./failures.ts";
import { notifyInteractionsAdded } from "./interactions-added.ts";

/** Messages fetched per step: small enough that a retried step redoes little. */
export const GMAIL_BATCH = 50;

export function createGmailSync(deps: () => SyncDeps) {
  return inngest.createFunction(
    {
      id: "gmail-sync",
      name: "Gmail sync",
      triggers: [gmailSyncRequested],
      ...channelSyncOptions("gmail", deps),
    },
    async ({ event, step, runId }) => {
      const actor = { userId: event.data.userId };
      const begun = await step.run("start", () =>
        guarded(() =>
          beginGmailRun(deps(), actor, { trigger: event.data.trigger, externalRunId: runId }),
        ),
      );
      if ("skip" in begun) return { skipped: begun.skip };
      let plan = begun as GmailPlan;

      let ids: string[] = [];
      let cursor: string | null = null;
      let listedForReconciliation: string[] | null = null;
      if (plan.mode === "incremental") {
        const changes = await collectHistory(step, deps, actor, plan);
        if (changes === "expired") {
          await step.run("fallback-to-full", () =>
            sync.updateRun(deps().db, actor, plan.syncRunId, {
              mode: "full",
              progress: { phase: "listing" },
            }),
          );
          // The stored history id is too old: a full sync replaces it.
          plan = { ...plan, mode: "full" };
        } else {
          cursor = changes.historyId;
          ids = changes.ids;
          if (plan.preferences.scope === "query") {
            // History cannot evaluate a search: list what the search finds since the last
            // success (a day of overlap) and keep the changed messages it contains.
            const since = new Date(
              new Date(plan.lastSuccessAt ?? Date.now()).getTime() - 86_400_000,
            ).toISOString();
            const matching = new Set((await listAll(step, deps, actor, plan, "query", since)).ids);
            ids = ids.filter((id) => matching.has(id));
          }
        }
      }
      if (plan.mode === "full") {
        const listed = await listAll(step, deps, actor, plan, "list");
        ids = listed.ids;
        cursor = listed.historyId;
        listedForReconciliation = listed.ids;
      }

      const batches: GmailBatchCounts[] = [];
      for (let i = 0; i < ids.length; i += GMAIL_BATCH) {
        const chunk = ids.slice(i, i + GMAIL_BATCH);
        const index = i / GMAIL_BATCH;
        const done = batches.reduce((sum, b) => sum + b.listed, 0);
        const counts = await step.run(`fetch-${index}`, () =>
          guarded(async () => {
            const result = await syncGmailBatch(deps(), actor, plan, chunk);
            await sync.updateRun(deps().db, actor, plan.syncRunId, {
              progress: { phase: "fetching", done: done + chunk.length, total: ids.length },
              counts: totalCounts([...batches, result]),
            });
            return result;
          }),
        );
        batches.push(counts);
      }

      const reconciliation = listedForReconciliation
        ? await step.run("reconcile", () => reconcileGmail(deps(), actor, listedForReconciliation))
        : undefined;
      const counts = totalCounts(batches);
      await step.run("finish", () =>
        finishGmailRun(deps(), actor, plan, { counts, cursor, reconciliation }),
      );
      const notified = await notifyInteractionsAdded(step, {
        userId: actor.userId,
        contactIds: batches.flatMap((batch) => batch.contactIds),
        source: "gmail",
        runId,
      });
      return { mode: plan.mode, ...counts, reconciliation, contactsWithNewInteractions: notified };
    },
  );
}

type Step = GetStepTools<typeof inngest>;

async function listAll(
  step: Step,
  deps: () => SyncDeps,
  actor: { userId: string },
  plan: GmailPlan,
  prefix: string,
  since?: string,
): Promise<{ ids: string[]; historyId: string | null }> {
  const ids: string[] = [];
  let historyId: string | null = null;
  let pageToken: string | null = null;
  for (let page = 0; ; page++) {
    const result = await step.run(`${prefix}-${page}`, () =>
      guarded(() => listGmailPage(deps(), actor, plan, { pageToken, since })),
    );
    if (page === 0) historyId = result.historyId;
    ids.push(...result.ids);
    await step.run(`${prefix}-${page}-progress`, () =>
      sync.updateRun(deps().db, actor, plan.syncRunId, {
        progress: { phase: "listing", done: 0, total: ids.length },
      }),
    );
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return { ids: [...new Set(ids)], historyId };
}

async function collectHistory(
  step: Step,
  deps: () => SyncDeps,
  actor: { userId: string },
  plan: GmailPlan,
): Promise<"expired" | { ids: string[]; historyId: string | null }> {
  const ids: string[] = [];
  let historyId: string | null = plan.cursor;
  let pageToken: string | null = null;
  for (let page = 0; ; page++) {
    const result = await step.run(`history-${page}`, () =>
      guarded(() => gmailHistoryPage(deps(), actor, plan, { pageToken })),
    );
    if (result.expired) return "expired";
    ids.push(...result.ids);
    historyId = result.historyId ?? historyId;
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return { ids: [...new Set(ids)], historyId };
}

export const recordGmailFailure = (deps: SyncDeps, userId: string, message: string) =>
  recordFailure(deps, "gmail", userId, message);
