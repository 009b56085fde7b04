import { sync } from "@omnicrm/core";
import {
  GoogleRateLimitError,
  GoogleReconnectNeededError,
  GoogleRequestError,
} from "@omnicrm/google";
import { NonRetriableError, RetryAfterError } from "inngest";
import type { SyncDeps } from "../sync/context.ts";

/**
 * Turns what Google said into what Inngest should do: wait (rate limit), stop for good (the
 * grant died, a refused request), or retry with backoff (anything else).
 */
export function forInngest(error: unknown): never {
  if (error instanceof GoogleReconnectNeededError || error instanceof GoogleRequestError) {
    throw new NonRetriableError(error.message, { cause: error });
  }
  if (error instanceof GoogleRateLimitError) {
    throw new RetryAfterError(error.message, error.retryAfterMs ?? 30_000, { cause: error });
  }
  throw error;
}

/** Runs a step's work, turning Google's errors into what Inngest should do. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    forInngest(error);
  }
}

/**
 * The onFailure handlers' work: the run and the channel say what went wrong, in words (unless
 * the grant died: that was already said, in better words).
 */
export async function recordFailure(
  deps: SyncDeps,
  kind: sync.SyncChannelKind,
  userId: string,
  message: string,
): Promise<void> {
  const actor = { userId };
  const connection = await sync.getConnectionSummary(deps.db, actor);
  if (connection?.status === "reconnect_needed") return;
  await sync.failRun(deps.db, actor, { kind, message: userFacing(message) });
}

/** Inngest's final error message, shortened; internal details stay in the Inngest dashboard. */
export function userFacing(message: string): string {
  // A retriable error's own promise ("retrying", "goes on") no longer holds: the run stopped.
  const first = message
    .split("\n")[0]!
    .trim()
    .replace(/; (?:retrying|the sync waits and goes on)\.$/, ".");
  return first.length > 0 && first.length < 300
    ? `The sync stopped: ${first}`
    : "The sync stopped after several attempts; it will try again at the next scheduled run.";
}

/**
 * What every channel's sync function shares: one run per user at a time (the quota pacer
 * spaces the calls inside it), Inngest's retries, and the failure recorded on the channel.
 */
export function channelSyncOptions(kind: sync.SyncChannelKind, deps: () => SyncDeps) {
  return {
    concurrency: [{ key: "event.data.userId", limit: 1 }] as [{ key: string; limit: number }],
    retries: 6 as const,
    onFailure: async ({ event, error }: { event: { data: { event: unknown } }; error: Error }) => {
      const { userId } = (event.data.event as { data: { userId: string } }).data;
      await recordFailure(deps(), kind, userId, error.message);
    },
  };
}
