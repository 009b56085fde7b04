/**
 * A small in-process cache of query embeddings, so retyping a search (or paging back to it)
 * does not call the model again. Keyed by model, size, redaction and the query text.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, Float32Array>();

export function queryCacheKey(model: string, dimensions: number, redact: boolean, query: string) {
  return `${model}\u0000${dimensions}\u0000${redact ? 1 : 0}\u0000${query}`;
}

export function cachedQueryEmbedding(key: string): Float32Array | undefined {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

export function rememberQueryEmbedding(key: string, vector: Float32Array): void {
  cache.set(key, vector);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** Forgets every cached query (tests). */
export function clearQueryEmbeddings(): void {
  cache.clear();
}

export function queryEmbeddingCacheSize(): number {
  return cache.size;
}
