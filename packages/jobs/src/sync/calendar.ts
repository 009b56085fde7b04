import { sync, type Actor } from "@omnicrm/core";
import {
  compileRules,
  normalizeCalendarEvent,
  SyncTokenGoneError,
  type CalendarEvent,
  type CompiledRules,
  type NormalizedSession,
} from "@omnicrm/google";
import { addSkips, nextRunAt, nowOf, openGoogle, type SyncDeps } from "./context.ts";

type CalendarPreferences = sync.CalendarPreferences;

export interface CalendarPlan {
  syncRunId: string;
  channelId: string;
  preferences: CalendarPreferences;
  googleEmail: string;
  /** The full-sync window (ISO). */
  timeMin: string;
  timeMax: string;
}

export interface CalendarPageResult {
  gone: boolean;
  nextPageToken: string | null;
  nextSyncToken: string | null;
  events: number;
  interactions: number;
  contactsCreated: number;
  cancelled: number;
  skipped: Record<string, number>;
  /** Contacts whose interactions this step added or changed (their insights may be stale). */
  contactIds: string[];
}

export async function beginCalendarRun(
  deps: SyncDeps,
  actor: Actor,
  input: { trigger: string; externalRunId: string },
): Promise<{ skip: string } | CalendarPlan> {
  const [channel, connection] = await Promise.all([
    sync.getChannel(deps.db, actor, "calendar"),
    sync.getConnectionSummary(deps.db, actor),
  ]);
  const blocked = sync.blockedReason(channel, connection);
  if (blocked) return { skip: blocked };
  const hasTokens =
    (await deps.db.calendarCursor.count({
      where: { channelId: channel.id, userId: actor.userId, syncToken: { not: null } },
    })) > 0;
  const run = await sync.startRun(deps.db, actor, {
    kind: "calendar",
    mode: hasTokens ? "incremental" : "full",
    trigger: input.trigger,
    externalRunId: input.externalRunId,
  });
  const preferences = channel.preferences as CalendarPreferences;
  const now = nowOf(deps).getTime();
  return {
    syncRunId: run.id,
    channelId: channel.id,
    preferences,
    googleEmail: connection!.googleEmail,
    timeMin: new Date(now - preferences.lookbackDays * 86_400_000).toISOString(),
    timeMax: new Date(now + preferences.lookaheadDays * 86_400_000).toISOString(),
  };
}

export function calendarRules(
  plan: Pick<CalendarPlan, "preferences" | "googleEmail">,
): CompiledRules {
  return compileRules({
    selfAddresses: [plan.googleEmail],
    neverLog: plan.preferences.neverLog,
    skipBulk: false,
    maxRecipients: plan.preferences.maxAttendees,
    includeBodies: false,
  });
}

export function sessionInteraction(session: NormalizedSession): sync.InteractionInput {
  return {
    kind: "session",
    externalId: session.externalId,
    subject: session.subject,
    snippet: session.snippet,
    occurredAt: session.occurredAt,
    endsAt: session.endsAt,
    status: session.status,
    location: session.location,
    participants: session.participants,
    people: session.people,
  };
}

const rawId = (calendarId: string, eventId: string) => `${calendarId}:${eventId}`;

/** The sync token this calendar continues from (null: a full sync of the window). */
export async function calendarCursor(
  deps: SyncDeps,
  actor: Actor,
  plan: CalendarPlan,
  calendarId: string,
): Promise<string | null> {
  return sync.calendarSyncToken(deps.db, actor, plan.channelId, calendarId);
}

/**
 * One page of a calendar: fetched, stored raw (a cancellation that carries only the event id
 * is folded into the stored event, so the session it cancels is found), normalized and
 * applied. A 410 wipes the calendar's state and answers `gone`: the caller starts it again
 * without a token.
 */
export async function syncCalendarPage(
  deps: SyncDeps,
  actor: Actor,
  plan: CalendarPlan,
  input: { calendarId: string; syncToken: string | null; pageToken: string | null },
): Promise<CalendarPageResult> {
  const google = await openGoogle(deps, actor);
  let page: Awaited<ReturnType<typeof google.calendar.events>>;
  try {
    page = await google.calendar.events({
      calendarId: input.calendarId,
      syncToken: input.syncToken,
      pageToken: input.pageToken,
      timeMin: new Date(plan.timeMin),
      timeMax: new Date(plan.timeMax),
    });
  } catch (error) {
    if (error instanceof SyncTokenGoneError) {
      await sync.wipeCalendarState(deps.db, actor, plan.channelId, input.calendarId);
      return {
        gone: true,
        nextPageToken: null,
        nextSyncToken: null,
        events: 0,
        interactions: 0,
        contactsCreated: 0,
        cancelled: 0,
        skipped: {},
        contactIds: [],
      };
    }
    throw error;
  } finally {
    await google.session.flush();
  }

  const events = page.events.filter((event): event is CalendarEvent & { id: string } =>
    Boolean(event.id),
  );
  const ids = events.map((event) => rawId(input.calendarId, event.id));
  const stored = new Map(
    (await sync.rawRecordsByIds(deps.db, actor, "calendar", ids)).map((row) => [
      row.externalId,
      row.payload as Record<string, unknown>,
    ]),
  );
  const records = events.map((event) => {
    const id = rawId(input.calendarId, event.id);
    const before = stored.get(id);
    const stub = event.status === "cancelled" && !event.start;
    const payload = stub && before ? { ...before, status: "cancelled" } : event;
    return { externalId: id, payload: { ...payload, _calendarId: input.calendarId } };
  });
  await sync.storeRawRecords(deps.db, actor, "calendar", records);

  const pending = await deps.db.rawProviderRecord.findMany({
    where: {
      userId: actor.userId,
      provider: "calendar",
      externalId: { in: ids },
      normalizedAt: null,
    },
    select: { externalId: true, payload: true },
  });
  const rules = calendarRules(plan);
  const sessions: sync.InteractionInput[] = [];
  const outcomes: { externalId: string; skipReason: string | null }[] = [];
  const skipped: Record<string, number> = {};
  let cancelled = 0;
  for (const record of pending) {
    const result = normalizeCalendarEvent(record.payload as CalendarEvent, input.calendarId, rules);
    if (result.ok) {
      if (result.value.status === "cancelled") cancelled += 1;
      sessions.push(sessionInteraction(result.value));
      outcomes.push({ externalId: record.externalId, skipReason: null });
    } else {
      addSkips(skipped, [result.reason]);
      outcomes.push({ externalId: record.externalId, skipReason: result.reason });
    }
  }
  const applied = await sync.applyInteractions(deps.db, actor, "calendar", sessions, {
    createContacts: true,
    now: nowOf(deps),
  });
  await sync.markNormalized(deps.db, actor, "calendar", outcomes);
  return {
    gone: false,
    nextPageToken: page.nextPageToken,
    nextSyncToken: page.nextSyncToken,
    events: events.length,
    interactions: applied.interactions,
    contactsCreated: applied.contactsCreated,
    cancelled,
    skipped,
    contactIds: applied.contactIds,
  };
}

export async function saveCalendarCursor(
  deps: SyncDeps,
  actor: Actor,
  plan: CalendarPlan,
  calendarId: string,
  syncToken: string | null,
): Promise<void> {
  await sync.saveCalendarSyncToken(deps.db, actor, plan.channelId, calendarId, syncToken);
}

export function calendarCounts(pages: CalendarPageResult[]): sync.SyncCounts {
  const skipped: Record<string, number> = {};
  let fetched = 0;
  let interactions = 0;
  let contactsCreated = 0;
  let cancelled = 0;
  for (const page of pages) {
    fetched += page.events;
    interactions += page.interactions;
    contactsCreated += page.contactsCreated;
    cancelled += page.cancelled;
    for (const [reason, n] of Object.entries(page.skipped))
      skipped[reason] = (skipped[reason] ?? 0) + n;
  }
  return { fetched, stored: fetched, interactions, contactsCreated, cancelled, skipped };
}

export async function finishCalendarRun(
  deps: SyncDeps,
  actor: Actor,
  plan: CalendarPlan,
  counts: sync.SyncCounts,
): Promise<void> {
  await sync.finishRun(deps.db, actor, plan.syncRunId, { counts, nextRunAt: nextRunAt(deps) });
}
