import { InvalidEnvError } from "@omnicrm/db";
import { afterEach, describe, expect, it } from "vitest";
import { aiEnv, resetAiEnv, type AiEnv } from "./env.ts";
import { createAiProvider, NOT_CONFIGURED_REASON, testConnection } from "./provider.ts";

const base = {
  OMNICRM_AI_CHAT_MODEL: "gpt-4.1-mini",
  OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-3-small",
  OMNICRM_AI_API: "responses",
} satisfies Partial<AiEnv>;

describe("createAiProvider", () => {
  it("says which variables to set when there is neither a key nor a base URL", async () => {
    const provider = createAiProvider({ ...base });
    expect(provider).toEqual({ configured: false, reason: NOT_CONFIGURED_REASON });
    expect(NOT_CONFIGURED_REASON).toMatch(/OPENAI_API_KEY/);
    expect(NOT_CONFIGURED_REASON).toMatch(/OPENAI_BASE_URL/);
    expect(await testConnection(provider)).toEqual({ ok: false, message: NOT_CONFIGURED_REASON });
  });

  it("describes OpenAI by host, never by key", () => {
    const provider = createAiProvider({ ...base, OPENAI_API_KEY: "sk-secret-123456789" });
    expect(provider.configured).toBe(true);
    if (!provider.configured) return;
    expect(provider.describe).toEqual({
      provider: "OpenAI",
      baseURL: "api.openai.com",
      chatModelId: "gpt-4.1-mini",
      embeddingModelId: "text-embedding-3-small",
    });
    expect(JSON.stringify(provider.describe)).not.toContain("sk-secret");
    expect(provider.chatModel).toMatchObject({ provider: "openai.responses" });
  });

  it("uses a compatible server's chat completions when asked, with no key", () => {
    const provider = createAiProvider({
      ...base,
      OMNICRM_AI_API: "chat",
      OMNICRM_AI_CHAT_MODEL: "llama",
      OPENAI_BASE_URL: "http://user:pw@127.0.0.1:8891/v1",
    });
    if (!provider.configured) throw new Error("expected a provider");
    expect(provider.describe.provider).toBe("OpenAI-compatible server");
    expect(provider.describe.baseURL).toBe("127.0.0.1:8891");
    expect(provider.chatModel).toMatchObject({ provider: "openai.chat", modelId: "llama" });
    expect(provider.embeddingModel).toMatchObject({ modelId: "text-embedding-3-small" });
  });
});

describe("aiEnv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetAiEnv();
  });

  it("has defaults for every guardrail and price", () => {
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("OMNICRM_AI_") || key.startsWith("OPENAI_")) delete process.env[key];
    }
    resetAiEnv();
    expect(aiEnv()).toMatchObject({
      OMNICRM_AI_CHAT_MODEL: "gpt-4.1-mini",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-3-small",
      OMNICRM_AI_API: "responses",
      OMNICRM_AI_REQUESTS_PER_MINUTE: 20,
      OMNICRM_AI_DAILY_TOKENS: 200_000,
      OMNICRM_AI_MONTHLY_TOKENS: 3_000_000,
      OMNICRM_AI_DAILY_COST_USD: 2,
      OMNICRM_AI_MONTHLY_COST_USD: 20,
      OMNICRM_AI_PRICE_INPUT_PER_MTOK: 0.4,
      OMNICRM_AI_PRICE_OUTPUT_PER_MTOK: 1.6,
      OMNICRM_AI_PRICE_EMBEDDING_PER_MTOK: 0.02,
    });
    expect(createAiProvider().configured).toBe(false);
  });

  it("reads and validates the environment once, until reset", () => {
    process.env.OMNICRM_AI_DAILY_TOKENS = "5000";
    process.env.OMNICRM_AI_API = "chat";
    resetAiEnv();
    expect(aiEnv().OMNICRM_AI_DAILY_TOKENS).toBe(5000);
    expect(aiEnv().OMNICRM_AI_API).toBe("chat");
    process.env.OMNICRM_AI_DAILY_TOKENS = "6000";
    expect(aiEnv().OMNICRM_AI_DAILY_TOKENS).toBe(5000);

    process.env.OMNICRM_AI_API = "completions";
    process.env.OPENAI_BASE_URL = "not a url";
    resetAiEnv();
    expect(() => aiEnv()).toThrow(InvalidEnvError);
    expect(() => aiEnv()).toThrow(/OMNICRM_AI_API/);
  });
});
