import { assistant, search, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { embed } from "ai";
import { aiEnv } from "../env.ts";
import { guardModels } from "../guarded.ts";
import { BudgetExceededError } from "../guardrails.ts";
import { createAiProvider, type AiProvider, type ConfiguredAiProvider } from "../provider.ts";
import {
  chooseVectorBackend,
  VectorBackendUnavailableError,
  type VectorBackendName,
} from "./backends.ts";
import { cachedQueryEmbedding, queryCacheKey, rememberQueryEmbedding } from "./query-embeddings.ts";
import { vectorSpace } from "./space.ts";

/**
 * One search over the actor's contacts, notes and synced interactions, by keyword and by
 * meaning at once: a full-text list (every word, stemmed) and a nearest-neighbour list of the
 * query's embedding are fused by reciprocal rank (each result scores the sum of 1 / (60 + its
 * rank) in the lists that have it). With no provider, or when the budget refuses the query's
 * embedding, it is a keyword search and says why meaning is off.
 */

export type MatchReason = "keyword" | "meaning";

export interface SearchResult {
  id: string;
  kind: search.SearchKind;
  title: string;
  snippet: search.SnippetPart[];
  contact: { id: string; name: string } | null;
  /** Where the result opens: its contact's page. */
  href: string | null;
  occurredAt: Date;
  matchedBy: MatchReason[];
  /** Cosine similarity to the query, when it matched by meaning. */
  similarity: number | null;
  score: number;
}

export interface MeaningStatus {
  /** The results include matches by meaning. */
  used: boolean;
  /** Why not (one sentence), when it was wanted. */
  reason: string | null;
  backend: VectorBackendName | null;
  /** The query's embedding came from the cache (no model call). */
  cached: boolean;
}

export interface SearchOutcome {
  query: string;
  results: SearchResult[];
  meaning: MeaningStatus;
  /** Milliseconds: the keyword list, the query's embedding, the nearest neighbours, the
   * visibility and consent check of those, the results' text, and all of it. */
  timings: {
    keywordMs: number;
    embedMs: number;
    vectorMs: number;
    filterMs: number;
    hydrateMs: number;
    totalMs: number;
  };
}

const RRF_K = 60;
const KEYWORD_CANDIDATES = 50;
const VECTOR_CANDIDATES = 100;
/** Shorter queries are matched by keyword only (a prefix says little about meaning). */
export const MEANING_MIN_CHARS = 3;

export interface SearchDeps {
  provider?: AiProvider;
  now?: () => Date;
}

const since = (started: number) => Math.round((performance.now() - started) * 100) / 100;

export async function searchEverything(
  db: Db,
  actor: Actor,
  rawInput: search.SearchInput,
  deps: SearchDeps = {},
): Promise<SearchOutcome> {
  const input = search.searchInputSchema.parse(rawInput);
  const started = performance.now();
  const timings = { keywordMs: 0, embedMs: 0, vectorMs: 0, filterMs: 0, hydrateMs: 0, totalMs: 0 };
  const wantKeyword = input.mode !== "meaning";
  const wantMeaning = input.mode !== "keyword";

  const keywordWork = wantKeyword
    ? search
        .keywordSearch(db, actor, {
          query: input.query,
          kinds: input.kinds,
          limit: KEYWORD_CANDIDATES,
        })
        .then((hits) => {
          timings.keywordMs = since(started);
          return hits;
        })
    : Promise.resolve([]);
  const meaningWork = wantMeaning
    ? meaningHits(db, actor, input, deps, timings)
    : Promise.resolve({
        hits: [] as search.VectorHit[],
        status: { used: false, reason: null, backend: null, cached: false },
      });
  const [keywordHits, meaning] = await Promise.all([keywordWork, meaningWork]);

  // Reciprocal rank fusion.
  const fused = new Map<string, { score: number; keyword: boolean; similarity: number | null }>();
  keywordHits.forEach((hit, index) => {
    fused.set(hit.recordId, { score: 1 / (RRF_K + index + 1), keyword: true, similarity: null });
  });
  meaning.hits.forEach((hit, index) => {
    const entry = fused.get(hit.recordId) ?? { score: 0, keyword: false, similarity: null };
    entry.score += 1 / (RRF_K + index + 1);
    entry.similarity = hit.similarity;
    fused.set(hit.recordId, entry);
  });
  const ranked = [...fused.entries()]
    .sort((a, b) => b[1].score - a[1].score || Number(b[1].keyword) - Number(a[1].keyword))
    .slice(0, input.limit);
  const hydrateStarted = performance.now();
  const views = await search.documentsForResults(
    db,
    actor,
    ranked.map(([id]) => id),
    { query: input.query, highlightIds: ranked.filter(([, v]) => v.keyword).map(([id]) => id) },
  );
  const byId = new Map(ranked);
  timings.hydrateMs = since(hydrateStarted);
  timings.totalMs = since(started);
  return {
    query: input.query,
    results: views.map((view) => {
      const match = byId.get(view.recordId)!;
      return {
        id: view.recordId,
        kind: view.kind,
        title: view.title,
        snippet: view.snippet,
        contact: view.contact,
        href: view.contact ? `/contacts/${view.contact.id}` : null,
        occurredAt: view.occurredAt,
        matchedBy: [
          ...(match.keyword ? (["keyword"] as const) : []),
          ...(match.similarity !== null ? (["meaning"] as const) : []),
        ],
        similarity: match.similarity === null ? null : Math.round(match.similarity * 1000) / 1000,
        score: match.score,
      };
    }),
    meaning: meaning.status,
    timings,
  };
}

async function meaningHits(
  db: Db,
  actor: Actor,
  input: search.ParsedSearchInput,
  deps: SearchDeps,
  timings: SearchOutcome["timings"],
): Promise<{ hits: search.VectorHit[]; status: MeaningStatus }> {
  const off = (reason: string) => ({
    hits: [],
    status: { used: false, reason, backend: null, cached: false },
  });
  const provider = deps.provider ?? createAiProvider();
  if (!provider.configured) {
    return off(`Search by meaning is off: ${lowerFirst(provider.reason)}`);
  }
  if (input.query.length < MEANING_MIN_CHARS) {
    return off(`Type at least ${MEANING_MIN_CHARS} characters to search by meaning too.`);
  }
  const space = vectorSpace(provider)!;
  let backend;
  try {
    backend = await chooseVectorBackend(db);
  } catch (error) {
    if (error instanceof VectorBackendUnavailableError) return off(error.message);
    throw error;
  }
  const embedStarted = performance.now();
  const embedded = await queryEmbedding(db, actor, provider, space, input.query, deps);
  timings.embedMs = since(embedStarted);
  if ("reason" in embedded) return off(embedded.reason);

  const vectorStarted = performance.now();
  const minimum = aiEnv().OMNICRM_SEARCH_MIN_SIMILARITY;
  const nearest = (
    await backend.nearest(db, actor, embedded.vector, space, VECTOR_CANDIDATES)
  ).filter((hit) => hit.similarity >= minimum);
  timings.vectorMs = since(vectorStarted);
  const filterStarted = performance.now();
  const allowed = await search.visibleConsented(
    db,
    actor,
    nearest.map((hit) => hit.recordId),
    input.kinds,
  );
  timings.filterMs = since(filterStarted);
  return {
    hits: nearest.filter((hit) => allowed.has(hit.recordId)).slice(0, KEYWORD_CANDIDATES),
    status: { used: true, reason: null, backend: backend.name, cached: embedded.cached },
  };
}

/** The query's embedding: from the cache, or one guarded model call (feature "search"). */
async function queryEmbedding(
  db: Db,
  actor: Actor,
  provider: ConfiguredAiProvider,
  space: search.VectorSpace,
  query: string,
  deps: SearchDeps,
): Promise<{ vector: Float32Array; cached: boolean } | { reason: string }> {
  const { redactContactDetails: redact } = await assistant.getAiSettings(db, actor);
  const key = queryCacheKey(space.model, space.dimensions, redact, query);
  const hit = cachedQueryEmbedding(key);
  if (hit) return { vector: hit, cached: true };
  const guarded = guardModels(provider, {
    db,
    userId: actor.userId,
    feature: "search",
    redact,
    embeddingDimensions: space.dimensions,
    ...(deps.now ? { now: deps.now } : {}),
  });
  try {
    const { embedding } = await embed({
      model: guarded.embeddingModel,
      value: query,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(10_000),
    });
    const vector = search.normalize(embedding);
    rememberQueryEmbedding(key, vector);
    return { vector, cached: false };
  } catch (error) {
    if (error instanceof BudgetExceededError) {
      return { reason: `Search by meaning is paused: ${lowerFirst(error.message)}` };
    }
    const name = error instanceof Error ? error.name : "";
    return {
      reason:
        name === "TimeoutError" || name === "AbortError"
          ? "Search by meaning is unavailable: the AI provider did not answer in time."
          : `Search by meaning is unavailable: the AI provider at ${provider.describe.baseURL} did not answer (${shortReason(error)}).`,
    };
  }
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function shortReason(error: unknown): string {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number") return `HTTP ${status}`;
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")[0]!
    .replace(/\b(sk|key|bearer)[-_ ]?[A-Za-z0-9_-]{8,}/gi, "[redacted]")
    .slice(0, 120);
}
