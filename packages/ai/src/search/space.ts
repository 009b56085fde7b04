import type { search } from "@omnicrm/core";
import { aiEnv } from "../env.ts";
import type { AiProvider } from "../provider.ts";

/** The embedding model and size in use: stored vectors of any other never match. */
export function vectorSpace(provider: AiProvider): search.VectorSpace | null {
  if (!provider.configured) return null;
  return {
    model: provider.describe.embeddingModelId,
    dimensions: aiEnv().OMNICRM_AI_EMBEDDING_DIMENSIONS,
  };
}
