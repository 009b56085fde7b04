/**
 * What the sync integration tests share: a local Google (OAuth, Gmail, Calendar) on a manual
 * clock, a migrated test database, packages/google's environment pointed at the local server,
 * users connected through the real OAuth flow, and a runner that executes an Inngest function
 * the way Inngest would (a fresh engine per execution, failed steps retried with the earlier
 * steps memoized; events sent with step.sendEvent are kept, not sent). Not exported from the
 * package: tests only.
 */
import { sync, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { finishConnect, localGoogleEnv, overrideGoogleEnv, startConnect } from "@omnicrm/google";
import {
  createManualClock,
  startLocalGoogle,
  type LocalGoogle,
  type LocalGoogleOptions,
  type ManualClock,
  type StoredMessage,
} from "@omnicrm/google-local";
import { InngestTestEngine, mockCtx } from "@inngest/test";
import type { SyncDeps } from "../sync/context.ts";

/** A weekday afternoon, far from midnight UTC (Gmail's `after:` works in whole UTC days). */
export const CLOCK_START = Date.UTC(2026, 2, 11, 15, 0, 0);
export const REDIRECT_URI = "http://127.0.0.1:3000/api/google/callback";

export interface Harness {
  google: LocalGoogle;
  clock: ManualClock;
  testDb: TestDatabase;
  db: Db;
  /** What the functions get: this database, the local clock, fast backoff, a large quota. */
  deps: SyncDeps;
  /**
   * GOOGLE_TIMEOUT_MS from now on: how long a call may hang (an injected timeout) before it
   * is abandoned and retried. Connect first: the token exchange is not retried once its code
   * is spent.
   */
  setGoogleTimeout(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts the local Google on a manual clock and a fresh database, and points packages/google
 * at the server. Call in beforeAll; `close()` in afterAll.
 */
export async function startHarness(
  options: {
    google?: Omit<LocalGoogleOptions, "clock">;
    deps?: Partial<Omit<SyncDeps, "db">>;
  } = {},
): Promise<Harness> {
  const clock = createManualClock(CLOCK_START);
  const [google, testDb] = await Promise.all([
    startLocalGoogle({ seed: 7, ...options.google, clock }),
    createTestDatabase(),
  ]);
  const restoreEnv = overrideGoogleEnv({
    ...localGoogleEnv({ oauth: google.oauth, apiRoot: google.gmailRootUrl }),
    GOOGLE_TIMEOUT_MS: "5000",
  });
  const deps: SyncDeps = {
    db: testDb.db,
    now: () => new Date(clock()),
    minBackoffMs: 5,
    gmailUnitsPerMinute: 1_000_000,
    calendarRequestsPerMinute: 100_000,
    intervalMinutes: 15,
    ...options.deps,
  };
  return {
    google,
    clock,
    testDb,
    db: testDb.db,
    deps,
    // Put back with the rest by restoreEnv (the value it saved is the one before the harness).
    setGoogleTimeout: (ms) => void overrideGoogleEnv({ GOOGLE_TIMEOUT_MS: String(ms) }),
    close: async () => {
      await Promise.all([google.close(), testDb.drop()]);
      restoreEnv();
    },
  };
}

export async function makeUser(db: Db, email: string): Promise<Actor> {
  const user = await db.user.create({ data: { email } });
  return { userId: user.id };
}

/**
 * "Connect Google" as the user does it: the app's authorization URL is followed (the local
 * consent screen approves at once, signed in as `googleAccount`, and redirects with a code),
 * and the callback finishes the connection.
 */
export async function connectGoogle(
  h: Harness,
  actor: Actor,
  googleAccount?: string,
): Promise<{ googleEmail: string; returnTo: string }> {
  h.google.oauth.setConsent(googleAccount ? { loginAs: googleAccount } : {});
  const { url } = await startConnect(h.db, actor, { redirectUri: REDIRECT_URI });
  const consent = await fetch(url, { redirect: "manual" });
  if (consent.status !== 302) {
    throw new Error(`The consent screen answered ${consent.status}: ${await consent.text()}`);
  }
  const back = new URL(consent.headers.get("location")!);
  return finishConnect(h.db, actor, {
    redirectUri: REDIRECT_URI,
    state: back.searchParams.get("state")!,
    code: back.searchParams.get("code"),
    error: back.searchParams.get("error"),
  });
}

let accounts = 0;

/**
 * A user of OmniCRM with a Google account of their own (its own generated mailbox and
 * calendars), connected through the OAuth flow, with preferences chosen and both channels
 * approved.
 */
export async function connectedUser(
  h: Harness,
  options: {
    gmail?: Partial<sync.GmailPreferences>;
    calendar?: Partial<sync.CalendarPreferences>;
    messages?: number;
    events?: number;
    /** Seeds the account's generated mail and calendars (default: one per account). */
    seed?: string;
  } = {},
): Promise<{ actor: Actor; googleEmail: string }> {
  accounts += 1;
  const googleEmail = `owner${accounts}@practice${accounts}.example`;
  h.google.accounts.add({
    email: googleEmail,
    name: `Owner ${accounts}`,
    seed: options.seed ?? `account-${accounts}`,
    ...(options.messages !== undefined ? { messages: options.messages } : {}),
    ...(options.events !== undefined ? { events: options.events } : {}),
  });
  const actor = await makeUser(h.db, `user${accounts}@omnicrm.test`);
  const connected = await connectGoogle(h, actor, googleEmail);
  await sync.updatePreferences(h.db, actor, {
    kind: "gmail",
    preferences: { labelIds: ["INBOX"], ...options.gmail },
  });
  await sync.updatePreferences(h.db, actor, {
    kind: "calendar",
    preferences: { ...options.calendar },
  });
  // As the sync page does: a preview of these preferences, then the approval.
  for (const kind of ["gmail", "calendar"] as const) {
    await sync.markPreviewed(h.db, actor, { kind });
    await sync.approveChannel(h.db, actor, { kind });
  }
  return { actor, googleEmail: connected.googleEmail };
}

type SyncFunction = ConstructorParameters<typeof InngestTestEngine>[0]["function"];

export interface RunOutcome<T = Record<string, unknown>> {
  /** The function's return value when it succeeded. */
  result?: T;
  /** The last error when it did not (a non-retriable one, or attempts ran out). */
  error?: { name?: string; message: string };
  /** Executions it took (1 when nothing failed). */
  attempts: number;
  /** The errors of the failed executions, in order. */
  errors: { name?: string; message: string }[];
  /** The events the run sent with step.sendEvent (captured, never sent), over all attempts. */
  sent: SentEvent[];
}

export interface SentEvent {
  name: string;
  data: Record<string, unknown>;
  id?: string;
}

/**
 * Runs one event through a function as Inngest would: each execution is a new test engine;
 * when a step fails with a retriable error the function is executed again with the steps that
 * succeeded memoized (their outputs JSON round-tripped, as Inngest stores them), up to
 * `maxAttempts` executions. A non-retriable error stops at once. `retries: 0` runs it once.
 */
export async function runFunction<T = Record<string, unknown>>(
  fn: SyncFunction,
  event: { name: string; data: Record<string, unknown> },
  options: {
    maxAttempts?: number;
    /** Called before each retry (e.g. to let time pass, as Inngest's backoff does). */
    beforeRetry?: (error: { name?: string; message: string }) => void | Promise<void>;
  } = {},
): Promise<RunOutcome<T>> {
  const maxAttempts = options.maxAttempts ?? 1;
  const memo = new Map<string, unknown>();
  const errors: RunOutcome["errors"] = [];
  const sent: SentEvent[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const engine = new InngestTestEngine({
      function: fn,
      events: [event],
      steps: [...memo].map(([id, data]) => ({ id, handler: () => data })),
      transformCtx: (raw) => {
        const ctx = mockCtx(raw);
        const run = ctx.step.run.bind(ctx.step) as (
          id: string,
          work: () => Promise<unknown>,
        ) => Promise<unknown>;
        const remembering = (id: string, work: () => Promise<unknown>) =>
          run(id, async () => {
            const out = await work();
            memo.set(id, out === undefined ? undefined : JSON.parse(JSON.stringify(out)));
            return out;
          });
        // step.sendEvent as a memoized step that keeps the events instead of sending them.
        const sendEvent = (id: string, payload: SentEvent | SentEvent[]) =>
          remembering(id, () => {
            const events = Array.isArray(payload) ? payload : [payload];
            sent.push(
              ...events.map(({ name, data, id: eventId }) => ({ name, data, id: eventId })),
            );
            return Promise.resolve({ ids: events.map((e, i) => e.id ?? `${id}-${i}`) });
          });
        return { ...ctx, step: { ...ctx.step, run: remembering, sendEvent } } as typeof ctx;
      },
    });
    const output = await engine.execute();
    if (!output.error) return { result: output.result as T, attempts: attempt, errors, sent };
    const error = output.error as { name?: string; message?: string };
    const described = { name: error.name, message: error.message ?? JSON.stringify(error) };
    errors.push(described);
    if (described.name === "NonRetriableError" || attempt === maxAttempts) {
      return { error: described, attempts: attempt, errors, sent };
    }
    await options.beforeRetry?.(described);
  }
  throw new Error("unreachable");
}

export function syncEvent(kind: "gmail" | "calendar", actor: Actor, trigger = "manual") {
  return { name: `sync/${kind}.requested`, data: { userId: actor.userId, trigger } };
}

/** Row counts a user would notice change (or not). */
export async function rowCounts(db: Db, actor: Actor) {
  const where = { userId: actor.userId };
  const [interactions, links, timeline, contacts, raw, runs] = await Promise.all([
    db.interaction.count({ where }),
    db.interactionContact.count({ where }),
    db.timelineEvent.count({ where }),
    db.contact.count({ where }),
    db.rawProviderRecord.count({ where }),
    db.syncRun.count({ where }),
  ]);
  return { interactions, links, timeline, contacts, raw, runs };
}

/**
 * Duplicates a user would see: interactions per external id, timeline entries per (contact,
 * interaction), contacts per email address. All empty when nothing is duplicated.
 */
export async function duplicates(db: Db, actor: Actor) {
  const interactions = await db.$queryRaw<{ key: string; n: number }[]>`
    SELECT provider || ':' || external_id AS key, count(*)::int AS n FROM interactions
    WHERE user_id = ${actor.userId}::uuid GROUP BY 1 HAVING count(*) > 1`;
  const timeline = await db.$queryRaw<{ key: string; n: number }[]>`
    SELECT contact_id || ':' || interaction_id AS key, count(*)::int AS n FROM timeline_events
    WHERE user_id = ${actor.userId}::uuid AND interaction_id IS NOT NULL
    GROUP BY 1 HAVING count(*) > 1`;
  const contacts = await db.$queryRaw<{ key: string; n: number }[]>`
    SELECT lower(email) AS key, count(*)::int AS n FROM contacts
    WHERE user_id = ${actor.userId}::uuid AND deleted_at IS NULL AND email IS NOT NULL
    GROUP BY 1 HAVING count(*) > 1`;
  return { interactions, timeline, contacts };
}

/** The messages Gmail lists for a label since `lookbackDays` before `now` (UTC days). */
export function messagesInScope(
  messages: readonly StoredMessage[],
  labelId: string,
  lookbackDays: number,
  now: number,
): StoredMessage[] {
  const since = new Date(now - lookbackDays * 86_400_000);
  const day = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  return messages.filter(
    (m) =>
      m.labelIds.includes(labelId) &&
      !m.labelIds.includes("SPAM") &&
      !m.labelIds.includes("TRASH") &&
      m.internalDate >= day,
  );
}
