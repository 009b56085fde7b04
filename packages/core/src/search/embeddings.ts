import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import type { Tx } from "../shared/db.ts";
import { consentedSql } from "./documents.ts";
import { mirrorToPgvector, pgvectorReady } from "./pgvector.ts";
import { encodeVector, type VectorSpace } from "./vectors.ts";

export interface EmbeddingToStore {
  recordId: string;
  /** The content hash of the text that was embedded. */
  contentHash: string;
  vector: ArrayLike<number>;
}

/**
 * Stores embeddings the index job made, in one transaction, for the documents whose text is
 * still the one that was embedded and whose contacts still consent to AI use (their rows are
 * locked first, so a consent withdrawal waits for this write, then deletes what it wrote).
 * Mirrors them into pgvector when this database has it. Returns the ids stored.
 */
export async function storeEmbeddings(
  db: Db,
  actor: Actor,
  space: VectorSpace,
  items: EmbeddingToStore[],
  contactIds: string[],
): Promise<string[]> {
  if (items.length === 0) return [];
  for (const item of items) {
    if (item.vector.length !== space.dimensions) {
      throw new Error(
        `The embedding model returned ${item.vector.length} dimensions instead of ${space.dimensions}.`,
      );
    }
  }
  const mirror = await pgvectorReady(db);
  return db.$transaction(
    async (tx) => {
      // The version first: this takes the user's state row lock, so one user's writes are
      // serialized and their sequence numbers grow in commit order (the vector cache relies on it).
      await tx.$executeRaw`
      INSERT INTO search_index_state (user_id, version) VALUES (${actor.userId}::uuid, 1)
      ON CONFLICT (user_id) DO UPDATE SET version = search_index_state.version + 1`;
      if (contactIds.length > 0) {
        await tx.$queryRaw`
        SELECT id FROM contacts WHERE id = ANY(${contactIds}::uuid[]) AND user_id = ${actor.userId}::uuid
        ORDER BY id FOR SHARE`;
      }
      const rows = await tx.$queryRaw<{ record_id: string }[]>`
      INSERT INTO search_embeddings AS e (record_id, user_id, content_hash, model, dimensions, vector)
      SELECT x.record_id, ${actor.userId}::uuid, x.content_hash, ${space.model}, ${space.dimensions},
             decode(x.vector, 'base64')
      FROM unnest(${items.map((i) => i.recordId)}::uuid[], ${items.map((i) => i.contentHash)}::text[],
                  ${items.map((i) => Buffer.from(encodeVector(i.vector)).toString("base64"))}::text[])
           AS x(record_id, content_hash, vector)
      JOIN search_documents d ON d.record_id = x.record_id AND d.user_id = ${actor.userId}::uuid
        AND d.content_hash = x.content_hash
      WHERE ${consentedSql}
      ON CONFLICT (record_id) DO UPDATE SET content_hash = EXCLUDED.content_hash,
        model = EXCLUDED.model, dimensions = EXCLUDED.dimensions, vector = EXCLUDED.vector,
        seq = DEFAULT, embedded_at = now()
      RETURNING e.record_id`;
      const stored = new Set(rows.map((r) => r.record_id));
      if (mirror) {
        await mirrorToPgvector(
          tx,
          actor,
          space,
          items.filter((i) => stored.has(i.recordId)),
        );
      }
      return items.filter((i) => stored.has(i.recordId)).map((i) => i.recordId);
      // A batch with its pgvector copies (HNSW inserts) can take seconds on a busy server.
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Deletes the embeddings of these contacts and of everything about them (their notes, the
 * interactions they took part in), inside the caller's transaction. The vector cache reloads.
 */
export async function forgetEmbeddings(
  tx: Tx,
  actor: Actor,
  contactIds: string[],
): Promise<number> {
  if (contactIds.length === 0) return 0;
  return tx.$executeRaw`
    DELETE FROM search_embeddings e
    WHERE e.user_id = ${actor.userId}::uuid AND e.record_id IN (
      SELECT unnest(${contactIds}::uuid[])
      UNION ALL
      SELECT n.id FROM notes n WHERE n.user_id = ${actor.userId}::uuid AND n.contact_id = ANY(${contactIds}::uuid[])
      UNION ALL
      SELECT ic.interaction_id FROM interaction_contacts ic
      WHERE ic.user_id = ${actor.userId}::uuid AND ic.contact_id = ANY(${contactIds}::uuid[]))`;
}
