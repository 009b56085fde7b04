import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import type { VectorHit, VectorSpace } from "./vectors.ts";

/**
 * The in-process backend, for databases without pgvector (the embedded default): each user's
 * vectors are loaded from `search_embeddings` into memory once, as int8 codes with one float
 * scale per vector (a quarter of float32: 50,000 vectors of 256 dimensions take 12.8 MB plus
 * about 100 bytes each for ids), and searched exactly by a scan (dot products; the vectors are
 * L2-normalized). Before every search one primary-key read of `search_index_state` says whether
 * anything changed: new or re-embedded vectors are read incrementally (by `seq`), a deletion
 * reloads the user. Users are evicted least recently used first beyond `maxBytes`.
 */

interface Entry {
  key: string;
  version: bigint;
  removals: bigint;
  maxSeq: bigint;
  dims: number;
  count: number;
  ids: string[];
  slots: Map<string, number>;
  codes: Int8Array;
  scales: Float32Array;
  lastUsed: number;
}

export interface MemoryIndexStats {
  users: number;
  vectors: number;
  /** What the vectors and their ids take (an estimate for the ids). */
  bytes: number;
}

const ID_OVERHEAD_BYTES = 100;
const LOAD_CHUNK = 5_000;

export class MemoryVectorIndex {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();

  constructor(options: { maxBytes: number }) {
    this.#maxBytes = options.maxBytes;
  }

  stats(): MemoryIndexStats {
    let vectors = 0;
    let bytes = 0;
    for (const entry of this.#entries.values()) {
      vectors += entry.count;
      bytes += entrySize(entry);
    }
    return { users: this.#entries.size, vectors, bytes };
  }

  /** Forgets every user (tests; a backend switch). */
  clear(): void {
    this.#entries.clear();
  }

  /** The actor's k nearest vectors of this model and size (cosine similarity, best first). */
  async nearest(
    db: Db,
    actor: Actor,
    query: ArrayLike<number>,
    space: VectorSpace,
    k: number,
  ): Promise<VectorHit[]> {
    const entry = await this.#fresh(db, actor, space);
    entry.lastUsed = Date.now();
    return scan(entry, query, k);
  }

  async #fresh(db: Db, actor: Actor, space: VectorSpace): Promise<Entry> {
    const key = `${actor.userId}:${space.model}:${space.dimensions}`;
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const work = (async () => {
      const state = await db.searchIndexState.findUnique({
        where: { userId: actor.userId },
        select: { version: true, removals: true },
      });
      const version = state?.version ?? 0n;
      const removals = state?.removals ?? 0n;
      let entry = this.#entries.get(key);
      if (entry && entry.version === version && entry.removals === removals) return entry;
      if (!entry || entry.removals !== removals) {
        entry = emptyEntry(key, space.dimensions);
      }
      await loadSince(db, actor, space, entry);
      entry.version = version;
      entry.removals = removals;
      this.#entries.set(key, entry);
      this.#evict(key);
      return entry;
    })();
    this.#loading.set(key, work);
    try {
      return await work;
    } finally {
      this.#loading.delete(key);
    }
  }

  #evict(keep: string): void {
    let total = 0;
    for (const entry of this.#entries.values()) total += entrySize(entry);
    const byAge = [...this.#entries.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of byAge) {
      if (total <= this.#maxBytes) break;
      if (entry.key === keep) continue;
      this.#entries.delete(entry.key);
      total -= entrySize(entry);
    }
  }
}

function entrySize(entry: Entry): number {
  return entry.codes.byteLength + entry.scales.byteLength + entry.count * ID_OVERHEAD_BYTES;
}

function emptyEntry(key: string, dims: number): Entry {
  return {
    key,
    version: -1n,
    removals: -1n,
    maxSeq: 0n,
    dims,
    count: 0,
    ids: [],
    slots: new Map(),
    codes: new Int8Array(0),
    scales: new Float32Array(0),
    lastUsed: Date.now(),
  };
}

function reserve(entry: Entry, count: number): void {
  if (count * entry.dims <= entry.codes.length) return;
  const capacity = Math.max(count, Math.ceil(entry.scales.length * 1.5), 1024);
  const codes = new Int8Array(capacity * entry.dims);
  codes.set(entry.codes);
  const scales = new Float32Array(capacity);
  scales.set(entry.scales);
  entry.codes = codes;
  entry.scales = scales;
}

/** Reads the vectors written since the entry's last sequence number into it. */
async function loadSince(db: Db, actor: Actor, space: VectorSpace, entry: Entry): Promise<void> {
  for (;;) {
    const rows = await db.searchEmbedding.findMany({
      where: {
        userId: actor.userId,
        model: space.model,
        dimensions: space.dimensions,
        seq: { gt: entry.maxSeq },
      },
      select: { recordId: true, vector: true, seq: true },
      orderBy: { seq: "asc" },
      take: LOAD_CHUNK,
    });
    if (rows.length === 0) return;
    reserve(entry, entry.count + rows.length);
    for (const row of rows) {
      let slot = entry.slots.get(row.recordId);
      if (slot === undefined) {
        slot = entry.count++;
        entry.ids[slot] = row.recordId;
        entry.slots.set(row.recordId, slot);
      }
      quantizeInto(row.vector, entry, slot);
    }
    entry.maxSeq = rows.at(-1)!.seq;
    if (rows.length < LOAD_CHUNK) return;
  }
}

/** float32 little-endian bytes -> int8 codes and a scale (the largest magnitude / 127). */
function quantizeInto(bytes: Uint8Array, entry: Entry, slot: number): void {
  const dims = entry.dims;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let max = 0;
  for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(view.getFloat32(j * 4, true)));
  const scale = max > 0 ? max / 127 : 1;
  const base = slot * dims;
  for (let j = 0; j < dims; j++) {
    entry.codes[base + j] = Math.round(view.getFloat32(j * 4, true) / scale);
  }
  entry.scales[slot] = scale;
}

/** Exact top-k by dot product, with a small min-heap of the best so far. */
function scan(entry: Entry, query: ArrayLike<number>, k: number): VectorHit[] {
  const dims = entry.dims;
  const q = Float32Array.from(query);
  const codes = entry.codes;
  const scales = entry.scales;
  const count = entry.count;
  const heapScores = new Float64Array(k);
  const heapSlots = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < count; i++) {
    const base = i * dims;
    let dot = 0;
    for (let j = 0; j < dims; j++) dot += q[j]! * codes[base + j]!;
    const score = dot * scales[i]!;
    if (size < k) {
      // Sift up.
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapScores[p]! <= score) break;
        heapScores[c] = heapScores[p]!;
        heapSlots[c] = heapSlots[p]!;
        c = p;
      }
      heapScores[c] = score;
      heapSlots[c] = i;
    } else if (score > heapScores[0]!) {
      // Replace the worst and sift down.
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && heapScores[r]! < heapScores[l]! ? r : l;
        if (heapScores[m]! >= score) break;
        heapScores[c] = heapScores[m]!;
        heapSlots[c] = heapSlots[m]!;
        c = m;
      }
      heapScores[c] = score;
      heapSlots[c] = i;
    }
  }
  const hits: VectorHit[] = [];
  for (let i = 0; i < size; i++) {
    hits.push({ recordId: entry.ids[heapSlots[i]!]!, similarity: heapScores[i]! });
  }
  return hits.sort((a, b) => b.similarity - a.similarity);
}
