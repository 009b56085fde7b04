import { overrideEnv, throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const usd = (fallback: number) => z.coerce.number().min(0).default(fallback);

const schema = z.object({
  /** OpenAI's key; optional when OPENAI_BASE_URL points at a server that needs none. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible server (a local model, a proxy); unset: OpenAI itself. */
  OPENAI_BASE_URL: z.url().optional(),
  OMNICRM_AI_CHAT_MODEL: z.string().min(1).default("gpt-4.1-mini"),
  OMNICRM_AI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** Which OpenAI API the chat model speaks: local servers often only speak chat completions. */
  OMNICRM_AI_API: z.enum(["responses", "chat"]).default("responses"),
  /** Per-user guardrails. */
  OMNICRM_AI_REQUESTS_PER_MINUTE: positiveInt(20),
  /** Model calls per user per minute by background jobs (embeddings, insight refreshes). */
  OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE: positiveInt(60),
  /** The longest answer one model call may write. */
  OMNICRM_AI_MAX_OUTPUT_TOKENS: positiveInt(2_000),
  /** Dimensions of the embedding vectors (models that support shortening return this many). */
  OMNICRM_AI_EMBEDDING_DIMENSIONS: positiveInt(256),
  OMNICRM_AI_DAILY_TOKENS: positiveInt(200_000),
  OMNICRM_AI_MONTHLY_TOKENS: positiveInt(3_000_000),
  OMNICRM_AI_DAILY_COST_USD: usd(2),
  OMNICRM_AI_MONTHLY_COST_USD: usd(20),
  /** Prices in USD per million tokens (defaults: gpt-4.1-mini and text-embedding-3-small). */
  OMNICRM_AI_PRICE_INPUT_PER_MTOK: usd(0.4),
  OMNICRM_AI_PRICE_OUTPUT_PER_MTOK: usd(1.6),
  OMNICRM_AI_PRICE_EMBEDDING_PER_MTOK: usd(0.02),
  /**
   * Where search by meaning finds nearest neighbours: pgvector (the server must have the
   * extension), memory (an in-process index loaded from PostgreSQL), or auto (pgvector when the
   * database has it set up, else memory).
   */
  OMNICRM_SEARCH_VECTORS: z.enum(["auto", "pgvector", "memory"]).default("auto"),
  /** The most memory the in-process vector index may take, across users (MB). */
  OMNICRM_SEARCH_MEMORY_MB: positiveInt(256),
  /** Results by meaning below this cosine similarity are left out (0 keeps every neighbour). */
  OMNICRM_SEARCH_MIN_SIMILARITY: z.coerce.number().min(0).max(1).default(0.2),
  /** Records embedded per model call by the index job. */
  OMNICRM_SEARCH_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(100),
});

export type AiEnv = z.infer<typeof schema>;

let cached: AiEnv | undefined;

/** Validated on first use, so importing this package needs no configuration. */
export function aiEnv(): AiEnv {
  if (!cached) {
    const raw: Record<string, string | undefined> = {};
    for (const key of Object.keys(schema.shape)) raw[key] = process.env[key] || undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throwInvalidEnv(parsed.error.issues);
    cached = parsed.data;
  }
  return cached;
}

/** Tests change the environment between cases. */
export function resetAiEnv(): void {
  cached = undefined;
}

/**
 * Overrides AI settings (tests, demos; undefined removes one) until the returned function
 * restores them; the settings are read again either way.
 */
export function overrideAiEnv(
  values: Partial<Record<keyof AiEnv, string | undefined>>,
): () => void {
  const restore = overrideEnv(values);
  resetAiEnv();
  return () => {
    restore();
    resetAiEnv();
  };
}
