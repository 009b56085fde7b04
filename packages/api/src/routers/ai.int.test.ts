import { recordUsage } from "@omnicrm/ai";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logger } from "../logger.ts";
import { createCaller } from "../root.ts";
import { startModelForTests, withoutAiProvider } from "../testing/local-model.ts";
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
  [alice, bob] = await Promise.all([make("alice@ai.test"), make("bob@ai.test")]);
});
afterAll(async () => {
  await testDb.drop();
});

describe("ai settings", () => {
  it("explains how to configure a provider when none is, and the test says so too", async () => {
    const restore = withoutAiProvider();
    try {
      const settings = await callerFor(alice).ai.settings();
      expect(settings).toMatchObject({ configured: false, provider: null });
      expect(settings.reason).toMatch(/^The AI assistant is not configured: set OPENAI_API_KEY/);
      expect(settings.usage.today.tokens).toBe(0);
      const test = await callerFor(alice).ai.testConnection();
      expect(test).toMatchObject({ ok: false });
    } finally {
      restore();
    }
  });

  it("shows the active provider and models without the key, tests the connection, and shows only the user's usage", async () => {
    const { model, stop } = await startModelForTests();
    try {
      const settings = await callerFor(alice).ai.settings();
      expect(settings.configured).toBe(true);
      expect(settings.provider).toMatchObject({ provider: "OpenAI-compatible server" });
      const shown = JSON.stringify(settings, (_key, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      expect(shown).not.toContain(model.apiKey);
      expect(await callerFor(alice).ai.testConnection()).toMatchObject({ ok: true });
      // The test call is a model call like any other: it is counted.
      const tested = (await callerFor(alice).ai.settings()).usage.today.tokens;
      expect(tested).toBeGreaterThan(0);

      await recordUsage(testDb.db, {
        userId: alice.id,
        feature: "chat",
        model: "gpt-4.1-mini",
        inputTokens: 1200,
        outputTokens: 300,
      });
      const mine = await callerFor(alice).ai.settings();
      expect(mine.usage.today.tokens).toBe(tested + 1500);
      expect(mine.usage.today.remainingTokens).toBe(mine.usage.today.tokenBudget - tested - 1500);
      expect((await callerFor(bob).ai.settings()).usage.today.tokens).toBe(0);
    } finally {
      await stop();
    }
  });

  it("refuses a signed-out caller", async () => {
    const error = await callerFor(null)
      .ai.settings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});
