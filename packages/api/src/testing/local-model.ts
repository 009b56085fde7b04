import { resetAiEnv } from "@omnicrm/ai";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";

const AI_ENV = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OMNICRM_AI_API"] as const;

/** Clears the AI provider settings (the assistant is not configured), until `restore`. */
export function withoutAiProvider(): () => void {
  const saved = Object.fromEntries(AI_ENV.map((key) => [key, process.env[key]]));
  for (const key of AI_ENV) delete process.env[key];
  resetAiEnv();
  return () => {
    for (const key of AI_ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetAiEnv();
  };
}

/** Starts a local OpenAI-compatible server and points packages/ai at it. */
export async function startModelForTests(): Promise<{
  model: LocalModel;
  stop: () => Promise<void>;
}> {
  const model = await startLocalModel({ port: 0 });
  const restore = withoutAiProvider();
  Object.assign(process.env, {
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_API: "chat",
  });
  resetAiEnv();
  return {
    model,
    stop: async () => {
      restore();
      await model.close();
    },
  };
}
