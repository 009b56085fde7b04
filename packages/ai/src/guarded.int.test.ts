import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { embedMany, generateText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guardModels, type GuardOptions } from "./guarded.ts";
import { BudgetExceededError, type AiLimits, type AiPrices } from "./guardrails.ts";
import { createAiProvider, type ConfiguredAiProvider } from "./provider.ts";
import { EMAIL_PLACEHOLDER } from "./redaction.ts";

let testDb: TestDatabase;
let model: LocalModel;
let provider: ConfiguredAiProvider;
beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
  const p = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: "chat",
  });
  if (!p.configured) throw new Error("expected a configured provider");
  provider = p;
});
afterAll(async () => {
  await Promise.all([testDb.drop(), model.close()]);
});
beforeEach(() => model.reset());

const limits: AiLimits = {
  requestsPerMinute: 100,
  backgroundRequestsPerMinute: 100,
  dailyTokens: 100_000,
  monthlyTokens: 1_000_000,
  dailyCostUsd: 5,
  monthlyCostUsd: 50,
};
const prices: AiPrices = { inputPerMTok: 0.4, outputPerMTok: 1.6, embeddingPerMTok: 0.02 };

let users = 0;
async function guard(options: Partial<GuardOptions> = {}) {
  const user = await testDb.db.user.create({ data: { email: `guard${++users}@ai.test` } });
  return {
    userId: user.id,
    models: guardModels(provider, {
      db: testDb.db,
      userId: user.id,
      feature: "embeddings",
      redact: false,
      limits,
      prices,
      maxOutputTokens: 500,
      embeddingDimensions: 64,
      ...options,
    }),
  };
}

describe("embeddings through the guardrails", () => {
  it("asks for the configured dimensions and records the tokens and cost", async () => {
    const { userId, models } = await guard();
    const result = await embedMany({
      model: models.embeddingModel,
      values: ["knee pain after running", "prefers morning yoga"],
      maxRetries: 0,
    });
    expect(result.embeddings.map((e) => e.length)).toEqual([64, 64]);
    expect(model.requests[0]!.body).toMatchObject({ dimensions: 64 });
    const usage = await testDb.db.aiUsage.findMany({ where: { userId } });
    expect(usage).toMatchObject([
      {
        feature: "embeddings",
        model: "text-embedding-local",
        inputTokens: result.usage.tokens,
        outputTokens: 0,
      },
    ]);
  });

  it("redacts the texts when asked", async () => {
    const { models } = await guard({ redact: true });
    await embedMany({
      model: models.embeddingModel,
      values: ["write to maya@gmail.com about knees"],
      maxRetries: 0,
    });
    expect(model.requests[0]!.input).toEqual([`write to ${EMAIL_PLACEHOLDER} about knees`]);
  });

  it("refuses over budget before anything is sent", async () => {
    const { userId, models } = await guard();
    await testDb.db.aiUsage.create({
      data: { userId, feature: "chat", model: "m", inputTokens: 100_000 },
    });
    const error = await embedMany({
      model: models.embeddingModel,
      values: ["anything"],
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(model.requests).toHaveLength(0);
  });
});

describe("the per-minute windows", () => {
  it("keeps background jobs from using up the minute of someone chatting, and the reverse", async () => {
    const tight = { ...limits, requestsPerMinute: 1, backgroundRequestsPerMinute: 2 };
    const chat = await guard({ limits: tight, feature: "chat" });
    const background = guardModels(provider, {
      db: testDb.db,
      userId: chat.userId,
      feature: "embeddings",
      redact: false,
      background: true,
      limits: tight,
      prices,
    });
    const embed = (models: typeof background) =>
      embedMany({ model: models.embeddingModel, values: ["x"], maxRetries: 0 });
    await embed(chat.models);
    await expect(embed(chat.models)).rejects.toThrow(/this minute/);
    await embed(background);
    await embed(background);
    await expect(embed(background)).rejects.toThrow(/this minute/);
    expect(model.requests).toHaveLength(3);
  });
});

describe("text generation through the guardrails", () => {
  it("caps the answer at the configured length and at what the budget has left", async () => {
    const { userId, models } = await guard({ feature: "insights" });
    await generateText({ model: models.chatModel, prompt: "Summarize Maya.", maxRetries: 0 });
    expect((model.requests[0]!.body as { max_tokens: number }).max_tokens).toBe(500);

    await testDb.db.aiUsage.create({
      data: { userId, feature: "chat", model: "m", inputTokens: 100_000 - 120 },
    });
    const used = await testDb.db.aiUsage.aggregate({
      where: { userId },
      _sum: { inputTokens: true, outputTokens: true },
    });
    const left = 100_000 - (used._sum.inputTokens ?? 0) - (used._sum.outputTokens ?? 0);
    await generateText({ model: models.chatModel, prompt: "Again.", maxRetries: 0 });
    const cap = (model.requests[1]!.body as { max_tokens: number }).max_tokens;
    expect(cap).toBeGreaterThan(0);
    expect(cap).toBeLessThan(left);
    const usage = await testDb.db.aiUsage.findMany({
      where: { userId, feature: "insights" },
      orderBy: { createdAt: "asc" },
    });
    expect(usage).toHaveLength(2);
    expect(usage[1]!.outputTokens).toBeLessThanOrEqual(cap);
  });
});
