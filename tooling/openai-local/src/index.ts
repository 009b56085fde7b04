/**
 * A local OpenAI-compatible model server — the Responses API, chat completions (both with SSE
 * streaming and tool calls), embeddings and models — on 127.0.0.1, scripted and deterministic,
 * for tests, benchmarks and demos with the real AI SDK clients.
 */
export { startLocalModel, type LocalModel } from "./server.ts";
export {
  DEFAULT_MODELS,
  type Latency,
  type LatencyInput,
  type LocalModelOptions,
} from "./options.ts";
export {
  defaultReply,
  text,
  toolCall,
  type Script,
  type ScriptFunction,
  type Step,
  type TextStep,
  type ToolCallStep,
} from "./script.ts";
export type {
  Api,
  ChatMessage,
  ModelRequest,
  ToolCallRecord,
  ToolDefinition,
  ToolResult,
} from "./types.ts";
export {
  FaultInjector,
  type Fault,
  type FaultInput,
  type FaultRuleInput,
  type FaultRuleState,
} from "./faults.ts";
export type { Stats, StatsSnapshot } from "./stats.ts";
export { cosineSimilarity, embedText } from "./embeddings.ts";
export { countTokens, tokenize } from "./tokenizer.ts";
