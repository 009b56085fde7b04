import { aiSearch, createAiProvider, type AiProvider } from "@omnicrm/ai";
import { search } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { cron } from "inngest";
import { embeddingsRequested, inngest } from "../client.ts";

/** What the search index functions need; tests pass their database, clock and provider. */
export interface SearchIndexDeps {
  db: Db;
  now?: () => Date;
  provider?: AiProvider;
  /** Records per model call (default OMNICRM_SEARCH_BATCH_SIZE). */
  batchSize?: number;
  /** Batches per run (default SEARCH_INDEX_BATCHES_PER_RUN). */
  batchesPerRun?: number;
}

/** Batches per run (each one step); a longer index goes on in a run of its own. */
export const SEARCH_INDEX_BATCHES_PER_RUN = 100;

const nowOf = (deps: SearchIndexDeps) => (deps.now ? deps.now() : new Date());

/**
 * Brings one user's search index up to date: embeds, batch by batch (each a step, so a retried
 * step redoes one batch), the records whose text has no current embedding. Every batch passes
 * the guardrails as a background call: when the budget or the rate refuses, the run stops at
 * once, without retrying, the index state says why and when it resumes, and the scheduler picks
 * it up then. Idempotent: a replayed run finds nothing left to embed and sends nothing.
 */
export function createSearchIndex(deps: () => SearchIndexDeps) {
  return inngest.createFunction(
    {
      id: "search-index",
      name: "Search index (embeddings)",
      triggers: [embeddingsRequested],
      concurrency: [{ key: "event.data.userId", limit: 1 }],
      retries: 3,
      onFailure: async ({ event, error }) => {
        const { userId } = (event.data.event as { data: { userId: string } }).data;
        await recordSearchIndexFailure(deps(), userId, error.message);
      },
    },
    async ({ event, step }) => {
      const actor = { userId: event.data.userId };
      const provider = () => deps().provider ?? createAiProvider();
      const prepared = await step.run("prepare", async () => {
        const space = aiSearch.vectorSpace(provider());
        if (!space) return { ready: false as const, reason: createAiProviderReason(provider()) };
        const backend = await aiSearch.prepareVectorBackend(deps().db, space.dimensions);
        await search.setIndexState(deps().db, actor, {
          status: "running",
          reason: null,
          resumeAt: null,
          lastRunAt: nowOf(deps()),
        });
        return { ready: true as const, ...backend };
      });
      if (!prepared.ready) {
        await step.run("not-configured", () =>
          search.setIndexState(deps().db, actor, {
            status: "paused",
            reason: prepared.reason,
            resumeAt: null,
          }),
        );
        return { embedded: 0, stopped: prepared.reason };
      }

      let embedded = 0;
      let more = true;
      const batches = deps().batchesPerRun ?? SEARCH_INDEX_BATCHES_PER_RUN;
      for (let i = 0; i < batches && more; i++) {
        const batch = await step.run(`batch-${i}`, () =>
          aiSearch.indexNextBatch(deps().db, actor, {
            provider: provider(),
            ...(deps().now ? { now: deps().now } : {}),
            ...(deps().batchSize ? { batchSize: deps().batchSize } : {}),
          }),
        );
        embedded += batch.stored;
        more = batch.more;
        if (batch.stopped) {
          const { reason, retryAfterSeconds } = batch.stopped;
          await step.run("paused", () =>
            search.setIndexState(deps().db, actor, {
              status: "paused",
              reason: `The index paused: ${lowerFirst(reason)}`,
              resumeAt: new Date(nowOf(deps()).getTime() + retryAfterSeconds * 1000),
              lastEmbedded: embedded,
            }),
          );
          return { embedded, stopped: reason, backend: prepared.backend };
        }
      }
      if (more) {
        await step.sendEvent(
          "continue",
          embeddingsRequested.create({ userId: actor.userId, trigger: "continue" }),
        );
      }
      await step.run("finish", () =>
        search.setIndexState(deps().db, actor, {
          status: more ? "running" : "idle",
          reason: null,
          resumeAt: null,
          lastEmbedded: embedded,
        }),
      );
      return { embedded, continued: more, backend: prepared.backend };
    },
  );
}

function createAiProviderReason(provider: AiProvider): string {
  return provider.configured ? "No embedding model is configured." : provider.reason;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** The onFailure handler's work: the search page says the index failed, in words. */
export async function recordSearchIndexFailure(
  deps: SearchIndexDeps,
  userId: string,
  message: string,
): Promise<void> {
  const first = message.split("\n")[0]!.trim();
  await search.setIndexState(
    deps.db,
    { userId },
    {
      status: "failed",
      reason:
        first && first.length < 300
          ? `The index stopped after several attempts: ${first}`
          : "The index stopped after several attempts; it tries again at the next scheduled run.",
      resumeAt: null,
    },
  );
}

/**
 * Every ten minutes: one index request per user with records waiting for an embedding (new,
 * changed, or never embedded), unless their index is paused until later (budget or rate).
 */
export function createSearchIndexScheduler(deps: () => SearchIndexDeps) {
  return inngest.createFunction(
    {
      id: "search-index-scheduler",
      name: "Search index scheduler",
      triggers: [cron("*/10 * * * *")],
    },
    async ({ step }) => {
      const users = await step.run("users-to-index", () =>
        aiSearch.usersToIndex(deps().db, nowOf(deps()), {
          provider: deps().provider ?? createAiProvider(),
        }),
      );
      if (users.length === 0) return { requested: 0 };
      await step.sendEvent(
        "request-indexing",
        users.map((userId) => embeddingsRequested.create({ userId, trigger: "schedule" })),
      );
      return { requested: users.length };
    },
  );
}
