import { search, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { createAiProvider, type AiProvider } from "../provider.ts";
import {
  chooseVectorBackend,
  VectorBackendUnavailableError,
  type VectorBackendName,
} from "./backends.ts";
import { vectorSpace } from "./space.ts";

export interface SearchIndexStatus {
  /** Whether searches can match by meaning at all (a provider is configured), and why not. */
  meaning: { available: boolean; reason: string | null };
  model: { id: string; dimensions: number } | null;
  backend: { name: VectorBackendName | null; reason: string | null };
  counts: search.IndexCounts;
  job: search.IndexState;
}

const NO_COUNTS: search.IndexCounts = { total: 0, indexed: 0, waiting: 0, withoutConsent: 0 };

/** What the search page says about search by meaning: coverage, the job, what is missing. */
export async function searchIndexStatus(
  db: Db,
  actor: Actor,
  deps: { provider?: AiProvider } = {},
): Promise<SearchIndexStatus> {
  const provider = deps.provider ?? createAiProvider();
  const space = vectorSpace(provider);
  const job = await search.getIndexState(db, actor);
  if (!provider.configured || !space) {
    return {
      meaning: {
        available: false,
        reason: `Search by meaning is off: ${provider.configured ? "" : provider.reason}`,
      },
      model: null,
      backend: { name: null, reason: null },
      counts: NO_COUNTS,
      job,
    };
  }
  let backend: SearchIndexStatus["backend"];
  try {
    backend = { name: (await chooseVectorBackend(db)).name, reason: null };
  } catch (error) {
    if (!(error instanceof VectorBackendUnavailableError)) throw error;
    backend = { name: null, reason: error.message };
  }
  return {
    meaning: { available: backend.name !== null, reason: backend.reason },
    model: { id: space.model, dimensions: space.dimensions },
    backend,
    counts: await search.indexCounts(db, actor, space),
    job,
  };
}

/** Users with records waiting for an embedding, for the scheduler (none without a provider). */
export async function usersToIndex(
  db: Db,
  now: Date,
  deps: { provider?: AiProvider } = {},
): Promise<string[]> {
  const space = vectorSpace(deps.provider ?? createAiProvider());
  if (!space) return [];
  const [users, paused] = await Promise.all([
    search.usersWithPendingDocuments(db, space),
    search.pausedUserIds(db, now),
  ]);
  return users.filter((id) => !paused.has(id));
}
