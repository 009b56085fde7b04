import { recordUsage } from "@omnicrm/ai";
import { contacts } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { logger } from "../logger.ts";
import { createCaller } from "../root.ts";
import { startModelForTests } from "../testing/local-model.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

beforeAll(async () => {
  testDb = await createTestDatabase();
  const make = async (email: string) => {
    const user = await testDb.db.user.create({ data: { email, name: email } });
    return { id: user.id, email: user.email, name: user.name };
  };
  [alice, bob] = await Promise.all([make("alice@assistant.test"), make("bob@assistant.test")]);
});
afterAll(async () => {
  await testDb.drop();
});

/** The sentence the API answers an invalid input with (its first zod issue). */
const inputMessage = (error: TRPCError) =>
  error.cause instanceof ZodError ? error.cause.issues[0]!.message : error.message;

async function refusal(run: () => Promise<unknown>): Promise<TRPCError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("assistant.threads", () => {
  it("creates, lists, opens, renames and deletes the owner's conversations only", async () => {
    const api = callerFor(alice);
    const thread = await api.assistant.threads.create();
    expect((await api.assistant.threads.list()).items.map((t) => t.id)).toContain(thread.id);
    expect(await api.assistant.threads.get({ id: thread.id })).toMatchObject({
      id: thread.id,
      messages: [],
    });
    await api.assistant.threads.rename({ id: thread.id, title: "  Check-ins  " });
    expect((await api.assistant.threads.get({ id: thread.id })).title).toBe("Check-ins");

    const theirs = callerFor(bob);
    expect((await theirs.assistant.threads.list()).items).toEqual([]);
    for (const call of [
      () => theirs.assistant.threads.get({ id: thread.id }),
      () => theirs.assistant.threads.rename({ id: thread.id, title: "Mine" }),
      () => theirs.assistant.threads.delete({ id: thread.id }),
    ]) {
      const error = await refusal(call);
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("This conversation does not exist or was deleted.");
    }

    await api.assistant.threads.delete({ id: thread.id });
    expect((await refusal(() => api.assistant.threads.get({ id: thread.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("answers bad input with a clear error", async () => {
    const api = callerFor(alice);
    const cases: [() => Promise<unknown>, string][] = [
      [() => api.assistant.threads.get({ id: "x" }), "Not a valid id."],
      [
        () => api.assistant.threads.rename({ id: crypto.randomUUID(), title: "a".repeat(121) }),
        "A title can be at most 120 characters.",
      ],
      [
        () =>
          api.assistant.threads.rename({
            id: crypto.randomUUID(),
            title: "ok",
            extra: true,
          } as never),
        'Unrecognized key: "extra"',
      ],
      [() => api.assistant.threads.list({ limit: 1000 }), "At most 100 per page."],
    ];
    for (const [call, message] of cases) {
      const error = await refusal(call);
      expect(error.code).toBe("BAD_REQUEST");
      expect(inputMessage(error)).toBe(message);
    }
  });

  it("refuses a signed-out caller", async () => {
    expect((await refusal(() => callerFor(null).assistant.threads.list())).code).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("assistant.setConsent and preferences", () => {
  it("switches consent for the owner's contacts, and refuses another user's", async () => {
    const api = callerFor(alice);
    const a = await contacts.createContact(testDb.db, { userId: alice.id }, { name: "Ada" });
    const b = await contacts.createContact(testDb.db, { userId: bob.id }, { name: "Bo" });
    expect(await api.assistant.setConsent({ contactIds: [a.id], consent: false })).toEqual({
      changed: 1,
    });
    expect((await api.contacts.byId({ id: a.id })).aiConsent).toBe(false);
    const error = await refusal(() =>
      api.assistant.setConsent({ contactIds: [a.id, b.id], consent: true }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect((await api.contacts.byId({ id: a.id })).aiConsent).toBe(false);
    expect(
      inputMessage(
        await refusal(() => api.assistant.setConsent({ contactIds: [], consent: true })),
      ),
    ).toBe("Choose at least one contact.");
  });

  it("keeps the redaction preference per user", async () => {
    await callerFor(alice).assistant.updatePreferences({ redactContactDetails: true });
    expect(await callerFor(alice).assistant.preferences()).toEqual({
      redactContactDetails: true,
    });
    expect(await callerFor(bob).assistant.preferences()).toEqual({
      redactContactDetails: false,
    });
    const error = await refusal(() =>
      callerFor(alice).assistant.updatePreferences({ redactContactDetails: "yes" as never }),
    );
    expect(inputMessage(error)).toBe("Redaction is on or off.");
  });
});

describe("ai.testConnection through the guardrails", () => {
  it("counts the test call as usage, and refuses it over budget without calling the model", async () => {
    const { model, stop } = await startModelForTests();
    try {
      const user = await testDb.db.user.create({ data: { email: "tester@assistant.test" } });
      const api = callerFor({ id: user.id, email: user.email, name: null });
      expect(await api.ai.testConnection()).toMatchObject({ ok: true });
      const usage = await testDb.db.aiUsage.findMany({ where: { userId: user.id } });
      expect(usage).toMatchObject([{ feature: "connection_test" }]);
      expect(model.requests).toHaveLength(1);

      await recordUsage(testDb.db, {
        userId: user.id,
        feature: "chat",
        model: "m",
        inputTokens: 10_000_000,
      });
      expect(await api.ai.testConnection()).toEqual({
        ok: false,
        message: "You have used today's AI budget (200,000 tokens); it resets at midnight UTC.",
      });
      expect(model.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });
});

describe("assistant.audit", () => {
  it("shows the owner's entries only, in pages", async () => {
    const make = (userId: string, tool: string) =>
      testDb.db.aiAuditEvent.create({
        data: { userId, kind: "tool_call", feature: "chat", tool, outcome: "ok" },
      });
    for (let i = 0; i < 3; i++) await make(alice.id, `tool${i}`);
    await make(bob.id, "bobs");
    const first = await callerFor(alice).assistant.audit({ limit: 2 });
    expect(first.items.map((e) => e.tool)).toEqual(["tool2", "tool1"]);
    const next = await callerFor(alice).assistant.audit({ limit: 2, cursor: first.nextCursor });
    expect(next.items.map((e) => e.tool)).toEqual(["tool0"]);
    expect((await callerFor(bob).assistant.audit()).items.map((e) => e.tool)).toEqual(["bobs"]);
  });
});
