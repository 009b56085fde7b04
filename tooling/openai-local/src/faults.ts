import { z } from "zod";
import type { Api } from "./types.ts";

export const FaultSchema = z.discriminatedUnion("type", [
  /** An HTTP error with OpenAI's error body (any 4xx/5xx; 429 adds Retry-After). */
  z.object({
    type: z.literal("error"),
    status: z.number().int().min(400).max(599),
    message: z.string().optional(),
    code: z.string().optional(),
  }),
  /** 429 with `Retry-After` (seconds, rounded up) and `retry-after-ms`. */
  z.object({
    type: z.literal("rateLimit"),
    retryAfterMs: z.number().int().min(0).default(1000),
  }),
  /**
   * A stream that fails after `afterDeltas` content deltas: an error event in the stream
   * (default), or with `drop: true` the connection is cut. A non-streaming request gets a 500.
   */
  z.object({
    type: z.literal("streamError"),
    afterDeltas: z.number().int().min(0).default(1),
    message: z.string().default("The server had an error while processing your request."),
    drop: z.boolean().default(false),
  }),
  /** Never answer (hold until the client gives up); with `ms`, cut the connection after ms. */
  z.object({ type: z.literal("timeout"), ms: z.number().int().positive().optional() }),
  /** Answer normally after `ms` extra milliseconds. */
  z.object({ type: z.literal("delay"), ms: z.number().int().min(0) }),
]);

export type Fault = z.output<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

export const FaultRuleSchema = z.object({
  fault: FaultSchema,
  /** Which API it applies to (default: every model API — responses, chat.completions, embeddings). */
  api: z.enum(["responses", "chat.completions", "embeddings", "models", "*"]).default("*"),
  /** How many matching requests it hits (default 1). */
  times: z.number().int().positive().default(1),
  /** Let this many matching requests through first. */
  skip: z.number().int().min(0).default(0),
});

export type FaultRuleInput = z.input<typeof FaultRuleSchema>;
export interface FaultRuleState {
  fault: Fault;
  api: Api | "*";
  remaining: number;
  skip: number;
}

/** Scripted faults: rules are consumed in order, each for `times` matching requests. */
export class FaultInjector {
  private rules: FaultRuleState[] = [];

  constructor(rules: readonly FaultRuleInput[] = []) {
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule; returns its live state. */
  add(input: FaultRuleInput): FaultRuleState {
    const rule = FaultRuleSchema.parse(input);
    const state: FaultRuleState = {
      fault: rule.fault,
      api: rule.api,
      remaining: rule.times,
      skip: rule.skip,
    };
    this.rules.push(state);
    return state;
  }

  /** Shorthand: the next `times` requests (to `api`, default any model API) get `fault`. */
  next(fault: FaultInput, options: { api?: Api; times?: number } = {}): FaultRuleState {
    return this.add({ fault, api: options.api ?? "*", times: options.times ?? 1 });
  }

  /** The fault for this request, if any (consumes it). */
  pick(api: Api): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.api === "*" ? api === "models" : rule.api !== api) continue;
      if (rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      rule.remaining -= 1;
      this.rules = this.rules.filter((r) => r.remaining > 0);
      return rule.fault;
    }
    return undefined;
  }

  /** Rules not used up yet. */
  get pending(): readonly FaultRuleState[] {
    return this.rules.filter((r) => r.remaining > 0);
  }

  clear(): void {
    this.rules = [];
  }
}
