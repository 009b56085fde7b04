import { search, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { aiEnv } from "../env.ts";

export type VectorBackendName = "pgvector" | "memory";

export interface VectorBackend {
  name: VectorBackendName;
  nearest(
    db: Db,
    actor: Actor,
    query: ArrayLike<number>,
    space: search.VectorSpace,
    k: number,
  ): Promise<search.VectorHit[]>;
}

let memoryIndex: search.MemoryVectorIndex | undefined;
let memoryIndexBytes = 0;

/** The process's in-process vector index (one for every user, bounded by OMNICRM_SEARCH_MEMORY_MB). */
export function memoryVectorIndex(): search.MemoryVectorIndex {
  const bytes = aiEnv().OMNICRM_SEARCH_MEMORY_MB * 1024 * 1024;
  if (!memoryIndex || memoryIndexBytes !== bytes) {
    memoryIndex = new search.MemoryVectorIndex({ maxBytes: bytes });
    memoryIndexBytes = bytes;
  }
  return memoryIndex;
}

export const memoryBackend: VectorBackend = {
  name: "memory",
  nearest: (db, actor, query, space, k) => memoryVectorIndex().nearest(db, actor, query, space, k),
};

export const pgvectorBackend: VectorBackend = {
  name: "pgvector",
  nearest: (db, actor, query, space, k) => search.pgvectorNearest(db, actor, query, space, k),
};

/** pgvector was asked for explicitly and the database cannot do it. */
export class VectorBackendUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `OMNICRM_SEARCH_VECTORS=pgvector, but ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
    );
    this.name = "VectorBackendUnavailableError";
  }
}

/**
 * The backend searches use, as OMNICRM_SEARCH_VECTORS says: `pgvector` (refused in words when
 * the database has not got it set up), `memory`, or `auto`: pgvector once the index job has
 * set it up in this database, else memory.
 */
export async function chooseVectorBackend(
  db: Db,
  setting = aiEnv().OMNICRM_SEARCH_VECTORS,
): Promise<VectorBackend> {
  if (setting === "memory") return memoryBackend;
  const status = await search.pgvectorStatus(db);
  if (status.ready) return pgvectorBackend;
  if (setting === "pgvector") {
    throw new VectorBackendUnavailableError(
      status.available
        ? "pgvector is not set up in this database yet: the index job sets it up on its next run."
        : search.PGVECTOR_UNAVAILABLE,
    );
  }
  return memoryBackend;
}

/**
 * Before the index job writes: sets pgvector up when the setting allows it and the server
 * offers it, so embeddings are mirrored there from the first one. Says why not, when it matters.
 */
export async function prepareVectorBackend(
  db: Db,
  dimensions: number,
  setting = aiEnv().OMNICRM_SEARCH_VECTORS,
): Promise<{ backend: VectorBackendName; note: string | null }> {
  if (setting === "memory") return { backend: "memory", note: null };
  const status = await search.pgvectorStatus(db, { fresh: true });
  if (!status.available) {
    if (setting === "pgvector")
      throw new VectorBackendUnavailableError(search.PGVECTOR_UNAVAILABLE);
    return { backend: "memory", note: null };
  }
  const ensured = await search.ensurePgvector(db, dimensions);
  if (!ensured.ready) {
    if (setting === "pgvector") throw new VectorBackendUnavailableError(ensured.reason);
    return { backend: "memory", note: ensured.reason };
  }
  return { backend: "pgvector", note: null };
}
