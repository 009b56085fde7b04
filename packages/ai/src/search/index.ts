export {
  searchEverything,
  MEANING_MIN_CHARS,
  type SearchOutcome,
  type SearchResult,
  type MatchReason,
  type MeaningStatus,
  type SearchDeps,
} from "./hybrid.ts";
export { indexNextBatch, type IndexBatchOutcome, type IndexDeps } from "./indexer.ts";
export { searchIndexStatus, usersToIndex, type SearchIndexStatus } from "./status.ts";
export {
  chooseVectorBackend,
  prepareVectorBackend,
  memoryVectorIndex,
  VectorBackendUnavailableError,
  type VectorBackend,
  type VectorBackendName,
} from "./backends.ts";
export { clearQueryEmbeddings, queryEmbeddingCacheSize } from "./query-embeddings.ts";
export { vectorSpace } from "./space.ts";
