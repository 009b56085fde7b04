import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { embed, generateText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BudgetExceededError,
  checkBudget,
  recordUsage,
  usageSummary,
  type AiLimits,
  type AiPrices,
} from "./guardrails.ts";
import { createAiProvider, testConnection, type ConfiguredAiProvider } from "./provider.ts";

let testDb: TestDatabase;
let model: LocalModel;
beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
});
afterAll(async () => {
  await Promise.all([testDb.drop(), model.close()]);
});
beforeEach(() => {
  model.reset();
});

const now = new Date("2026-11-23T12:00:00Z");
const limits: AiLimits = {
  requestsPerMinute: 100,
  backgroundRequestsPerMinute: 100,
  dailyTokens: 200_000,
  monthlyTokens: 3_000_000,
  dailyCostUsd: 2,
  monthlyCostUsd: 20,
};
const prices: AiPrices = { inputPerMTok: 0.4, outputPerMTok: 1.6, embeddingPerMTok: 0.02 };

let userCount = 0;
async function makeUser(): Promise<string> {
  const user = await testDb.db.user.create({ data: { email: `u${++userCount}@ai.test` } });
  return user.id;
}

function provider(api: "responses" | "chat" = "responses"): ConfiguredAiProvider {
  const p = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: api,
  });
  if (!p.configured) throw new Error("expected a configured provider");
  return p;
}

/** The guarded call the product makes: check, call, record. */
async function ask(userId: string, prompt: string, l = limits, api?: "responses" | "chat") {
  await checkBudget(testDb.db, userId, now, l);
  const result = await generateText({ model: provider(api).chatModel, prompt, maxRetries: 0 });
  await recordUsage(
    testDb.db,
    {
      userId,
      feature: "chat",
      model: "gpt-local",
      inputTokens: result.totalUsage.inputTokens ?? 0,
      outputTokens: result.totalUsage.outputTokens ?? 0,
      at: now,
    },
    prices,
  );
  return result;
}

describe("usage", () => {
  it.each(["responses", "chat"] as const)(
    "records a %s call's tokens from the SDK and shows them in the summary",
    async (api) => {
      const userId = await makeUser();
      model.script("Maya prefers morning sessions.");
      const result = await ask(userId, "When does Maya like to train?", limits, api);
      expect(result.text).toBe("Maya prefers morning sessions.");
      const input = result.totalUsage.inputTokens ?? 0;
      const output = result.totalUsage.outputTokens ?? 0;
      expect(input).toBeGreaterThan(0);
      expect(output).toBe(5); // Maya prefers morning sessions .

      const summary = await usageSummary(testDb.db, userId, now, limits);
      const micros = Math.round(input * 0.4 + output * 1.6);
      expect(summary.today).toMatchObject({
        tokens: input + output,
        costMicros: BigInt(micros),
        costUsd: micros / 1e6,
        tokenBudget: 200_000,
        costBudgetUsd: 2,
        remainingTokens: 200_000 - input - output,
        resetsAt: new Date("2026-11-24T00:00:00Z"),
      });
      expect(summary.month).toMatchObject({
        tokens: input + output,
        tokenBudget: 3_000_000,
        resetsAt: new Date("2026-12-01T00:00:00Z"),
      });
      expect(summary.today.remainingCostUsd).toBeCloseTo(2 - micros / 1e6, 6);
      expect(summary.requestsPerMinute).toBe(100);
    },
  );

  it("prices embeddings by input tokens", async () => {
    const userId = await makeUser();
    const result = await embed({
      model: provider().embeddingModel,
      value: "knee pain after running",
      maxRetries: 0,
    });
    expect(result.usage.tokens).toBeGreaterThan(0);
    const { costMicros } = await recordUsage(
      testDb.db,
      {
        userId,
        feature: "embeddings",
        model: "text-embedding-local",
        inputTokens: result.usage.tokens,
        at: now,
      },
      { ...prices, embeddingPerMTok: 1000 },
    );
    expect(costMicros).toBe(BigInt(result.usage.tokens * 1000));
    const summary = await usageSummary(testDb.db, userId, now, limits);
    expect(summary.today.tokens).toBe(result.usage.tokens);
    expect(summary.today.costMicros).toBe(costMicros);
  });

  it("counts only the current UTC day and month", async () => {
    const userId = await makeUser();
    const record = (at: string, inputTokens: number) =>
      recordUsage(
        testDb.db,
        { userId, feature: "chat", model: "m", inputTokens, at: new Date(at) },
        prices,
      );
    await record("2026-11-23T00:00:00Z", 10); // today, first instant
    await record("2026-11-22T23:59:59.999Z", 100); // yesterday, this month
    await record("2026-11-01T00:00:00Z", 1_000); // this month
    await record("2026-10-31T23:59:59Z", 10_000); // last month
    await record("2026-11-24T00:00:00Z", 100_000); // tomorrow (clock skew): not today
    const summary = await usageSummary(testDb.db, userId, now, limits);
    expect(summary.today.tokens).toBe(10);
    expect(summary.month.tokens).toBe(100_000 + 1_000 + 100 + 10);
  });
});

describe("budgets", () => {
  it("refuses once today's tokens are used, before anything reaches the model", async () => {
    const userId = await makeUser();
    const small = { ...limits, dailyTokens: 30 };
    await ask(userId, "one two three four five six seven eight nine ten", small);
    await ask(userId, "one two three four five six seven eight nine ten", small);
    expect(model.requests).toHaveLength(2);
    const used = (await usageSummary(testDb.db, userId, now, small)).today.tokens;
    expect(used).toBeGreaterThanOrEqual(30);

    const refusal = await ask(userId, "and again", small).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    expect(refusal).toMatchObject({
      kind: "rate_limited",
      scope: "day",
      message: "You have used today's AI budget (30 tokens); it resets at midnight UTC.",
      retryAfterSeconds: 12 * 3600,
    });
    expect(model.requests).toHaveLength(2);

    // The next day starts over.
    await expect(
      checkBudget(testDb.db, userId, new Date("2026-11-24T00:00:01Z"), small),
    ).resolves.toMatchObject({ today: { tokens: 0 } });
  });

  it("words the default daily budget with thousands separators", async () => {
    const userId = await makeUser();
    await recordUsage(
      testDb.db,
      { userId, feature: "chat", model: "m", inputTokens: 150_000, outputTokens: 50_000, at: now },
      { inputPerMTok: 0, outputPerMTok: 0, embeddingPerMTok: 0 },
    );
    await expect(checkBudget(testDb.db, userId, now, limits)).rejects.toThrow(
      "You have used today's AI budget (200,000 tokens); it resets at midnight UTC.",
    );
  });

  it("refuses once this month's money is spent, though today is untouched", async () => {
    const userId = await makeUser();
    // $20.00 spent earlier in the month: 12.5M output tokens at $1.60/M.
    await recordUsage(
      testDb.db,
      {
        userId,
        feature: "insights",
        model: "gpt-local",
        inputTokens: 0,
        outputTokens: 12_500_000,
        at: new Date("2026-11-05T09:00:00Z"),
      },
      prices,
    );
    const roomy = { ...limits, monthlyTokens: 100_000_000 };
    const summary = await usageSummary(testDb.db, userId, now, roomy);
    expect(summary.today.tokens).toBe(0);
    expect(summary.month.costUsd).toBe(20);
    expect(summary.month.remainingCostUsd).toBe(0);

    const refusal = await ask(userId, "hello", roomy).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    expect(refusal).toMatchObject({
      scope: "month",
      message:
        "You have used this month's AI budget ($20.00); it resets on the 1st of next month (UTC).",
      retryAfterSeconds: (7 * 24 + 12) * 3600,
    });
    expect(model.requests).toHaveLength(0);
  });

  it("refuses the request over the per-minute limit, with a retry hint", async () => {
    const userId = await makeUser();
    const twoPerMinute = { ...limits, requestsPerMinute: 2 };
    await ask(userId, "first", twoPerMinute);
    await ask(userId, "second", twoPerMinute);
    const refusal = await ask(userId, "third", twoPerMinute).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    const error = refusal as BudgetExceededError;
    expect(error.scope).toBe("minute");
    expect(error.message).toMatch(
      /^Too many AI requests this minute; try again in \d+ seconds?\.$/,
    );
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.message).toContain(`in ${error.retryAfterSeconds} second`);
    expect(model.requests).toHaveLength(2);

    // The window lives in PostgreSQL, keyed by user under the "ai" prefix.
    const row = await testDb.db.rateLimit.findUnique({ where: { key: `ai:${userId}` } });
    expect(row?.points).toBe(3);
  });

  it("never counts another user's usage or requests", async () => {
    const heavy = await makeUser();
    const light = await makeUser();
    const tight = { ...limits, requestsPerMinute: 1, dailyTokens: 1_000, dailyCostUsd: 0.01 };
    await recordUsage(
      testDb.db,
      {
        userId: heavy,
        feature: "chat",
        model: "m",
        inputTokens: 50_000,
        outputTokens: 50_000,
        at: now,
      },
      prices,
    );
    await expect(checkBudget(testDb.db, heavy, now, tight)).rejects.toThrow(/today's AI budget/);

    const summary = await usageSummary(testDb.db, light, now, tight);
    expect(summary.today.tokens).toBe(0);
    expect(summary.month.costMicros).toBe(0n);
    // Per-minute windows are per user too: heavy spends its one request, light still has its own.
    await testDb.db.aiUsage.deleteMany({ where: { userId: heavy } });
    await checkBudget(testDb.db, heavy, now, tight);
    await expect(checkBudget(testDb.db, heavy, now, tight)).rejects.toThrow(/this minute/);
    await expect(checkBudget(testDb.db, light, now, tight)).resolves.toMatchObject({
      today: { tokens: 0 },
    });
  });
});

describe("testConnection", () => {
  it("succeeds against the local server with one embedding call", async () => {
    const result = await testConnection(provider());
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]).toMatchObject({ api: "embeddings", input: ["ping"] });
  });

  it("fails with a clear sentence, and no key, against a closed port", async () => {
    const closed = await startLocalModel();
    const { baseURL, port } = closed;
    await closed.close();
    const p = createAiProvider({
      OPENAI_API_KEY: "sk-very-secret-key-123456",
      OPENAI_BASE_URL: baseURL,
      OMNICRM_AI_CHAT_MODEL: "gpt-local",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_API: "responses",
    });
    const result = await testConnection(p, { timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      `Could not reach the AI provider at 127.0.0.1:${port}: nothing is listening there (connection refused).`,
    );
    expect(result.message).not.toContain("sk-very-secret");
  });

  it("says when the key is refused", async () => {
    const p = createAiProvider({
      OPENAI_API_KEY: "sk-wrong-key-abcdefghijkl",
      OPENAI_BASE_URL: model.baseURL,
      OMNICRM_AI_CHAT_MODEL: "gpt-local",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_API: "responses",
    });
    const result = await testConnection(p);
    expect(result).toEqual({
      ok: false,
      message: `Could not reach the AI provider at ${new URL(model.baseURL).host}: the API key was refused.`,
    });
  });
});
