import type { Db } from "@omnicrm/db";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Paces one user's calls to Google's per-user quota, wherever the steps run: the windows
 * live in PostgreSQL (rate_limits), shared by every process.
 *
 * Google counts units over a sliding minute. One-second windows of floor(quota / 61) units
 * can never exceed the quota in any 60 seconds (a sliding minute overlaps at most 61 of
 * them), and still use 98% of it.
 */
export class QuotaPacer {
  private readonly limiter: RateLimiterPrisma;
  readonly unitsPerSecond: number;

  constructor(
    db: Db,
    readonly name: string,
    readonly unitsPerMinute: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.unitsPerSecond = Math.max(1, Math.floor(unitsPerMinute / 61));
    this.limiter = new RateLimiterPrisma({
      storeClient: db,
      tableName: "rateLimit",
      keyPrefix: `google:${name}`,
      points: this.unitsPerSecond,
      duration: 1,
      clearExpiredByTimeout: false,
    });
  }

  /** Waits until `units` can be spent for this user now, then spends them. */
  async spend(userId: string, units: number): Promise<void> {
    const cost = Math.min(units, this.unitsPerSecond);
    for (;;) {
      try {
        await this.limiter.consume(userId, cost);
        return;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        await this.sleep(Math.max(5, error.msBeforeNext));
      }
    }
  }
}

/** Gmail's costs per call (quota units). */
export const gmailCost = {
  "messages.list": 5,
  "messages.get": 5,
  "history.list": 2,
  "labels.list": 1,
  getProfile: 1,
} as const;
