import { z } from "zod";
import { Prng, type Seed } from "./prng.ts";

export const SeedSchema = z.union([z.string(), z.number()]);

export const FaultSchema = z.discriminatedUnion("type", [
  /** An error status with Google's body for it (5xx: backendError). */
  z.object({ type: z.literal("error"), status: z.number().int().min(400).max(599) }),
  /** 429 rateLimitExceeded with a Retry-After header. */
  z.object({ type: z.literal("rateLimit"), retryAfterSeconds: z.number().int().min(1).default(1) }),
  /** Never answer: hold the connection until the client gives up (or, with `ms`, drop it then). */
  z.object({ type: z.literal("timeout"), ms: z.number().int().positive().optional() }),
  /** Answer normally, but only after `ms`. */
  z.object({ type: z.literal("delay"), ms: z.number().int().min(0) }),
  /** Drop the connection without a response (ECONNRESET at the client). */
  z.object({ type: z.literal("reset") }),
  /** history.list: 404 as for a startHistoryId that is too old. */
  z.object({ type: z.literal("historyExpired") }),
  /** events.list: 410 fullSyncRequired. */
  z.object({ type: z.literal("syncTokenExpired") }),
  /** Token endpoint: 400 invalid_grant. */
  z.object({ type: z.literal("invalidGrant") }),
]);

export type Fault = z.output<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

export const FaultRuleSchema = z.object({
  /** Endpoint names (see ENDPOINTS) or globs ending in "*", e.g. "gmail.*". Default: every endpoint. */
  endpoint: z.union([z.string(), z.array(z.string())]).default("*"),
  /** Only calls made with this account's token. */
  account: z.string().optional(),
  fault: FaultSchema,
  /** Fire on each matching call with this probability (seeded PRNG). Omitted: fire on every matching call. */
  probability: z.number().min(0).max(1).optional(),
  /** Stop after firing this many times. "The next 3 calls fail" is `{ times: 3 }`. */
  times: z.number().int().positive().optional(),
  /** Let this many matching calls through before the rule applies. */
  skip: z.number().int().min(0).default(0),
});

export type FaultRule = z.output<typeof FaultRuleSchema>;
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

export const FaultConfigSchema = z.object({
  seed: SeedSchema.default(1),
  rules: z.array(FaultRuleSchema).default([]),
});

export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

interface ActiveRule {
  id: string;
  rule: FaultRule;
  seen: number;
  fired: number;
}

export interface FaultRuleState extends FaultRule {
  id: string;
  /** Matching calls seen so far. */
  seen: number;
  fired: number;
}

const matches = (pattern: string, endpoint: string): boolean =>
  pattern === "*" ||
  pattern === endpoint ||
  (pattern.endsWith("*") && endpoint.startsWith(pattern.slice(0, -1)));

/**
 * Decides, per call, whether to inject a fault. Deterministic: the same seed, rules and
 * sequence of calls give the same faults. Rules are checked in order; the first that fires wins.
 * Faults are applied before the handler runs, so a failed call never changes server state.
 */
export class FaultInjector {
  private prng: Prng;
  private active: ActiveRule[] = [];
  private nextId = 1;
  /** Faults injected so far. */
  injected = 0;

  constructor(config: FaultConfigInput = {}) {
    const parsed = FaultConfigSchema.parse(config);
    this.prng = new Prng(parsed.seed);
    for (const rule of parsed.rules) this.push(rule);
  }

  /** Replaces the seed and all rules. */
  configure(config: FaultConfigInput): void {
    const parsed = FaultConfigSchema.parse(config);
    this.prng = new Prng(parsed.seed);
    this.active = [];
    for (const rule of parsed.rules) this.push(rule);
  }

  reseed(seed: Seed): void {
    this.prng = new Prng(seed);
  }

  /** Adds a rule; returns its id (for remove). */
  add(rule: FaultRuleInput): string {
    return this.push(FaultRuleSchema.parse(rule));
  }

  /** "The next `times` calls to `endpoint` fail with `fault`." */
  script(endpoint: string | string[], fault: FaultInput, times = 1): string {
    return this.add({ endpoint, fault, times });
  }

  /** Each call to `endpoint` fails with `fault` with `probability` (seeded, deterministic). */
  random(endpoint: string | string[], probability: number, fault: FaultInput): string {
    return this.add({ endpoint, fault, probability });
  }

  remove(id: string): void {
    this.active = this.active.filter((r) => r.id !== id);
  }

  clear(): void {
    this.active = [];
  }

  rules(): FaultRuleState[] {
    return this.active.map((r) => ({ ...r.rule, id: r.id, seen: r.seen, fired: r.fired }));
  }

  /** The fault for this call, if any. */
  pick(endpoint: string, account?: string): Fault | undefined {
    let chosen: Fault | undefined;
    for (const entry of this.active) {
      const { rule } = entry;
      const patterns = Array.isArray(rule.endpoint) ? rule.endpoint : [rule.endpoint];
      if (!patterns.some((p) => matches(p, endpoint))) continue;
      if (rule.account && rule.account.toLowerCase() !== account?.toLowerCase()) continue;
      if (rule.times !== undefined && entry.fired >= rule.times) continue;
      entry.seen += 1;
      if (entry.seen <= rule.skip) continue;
      // every probabilistic rule that sees the call draws, so outcomes depend only on the call sequence
      const fires = rule.probability === undefined ? true : this.prng.next() < rule.probability;
      if (fires && !chosen) {
        entry.fired += 1;
        chosen = rule.fault;
      }
    }
    if (chosen) this.injected += 1;
    this.active = this.active.filter((r) => r.rule.times === undefined || r.fired < r.rule.times);
    return chosen;
  }

  private push(rule: FaultRule): string {
    const id = `fault-${this.nextId++}`;
    this.active.push({ id, rule, seen: 0, fired: 0 });
    return id;
  }
}
