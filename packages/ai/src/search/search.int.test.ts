import { assistant, type search, type Actor } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { overrideAiEnv } from "../env.ts";
import { createAiProvider } from "../provider.ts";
import { clearQueryEmbeddings } from "./query-embeddings.ts";
import { searchEverything } from "./hybrid.ts";
import { indexNextBatch } from "./indexer.ts";
import { searchIndexStatus } from "./status.ts";
import {
  localProvider,
  makeContact,
  makeEmail,
  makeNote,
  makeUser,
  sentText,
} from "./test-fixtures.ts";

let testDb: TestDatabase;
let model: LocalModel;
let restoreEnv: () => void;

beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
  // The in-process backend here (the pgvector one has its own file); generous limits.
  restoreEnv = overrideAiEnv({
    OMNICRM_SEARCH_VECTORS: "memory",
    OMNICRM_AI_REQUESTS_PER_MINUTE: "1000",
    OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE: "1000",
  });
});
afterAll(async () => {
  restoreEnv();
  await Promise.all([testDb.drop(), model.close()]);
});
beforeEach(() => {
  model.reset();
  clearQueryEmbeddings();
});

const db = () => testDb.db;

/** Runs the index for a user until nothing waits; returns the batches' outcomes. */
async function indexAll(actor: Actor, batchSize = 3) {
  const outcomes = [];
  for (let i = 0; i < 50; i++) {
    const outcome = await indexNextBatch(db(), actor, {
      provider: localProvider(model),
      batchSize,
    });
    outcomes.push(outcome);
    if (!outcome.more || outcome.stopped) break;
  }
  return outcomes;
}

const find = (actor: Actor, query: string, extra: Partial<search.SearchInput> = {}) =>
  searchEverything(db(), actor, { query, ...extra }, { provider: localProvider(model) });

describe("search by keyword and by meaning", () => {
  let alice: Actor;
  let bob: Actor;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    alice = await makeUser(db(), "alice");
    bob = await makeUser(db(), "bob");
    ids.maria = await makeContact(db(), alice, "Maria Lopez", { email: "maria@example.com" });
    ids.tom = await makeContact(db(), alice, "Tom Becker");
    ids.kneeNote = await makeNote(
      db(),
      alice,
      ids.maria,
      "Session 4\nHer knees ache after her long runs; we worked on hip mobility and glute activation.",
    );
    ids.sleepNote = await makeNote(
      db(),
      alice,
      ids.tom,
      "Restless nights\nHe sleeps badly and wakes up at 4am most days.",
    );
    ids.invoice = await makeEmail(
      db(),
      alice,
      [ids.tom],
      "Invoice for March",
      "Please find attached the invoice for the four sessions in March.",
    );
    ids.yoga = await makeEmail(db(), alice, [ids.maria], "Vinyasa flow", "Studio 2", "session");
    // Bob's practice has a note that would match Alice's searches.
    const bobsClient = await makeContact(db(), bob, "Maria Bob's client");
    ids.bobsNote = await makeNote(db(), bob, bobsClient, "Knee pain after running, sleeps badly.");
  });

  it("finds keyword matches without any embedding, and says why meaning is off with no provider", async () => {
    const outcome = await searchEverything(
      db(),
      alice,
      { query: "invoice" },
      { provider: createAiProvider({ ...emptyProviderEnv }) },
    );
    expect(outcome.results.map((r) => r.id)).toEqual([ids.invoice]);
    expect(outcome.results[0]).toMatchObject({
      kind: "email",
      title: "Invoice for March",
      matchedBy: ["keyword"],
      contact: { id: ids.tom, name: "Tom Becker" },
      href: `/contacts/${ids.tom}`,
    });
    expect(
      outcome.results[0]!.snippet.some((part) => part.highlight && /invoice/i.test(part.text)),
    ).toBe(true);
    expect(outcome.meaning.used).toBe(false);
    expect(outcome.meaning.reason).toMatch(
      /^Search by meaning is off: the AI assistant is not configured/,
    );
    // Prefixes while typing, stemming, and every word must be there.
    expect((await find(alice, "invo", { mode: "keyword" })).results.map((r) => r.id)).toEqual([
      ids.invoice,
    ]);
    expect((await find(alice, "knee runs", { mode: "keyword" })).results.map((r) => r.id)).toEqual([
      ids.kneeNote,
    ]);
    expect((await find(alice, "knee invoice", { mode: "keyword" })).results).toEqual([]);
    expect(model.requests).toHaveLength(0);
  });

  it("embeds every record in idempotent batches, auditing what went to the model; a second run sends nothing", async () => {
    const status = await searchIndexStatus(db(), alice, { provider: localProvider(model) });
    expect(status.counts).toMatchObject({ total: 6, indexed: 0, waiting: 6, withoutConsent: 0 });
    const outcomes = await indexAll(alice, 4);
    expect(outcomes.map((o) => [o.sent, o.stored, o.more])).toEqual([
      [4, 4, true],
      [2, 2, false],
    ]);
    const audits = await db().aiAuditEvent.findMany({
      where: { userId: alice.userId, feature: "embeddings" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => a.outcome)).toEqual(["ok", "ok"]);
    const audited = audits.flatMap((a) => {
      const records = a.records as { notes?: string[]; interactions?: string[] } | null;
      return [...(records?.notes ?? []), ...(records?.interactions ?? [])];
    });
    expect(audited.sort()).toEqual([ids.kneeNote, ids.sleepNote, ids.invoice, ids.yoga].sort());
    expect(new Set(audits.flatMap((a) => a.contactIds))).toEqual(new Set([ids.maria, ids.tom]));
    expect(
      (await searchIndexStatus(db(), alice, { provider: localProvider(model) })).counts,
    ).toMatchObject({ total: 6, indexed: 6, waiting: 0 });

    const requests = model.requests.length;
    expect(await indexNextBatch(db(), alice, { provider: localProvider(model) })).toEqual({
      sent: 0,
      stored: 0,
      more: false,
      stopped: null,
    });
    expect(model.requests).toHaveLength(requests);
    // Bob's records were never part of Alice's batches.
    expect(sentText(model)).not.toContain("Bob's client");
  });

  it("re-embeds only a record whose text changed", async () => {
    await db().note.update({
      where: { id: ids.sleepNote },
      data: { body: "Restless nights\nHe sleeps badly, wakes up at 4am and naps after lunch." },
    });
    model.reset();
    const outcomes = await indexAll(alice);
    expect(outcomes.map((o) => o.sent)).toEqual([1]);
    expect(model.requests[0]!.input).toEqual([
      "Note: Restless nights\nRestless nights\nHe sleeps badly, wakes up at 4am and naps after lunch.",
    ]);
  });

  it("finds a match by meaning that shares no keyword with the query, and fuses both lists", async () => {
    const outcome = await find(alice, "poor sleeper");
    expect(outcome.meaning).toMatchObject({ used: true, reason: null, backend: "memory" });
    const sleep = outcome.results.find((r) => r.id === ids.sleepNote);
    expect(sleep).toMatchObject({
      kind: "note",
      matchedBy: ["meaning"],
      href: `/contacts/${ids.tom}`,
    });
    expect((await find(alice, "poor sleeper", { mode: "keyword" })).results).toEqual([]);
    expect(outcome.results[0]!.id).toBe(ids.sleepNote);

    const both = await find(alice, "knee runs");
    expect(both.results[0]).toMatchObject({ id: ids.kneeNote, matchedBy: ["keyword", "meaning"] });
    expect(both.results[0]!.similarity).toBeGreaterThan(0.2);
  });

  it("embeds a query once: retyping it does not call the model again", async () => {
    await find(alice, "glute activation drills");
    const calls = model.requests.length;
    const again = await find(alice, "  glute   activation drills ");
    expect(model.requests).toHaveLength(calls);
    expect(again.meaning).toMatchObject({ used: true, cached: true });
    const usage = await db().aiUsage.findMany({
      where: { userId: alice.userId, feature: "search" },
    });
    expect(usage.length).toBeGreaterThan(0);
  });

  it("filters by kind and never returns another user's records", async () => {
    const notes = await find(alice, "knee", { kinds: ["note"] });
    expect(notes.results.map((r) => r.kind)).toEqual(notes.results.map(() => "note"));
    for (const query of ["knee pain after running", "sleeps badly", "Maria", "Bob"]) {
      const outcome = await find(alice, query);
      expect(outcome.results.map((r) => r.id)).not.toContain(ids.bobsNote);
      const bobs = await find(bob, query);
      for (const result of bobs.results) {
        expect(Object.values(ids).filter((id) => id !== ids.bobsNote)).not.toContain(result.id);
      }
    }
  });

  it("never shows a deleted contact's records, by keyword or by meaning, and shows them again once restored", async () => {
    await db().contact.update({ where: { id: ids.maria }, data: { deletedAt: new Date() } });
    for (const query of ["knee", "Maria Lopez", "vinyasa", "hip mobility after running"]) {
      const shown = (await find(alice, query)).results.map((r) => r.id);
      expect(shown).not.toContain(ids.kneeNote);
      expect(shown).not.toContain(ids.maria);
      expect(shown).not.toContain(ids.yoga);
    }
    await db().contact.update({ where: { id: ids.maria }, data: { deletedAt: null } });
    expect((await find(alice, "knee")).results.map((r) => r.id)).toContain(ids.kneeNote);
  });

  it("answers bad input with a clear error", async () => {
    for (const [input, message] of [
      [{ query: "   " }, "Type something to search for."],
      [{ query: "x".repeat(201) }, "A search can be at most 200 characters."],
      [{ query: "knee", kinds: ["invoice"] }, "Unknown kind of result."],
      [{ query: "knee", limit: 500 }, "At most 50 results."],
    ] as const) {
      const error = await searchEverything(db(), alice, input as search.SearchInput).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues[0]!.message).toBe(message);
    }
  });
});

const emptyProviderEnv = {
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  OMNICRM_AI_CHAT_MODEL: "gpt-local",
  OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
  OMNICRM_AI_API: "chat" as const,
};

describe("AI consent", () => {
  it("never sends a non-consenting contact's record, notes or interactions to the model; keyword search still finds them; withdrawing consent deletes their embeddings at once", async () => {
    const carol = await makeUser(db(), "carol");
    const yes = await makeContact(db(), carol, "Yara Consenting");
    const no = await makeContact(db(), carol, "Nils Private", { aiConsent: false });
    const yesNote = await makeNote(db(), carol, yes, "Pelvic floor exercises, progressing well.");
    const noNote = await makeNote(
      db(),
      carol,
      no,
      "Pelvic floor exercises after surgery, confidential.",
    );
    // An interaction with a consenting and a non-consenting participant is not embedded.
    const shared = await makeEmail(
      db(),
      carol,
      [yes, no],
      "Group class",
      "Pelvic floor group class on Monday.",
    );
    const yesMail = await makeEmail(
      db(),
      carol,
      [yes],
      "Progress",
      "Pelvic floor progress report.",
    );

    await indexAll(carol, 10);
    const sent = sentText(model);
    expect(sent).toContain("Yara Consenting");
    expect(sent).not.toContain("Nils Private");
    expect(sent).not.toContain("confidential");
    expect(sent).not.toContain("Group class");
    const embedded = await db().searchEmbedding.findMany({ where: { userId: carol.userId } });
    expect(embedded.map((e) => e.recordId).sort()).toEqual([yes, yesNote, yesMail].sort());
    expect(
      (await searchIndexStatus(db(), carol, { provider: localProvider(model) })).counts,
    ).toMatchObject({ total: 6, indexed: 3, waiting: 0, withoutConsent: 3 });

    const outcome = await find(carol, "pelvic floor");
    const byId = new Map(outcome.results.map((r) => [r.id, r.matchedBy]));
    expect(byId.get(noNote)).toEqual(["keyword"]);
    expect(byId.get(shared)).toEqual(["keyword"]);
    expect(byId.get(yesNote)).toEqual(["keyword", "meaning"]);
    const meaningOnly = await find(carol, "pelvic floor", { mode: "meaning" });
    expect(meaningOnly.results.map((r) => r.id)).not.toContain(noNote);
    expect(meaningOnly.results.map((r) => r.id)).not.toContain(shared);

    // Withdrawing Yara's consent deletes her record's, her note's and her emails' embeddings in
    // the same transaction, and search by meaning stops returning them at once.
    await assistant.setAiConsent(db(), carol, { contactIds: [yes], consent: false });
    expect(await db().searchEmbedding.count({ where: { userId: carol.userId } })).toBe(0);
    const after = await find(carol, "pelvic floor", { mode: "meaning" });
    expect(after.results).toEqual([]);
    expect((await find(carol, "pelvic floor", { mode: "keyword" })).results).toHaveLength(4);
    model.reset();
    expect((await indexAll(carol)).map((o) => o.sent)).toEqual([0]);
    expect(model.requests.filter((r) => r.api === "embeddings")).toHaveLength(0);
  });

  it("drops the embedding of a note that moves to a contact without consent (a merge)", async () => {
    const dan = await makeUser(db(), "dan");
    const a = await makeContact(db(), dan, "Ada Moving");
    const b = await makeContact(db(), dan, "Ben Private", { aiConsent: false });
    const note = await makeNote(db(), dan, a, "Shoulder rehab plan.");
    await indexAll(dan);
    expect(await db().searchEmbedding.count({ where: { recordId: note } })).toBe(1);
    await db().note.update({ where: { id: note }, data: { contactId: b } });
    expect(await db().searchEmbedding.count({ where: { recordId: note } })).toBe(0);
  });
});

describe("budget and rate", () => {
  it("stops the index without sending anything when the budget refuses, and search falls back to keywords saying why", async () => {
    const erin = await makeUser(db(), "erin");
    const contact = await makeContact(db(), erin, "Erin Client");
    await makeNote(db(), erin, contact, "Marathon training block, week 3.");
    await db().aiUsage.create({
      data: {
        userId: erin.userId,
        feature: "chat",
        model: "gpt-local",
        inputTokens: 10_000_000,
        outputTokens: 0,
      },
    });
    const outcome = await indexNextBatch(db(), erin, { provider: localProvider(model) });
    expect(outcome).toMatchObject({ sent: 0, stored: 0, more: true });
    expect(outcome.stopped?.reason).toMatch(/^You have used today's AI budget/);
    expect(outcome.stopped?.scope).toBe("day");
    expect(outcome.stopped!.retryAfterSeconds).toBeGreaterThan(0);
    expect(model.requests).toHaveLength(0);
    const refused = await db().aiAuditEvent.findFirst({
      where: { userId: erin.userId, outcome: "refused" },
    });
    expect(refused?.feature).toBe("embeddings");

    const found = await find(erin, "marathon");
    expect(found.results.map((r) => r.matchedBy)).toEqual([["keyword"]]);
    expect(found.meaning.used).toBe(false);
    expect(found.meaning.reason).toMatch(
      /^Search by meaning is paused: you have used today's AI budget/,
    );
    expect(model.requests).toHaveLength(0);
  });

  it("refuses the query's embedding over the per-minute rate, and says so", async () => {
    const restore = overrideAiEnv({ OMNICRM_AI_REQUESTS_PER_MINUTE: "1" });
    try {
      const fay = await makeUser(db(), "fay");
      const first = await find(fay, "hamstring stretch");
      expect(first.meaning.used).toBe(true);
      const second = await find(fay, "hamstring stretches");
      expect(second.meaning.used).toBe(false);
      expect(second.meaning.reason).toMatch(
        /^Search by meaning is paused: too many AI requests this minute/,
      );
    } finally {
      restore();
    }
  });
});
