import { overrideAiEnv } from "@omnicrm/ai";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";

/** Clears the AI provider settings (the assistant is not configured), until `restore`. */
export function withoutAiProvider(): () => void {
  return overrideAiEnv({
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    OMNICRM_AI_API: undefined,
  });
}

/** Starts a local OpenAI-compatible server and points packages/ai at it. */
export async function startModelForTests(): Promise<{
  model: LocalModel;
  stop: () => Promise<void>;
}> {
  const model = await startLocalModel({ port: 0 });
  const restore = overrideAiEnv({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_API: "chat",
  });
  return {
    model,
    stop: async () => {
      restore();
      await model.close();
    },
  };
}
