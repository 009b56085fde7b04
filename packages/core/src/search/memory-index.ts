import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { createMemory, simdDots, type DotsFunction, type WasmMemory } from "./simd.ts";
import type { VectorHit, VectorSpace } from "./vectors.ts";

/**
 * The in-process backend, for databases without pgvector (the embedded default): each user's
 * vectors are loaded from `search_embeddings` into memory once, as int8 codes with one float
 * scale per vector (a quarter of float32: 50,000 vectors of 256 dimensions take 12.8 MB plus
 * about 100 bytes each for ids), and searched exactly by a scan (dot products; the vectors are
 * L2-normalized) in WebAssembly SIMD: 50,000 vectors of 256 dimensions in about a millisecond
 * (a plain JavaScript loop where the runtime has no SIMD). Before every search one primary-key read of `search_index_state` says whether
 * anything changed: new or re-embedded vectors are read incrementally (by `seq`), a deletion
 * reloads the user. Users are evicted least recently used first beyond `maxBytes`.
 */

interface Entry {
  key: string;
  version: bigint;
  removals: bigint;
  maxSeq: bigint;
  dims: number;
  /** Bytes per vector: dims rounded up to 16 (zero-padded), for the SIMD loop. */
  stride: number;
  count: number;
  capacity: number;
  ids: string[];
  slots: Map<string, number>;
  /** The query (at 0), the codes (at `stride`), then scratch scores, in one memory. */
  memory: WasmMemory;
  bytes: Int8Array;
  dots: DotsFunction | null;
  scales: Float32Array;
  lastUsed: number;
}

const PAGE = 65_536;

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
  return entry.memory.buffer.byteLength + entry.scales.byteLength + entry.count * ID_OVERHEAD_BYTES;
}

/** Where the scratch scores are: after the codes of `capacity` vectors. */
const outOffset = (entry: Entry) => entry.stride + entry.capacity * entry.stride;

function emptyEntry(key: string, dims: number): Entry {
  const stride = Math.ceil(dims / 16) * 16;
  const memory = createMemory(Math.ceil((stride * 2 + 4) / PAGE));
  return {
    key,
    version: -1n,
    removals: -1n,
    maxSeq: 0n,
    dims,
    stride,
    count: 0,
    capacity: 0,
    ids: [],
    slots: new Map(),
    memory,
    bytes: new Int8Array(memory.buffer),
    dots: simdDots(memory),
    scales: new Float32Array(0),
    lastUsed: Date.now(),
  };
}

function reserve(entry: Entry, count: number): void {
  if (count <= entry.capacity) return;
  const capacity = Math.max(count, Math.ceil(entry.capacity * 1.5), 1024);
  const needed = entry.stride + capacity * entry.stride + capacity * 4;
  const have = entry.memory.buffer.byteLength;
  if (needed > have) entry.memory.grow(Math.ceil((needed - have) / PAGE));
  // Growing detaches the old view; the codes stay where they were.
  entry.bytes = new Int8Array(entry.memory.buffer);
  const scales = new Float32Array(capacity);
  scales.set(entry.scales);
  entry.scales = scales;
  entry.capacity = capacity;
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
  const base = entry.stride + slot * entry.stride;
  for (let j = 0; j < dims; j++) {
    entry.bytes[base + j] = Math.round(view.getFloat32(j * 4, true) / scale);
  }
  entry.scales[slot] = scale;
}

/** Exact top-k by dot product (of int8 codes), with a small min-heap of the best so far. */
function scan(entry: Entry, query: ArrayLike<number>, k: number): VectorHit[] {
  const { dims, stride, count, bytes, scales } = entry;
  // The query as int8 codes too, at the start of the memory.
  let max = 0;
  for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(query[j]!));
  const queryScale = max > 0 ? max / 127 : 1;
  for (let j = 0; j < stride; j++) bytes[j] = j < dims ? Math.round(query[j]! / queryScale) : 0;
  const dots = new Int32Array(entry.memory.buffer, outOffset(entry), count);
  if (entry.dots) {
    entry.dots(stride, count, stride, 0, outOffset(entry));
  } else {
    for (let i = 0; i < count; i++) {
      const base = stride + i * stride;
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += bytes[j]! * bytes[base + j]!;
      dots[i] = dot;
    }
  }
  const heapScores = new Float64Array(k);
  const heapSlots = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < count; i++) {
    const score = dots[i]! * scales[i]! * queryScale;
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
