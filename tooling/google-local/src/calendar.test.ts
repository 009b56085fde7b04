import type { calendar_v3 } from "@googleapis/calendar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOLIDAY_CALENDAR_ID } from "./calendar-generator.ts";
import { createManualClock, DAY_MS } from "./clock.ts";
import { startLocalGoogle, type LocalGoogle } from "./server.ts";
import { calendarClient, errorBody, gaxiosError } from "./test-support.ts";

type Event = calendar_v3.Schema$Event;

interface Listing {
  items: Event[];
  pages: calendar_v3.Schema$Events[];
}

async function listAll(
  api: calendar_v3.Calendar,
  params: calendar_v3.Params$Resource$Events$List,
): Promise<Listing> {
  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken: string | undefined;
  do {
    const res = await api.events.list({
      calendarId: "primary",
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    pages.push(res.data);
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  return { items: pages.flatMap((p) => p.items ?? []), pages };
}

const syncTokenOf = (listing: Listing): string =>
  listing.pages[listing.pages.length - 1]?.nextSyncToken ?? "";

describe("Calendar", () => {
  // mid-November 2025: the weekly class series started in October, before DST ended on Nov 2
  const clock = createManualClock(Date.UTC(2025, 10, 20, 18, 0, 0));
  let google: LocalGoogle;
  let api: calendar_v3.Calendar;

  beforeAll(async () => {
    google = await startLocalGoogle({ clock, seed: 3, messages: 10, events: 60 });
    api = calendarClient(google);
  });
  afterAll(() => google.close());

  it("lists calendars, primary first, with nextSyncToken only on the last page", async () => {
    const first = await api.calendarList.list({ maxResults: 2 });
    expect(first.data.items?.map((c) => c.id)).toEqual([
      google.accounts.default.email,
      expect.stringMatching(/@group\.calendar\.google\.com$/),
    ]);
    expect(first.data.items?.[0]).toMatchObject({
      primary: true,
      accessRole: "owner",
      timeZone: "America/Los_Angeles",
    });
    expect(first.data.nextPageToken).toBeTruthy();
    expect(first.data.nextSyncToken).toBeUndefined();
    const second = await api.calendarList.list({
      maxResults: 2,
      pageToken: first.data.nextPageToken ?? "",
    });
    expect(second.data.items?.map((c) => c.id)).toEqual([HOLIDAY_CALENDAR_ID]);
    expect(second.data.items?.[0]?.accessRole).toBe("reader");
    expect(second.data.nextPageToken).toBeUndefined();
    expect(second.data.nextSyncToken).toBeTruthy();
  });

  it("pages events.list with nextSyncToken only on the last page", async () => {
    const paged = await listAll(api, { maxResults: 7 });
    expect(paged.pages.length).toBeGreaterThan(3);
    paged.pages.forEach((page, i) => {
      const last = i === paged.pages.length - 1;
      expect(Boolean(page.nextPageToken)).toBe(!last);
      expect(Boolean(page.nextSyncToken)).toBe(last);
      expect(page.items?.length).toBe(last ? page.items?.length : 7);
    });
    const ids = paged.items.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const single = await api.events.list({ calendarId: "primary", maxResults: 2500 });
    expect(single.data.items?.map((e) => e.id)).toEqual(ids);
    expect(single.data.nextSyncToken).toBeTruthy();
    expect(single.data).toMatchObject({
      kind: "calendar#events",
      timeZone: "America/Los_Angeles",
      accessRole: "owner",
    });
    // recurring series come back as one event with its RRULE
    expect(paged.items.some((e) => e.recurrence?.[0]?.startsWith("RRULE:FREQ=WEEKLY"))).toBe(true);
  });

  it("expands recurring series with singleEvents=true, keeping local time across DST", async () => {
    const { items } = await listAll(api, {
      singleEvents: true,
      orderBy: "startTime",
      maxResults: 2500,
    });
    const classes = items.filter((e) => e.summary === "Gentle Yoga Flow (group)");
    expect(classes.length).toBe(15); // 16 weekly instances, one cancelled
    expect(
      classes.every((e) => e.recurringEventId && e.originalStartTime?.dateTime && !e.recurrence),
    ).toBe(true);
    const times = classes.map((e) => e.start?.dateTime ?? "");
    expect(times.some((t) => t.endsWith("T18:00:00-07:00"))).toBe(true); // PDT
    expect(times.some((t) => t.endsWith("T18:00:00-08:00"))).toBe(true); // PST
    const moved = classes.filter((e) => e.start?.dateTime !== e.originalStartTime?.dateTime);
    expect(moved).toHaveLength(1);
    expect(moved[0]?.start?.dateTime).toMatch(/T19:00:00/);
    const starts = items.map((e) => Date.parse(e.start?.dateTime ?? `${e.start?.date}T08:00:00Z`));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));

    const withDeleted = await listAll(api, {
      singleEvents: true,
      showDeleted: true,
      maxResults: 2500,
    });
    const cancelled = withDeleted.items.filter((e) => e.status === "cancelled");
    expect(cancelled.some((e) => e.recurringEventId)).toBe(true);
    expect(cancelled.some((e) => !e.recurringEventId)).toBe(true);
    expect(Object.keys(cancelled[0] ?? {}).sort()).toEqual(
      expect.arrayContaining(["etag", "id", "kind", "status"]),
    );
  });

  it("filters by timeMin/timeMax and rejects bad combinations like Google", async () => {
    const timeMin = new Date(clock() - 7 * DAY_MS).toISOString();
    const timeMax = new Date(clock() + 7 * DAY_MS).toISOString();
    const { items } = await listAll(api, { singleEvents: true, timeMin, timeMax });
    expect(items.length).toBeGreaterThan(5);
    for (const e of items) {
      const start = Date.parse(e.start?.dateTime ?? `${e.start?.date}T00:00:00-08:00`);
      const end = Date.parse(e.end?.dateTime ?? `${e.end?.date}T00:00:00-08:00`);
      expect(end).toBeGreaterThan(Date.parse(timeMin));
      expect(start).toBeLessThan(Date.parse(timeMax));
    }
    const orderBy = await gaxiosError(
      api.events.list({ calendarId: "primary", orderBy: "startTime" }),
    );
    expect(orderBy.status).toBe(400);
    const badTime = await gaxiosError(
      api.events.list({ calendarId: "primary", timeMin: "2025-01-01" }),
    );
    expect(badTime.status).toBe(400);
    const missing = await gaxiosError(
      api.events.list({ calendarId: "nobody@group.calendar.google.com" }),
    );
    expect(missing.status).toBe(404);
  });

  it("includes attendees, all-day events and iCalUIDs", async () => {
    const { items } = await listAll(api, { maxResults: 2500, showDeleted: true });
    const statuses = new Set(items.flatMap((e) => e.attendees ?? []).map((a) => a.responseStatus));
    expect([...statuses].sort()).toEqual(["accepted", "declined", "needsAction", "tentative"]);
    expect(items.some((e) => e.start?.date && e.end?.date)).toBe(true);
    expect(items.every((e) => e.status === "cancelled" || e.iCalUID)).toBe(true);
    expect(items.some((e) => e.iCalUID && !e.iCalUID.endsWith("@google.com"))).toBe(true);
    const self = items.flatMap((e) => e.attendees ?? []).filter((a) => a.self);
    expect(self.every((a) => a.email === google.accounts.default.email)).toBe(true);
    const holidays = await api.events.list({ calendarId: HOLIDAY_CALENDAR_ID });
    expect(holidays.data.items?.every((e) => e.start?.date)).toBe(true);
  });

  it("returns only changes with a syncToken, cancelled events included, then 410 once invalidated", async () => {
    const store = google.calendar();
    const full = await listAll(api, { singleEvents: true, maxResults: 50 });
    const token = syncTokenOf(full);
    expect(token).toBeTruthy();

    const nothing = await api.events.list({
      calendarId: "primary",
      singleEvents: true,
      syncToken: token,
    });
    expect(nothing.data.items).toEqual([]);
    expect(nothing.data.nextSyncToken).toBeTruthy();

    clock.advance(60_000);
    const single = full.items.find(
      (e) => !e.recurringEventId && e.status === "confirmed" && e.start?.dateTime,
    );
    store.cancelEvent(single?.id ?? "");
    const added = store.addEvent({
      summary: "New client consult",
      start: { dateTime: clock() + 2 * DAY_MS },
      attendees: [{ email: "new.client@gmail.example", responseStatus: "needsAction" }],
    });
    const instance = full.items.find(
      (e) => e.recurringEventId && e.summary === "Morning meditation",
    );
    store.updateEvent(instance?.id ?? "", { summary: "Morning meditation (outdoors)" });

    const changes = await listAll(api, { singleEvents: true, syncToken: token, maxResults: 2 });
    expect(changes.pages.length).toBe(2);
    expect(changes.pages[0]?.nextSyncToken).toBeUndefined();
    const byId = new Map(changes.items.map((e) => [e.id, e]));
    expect(byId.size).toBe(3);
    expect(byId.get(single?.id)).toMatchObject({ status: "cancelled" });
    expect(byId.get(added.id)).toMatchObject({
      status: "confirmed",
      summary: "New client consult",
    });
    expect(byId.get(instance?.id)).toMatchObject({
      summary: "Morning meditation (outdoors)",
      recurringEventId: instance?.recurringEventId,
    });

    // later pages may also be fetched with the page token alone
    const firstPage = await api.events.list({
      calendarId: "primary",
      singleEvents: true,
      syncToken: token,
      maxResults: 2,
    });
    const secondPage = await api.events.list({
      calendarId: "primary",
      singleEvents: true,
      maxResults: 2,
      pageToken: firstPage.data.nextPageToken ?? "",
    });
    expect(
      [...(firstPage.data.items ?? []), ...(secondPage.data.items ?? [])].map((e) => e.id),
    ).toEqual(changes.items.map((e) => e.id));
    expect(secondPage.data.nextSyncToken).toBeTruthy();

    const next = syncTokenOf(changes);
    expect(
      (await api.events.list({ calendarId: "primary", singleEvents: true, syncToken: next })).data
        .items,
    ).toEqual([]);

    const withTime = await gaxiosError(
      api.events.list({
        calendarId: "primary",
        syncToken: next,
        timeMin: new Date(clock()).toISOString(),
      }),
    );
    expect(withTime.status).toBe(400);

    store.invalidateSyncTokens();
    const gone = await gaxiosError(
      api.events.list({ calendarId: "primary", singleEvents: true, syncToken: next }),
    );
    expect(gone.status).toBe(410);
    expect(errorBody(gone)).toMatchObject({
      code: 410,
      errors: [{ reason: "fullSyncRequired", domain: "global" }],
    });
    expect(errorBody(gone).message).toBe("Sync token is no longer valid, a full sync is required.");
  });

  it("delivers changes made during a paged full sync in the next incremental sync", async () => {
    const store = google.calendar();
    const first = await api.events.list({ calendarId: "primary", maxResults: 5 });
    clock.advance(1000);
    const added = store.addEvent({
      summary: "Booked while syncing",
      start: { dateTime: clock() - 30 * DAY_MS },
    });
    let pageToken = first.data.nextPageToken ?? undefined;
    let token = "";
    while (pageToken) {
      const res = await api.events.list({ calendarId: "primary", maxResults: 5, pageToken });
      pageToken = res.data.nextPageToken ?? undefined;
      token = res.data.nextSyncToken ?? token;
    }
    const changes = await api.events.list({ calendarId: "primary", syncToken: token });
    expect(changes.data.items?.map((e) => e.id)).toContain(added.id);
  });

  it("gets single events and instances", async () => {
    const store = google.calendar();
    const event = store.addEvent({
      summary: "Check-in",
      start: { dateTime: "2025-12-01T10:00:00-08:00" },
    });
    const res = await api.events.get({ calendarId: "primary", eventId: event.id });
    expect(res.data).toMatchObject({
      id: event.id,
      summary: "Check-in",
      start: { dateTime: "2025-12-01T10:00:00-08:00" },
      end: { dateTime: "2025-12-01T11:00:00-08:00" },
    });
    const utc = await api.events.get({ calendarId: "primary", eventId: event.id, timeZone: "UTC" });
    expect(utc.data.start?.dateTime).toBe("2025-12-01T18:00:00Z");
    expect(
      (await gaxiosError(api.events.get({ calendarId: "primary", eventId: "nope" }))).status,
    ).toBe(404);
  });
});
