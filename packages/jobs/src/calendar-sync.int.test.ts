import { sync, type Actor } from "@omnicrm/core";
import {
  compileRules,
  normalizeCalendarEvent,
  type CalendarEvent,
  type NormalizedSession,
} from "@omnicrm/google";
import { instanceId } from "@omnicrm/google-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendarSync, recordCalendarFailure } from "./functions/calendar-sync.ts";
import { recordGmailFailure } from "./functions/gmail-sync.ts";
import {
  connectedUser,
  duplicates,
  rowCounts,
  runFunction,
  startHarness,
  syncEvent,
  type Harness,
} from "./testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface CalendarResult {
  fetched: number;
  interactions: number;
  contactsCreated: number;
  cancelled: number;
  skipped: Record<string, number>;
}

async function syncCalendar(actor: Actor) {
  return runFunction<CalendarResult>(
    createCalendarSync(() => h.deps),
    syncEvent("calendar", actor),
  );
}

const mara = { email: "mara.quinn@gmail.example", displayName: "Mara Quinn" };

describe("Calendar sync", () => {
  it("makes sessions with their attendees as contacts, follows cancellations, and resyncs when the token is gone", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    const store = h.google.calendar(googleEmail);
    const classes = store.calendars().find((c) => c.summary === "Studio Classes")!;
    await sync.updatePreferences(h.db, actor, {
      kind: "calendar",
      preferences: { calendarIds: ["primary", classes.id] },
    });
    const now = h.clock();
    const tomorrow = store.addEvent({
      summary: "Private session — Mara",
      start: { dateTime: now + DAY + 2 * HOUR },
      attendees: [{ ...mara, responseStatus: "accepted" }],
      location: "Studio A",
    });
    const nextWeek = store.addEvent({
      summary: "Follow-up — Mara",
      start: { dateTime: now + 7 * DAY },
      attendees: [{ ...mara, responseStatus: "needsAction" }],
    });
    const weekly = store.addEvent({
      summary: "Weekly check-in — Mara",
      start: { dateTime: now + 3 * DAY },
      recurrence: ["RRULE:FREQ=WEEKLY;COUNT=4"],
      attendees: [{ ...mara, responseStatus: "accepted" }],
    });
    const lastMonth = store.addEvent({
      summary: "Intake — Mara",
      start: { dateTime: now - 30 * DAY },
      attendees: [{ ...mara, responseStatus: "accepted" }],
    });
    h.google.stats.reset();

    // --- Full sync ---
    const full = await syncCalendar(actor);

    expect(full.error).toBeUndefined();
    const raw = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "calendar" },
      select: { externalId: true, payload: true, skipReason: true },
    });
    expect(raw.length).toBeGreaterThan(20);
    expect(raw.some((r) => r.externalId.startsWith(`${classes.id}:`))).toBe(true);
    const rules = compileRules({
      selfAddresses: [googleEmail],
      neverLog: [],
      skipBulk: false,
      maxRecipients: 20,
      includeBodies: false,
    });
    const sessions = new Map<string, NormalizedSession>();
    for (const record of raw) {
      const payload = record.payload as unknown as CalendarEvent & { _calendarId: string };
      const result = normalizeCalendarEvent(payload, payload._calendarId, rules);
      if (result.ok) sessions.set(result.value.externalId, result.value);
      expect(record.skipReason).toBe(result.ok ? null : result.reason);
    }
    // Group classes (no attendees) are skipped; client sessions are kept.
    expect(raw.some((r) => r.skipReason === "no_participants")).toBe(true);
    const interactions = await h.db.interaction.findMany({
      where: { userId: actor.userId, provider: "calendar" },
      select: { externalId: true, kind: true, status: true, occurredAt: true },
    });
    expect(interactions.map((i) => i.externalId).sort()).toEqual([...sessions.keys()].sort());
    expect(interactions.every((i) => i.kind === "session")).toBe(true);
    expect(full.result).toMatchObject({ fetched: raw.length, interactions: sessions.size });
    const everyone = await h.db.contact.findMany({
      where: { userId: actor.userId },
      select: { id: true },
    });
    expect(full.sent).toHaveLength(1);
    expect(full.sent[0]?.data).toEqual({
      userId: actor.userId,
      contactIds: everyone.map((c) => c.id).sort(),
      source: "calendar",
    });

    // Attendees are contacts; each contact's next interaction is their earliest upcoming
    // session that is not cancelled, their last one the latest past one.
    const expectedNext = new Map<string, number>();
    const expectedLast = new Map<string, number>();
    for (const session of sessions.values()) {
      if (session.status === "cancelled") continue;
      const at = session.occurredAt.getTime();
      for (const person of session.people) {
        if (at > now) {
          expectedNext.set(person.email, Math.min(expectedNext.get(person.email) ?? at, at));
        } else {
          expectedLast.set(person.email, Math.max(expectedLast.get(person.email) ?? at, at));
        }
      }
    }
    const contacts = await h.db.contact.findMany({
      where: { userId: actor.userId },
      select: {
        email: true,
        name: true,
        source: true,
        nextInteractionAt: true,
        lastInteractionAt: true,
      },
    });
    const people = new Set([...sessions.values()].flatMap((s) => s.people.map((p) => p.email)));
    expect(new Set(contacts.map((c) => c.email))).toEqual(people);
    for (const contact of contacts) {
      expect(contact.source).toBe("calendar");
      expect(contact.nextInteractionAt?.getTime() ?? null).toBe(
        expectedNext.get(contact.email!) ?? null,
      );
      expect(contact.lastInteractionAt?.getTime() ?? null).toBe(
        expectedLast.get(contact.email!) ?? null,
      );
    }
    const maraContact = contacts.find((c) => c.email === mara.email)!;
    expect(maraContact).toMatchObject({
      name: "Mara Quinn",
      nextInteractionAt: new Date(tomorrow.start.dateTime!),
      lastInteractionAt: new Date(lastMonth.start.dateTime!),
    });
    const upcoming = await sync.upcomingSessions(h.db, actor, { now: new Date(now), limit: 50 });
    expect(upcoming.map((s) => s.subject)).toContain("Private session — Mara");
    expect(upcoming.find((s) => s.subject === "Private session — Mara")).toMatchObject({
      location: "Studio A",
      contacts: [{ name: "Mara Quinn" }],
    });
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });
    const cursors = await h.db.calendarCursor.findMany({
      where: { userId: actor.userId },
      select: { calendarId: true, syncToken: true },
    });
    expect(cursors.map((c) => c.calendarId).sort()).toEqual([classes.id, "primary"].sort());
    expect(cursors.every((c) => c.syncToken)).toBe(true);
    const [fullRun] = await sync.listRuns(h.db, actor, { kind: "calendar" });
    expect(fullRun).toMatchObject({ status: "succeeded", mode: "full" });
    expect(await sync.getChannel(h.db, actor, "calendar")).toMatchObject({
      stage: "incremental",
      lastError: null,
    });

    expect(
      await h.db.interaction.count({
        where: { userId: actor.userId, externalId: { startsWith: `${weekly.iCalUID}|` } },
      }),
    ).toBe(4);

    // --- Incremental: tomorrow's session and this week's check-in are cancelled, next
    // week's session is moved earlier, a new one is booked ---
    h.clock.advance(10 * 60_000);
    store.cancelEvent(tomorrow.id);
    store.cancelEvent(instanceId(weekly.id, weekly.start));
    store.updateEvent(nextWeek.id, { start: { dateTime: now + 5 * DAY } });
    store.addEvent({
      summary: "Session — Jonah",
      start: { dateTime: now + 2 * DAY },
      attendees: [
        { email: "jonah.lee@gmail.example", displayName: "Jonah Lee", responseStatus: "accepted" },
      ],
    });
    const beforeIncremental = await rowCounts(h.db, actor);
    h.google.stats.reset();

    const incremental = await syncCalendar(actor);

    expect(incremental.error).toBeUndefined();
    expect(incremental.result).toMatchObject({ fetched: 4, interactions: 4, cancelled: 2 });
    expect(h.google.stats.snapshot().calls["calendar.events.list"]).toBe(2);
    const checkIn = await h.db.interaction.findFirstOrThrow({
      where: {
        userId: actor.userId,
        externalId: `${weekly.iCalUID}|${new Date(weekly.start.dateTime!).toISOString()}`,
      },
      select: { status: true },
    });
    expect(checkIn.status).toBe("cancelled");
    const moved = await h.db.interaction.findFirstOrThrow({
      where: { userId: actor.userId, externalId: nextWeek.iCalUID },
      select: { occurredAt: true, status: true },
    });
    expect(moved).toEqual({ occurredAt: new Date(now + 5 * DAY), status: "confirmed" });
    const cancelled = await h.db.interaction.findFirstOrThrow({
      where: { userId: actor.userId, externalId: tomorrow.iCalUID },
      select: { status: true, events: { select: { kind: true } } },
    });
    expect(cancelled).toEqual({ status: "cancelled", events: [{ kind: "session.cancelled" }] });
    const maraAfter = await h.db.contact.findFirstOrThrow({
      where: { userId: actor.userId, email: mara.email },
      select: { nextInteractionAt: true },
    });
    expect(maraAfter.nextInteractionAt).toEqual(new Date(now + 5 * DAY));
    const upcomingAfter = await sync.upcomingSessions(h.db, actor, {
      now: new Date(h.clock()),
      limit: 50,
    });
    expect(upcomingAfter.map((s) => s.subject)).not.toContain("Private session — Mara");
    expect(
      upcomingAfter.filter((s) => s.subject === "Weekly check-in — Mara").map((s) => s.startsAt),
    ).toEqual([1, 2, 3].map((week) => new Date(now + 3 * DAY + week * 7 * DAY)));
    expect(upcomingAfter.map((s) => s.subject)).toContain("Session — Jonah");
    expect(await rowCounts(h.db, actor)).toMatchObject({
      interactions: beforeIncremental.interactions + 1,
      contacts: beforeIncremental.contacts + 1,
    });
    const [incrementalRun] = await sync.listRuns(h.db, actor, { kind: "calendar" });
    expect(incrementalRun).toMatchObject({
      status: "succeeded",
      mode: "incremental",
      counts: { cancelled: 2 },
    });
    // The insights refresh hears of Mara (cancelled and moved sessions) and Jonah (new).
    const named = await h.db.contact.findMany({
      where: { userId: actor.userId, email: { in: [mara.email, "jonah.lee@gmail.example"] } },
      select: { id: true },
    });
    expect(incremental.sent.map(({ name, data }) => ({ name, data }))).toEqual([
      {
        name: "contacts/interactions.added",
        data: {
          userId: actor.userId,
          contactIds: named.map((c) => c.id).sort(),
          source: "calendar",
        },
      },
    ]);
    expect(incremental.sent[0]?.id).toMatch(/^interactions-added:/);

    // --- The sync tokens are gone (410): the calendars are wiped and synced again ---
    const tokensBefore = await h.db.calendarCursor.findMany({
      where: { userId: actor.userId },
      select: { syncToken: true },
    });
    store.invalidateSyncTokens();
    const beforeResync = await rowCounts(h.db, actor);
    h.google.stats.reset();

    const resync = await syncCalendar(actor);

    expect(resync.error).toBeUndefined();
    expect(h.google.stats.snapshot().responses["calendar.events.list"]).toEqual({
      410: 2,
      200: 2,
    });
    // Nothing duplicated, nothing lost; the cancelled session stays cancelled.
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });
    expect(await rowCounts(h.db, actor)).toMatchObject({
      interactions: beforeResync.interactions,
      links: beforeResync.links,
      timeline: beforeResync.timeline,
      contacts: beforeResync.contacts,
    });
    expect(
      await h.db.interaction.findFirstOrThrow({
        where: { userId: actor.userId, externalId: tomorrow.iCalUID },
        select: { status: true },
      }),
    ).toEqual({ status: "cancelled" });
    const tokensAfter = await h.db.calendarCursor.findMany({
      where: { userId: actor.userId },
      select: { syncToken: true },
    });
    expect(tokensAfter).toHaveLength(2);
    expect(tokensAfter.every((t) => t.syncToken)).toBe(true);
    for (const token of tokensAfter) {
      expect(tokensBefore.map((t) => t.syncToken)).not.toContain(token.syncToken);
    }
    const [resyncRun] = await sync.listRuns(h.db, actor, { kind: "calendar" });
    expect(resyncRun).toMatchObject({ status: "succeeded" });

    // And the new tokens work: the next run reads only changes (none).
    h.google.stats.reset();
    const quiet = await syncCalendar(actor);
    expect(quiet.result).toMatchObject({ fetched: 0, interactions: 0 });
    expect(h.google.stats.snapshot().responses["calendar.events.list"]).toEqual({ 200: 2 });
  });
});

describe("what onFailure records", () => {
  it("recordCalendarFailure and recordGmailFailure: the channel shows the error in words, the running run fails", async () => {
    const { actor } = await connectedUser(h);
    const calendarRun = await sync.startRun(h.db, actor, {
      kind: "calendar",
      mode: "full",
      trigger: "schedule",
      externalRunId: "01JCALENDARRUN",
    });
    await recordCalendarFailure(
      h.deps,
      actor.userId,
      "Google answered 503 during reading calendar events; retrying.\n    at callGoogle (call.ts:40:11)",
    );
    const calendar = await sync.getChannel(h.db, actor, "calendar");
    expect(calendar).toMatchObject({
      stage: "failed",
      lastError: "The sync stopped: Google answered 503 during reading calendar events.",
    });
    expect(calendar.lastErrorAt).not.toBeNull();
    expect(await sync.getRun(h.db, actor, calendarRun.id)).toMatchObject({
      status: "failed",
      error: "The sync stopped: Google answered 503 during reading calendar events.",
    });
    expect((await sync.getRun(h.db, actor, calendarRun.id)).finishedAt).not.toBeNull();
    // The other channel is not touched.
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({ lastError: null });

    const gmailRun = await sync.startRun(h.db, actor, {
      kind: "gmail",
      mode: "full",
      trigger: "manual",
      externalRunId: "01JGMAILRUN",
    });
    await recordGmailFailure(
      h.deps,
      actor.userId,
      "Google's rate limit was reached during reading a Gmail message; the sync waits and goes on.",
    );
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({
      stage: "failed",
      lastError:
        "The sync stopped: Google's rate limit was reached during reading a Gmail message.",
    });
    expect(await sync.getRun(h.db, actor, gmailRun.id)).toMatchObject({ status: "failed" });
    // An error too long to show says so in general words.
    await recordGmailFailure(h.deps, actor.userId, "x".repeat(400));
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({
      stage: "failed",
      lastError:
        "The sync stopped after several attempts; it will try again at the next scheduled run.",
    });
    expect(await sync.getRun(h.db, actor, gmailRun.id)).toMatchObject({
      status: "failed",
      error: "The sync stopped: Google's rate limit was reached during reading a Gmail message.",
    });
  });

  it("keeps the reconnect message when the grant died", async () => {
    const { actor } = await connectedUser(h);
    await sync.markReconnectNeeded(h.db, actor, "Google no longer accepts OmniCRM's access.");
    await recordGmailFailure(h.deps, actor.userId, "Something else");
    await recordCalendarFailure(h.deps, actor.userId, "Something else");
    for (const kind of ["gmail", "calendar"] as const) {
      expect(await sync.getChannel(h.db, actor, kind)).toMatchObject({
        stage: "reconnect_needed",
        lastError: "Google no longer accepts OmniCRM's access.",
      });
    }
  });
});
