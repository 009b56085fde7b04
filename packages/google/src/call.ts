import pRetry, { AbortError } from "p-retry";
import { classifyGoogleError, GoogleRateLimitError, type GoogleError } from "./errors.ts";

export interface CallOptions {
  /** Names the call in messages ("listing messages"). */
  what: string;
  /** Spends quota before each attempt (failed attempts cost quota at Google too). */
  spend?: () => Promise<void>;
  context?: { historyList?: boolean; syncToken?: boolean };
  /** Attempts after the first for rate limits and transient failures. */
  retries?: number;
  /** First backoff in ms (doubles, randomized). */
  minBackoffMs?: number;
}

/**
 * One Google call with its own retries: rate limits and transient failures (5xx, timeouts)
 * are retried with exponential backoff (or after the Retry-After Google gave), so one flaky
 * call does not fail a whole step; anything else, or running out of attempts, throws the
 * classified GoogleError for the step to handle (Inngest then retries the step, or not).
 */
export async function callGoogle<T>(run: () => Promise<T>, options: CallOptions): Promise<T> {
  let lastRetryAfter: number | null = null;
  try {
    return await pRetry(
      async () => {
        await options.spend?.();
        if (lastRetryAfter) await new Promise((resolve) => setTimeout(resolve, lastRetryAfter!));
        lastRetryAfter = null;
        try {
          return await run();
        } catch (error) {
          const classified = classifyGoogleError(error, options.what, options.context);
          if (!classified.retriable) throw new AbortError(classified);
          if (classified instanceof GoogleRateLimitError) {
            lastRetryAfter = classified.retryAfterMs;
          }
          throw classified;
        }
      },
      {
        retries: options.retries ?? 5,
        minTimeout: options.minBackoffMs ?? 200,
        maxTimeout: 10_000,
        factor: 2,
        randomize: true,
      },
    );
  } catch (error) {
    throw classifyGoogleError(
      error instanceof AbortError ? error.originalError : error,
      options.what,
      options.context,
    ) satisfies GoogleError;
  }
}
