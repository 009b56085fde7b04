export {
  contactInsight,
  generateInsight,
  generationFailure,
  askForInsight,
  AiNotConfiguredError,
  InsightGenerationError,
  INSIGHT_MAX_OUTPUT_TOKENS,
  type InsightAvailability,
  type InsightCard,
  type InsightOptions,
  type InsightView,
  type GenerationResult,
} from "./service.ts";
export {
  buildInsightRequest,
  canonicalJson,
  diffBasis,
  insightBasis,
  INSIGHT_INSTRUCTIONS,
  INSIGHT_PROMPT_VERSION,
  type InsightBasis,
  type InsightChanges,
  type InsightRequest,
} from "./prompt.ts";
export { insightOutputSchema, normalizeInsightOutput, type InsightOutput } from "./output.ts";
