import { RateLimitedError } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { aiEnv } from "./env.ts";

/** Per-user limits on AI use. */
export interface AiLimits {
  requestsPerMinute: number;
  /** Background jobs (embeddings, insight refreshes) have their own window, so they never use up the minute of someone chatting. */
  backgroundRequestsPerMinute: number;
  dailyTokens: number;
  monthlyTokens: number;
  dailyCostUsd: number;
  monthlyCostUsd: number;
}

/** USD per million tokens. */
export interface AiPrices {
  inputPerMTok: number;
  outputPerMTok: number;
  embeddingPerMTok: number;
}

export function limitsFromEnv(env = aiEnv()): AiLimits {
  return {
    requestsPerMinute: env.OMNICRM_AI_REQUESTS_PER_MINUTE,
    backgroundRequestsPerMinute: env.OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE,
    dailyTokens: env.OMNICRM_AI_DAILY_TOKENS,
    monthlyTokens: env.OMNICRM_AI_MONTHLY_TOKENS,
    dailyCostUsd: env.OMNICRM_AI_DAILY_COST_USD,
    monthlyCostUsd: env.OMNICRM_AI_MONTHLY_COST_USD,
  };
}

export function pricesFromEnv(env = aiEnv()): AiPrices {
  return {
    inputPerMTok: env.OMNICRM_AI_PRICE_INPUT_PER_MTOK,
    outputPerMTok: env.OMNICRM_AI_PRICE_OUTPUT_PER_MTOK,
    embeddingPerMTok: env.OMNICRM_AI_PRICE_EMBEDDING_PER_MTOK,
  };
}

export type BudgetScope = "minute" | "day" | "month";

/** A user reached one of their AI limits; the message says which and when it lifts. */
export class BudgetExceededError extends RateLimitedError {
  constructor(
    message: string,
    retryAfterSeconds: number,
    readonly scope: BudgetScope,
  ) {
    super(message, retryAfterSeconds);
  }
}

export type UsageKind = "chat" | "embedding";

export interface UsageInput {
  userId: string;
  /** chat | insights | embeddings | ... */
  feature: string;
  model: string;
  inputTokens: number;
  outputTokens?: number;
  /** How the tokens are priced; defaults to "embedding" for the "embeddings" feature. */
  kind?: UsageKind;
  /** When it happened (tests); defaults to now. */
  at?: Date;
}

/**
 * Cost in millionths of a dollar. A price per million tokens is exactly the price of one token
 * in micro-dollars. Embeddings are priced by their input tokens alone.
 */
export function costMicros(
  usage: { inputTokens: number; outputTokens?: number; kind?: UsageKind },
  prices: AiPrices,
): bigint {
  const input = Math.max(0, usage.inputTokens);
  const output = Math.max(0, usage.outputTokens ?? 0);
  const micros =
    usage.kind === "embedding"
      ? input * prices.embeddingPerMTok
      : input * prices.inputPerMTok + output * prices.outputPerMTok;
  return BigInt(Math.round(micros));
}

/** Records one model call's tokens and cost, after the call. */
export async function recordUsage(
  db: Db,
  usage: UsageInput,
  prices: AiPrices = pricesFromEnv(),
): Promise<{ costMicros: bigint }> {
  const kind = usage.kind ?? (usage.feature === "embeddings" ? "embedding" : "chat");
  const inputTokens = Math.max(0, Math.round(usage.inputTokens));
  const outputTokens = Math.max(0, Math.round(usage.outputTokens ?? 0));
  const cost = costMicros({ inputTokens, outputTokens, kind }, prices);
  await db.aiUsage.create({
    data: {
      userId: usage.userId,
      feature: usage.feature,
      model: usage.model,
      inputTokens,
      outputTokens,
      costMicros: cost,
      ...(usage.at ? { createdAt: usage.at } : {}),
    },
  });
  return { costMicros: cost };
}

export interface PeriodUsage {
  tokens: number;
  costMicros: bigint;
  costUsd: number;
  tokenBudget: number;
  costBudgetUsd: number;
  remainingTokens: number;
  remainingCostUsd: number;
  /** When this period's budget starts over (midnight UTC). */
  resetsAt: Date;
}

export interface UsageSummary {
  today: PeriodUsage;
  month: PeriodUsage;
  requestsPerMinute: number;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function periodUsage(
  tokens: number,
  micros: bigint,
  tokenBudget: number,
  costBudgetUsd: number,
  resetsAt: Date,
): PeriodUsage {
  const costUsd = Number(micros) / 1_000_000;
  return {
    tokens,
    costMicros: micros,
    costUsd,
    tokenBudget,
    costBudgetUsd,
    remainingTokens: Math.max(0, tokenBudget - tokens),
    remainingCostUsd: Math.max(0, Math.round((costBudgetUsd - costUsd) * 1_000_000) / 1_000_000),
    resetsAt,
  };
}

/** Today's and this month's (UTC) use, the budgets and what remains: for the settings page. */
export async function usageSummary(
  db: Db,
  userId: string,
  now: Date = new Date(),
  limits: AiLimits = limitsFromEnv(),
): Promise<UsageSummary> {
  const day = startOfUtcDay(now);
  const nextDay = new Date(day.getTime() + 86_400_000);
  const month = startOfUtcMonth(now);
  const nextMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
  // Both periods in one pass over the month's rows: this runs before every model call.
  const [sums] = await db.$queryRaw<
    { day_tokens: bigint; day_micros: bigint; month_tokens: bigint; month_micros: bigint }[]
  >`
    SELECT
      coalesce(sum(input_tokens + output_tokens) FILTER (WHERE created_at >= ${day} AND created_at < ${nextDay}), 0)::bigint AS day_tokens,
      coalesce(sum(cost_micros) FILTER (WHERE created_at >= ${day} AND created_at < ${nextDay}), 0)::bigint AS day_micros,
      coalesce(sum(input_tokens + output_tokens), 0)::bigint AS month_tokens,
      coalesce(sum(cost_micros), 0)::bigint AS month_micros
    FROM ai_usage
    WHERE user_id = ${userId}::uuid AND created_at >= ${month} AND created_at < ${nextMonth}`;
  return {
    today: periodUsage(
      Number(sums?.day_tokens ?? 0n),
      sums?.day_micros ?? 0n,
      limits.dailyTokens,
      limits.dailyCostUsd,
      nextDay,
    ),
    month: periodUsage(
      Number(sums?.month_tokens ?? 0n),
      sums?.month_micros ?? 0n,
      limits.monthlyTokens,
      limits.monthlyCostUsd,
      nextMonth,
    ),
    requestsPerMinute: limits.requestsPerMinute,
  };
}

const tokensFormat = new Intl.NumberFormat("en-US");
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

function secondsUntil(when: Date, now: Date): number {
  return Math.max(1, Math.ceil((when.getTime() - now.getTime()) / 1000));
}

const limiters = new WeakMap<Db, Map<string, RateLimiterPrisma>>();

function minuteLimiter(db: Db, keyPrefix: "ai" | "ai-background", points: number) {
  let byKey = limiters.get(db);
  if (!byKey) limiters.set(db, (byKey = new Map<string, RateLimiterPrisma>()));
  let limiter = byKey.get(`${keyPrefix}:${points}`);
  if (!limiter) {
    limiter = new RateLimiterPrisma({
      storeClient: db,
      tableName: "rateLimit",
      keyPrefix,
      points,
      duration: 60,
      clearExpiredByTimeout: false,
    });
    byKey.set(`${keyPrefix}:${points}`, limiter);
  }
  return limiter;
}

/**
 * Call BEFORE every model call. Refuses with a BudgetExceededError when the user has used
 * today's or this month's tokens or money (UTC), or made too many AI requests this minute;
 * otherwise counts this request against the minute and returns the use so far.
 *
 * The budgets are checked first, so a refused request does not use up the minute's requests.
 * Background calls count against their own per-minute window.
 */
export async function checkBudget(
  db: Db,
  userId: string,
  now: Date = new Date(),
  limits: AiLimits = limitsFromEnv(),
  { background = false }: { background?: boolean } = {},
): Promise<UsageSummary> {
  const limiter = background
    ? minuteLimiter(db, "ai-background", limits.backgroundRequestsPerMinute)
    : minuteLimiter(db, "ai", limits.requestsPerMinute);
  // The sums and the minute's count are read together (one round trip instead of two, before
  // every model call); a request the budget refuses gets its minute's point back.
  const [summary, minute] = await Promise.all([
    usageSummary(db, userId, now, limits),
    limiter.consume(userId, 1).then(
      () => null,
      (error: unknown) => {
        if (error instanceof RateLimiterRes) return error;
        throw error;
      },
    ),
  ]);
  const { today, month } = summary;
  for (const [period, usage] of [
    ["day", today],
    ["month", month],
  ] as const) {
    const which = period === "day" ? "today's" : "this month's";
    const when = period === "day" ? "at midnight UTC" : "on the 1st of next month (UTC)";
    const retry = secondsUntil(usage.resetsAt, now);
    let refusal: BudgetExceededError | null = null;
    if (usage.tokens >= usage.tokenBudget) {
      refusal = new BudgetExceededError(
        `You have used ${which} AI budget (${tokensFormat.format(usage.tokenBudget)} tokens); it resets ${when}.`,
        retry,
        period,
      );
    } else if (usage.costUsd >= usage.costBudgetUsd) {
      refusal = new BudgetExceededError(
        `You have used ${which} AI budget (${usdFormat.format(usage.costBudgetUsd)}); it resets ${when}.`,
        retry,
        period,
      );
    }
    if (refusal) {
      if (!minute) await limiter.reward(userId, 1).catch(() => undefined);
      throw refusal;
    }
  }
  if (minute) {
    const seconds = Math.max(1, Math.ceil(minute.msBeforeNext / 1000));
    throw new BudgetExceededError(
      `Too many AI requests this minute; try again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
      seconds,
      "minute",
    );
  }
  return summary;
}
