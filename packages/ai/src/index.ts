export { aiEnv, overrideAiEnv, resetAiEnv, type AiEnv } from "./env.ts";
export {
  createAiProvider,
  testConnection,
  NOT_CONFIGURED_REASON,
  type AiProvider,
  type AiProviderDescription,
  type ConfiguredAiProvider,
  type ConnectionTest,
  type UnconfiguredAiProvider,
} from "./provider.ts";
export {
  BudgetExceededError,
  checkBudget,
  costMicros,
  limitsFromEnv,
  pricesFromEnv,
  recordUsage,
  usageSummary,
  usageByFeature,
  type FeatureUsage,
  type AiLimits,
  type AiPrices,
  type BudgetScope,
  type PeriodUsage,
  type UsageInput,
  type UsageKind,
  type UsageSummary,
} from "./guardrails.ts";
export { guardModels, estimateTokens, type GuardOptions, type GuardedModels } from "./guarded.ts";
export {
  redactText,
  redactJson,
  redactPrompt,
  EMAIL_PLACEHOLDER,
  PHONE_PLACEHOLDER,
} from "./redaction.ts";
export {
  assistantTools,
  contactUrl,
  WRITE_TOOLS,
  type AssistantTools,
  type AssistantToolName,
  type ToolContext,
} from "./tools/index.ts";
export {
  handleChatTurn,
  chatErrorMessage,
  MAX_STEPS,
  type ChatTurnOptions,
} from "./chat/handler.ts";
export { chatRequestSchema, MAX_QUESTION_LENGTH, type ChatRequest } from "./chat/request.ts";
export {
  contactInsight,
  generateInsight,
  AiNotConfiguredError,
  InsightGenerationError,
  buildInsightRequest,
  INSIGHT_PROMPT_VERSION,
  type InsightAvailability,
  type InsightCard,
  type InsightChanges,
  type InsightOptions,
  type InsightView,
  type GenerationResult,
} from "./insights/index.ts";
export { chatInstructions } from "./chat/instructions.ts";
export * as aiSearch from "./search/index.ts";
