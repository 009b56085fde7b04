export * from "./schemas.ts";
export { keywordQuery, snippetParts, type KeywordQuery, type SnippetPart } from "./text.ts";
export {
  keywordSearch,
  visibleConsented,
  documentsForResults,
  pendingDocuments,
  embeddingText,
  indexCounts,
  usersWithPendingDocuments,
  type KeywordHit,
  type SearchDocumentView,
  type PendingDocument,
  type IndexCounts,
} from "./documents.ts";
export { storeEmbeddings, forgetEmbeddings, type EmbeddingToStore } from "./embeddings.ts";
export {
  encodeVector,
  decodeVector,
  normalize,
  type VectorHit,
  type VectorSpace,
} from "./vectors.ts";
export { MemoryVectorIndex, type MemoryIndexStats } from "./memory-index.ts";
export {
  ensurePgvector,
  pgvectorStatus,
  pgvectorReady,
  pgvectorNearest,
  PGVECTOR_SCHEMA,
  PGVECTOR_UNAVAILABLE,
  type PgvectorStatus,
} from "./pgvector.ts";
export {
  getIndexState,
  setIndexState,
  pausedUserIds,
  type IndexState,
  type IndexStatus,
} from "./state.ts";
