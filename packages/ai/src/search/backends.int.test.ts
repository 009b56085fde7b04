import { assistant, search, type Actor } from "@omnicrm/core";
import { createTestDatabase } from "@omnicrm/db/testing";
import { embedText } from "@omnicrm/openai-local";
import { afterAll, describe, expect, it } from "vitest";
import { overrideAiEnv } from "../env.ts";
import {
  chooseVectorBackend,
  memoryBackend,
  pgvectorBackend,
  prepareVectorBackend,
  VectorBackendUnavailableError,
  type VectorBackend,
} from "./backends.ts";
import { makeContact, makeNote, makeUser } from "./test-fixtures.ts";

// The backend is an explicit choice (OMNICRM_SEARCH_VECTORS), and both are tested wherever they
// can run: the in-process one everywhere; the pgvector one on a server that offers the extension
// (CI runs this tier a second time on such a server, with OMNICRM_TEST_PGVECTOR=required, so it
// cannot silently go untested there).
const testDb = await createTestDatabase();
const db = testDb.db;
afterAll(() => testDb.drop());
const offered = (await search.pgvectorStatus(db, { fresh: true })).available;
const DIMS = 64;
const space: search.VectorSpace = { model: "text-embedding-local", dimensions: DIMS };

describe("choosing the vector backend", () => {
  it(`follows OMNICRM_SEARCH_VECTORS (this server ${offered ? "offers" : "does not offer"} pgvector)`, async () => {
    if (process.env.OMNICRM_TEST_PGVECTOR === "required") expect(offered).toBe(true);
    expect((await chooseVectorBackend(db, "memory")).name).toBe("memory");
    expect(await prepareVectorBackend(db, DIMS, "memory")).toEqual({
      backend: "memory",
      note: null,
    });
    if (offered) {
      await expect(chooseVectorBackend(db, "pgvector")).rejects.toThrow(
        "OMNICRM_SEARCH_VECTORS=pgvector, but pgvector is not set up in this database yet",
      );
      expect((await chooseVectorBackend(db, "auto")).name).toBe("memory");
      expect(await prepareVectorBackend(db, DIMS, "pgvector")).toEqual({
        backend: "pgvector",
        note: null,
      });
      await search.pgvectorStatus(db, { fresh: true });
      expect((await chooseVectorBackend(db, "auto")).name).toBe("pgvector");
      expect((await chooseVectorBackend(db, "pgvector")).name).toBe("pgvector");
    } else {
      const refusal = await chooseVectorBackend(db, "pgvector").catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(VectorBackendUnavailableError);
      expect((refusal as Error).message).toBe(
        "OMNICRM_SEARCH_VECTORS=pgvector, but this PostgreSQL server does not have the pgvector extension (install it, e.g. Debian's postgresql-<version>-pgvector package).",
      );
      await expect(prepareVectorBackend(db, DIMS, "pgvector")).rejects.toThrow(
        VectorBackendUnavailableError,
      );
      expect((await chooseVectorBackend(db, "auto")).name).toBe("memory");
      expect(await prepareVectorBackend(db, DIMS, "auto")).toEqual({
        backend: "memory",
        note: null,
      });
    }
  });
});

const TOPICS = [
  "knee pain after long runs",
  "trouble sleeping and waking at night",
  "invoice and payment for March sessions",
  "shoulder mobility after surgery",
  "anxiety about work deadlines",
  "protein intake and meal timing",
  "pelvic floor exercises",
  "yoga class rescheduled to Friday",
];

async function seedUser(
  label: string,
  count: number,
): Promise<{ actor: Actor; texts: Map<string, string> }> {
  const actor = await makeUser(db, label);
  const contact = await makeContact(db, actor, `${label} client`);
  const texts = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const text = `${TOPICS[i % TOPICS.length]} (${label} ${i})`;
    texts.set(await makeNote(db, actor, contact, text), text);
  }
  const pending = await search.pendingDocuments(db, actor, space, 1000);
  await search.storeEmbeddings(
    db,
    actor,
    space,
    pending.map((doc) => ({
      recordId: doc.recordId,
      contentHash: doc.contentHash,
      vector: embedText(doc.text, DIMS),
    })),
    [contact],
  );
  return {
    actor,
    texts: new Map([...texts].map(([id]) => [id, pending.find((d) => d.recordId === id)!.text])),
  };
}

function exactNearest(query: number[], texts: Map<string, string>, k: number) {
  return [...texts]
    .map(([id, text]) => ({ id, similarity: dot(query, embedText(text, DIMS)) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

const backends: VectorBackend[] = offered ? [memoryBackend, pgvectorBackend] : [memoryBackend];

describe.each(backends)("the $name backend", (backend) => {
  const restore = overrideAiEnv({ OMNICRM_SEARCH_VECTORS: backend.name });
  afterAll(restore);

  it("returns the user's nearest vectors, best first, as an exact search would, and nobody else's", async () => {
    if (backend.name === "pgvector") await prepareVectorBackend(db, DIMS, "pgvector");
    const mine = await seedUser(`near-${backend.name}`, 40);
    const theirs = await seedUser(`other-${backend.name}`, 40);
    for (const topic of TOPICS.slice(0, 4)) {
      const query = embedText(topic, DIMS);
      const hits = await backend.nearest(db, mine.actor, query, space, 10);
      const exact = exactNearest(query, mine.texts, 10);
      expect(hits.map((h) => h.recordId)).toHaveLength(10);
      for (const hit of hits) expect(mine.texts.has(hit.recordId)).toBe(true);
      expect(hits.some((h) => theirs.texts.has(h.recordId))).toBe(false);
      // The same neighbours (the 10th may tie), with the same similarities (int8 codes: ±0.01).
      expect(new Set(hits.slice(0, 8).map((h) => h.recordId))).toEqual(
        new Set(exact.slice(0, 8).map((e) => e.id)),
      );
      hits.forEach((hit, i) => {
        expect(Math.abs(hit.similarity - exact[i]!.similarity)).toBeLessThan(0.01);
        if (i > 0) expect(hit.similarity).toBeLessThanOrEqual(hits[i - 1]!.similarity);
      });
    }
  });

  it("sees re-embedded and deleted vectors on the next search", async () => {
    const { actor, texts } = await seedUser(`changes-${backend.name}`, 12);
    const query = embedText("shoulder mobility after surgery", DIMS);
    const [best] = await backend.nearest(db, actor, query, space, 1);
    expect(texts.get(best!.recordId)).toMatch(/^Note: shoulder mobility/);

    // The best note is rewritten and embedded again: it no longer comes first.
    await db.note.update({ where: { id: best!.recordId }, data: { body: "Marathon pacing plan" } });
    const [doc] = (await search.pendingDocuments(db, actor, space, 10)).filter(
      (d) => d.recordId === best!.recordId,
    );
    await search.storeEmbeddings(
      db,
      actor,
      space,
      [
        {
          recordId: doc!.recordId,
          contentHash: doc!.contentHash,
          vector: embedText(doc!.text, DIMS),
        },
      ],
      doc!.contactIds,
    );
    const [next] = await backend.nearest(db, actor, query, space, 1);
    expect(next!.recordId).not.toBe(best!.recordId);
    expect(texts.get(next!.recordId)).toMatch(/^Note: shoulder mobility/);

    // Consent withdrawn: every vector of the contact is gone from the next search.
    const contactId = doc!.contactIds[0]!;
    await assistant.setAiConsent(db, actor, { contactIds: [contactId], consent: false });
    expect(await backend.nearest(db, actor, query, space, 5)).toEqual([]);
  });

  it("never matches vectors of another model or size", async () => {
    const { actor } = await seedUser(`space-${backend.name}`, 5);
    const query = embedText("knee pain", DIMS);
    expect(
      await backend.nearest(db, actor, query, { ...space, model: "another-model" }, 5),
    ).toEqual([]);
  });
});
