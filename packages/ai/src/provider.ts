import { createOpenAI } from "@ai-sdk/openai";
import { embed, type EmbeddingModel, type LanguageModel } from "ai";
import { aiEnv, type AiEnv } from "./env.ts";

/** What the settings page may show about the provider: never the key. */
export interface AiProviderDescription {
  provider: "OpenAI" | "OpenAI-compatible server";
  /** The host (and port) the calls go to. */
  baseURL: string;
  chatModelId: string;
  embeddingModelId: string;
}

export interface ConfiguredAiProvider {
  configured: true;
  chatModel: LanguageModel;
  embeddingModel: EmbeddingModel;
  describe: AiProviderDescription;
}

export interface UnconfiguredAiProvider {
  configured: false;
  /** A sentence for the user or the operator saying what to set. */
  reason: string;
}

export type AiProvider = ConfiguredAiProvider | UnconfiguredAiProvider;

export const NOT_CONFIGURED_REASON =
  "The AI assistant is not configured: set OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL " +
  "(and OPENAI_API_KEY if it needs one) to use an OpenAI-compatible server.";

const OPENAI_HOST = "api.openai.com";

type ProviderEnv = Pick<
  AiEnv,
  | "OPENAI_API_KEY"
  | "OPENAI_BASE_URL"
  | "OMNICRM_AI_CHAT_MODEL"
  | "OMNICRM_AI_EMBEDDING_MODEL"
  | "OMNICRM_AI_API"
>;

/** The chat and embedding models the product uses, or why there are none. */
export function createAiProvider(env: ProviderEnv = aiEnv()): AiProvider {
  const apiKey = env.OPENAI_API_KEY;
  const baseURL = env.OPENAI_BASE_URL;
  if (!apiKey && !baseURL) return { configured: false, reason: NOT_CONFIGURED_REASON };

  // A compatible server may need no key, but the SDK insists on one.
  const openai = createOpenAI({ baseURL, apiKey: apiKey ?? "not-needed" });
  const chatModelId = env.OMNICRM_AI_CHAT_MODEL;
  const embeddingModelId = env.OMNICRM_AI_EMBEDDING_MODEL;
  return {
    configured: true,
    chatModel: env.OMNICRM_AI_API === "chat" ? openai.chat(chatModelId) : openai(chatModelId),
    embeddingModel: openai.embedding(embeddingModelId),
    describe: {
      provider: baseURL ? "OpenAI-compatible server" : "OpenAI",
      baseURL: baseURL ? new URL(baseURL).host : OPENAI_HOST,
      chatModelId,
      embeddingModelId,
    },
  };
}

export type ConnectionTest = { ok: true; latencyMs: number } | { ok: false; message: string };

/**
 * One tiny call (an embedding of "ping", no retries) to prove the key, the address and the
 * embedding model work. The message names the host, never the key.
 */
export async function testConnection(
  provider: AiProvider,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<ConnectionTest> {
  if (!provider.configured) return { ok: false, message: provider.reason };
  const host = provider.describe.baseURL;
  const started = performance.now();
  try {
    await embed({
      model: provider.embeddingModel,
      value: "ping",
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      message: `Could not reach the AI provider at ${host}: ${providerFailureReason(error)}`,
    };
  }
}

/**
 * Why a call to the provider failed, as the end of a sentence ("the API key was refused."),
 * never containing a key. Looks through the SDK's retry wrapper to the last attempt.
 */
export function providerFailureReason(failure: unknown): string {
  const lastError = (failure as { lastError?: unknown } | null)?.lastError;
  const error = lastError ?? failure;
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return "it did not answer in time.";
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 401 || status === 403) return "the API key was refused.";
  if (status === 404) return "the model or the address was not found.";
  if (status === 429) return "it is rate-limiting requests; try again in a moment.";
  const code = causeCode(error);
  if (code === "ECONNREFUSED") return "nothing is listening there (connection refused).";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve.";
  let text = error instanceof Error ? error.message : String(error);
  if (code) text = `${text.replace(/\.$/, "")} (${code})`;
  // Belt and braces: nothing that looks like a key leaves this function.
  text = text.replace(/\b(sk|key|bearer)[-_ ]?[A-Za-z0-9_-]{8,}/gi, "[redacted]");
  const sentence = text.trim().replace(/\.$/, "");
  return `${sentence || "unknown error"}${typeof status === "number" ? ` (HTTP ${status})` : ""}.`;
}

/** The system error code (ECONNREFUSED, ...) somewhere down the cause chain. */
function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
