import { sync, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import {
  calendarDriver,
  gmailDriver,
  googleEnv,
  googleSession,
  GoogleReconnectNeededError,
  QuotaPacer,
  type KeyRing,
} from "@omnicrm/google";
import { jobsEnv } from "../env.ts";

/** What the sync steps need; tests pass their own database and faster backoff. */
export interface SyncDeps {
  db: Db;
  now?: () => Date;
  ring?: KeyRing;
  /** Overrides of the environment's quota (tests, benchmarks). */
  gmailUnitsPerMinute?: number;
  calendarRequestsPerMinute?: number;
  /** First retry delay of a failed Google call (ms). */
  minBackoffMs?: number;
  intervalMinutes?: number;
}

export const nowOf = (deps: SyncDeps) => (deps.now ? deps.now() : new Date());

export function nextRunAt(deps: SyncDeps): Date {
  const minutes = deps.intervalMinutes ?? jobsEnv().OMNICRM_SYNC_INTERVAL_MINUTES;
  return new Date(nowOf(deps).getTime() + minutes * 60_000);
}

/**
 * An authorized Google session and the two drivers, paced to the user's quota. Refreshed
 * tokens are stored by `flush` (the steps call it before returning).
 */
export async function openGoogle(deps: SyncDeps, actor: Actor) {
  const env = googleEnv();
  const session = await googleSession(deps.db, actor, deps.ring);
  const gmailPacer = new QuotaPacer(
    deps.db,
    "gmail",
    deps.gmailUnitsPerMinute ?? env.GOOGLE_GMAIL_UNITS_PER_MINUTE,
  );
  const calendarPacer = new QuotaPacer(
    deps.db,
    "calendar",
    deps.calendarRequestsPerMinute ?? env.GOOGLE_CALENDAR_REQUESTS_PER_MINUTE,
  );
  const common = {
    auth: session.auth,
    rootUrl: env.GOOGLE_API_ROOT,
    timeoutMs: env.GOOGLE_TIMEOUT_MS,
    minBackoffMs: deps.minBackoffMs,
  };
  const onDeadGrant = (error: GoogleReconnectNeededError) =>
    sync.markReconnectNeeded(deps.db, actor, error.message);
  return {
    session,
    gmail: stopsOnDeadGrant(
      gmailDriver({ ...common, spend: (units) => gmailPacer.spend(actor.userId, units) }),
      onDeadGrant,
    ),
    calendar: stopsOnDeadGrant(
      calendarDriver({ ...common, spend: () => calendarPacer.spend(actor.userId, 1) }),
      onDeadGrant,
    ),
  };
}

/**
 * The grant can die during a call too (the access token is refused, and refreshing it answers
 * invalid_grant), not only when the session opens: the connection is then marked "reconnect
 * needed" the same way, so every channel stops until the user reconnects.
 */
function stopsOnDeadGrant<D extends object>(
  driver: D,
  onDeadGrant: (error: GoogleReconnectNeededError) => Promise<void>,
): D {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(driver)) {
    if (typeof value !== "function") {
      guarded[name] = value;
      continue;
    }
    const call = value as (...args: unknown[]) => Promise<unknown>;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof GoogleReconnectNeededError) await onDeadGrant(error);
        throw error;
      }
    };
  }
  return guarded as D;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Adds skip counts by reason. */
export function addSkips(
  into: Record<string, number>,
  reasons: Iterable<string>,
): Record<string, number> {
  for (const reason of reasons) into[reason] = (into[reason] ?? 0) + 1;
  return into;
}
