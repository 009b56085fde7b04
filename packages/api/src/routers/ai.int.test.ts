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

  it("breaks this month's use down per feature and model, for the user only", async () => {
    const user = await testDb.db.user.create({ data: { email: "breakdown@ai.test" } });
    const record = (
      feature: string,
      model: string,
      inputTokens: number,
      outputTokens = 0,
      at?: string,
    ) =>
      recordUsage(testDb.db, {
        userId: user.id,
        feature,
        model,
        inputTokens,
        outputTokens,
        ...(at ? { at: new Date(at) } : {}),
      });
    await record("chat", "gpt-4.1-mini", 1_000, 200);
    await record("chat", "gpt-4.1-mini", 500, 100);
    await record("embeddings", "text-embedding-3-small", 4_000);
    await record("insights", "gpt-4.1-mini", 100_000, 10_000, "2026-01-01T00:00:00Z");
    const rows = await callerFor({
      id: user.id,
      email: user.email,
      name: null,
    }).ai.usageByFeature();
    expect(rows).toEqual([
      {
        feature: "chat",
        model: "gpt-4.1-mini",
        calls: 2,
        inputTokens: 1_500,
        outputTokens: 300,
        costUsd: (1_500 * 0.4 + 300 * 1.6) / 1e6,
      },
      {
        feature: "embeddings",
        model: "text-embedding-3-small",
        calls: 1,
        inputTokens: 4_000,
        outputTokens: 0,
        costUsd: (4_000 * 0.02) / 1e6,
      },
    ]);
    expect(await callerFor(bob).ai.usageByFeature()).toEqual([]);
  });

  it("refuses a signed-out caller", async () => {
    const error = await callerFor(null)
      .ai.settings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});
