// The one door to a model. Every model call OmniCRM makes (chat steps, insights, embeddings,
// search queries, background jobs) goes through models wrapped here, so each one is checked
// against the user's rate and budgets BEFORE it is sent, has contact details redacted when the
// user asked for it, may not write more than the budget has left, and has its tokens and cost
// recorded after it (an estimate when it was stopped before the model reported them).
import type {
  EmbeddingModelV4,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import type { assistant } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { wrapEmbeddingModel, wrapLanguageModel } from "ai";
import { aiEnv } from "./env.ts";
import {
  BudgetExceededError,
  checkBudget,
  limitsFromEnv,
  pricesFromEnv,
  recordUsage,
  type AiLimits,
  type AiPrices,
  type UsageSummary,
} from "./guardrails.ts";
import type { ConfiguredAiProvider } from "./provider.ts";
import { redactPrompt, redactText } from "./redaction.ts";

export interface GuardOptions {
  db: Db;
  userId: string;
  feature: assistant.AiFeature;
  /** Replace emails and phone numbers with placeholders in everything sent. */
  redact: boolean;
  /** Background jobs count against their own per-minute window. */
  background?: boolean;
  limits?: AiLimits;
  prices?: AiPrices;
  /** The longest answer a single call may write (before the budget's own cap). */
  maxOutputTokens?: number;
  /** Embedding dimensions asked of models that can shorten their vectors. */
  embeddingDimensions?: number;
  now?: () => Date;
  /**
   * A budget check already under way (started with `checkBudget` before the options were
   * known, to save a round trip): the first model call uses it instead of checking again.
   */
  prechecked?: Promise<UsageSummary>;
}

export interface GuardedModels {
  chatModel: LanguageModelV4;
  embeddingModel: EmbeddingModelV4;
  chatModelId: string;
  embeddingModelId: string;
  /**
   * Checks the budget for the call about to be made, so a caller can refuse before it starts
   * streaming; the next model call then counts as checked. Throws BudgetExceededError.
   */
  precheck(): Promise<UsageSummary>;
}

/**
 * A rough token count for what cannot be counted exactly: 4 characters a token for prose,
 * 3 for JSON (punctuation-heavy text such as tool schemas).
 */
export function estimateTokens(text: string, json = ""): number {
  return Math.ceil(text.length / 4 + json.length / 3);
}

function remainingTokens(summary: UsageSummary, prices: AiPrices): number {
  const { today, month } = summary;
  const byTokens = Math.min(today.remainingTokens, month.remainingTokens);
  const dollars = Math.min(today.remainingCostUsd, month.remainingCostUsd);
  const byCost =
    prices.outputPerMTok > 0 ? Math.floor((dollars * 1_000_000) / prices.outputPerMTok) : Infinity;
  return Math.max(0, Math.min(byTokens, byCost));
}

const tokensFormat = new Intl.NumberFormat("en-US");

/** Wraps a configured provider's models in the user's guardrails. */
export function guardModels(provider: ConfiguredAiProvider, options: GuardOptions): GuardedModels {
  const { db, userId, feature, redact } = options;
  const limits = options.limits ?? limitsFromEnv();
  const prices = options.prices ?? pricesFromEnv();
  const maxOutput = options.maxOutputTokens ?? aiEnv().OMNICRM_AI_MAX_OUTPUT_TOKENS;
  const dimensions = options.embeddingDimensions ?? aiEnv().OMNICRM_AI_EMBEDDING_DIMENSIONS;
  const now = options.now ?? (() => new Date());
  const chatModelId = provider.describe.chatModelId;
  const embeddingModelId = provider.describe.embeddingModelId;
  let prechecked: Promise<UsageSummary> | null = options.prechecked ?? null;

  const check = async (): Promise<UsageSummary> => {
    if (prechecked) {
      const summary = prechecked;
      prechecked = null;
      return summary;
    }
    return checkBudget(db, userId, now(), limits, { background: options.background });
  };

  const record = (inputTokens: number, outputTokens: number, kind: "chat" | "embedding") =>
    recordUsage(
      db,
      {
        userId,
        feature,
        model: kind === "chat" ? chatModelId : embeddingModelId,
        inputTokens,
        outputTokens,
        kind,
        at: now(),
      },
      prices,
    );

  /** Checks the budget, refuses a prompt bigger than what is left, and caps the answer. */
  const prepare = async (params: LanguageModelV4CallOptions) => {
    const summary = await check();
    const left = remainingTokens(summary, prices);
    const prompt = redact ? redactPrompt(params.prompt) : params.prompt;
    // Tool definitions are sent too; JSON is dense in tokens, so count it generously.
    const inputEstimate = estimateTokens(
      JSON.stringify(prompt),
      JSON.stringify(params.tools ?? []),
    );
    if (inputEstimate >= left) {
      throw new BudgetExceededError(
        `This request (about ${tokensFormat.format(inputEstimate)} tokens) is larger than what is left of your AI budget (${tokensFormat.format(left)} tokens). Start a new conversation, or wait until the budget resets.`,
        Math.max(1, Math.ceil((summary.today.resetsAt.getTime() - now().getTime()) / 1000)),
        summary.today.remainingTokens <= summary.month.remainingTokens ? "day" : "month",
      );
    }
    const cap = Math.max(1, Math.min(params.maxOutputTokens ?? maxOutput, left - inputEstimate));
    return { params: { ...params, prompt, maxOutputTokens: cap }, inputEstimate };
  };

  const chatModel = wrapLanguageModel({
    model: provider.chatModel as LanguageModelV4,
    middleware: {
      specificationVersion: "v4",
      wrapGenerate: async ({ params, model }) => {
        const prepared = await prepare(params);
        const result = await model.doGenerate(prepared.params);
        const { input, output } = tokensOf(result.usage, prepared.inputEstimate, "");
        await record(input, output, "chat");
        return result;
      },
      wrapStream: async ({ params, model }) => {
        const prepared = await prepare(params);
        const result = await model.doStream(prepared.params);
        return {
          ...result,
          stream: meterStream(result.stream, async (usage, streamedText) => {
            const { input, output } = tokensOf(usage, prepared.inputEstimate, streamedText);
            await record(input, output, "chat");
          }),
        };
      },
    },
  });

  const embeddingModel = wrapEmbeddingModel({
    model: provider.embeddingModel as EmbeddingModelV4,
    middleware: {
      specificationVersion: "v4",
      wrapEmbed: async ({ params, model }) => {
        await check();
        const values = redact ? params.values.map(redactText) : params.values;
        const result = await model.doEmbed({
          ...params,
          values,
          dimensions: params.dimensions ?? dimensions,
        });
        const tokens =
          result.usage?.tokens ?? values.reduce((sum, v) => sum + estimateTokens(v), 0);
        await record(tokens, 0, "embedding");
        return result;
      },
    },
  });

  return {
    chatModel,
    embeddingModel,
    chatModelId,
    embeddingModelId,
    async precheck() {
      const summary = checkBudget(db, userId, now(), limits, { background: options.background });
      prechecked = summary;
      return summary;
    },
  };
}

/** The tokens a call used: the model's count, or an estimate where it gave none. */
function tokensOf(
  usage: LanguageModelV4Usage | undefined,
  inputEstimate: number,
  streamedText: string,
): { input: number; output: number } {
  return {
    input: usage?.inputTokens.total ?? inputEstimate,
    output: usage?.outputTokens.total ?? estimateTokens(streamedText),
  };
}

/**
 * Passes a model's stream through, and calls `settle` once when it ends, fails or is
 * cancelled, with the usage the model reported (if it got that far) and the text it streamed.
 */
function meterStream(
  stream: ReadableStream<LanguageModelV4StreamPart>,
  settle: (usage: LanguageModelV4Usage | undefined, text: string) => Promise<void>,
): ReadableStream<LanguageModelV4StreamPart> {
  const reader = stream.getReader();
  let usage: LanguageModelV4Usage | undefined;
  let text = "";
  let settled: Promise<void> | undefined;
  const done = () => (settled ??= settle(usage, text).catch(() => undefined));
  return new ReadableStream<LanguageModelV4StreamPart>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        await done();
        controller.error(error);
        return;
      }
      if (next.done) {
        await done();
        controller.close();
        return;
      }
      const part = next.value;
      if (part.type === "finish") usage = part.usage;
      else if (part.type === "text-delta" || part.type === "reasoning-delta") text += part.delta;
      else if (part.type === "tool-input-delta") text += part.delta;
      controller.enqueue(part);
    },
    async cancel(reason) {
      await done();
      await reader.cancel(reason);
    },
  });
}
