import { z } from "zod";
import type { Clock } from "./clock.ts";
import type { Api } from "./router.ts";

export const QuotaConfigSchema = z.object({
  /** Off by default; on, over-quota calls get 429 rateLimitExceeded with Retry-After. */
  enabled: z.boolean().default(false),
  /** Gmail quota units per user per window (messages.get/list cost 5, history.list 2, ...). */
  gmailUnitsPerUserPerMinute: z.number().int().positive().default(15_000),
  /** Calendar requests per user per window. */
  calendarRequestsPerUserPerMinute: z.number().int().positive().default(600),
  /** The sliding window's length. */
  windowMs: z.number().int().positive().default(60_000),
});

export type QuotaConfig = z.output<typeof QuotaConfigSchema>;
export type QuotaConfigInput = z.input<typeof QuotaConfigSchema>;

export type QuotaDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * An exact sliding-window log: a call is admitted only if the units admitted in the window
 * (t - windowMs, t] plus its own cost stay within the limit, so no window of that length ever
 * holds more than the limit. Rejected calls consume nothing.
 */
class WindowLog {
  private times: number[] = [];
  private units: number[] = [];
  private head = 0;
  private total = 0;

  private prune(now: number, windowMs: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - windowMs) {
      this.total -= this.units[this.head] ?? 0;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.units = this.units.slice(this.head);
      this.head = 0;
    }
  }

  used(now: number, windowMs: number): number {
    this.prune(now, windowMs);
    return this.total;
  }

  consume(now: number, cost: number, limit: number, windowMs: number): QuotaDecision {
    this.prune(now, windowMs);
    if (this.total + cost <= limit) {
      this.times.push(now);
      this.units.push(cost);
      this.total += cost;
      return { ok: true };
    }
    if (cost > limit) return { ok: false, retryAfterMs: windowMs };
    // the earliest moment enough old calls have left the window
    let freed = 0;
    const needed = this.total + cost - limit;
    for (let i = this.head; i < this.times.length; i++) {
      freed += this.units[i] ?? 0;
      if (freed >= needed)
        return { ok: false, retryAfterMs: Math.max(1, (this.times[i] ?? now) + windowMs - now) };
    }
    return { ok: false, retryAfterMs: windowMs };
  }
}

/** Per-user (per access token's account) quota for Gmail units and Calendar requests. */
export class QuotaTracker {
  private current: QuotaConfig;
  private logs = new Map<string, WindowLog>();

  constructor(
    config: QuotaConfigInput = {},
    private readonly clock: Clock = Date.now,
  ) {
    this.current = QuotaConfigSchema.parse(config);
  }

  get config(): Readonly<QuotaConfig> {
    return this.current;
  }

  /** Changes the limits at runtime (usage so far is kept). */
  configure(change: Partial<QuotaConfigInput>): void {
    this.current = QuotaConfigSchema.parse({ ...this.current, ...change });
  }

  private log(email: string, api: Api): WindowLog {
    const key = `${api}:${email.toLowerCase()}`;
    let log = this.logs.get(key);
    if (!log) {
      log = new WindowLog();
      this.logs.set(key, log);
    }
    return log;
  }

  limit(api: Api): number {
    return api === "gmail"
      ? this.current.gmailUnitsPerUserPerMinute
      : this.current.calendarRequestsPerUserPerMinute;
  }

  /** Charges a call; when over quota nothing is charged and the wait is returned. */
  consume(email: string, api: Api, cost: number, now: number): QuotaDecision {
    if (!this.current.enabled) return { ok: true };
    return this.log(email, api).consume(now, cost, this.limit(api), this.current.windowMs);
  }

  /** Units (Gmail) or requests (Calendar) charged to a user in the window ending now. */
  usage(email: string): { gmail: number; calendar: number } {
    const now = this.clock();
    return {
      gmail: this.log(email, "gmail").used(now, this.current.windowMs),
      calendar: this.log(email, "calendar").used(now, this.current.windowMs),
    };
  }

  reset(): void {
    this.logs.clear();
  }
}
