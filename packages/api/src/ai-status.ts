import { createAiProvider } from "@omnicrm/ai";

export interface AiStatus {
  configured: boolean;
  /** How to configure it, one sentence; null when configured. */
  reason: string | null;
  /** What is active (never the key): null when not configured. */
  provider: {
    provider: string;
    baseURL: string;
    chatModelId: string;
    embeddingModelId: string;
  } | null;
}

/** Which AI provider and models are active, from the environment (no network call). */
export function aiStatus(): AiStatus {
  const provider = createAiProvider();
  return provider.configured
    ? { configured: true, reason: null, provider: provider.describe }
    : { configured: false, reason: provider.reason, provider: null };
}
