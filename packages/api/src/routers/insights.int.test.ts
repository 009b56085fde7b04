import { overrideAiEnv, recordUsage } from "@omnicrm/ai";
import { assistant, contacts, notes } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import type { LocalModel } from "@omnicrm/openai-local";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { logger } from "../logger.ts";
import { createCaller } from "../root.ts";
import { startModelForTests, withoutAiProvider } from "../testing/local-model.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

let testDb: TestDatabase;
let model: LocalModel;
let stopModel: () => Promise<void>;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

beforeAll(async () => {
  testDb = await createTestDatabase();
  ({ model, stop: stopModel } = await startModelForTests());
  const make = async (email: string) => {
    const user = await testDb.db.user.create({ data: { email, name: email } });
    return { id: user.id, email: user.email, name: user.name };
  };
  [alice, bob] = await Promise.all([make("alice@insights.test"), make("bob@insights.test")]);
});
afterAll(async () => {
  await stopModel?.();
  await testDb?.drop();
});
beforeEach(() => {
  model.reset();
});

const answer = JSON.stringify({
  summary: "Sam is a new client who asked about beginner classes.",
  nextAction: "Invite Sam to a first session.",
  engagement: "new",
  engagementReason: "Added recently, with no session yet.",
});

async function newClient(user: SessionUser, name: string) {
  const actor = { userId: user.id };
  const contact = await contacts.createContact(testDb.db, actor, { name });
  await notes.createNote(testDb.db, actor, {
    contactId: contact.id,
    body: "Asked about beginner classes.",
  });
  return contact.id;
}

async function failure(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("insights router", () => {
  it("reads the state without a model call, generates once, and answers from the cache after", async () => {
    const id = await newClient(alice, "Sam Reyes");
    const caller = callerFor(alice);

    const before = await caller.insights.byContact({ contactId: id });
    expect(before).toMatchObject({
      ai: { configured: true },
      consent: true,
      insight: null,
      upToDate: null,
    });
    expect(model.requests).toHaveLength(0);

    model.script(answer);
    const made = await caller.insights.generate({ contactId: id });
    expect(made).toMatchObject({
      generated: true,
      view: {
        upToDate: true,
        insight: { engagement: "new", nextAction: "Invite Sam to a first session." },
      },
    });
    expect(made.view.insight?.generatedAt).toBeInstanceOf(Date);
    expect(model.requests).toHaveLength(1);

    expect(await caller.insights.generate({ contactId: id })).toMatchObject({ generated: false });
    expect(await caller.insights.byContact({ contactId: id })).toMatchObject({
      upToDate: true,
      insight: { summary: "Sam is a new client who asked about beginner classes." },
    });
    expect(model.requests).toHaveLength(1);
  });

  it("answers NOT_FOUND for another user's contact and BAD_REQUEST for a malformed id", async () => {
    const id = await newClient(alice, "Alice's own");
    for (const call of [
      callerFor(bob).insights.byContact({ contactId: id }),
      callerFor(bob).insights.generate({ contactId: id }),
    ]) {
      expect((await failure(call)).code).toBe("NOT_FOUND");
    }
    const bad = await failure(callerFor(alice).insights.generate({ contactId: "not-an-id" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(model.requests).toHaveLength(0);
    expect((await failure(callerFor(null).insights.byContact({ contactId: id }))).code).toBe(
      "UNAUTHORIZED",
    );
  });

  it("refuses a contact without consent with the consent sentence", async () => {
    const id = await newClient(alice, "Private Client");
    await assistant.setAiConsent(
      testDb.db,
      { userId: alice.id },
      { contactIds: [id], consent: false },
    );
    const refusal = await failure(callerFor(alice).insights.generate({ contactId: id }));
    expect(refusal.code).toBe("FORBIDDEN");
    expect(refusal.message).toBe(assistant.CONSENT_WITHHELD);
    expect(await callerFor(alice).insights.byContact({ contactId: id })).toMatchObject({
      consent: false,
      consentMessage: assistant.CONSENT_WITHHELD,
    });
    expect(model.requests).toHaveLength(0);
  });

  it("says the budget is used up, and how to configure a missing provider", async () => {
    const id = await newClient(bob, "Budget Client");
    await recordUsage(testDb.db, {
      userId: bob.id,
      feature: "chat",
      model: "gpt-local",
      inputTokens: 50,
    });
    const restoreBudget = overrideAiEnv({ OMNICRM_AI_DAILY_TOKENS: "50" });
    try {
      const refusal = await failure(callerFor(bob).insights.generate({ contactId: id }));
      expect(refusal.code).toBe("TOO_MANY_REQUESTS");
      expect(refusal.message).toBe(
        "You have used today's AI budget (50 tokens); it resets at midnight UTC.",
      );
    } finally {
      restoreBudget();
    }

    const restoreProvider = withoutAiProvider();
    try {
      const refusal = await failure(callerFor(bob).insights.generate({ contactId: id }));
      expect(refusal.code).toBe("CONFLICT");
      expect(refusal.message).toMatch(/^The AI assistant is not configured: set OPENAI_API_KEY/);
      expect(await callerFor(bob).insights.byContact({ contactId: id })).toMatchObject({
        ai: { configured: false, reason: refusal.message },
      });
    } finally {
      restoreProvider();
    }
    expect(model.requests).toHaveLength(0);
  });

  it("turns a provider failure into a sentence, not an internal error", async () => {
    const id = await newClient(alice, "Failing Provider");
    model.script("Not JSON at all.");
    const refusal = await failure(callerFor(alice).insights.generate({ contactId: id }));
    expect(refusal.code).toBe("CONFLICT");
    expect(refusal.message).toBe("The AI model's answer was not a valid insight; try again.");
  });
});
