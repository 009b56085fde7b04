import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import type { Tx } from "../shared/db.ts";
import type { VectorHit, VectorSpace } from "./vectors.ts";

/**
 * The pgvector backend: on a PostgreSQL server that has the `vector` extension, a copy of every
 * embedding lives in `omnicrm_vector.search_vectors` with an HNSW index per dimension count, and
 * nearest neighbours are asked of PostgreSQL.
 *
 * None of it is in the Prisma migrations: it lives in a schema of its own that Prisma never
 * looks at (so `db:check` sees no drift whether a server has pgvector or not), and is created
 * here, at run time, by the index job (`ensurePgvector`) when the server offers the extension:
 * also on a server that got pgvector after its migrations ran. The embeddings themselves stay in
 * `search_embeddings` (float32 bytes), so switching backends never re-embeds anything.
 */

export const PGVECTOR_SCHEMA = "omnicrm_vector";
const TABLE = `${PGVECTOR_SCHEMA}.search_vectors`;
const CHECK_MS = 30_000;

export interface PgvectorStatus {
  /** The server offers the extension (it may still have to be created). */
  available: boolean;
  /** The vector table exists: embeddings are mirrored and can be searched there. */
  ready: boolean;
  /** The schema the extension's types and operators are in (when created). */
  typeSchema: string | null;
}

const statuses = new WeakMap<Db, { value: PgvectorStatus; at: number }>();

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What this database offers (asked at most every 30 s per client). */
export async function pgvectorStatus(db: Db, { fresh = false } = {}): Promise<PgvectorStatus> {
  const cached = statuses.get(db);
  if (!fresh && cached && Date.now() - cached.at < CHECK_MS) return cached.value;
  const [row] = await db.$queryRaw<
    { available: boolean; ready: boolean; type_schema: string | null }[]
  >`
    SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
           to_regclass(${TABLE}) IS NOT NULL AS ready,
           (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'vector') AS type_schema`;
  const value: PgvectorStatus = {
    available: Boolean(row?.available),
    ready: Boolean(row?.ready) && Boolean(row?.type_schema),
    typeSchema: row?.type_schema ?? null,
  };
  statuses.set(db, { value, at: Date.now() });
  return value;
}

export async function pgvectorReady(db: Db): Promise<boolean> {
  return (await pgvectorStatus(db)).ready;
}

export const PGVECTOR_UNAVAILABLE =
  "This PostgreSQL server does not have the pgvector extension (install it, e.g. Debian's postgresql-<version>-pgvector package).";

/**
 * Creates the vector schema, the extension, the table and the HNSW index for `dimensions`
 * (all idempotent, under a lock), then copies in the embeddings it does not have yet. Returns
 * why not when the server has no pgvector or refuses to create it.
 */
export async function ensurePgvector(
  db: Db,
  dimensions: number,
): Promise<{ ready: true; copied: number } | { ready: false; reason: string }> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000) {
    throw new Error(`Not a dimension count: ${dimensions}`);
  }
  const before = await pgvectorStatus(db, { fresh: true });
  if (!before.available) return { ready: false, reason: PGVECTOR_UNAVAILABLE };
  try {
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${TABLE}, 0))`;
        await tx.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS ${PGVECTOR_SCHEMA}`);
        await tx.$executeRawUnsafe(
          `CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA ${PGVECTOR_SCHEMA}`,
        );
        const [ext] = await tx.$queryRaw<{ nspname: string }[]>`
          SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname = 'vector'`;
        const s = quoteIdent(ext!.nspname);
        await tx.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${TABLE} (
          record_id uuid PRIMARY KEY REFERENCES search_embeddings (record_id) ON DELETE CASCADE,
          user_id uuid NOT NULL,
          model varchar(100) NOT NULL,
          dims integer NOT NULL,
          embedding ${s}.vector NOT NULL)`);
        await tx.$executeRawUnsafe(
          `CREATE INDEX IF NOT EXISTS search_vectors_user_id_idx ON ${TABLE} (user_id)`,
        );
        await tx.$executeRawUnsafe(
          `CREATE INDEX IF NOT EXISTS search_vectors_hnsw_${dimensions} ON ${TABLE}
           USING hnsw ((embedding::${s}.vector(${dimensions})) ${s}.vector_cosine_ops)
           WHERE dims = ${dimensions}`,
        );
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ready: false,
      reason: `pgvector could not be set up on this server (${message.split("\n")[0]}); search by meaning uses the in-process index.`,
    };
  }
  const status = await pgvectorStatus(db, { fresh: true });
  return { ready: true, copied: await copyMissing(db, status.typeSchema!) };
}

/** Copies embeddings stored before pgvector was there (or by a process that did not know). */
async function copyMissing(db: Db, typeSchema: string): Promise<number> {
  let copied = 0;
  for (;;) {
    const rows = await db.$queryRaw<
      {
        record_id: string;
        user_id: string;
        model: string;
        dimensions: number;
        vector: Uint8Array;
      }[]
    >`
      SELECT e.record_id, e.user_id, e.model, e.dimensions, e.vector FROM search_embeddings e
      WHERE NOT EXISTS (SELECT 1 FROM omnicrm_vector.search_vectors v WHERE v.record_id = e.record_id)
      LIMIT 2000`;
    if (rows.length === 0) return copied;
    await db.$executeRawUnsafe(
      `INSERT INTO ${TABLE} (record_id, user_id, model, dims, embedding)
       SELECT x.record_id, x.user_id, x.model, x.dims, x.embedding::${quoteIdent(typeSchema)}.vector
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[])
         AS x(record_id, user_id, model, dims, embedding)
       JOIN search_embeddings e ON e.record_id = x.record_id
       ON CONFLICT (record_id) DO NOTHING`,
      rows.map((r) => r.record_id),
      rows.map((r) => r.user_id),
      rows.map((r) => r.model),
      rows.map((r) => r.dimensions),
      rows.map((r) => vectorLiteral(bytesToFloats(r.vector))),
    );
    copied += rows.length;
  }
}

function bytesToFloats(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.byteLength; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

/** pgvector's text form: [0.1,0.2,...] */
export function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector, (v) => (Number.isFinite(v) ? v : 0)).join(",")}]`;
}

/** Writes the pgvector copy of embeddings just stored, in the same transaction. */
export async function mirrorToPgvector(
  tx: Tx,
  actor: Actor,
  space: VectorSpace,
  items: { recordId: string; vector: ArrayLike<number> }[],
): Promise<void> {
  if (items.length === 0) return;
  const [ext] = await tx.$queryRaw<{ nspname: string }[]>`
    SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'vector'`;
  if (!ext) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO ${TABLE} (record_id, user_id, model, dims, embedding)
     SELECT x.record_id, $2::uuid, $3, $4, x.embedding::${quoteIdent(ext.nspname)}.vector
     FROM unnest($1::uuid[], $5::text[]) AS x(record_id, embedding)
     ON CONFLICT (record_id) DO UPDATE SET user_id = EXCLUDED.user_id, model = EXCLUDED.model,
       dims = EXCLUDED.dims, embedding = EXCLUDED.embedding`,
    items.map((i) => i.recordId),
    actor.userId,
    space.model,
    space.dimensions,
    items.map((i) => vectorLiteral(i.vector)),
  );
}

/**
 * The actor's `k` nearest embeddings to `query` (cosine), through the HNSW index for the
 * dimension count; iterative scans keep going until k of the actor's own are found.
 */
export async function pgvectorNearest(
  db: Db,
  actor: Actor,
  query: ArrayLike<number>,
  space: VectorSpace,
  k: number,
): Promise<VectorHit[]> {
  const status = await pgvectorStatus(db);
  if (!status.ready || !status.typeSchema) throw new Error(PGVECTOR_UNAVAILABLE);
  const s = quoteIdent(status.typeSchema);
  const d = Math.trunc(space.dimensions);
  const rows = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('hnsw.ef_search', ${String(Math.max(40, Math.min(1000, k)))}, true),
      set_config('hnsw.iterative_scan', 'relaxed_order', true)`;
    return tx.$queryRawUnsafe<{ record_id: string; distance: number }[]>(
      `SELECT record_id,
              (embedding::${s}.vector(${d})) OPERATOR(${s}.<=>) ($1::text)::${s}.vector(${d}) AS distance
       FROM ${TABLE}
       WHERE user_id = $2::uuid AND model = $3 AND dims = ${d}
       ORDER BY (embedding::${s}.vector(${d})) OPERATOR(${s}.<=>) ($1::text)::${s}.vector(${d})
       LIMIT $4`,
      vectorLiteral(query),
      actor.userId,
      space.model,
      k,
    );
  });
  // Iterative scans return neighbours in roughly, not strictly, increasing distance.
  return rows
    .map((r) => ({ recordId: r.record_id, similarity: 1 - Number(r.distance) }))
    .sort((a, b) => b.similarity - a.similarity);
}
