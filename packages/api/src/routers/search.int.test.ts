import { aiSearch, overrideAiEnv } from "@omnicrm/ai";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { inngest } from "@omnicrm/jobs";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { forgetBackgroundJobsStatus, NO_INNGEST_REASON } from "../background-jobs.ts";
import { logger } from "../logger.ts";
import { createCaller } from "../root.ts";
import { startModelForTests, withoutAiProvider } from "../testing/local-model.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
let restoreEnv: () => void;
const silent = logger.child({}, { level: "silent" });
const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));
const ids: Record<string, string> = {};

/** What the user reads (the error formatter sends the first issue's message). */
const firstIssue = (error: TRPCError) => (error.cause as ZodError).issues[0]!.message;

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.catch((e: unknown) => e);
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  for (const key of ["INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_BASE_URL"])
    delete process.env[key];
  inngest.setEnvVars({ INNGEST_DEV: undefined, INNGEST_BASE_URL: undefined });
  forgetBackgroundJobsStatus();
  restoreEnv = overrideAiEnv({ OMNICRM_SEARCH_VECTORS: "auto" });
  testDb = await createTestDatabase();
  const make = async (email: string) => {
    const user = await testDb.db.user.create({ data: { email, name: email } });
    return { id: user.id, email: user.email, name: user.name };
  };
  [alice, bob] = await Promise.all([make("alice@search.test"), make("bob@search.test")]);
  const a = callerFor(alice);
  const maria = await a.contacts.create({
    name: "Maria Lopez",
    emails: ["maria@example.com"],
  });
  ids.maria = maria.id;
  ids.note = (
    await a.notes.create({ contactId: maria.id, body: "Hamstring strain after sprint intervals." })
  ).id;
  const gone = await a.contacts.create({ name: "Gone Hamstring" });
  ids.gone = gone.id;
  await a.contacts.delete({ ids: [gone.id] });
  const b = callerFor(bob);
  const bobs = await b.contacts.create({ name: "Bob's Hamstring client" });
  ids.bobs = bobs.id;
});
afterAll(async () => {
  restoreEnv();
  await testDb.drop();
});

describe("search router", () => {
  it("searches by keyword without a provider, saying why meaning is off; never another user's or a deleted contact's records", async () => {
    const restore = withoutAiProvider();
    try {
      const outcome = await callerFor(alice).search.query({ query: "hamstring" });
      expect(outcome.results.map((r) => r.id)).toEqual([ids.note]);
      expect(outcome.results[0]).toMatchObject({
        href: `/contacts/${ids.maria}`,
        matchedBy: ["keyword"],
      });
      expect(outcome.meaning.reason).toMatch(
        /^Search by meaning is off: the AI assistant is not configured/,
      );
      const bobs = await callerFor(bob).search.query({ query: "hamstring" });
      expect(bobs.results.map((r) => r.id)).toEqual([ids.bobs]);

      const status = await callerFor(alice).search.status();
      expect(status.meaning.available).toBe(false);
      expect(status.backgroundJobs).toEqual({ available: false, reason: NO_INNGEST_REASON });
      const refused = await refusal(callerFor(alice).search.reindex());
      expect(refused.code).toBe("PRECONDITION_FAILED");
      expect(refused.message).toMatch(/^Search by meaning is off/);
    } finally {
      restore();
    }
  });

  it("matches by meaning once indexed, shows what is indexed, and refuses Index now without background jobs", async () => {
    const { stop } = await startModelForTests();
    try {
      const before = await callerFor(alice).search.status();
      expect(before.meaning.available).toBe(true);
      expect(before.counts).toMatchObject({ total: 2, indexed: 0, waiting: 2 });
      const refused = await refusal(callerFor(alice).search.reindex());
      expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", message: NO_INNGEST_REASON });

      await aiSearch.indexNextBatch(testDb.db, { userId: alice.id });
      const after = await callerFor(alice).search.status();
      expect(after.counts).toMatchObject({ total: 2, indexed: 2, waiting: 0 });
      const outcome = await callerFor(alice).search.query({ query: "sprinter" });
      expect(outcome.meaning).toMatchObject({ used: true, reason: null });
      expect(outcome.results[0]).toMatchObject({ id: ids.note, matchedBy: ["meaning"] });
      expect(outcome.results.map((r) => r.id)).not.toContain(ids.gone);
      expect(outcome.results.map((r) => r.id)).not.toContain(ids.bobs);
    } finally {
      await stop();
    }
  });

  it("answers bad input with a clear error and refuses a signed-out caller", async () => {
    const empty = await refusal(callerFor(alice).search.query({ query: "  " }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(firstIssue(empty)).toBe("Type something to search for.");
    const kind = await refusal(
      callerFor(alice).search.query({ query: "x", kinds: ["invoices" as "note"] }),
    );
    expect(firstIssue(kind)).toBe("Unknown kind of result.");
    const extra = await refusal(
      callerFor(alice).search.query({ query: "x", userId: bob.id } as { query: string }),
    );
    expect(extra.code).toBe("BAD_REQUEST");
    expect((await refusal(callerFor(null).search.query({ query: "x" }))).code).toBe("UNAUTHORIZED");
  });
});
