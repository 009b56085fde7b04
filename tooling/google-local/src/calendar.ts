import type {
  CalendarData,
  CalendarInfo,
  CalendarStore,
  EventTime,
  StoredEvent,
} from "./calendar-store.ts";
import { instantOf } from "./calendar-store.ts";
import { badRequest, googleError, insufficientScopes, notFound } from "./errors.ts";
import { boolParam, decodeToken, encodeToken, intParam } from "./http.ts";
import { SCOPES } from "./oauth.ts";
import { hashString } from "./prng.ts";
import { route, type AuthInfo, type Route, type RouteContext } from "./router.ts";
import { formatRfc3339, isValidTimeZone, parseRfc3339 } from "./timezone.ts";

const LIST_SCOPES = [
  SCOPES.calendar,
  SCOPES.calendarReadonly,
  SCOPES.calendarListReadonly,
  "https://www.googleapis.com/auth/calendar.calendarlist",
];
const EVENT_SCOPES = [
  SCOPES.calendar,
  SCOPES.calendarReadonly,
  SCOPES.calendarEvents,
  SCOPES.calendarEventsReadonly,
  "https://www.googleapis.com/auth/calendar.events.owned",
  "https://www.googleapis.com/auth/calendar.events.owned.readonly",
];

/** Calendar's own error: 410 fullSyncRequired (no canonical status, like Google's). */
export const fullSyncRequired = () =>
  googleError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.", {
    status: null,
  });

const calendarNotFound = () => googleError(404, "notFound", "Not Found");

function store(
  ctx: RouteContext,
  scopes: readonly string[],
): { store: CalendarStore; email: string } {
  const auth = ctx.auth as AuthInfo;
  if (ctx.enforceScopes && !scopes.some((s) => auth.scopes.includes(s))) throw insufficientScopes();
  return { store: auth.account.calendar, email: auth.account.email };
}

const etag = (n: number): string => `"${n}"`;
const iso = (ms: number): string => new Date(ms).toISOString();

function renderTime(time: EventTime, outTz: string): Record<string, string> {
  if (time.date !== undefined) return { date: time.date };
  return time.timeZone
    ? { dateTime: formatRfc3339(time.dateTime, outTz), timeZone: time.timeZone }
    : { dateTime: formatRfc3339(time.dateTime, outTz) };
}

/** An event as Calendar returns it; cancelled events carry little more than id and status. */
export function renderEvent(
  event: StoredEvent,
  outTz: string,
  selfEmail: string,
): Record<string, unknown> {
  const tag = etag(event.updated * 1000 + (event.seq % 1000));
  if (event.status === "cancelled") {
    return {
      kind: "calendar#event",
      etag: tag,
      id: event.id,
      status: "cancelled",
      ...(event.recurringEventId && event.originalStart
        ? {
            recurringEventId: event.recurringEventId,
            originalStartTime: renderTime(event.originalStart, outTz),
          }
        : {}),
    };
  }
  const self = (email: string): boolean => email.toLowerCase() === selfEmail.toLowerCase();
  const out: Record<string, unknown> = {
    kind: "calendar#event",
    etag: tag,
    id: event.id,
    status: event.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${event.id} ${event.calendarId}`).toString("base64url")}`,
    created: iso(event.created),
    updated: iso(event.updated),
  };
  if (event.summary !== undefined) out.summary = event.summary;
  if (event.description !== undefined) out.description = event.description;
  if (event.location !== undefined) out.location = event.location;
  if (event.colorId !== undefined) out.colorId = event.colorId;
  out.creator = {
    email: event.creator.email,
    ...(self(event.creator.email) ? { self: true } : {}),
  };
  out.organizer = {
    email: event.organizer.email,
    ...(event.organizer.displayName ? { displayName: event.organizer.displayName } : {}),
    ...(self(event.organizer.email) ? { self: true } : {}),
  };
  out.start = renderTime(event.start, outTz);
  out.end = renderTime(event.end, outTz);
  if (event.recurrence) out.recurrence = [...event.recurrence];
  if (event.recurringEventId) out.recurringEventId = event.recurringEventId;
  if (event.originalStart) out.originalStartTime = renderTime(event.originalStart, outTz);
  if (event.transparency) out.transparency = event.transparency;
  if (event.visibility) out.visibility = event.visibility;
  out.iCalUID = event.iCalUID;
  out.sequence = event.sequence;
  if (event.attendees?.length)
    out.attendees = event.attendees.map((a) => ({
      email: a.email,
      ...(a.displayName ? { displayName: a.displayName } : {}),
      ...(a.organizer ? { organizer: true } : {}),
      ...(self(a.email) ? { self: true } : {}),
      ...(a.resource ? { resource: true } : {}),
      ...(a.optional ? { optional: true } : {}),
      responseStatus: a.responseStatus ?? "needsAction",
      ...(a.comment ? { comment: a.comment } : {}),
    }));
  if (event.hangoutLink) out.hangoutLink = event.hangoutLink;
  out.reminders = { useDefault: true };
  out.eventType = "default";
  return out;
}

function renderListEntry(info: CalendarInfo): Record<string, unknown> {
  return {
    kind: "calendar#calendarListEntry",
    etag: etag(hashString(info.id)),
    id: info.id,
    summary: info.summary,
    ...(info.description ? { description: info.description } : {}),
    timeZone: info.timeZone,
    colorId: info.colorId,
    backgroundColor: info.backgroundColor,
    foregroundColor: info.foregroundColor,
    selected: true,
    accessRole: info.accessRole,
    defaultReminders: info.primary ? [{ method: "popup", minutes: 10 }] : [],
    ...(info.primary ? { primary: true } : {}),
    conferenceProperties: { allowedConferenceSolutionTypes: ["hangoutsMeet"] },
  };
}

function listCalendars(ctx: RouteContext): Record<string, unknown> {
  const { store: s } = store(ctx, LIST_SCOPES);
  const q = ctx.query;
  const maxResults = intParam(q, "maxResults", 100, { min: 1, max: 250 }, "invalid");
  const { version, epoch } = s.calendarListVersion;
  const syncToken = q.get("syncToken");
  if (syncToken) {
    const decoded = decodeToken("cal-list-sync", syncToken);
    if (!decoded) throw badRequest("Invalid sync token value.", "invalid");
    if (decoded.e !== epoch || decoded.v !== version) throw fullSyncRequired();
    return {
      kind: "calendar#calendarList",
      etag: etag(version),
      nextSyncToken: syncToken,
      items: [],
    };
  }
  let offset = 0;
  const pageToken = q.get("pageToken");
  if (pageToken) {
    const decoded = decodeToken("cal-list-page", pageToken);
    if (!decoded || typeof decoded.o !== "number")
      throw badRequest("Invalid page token value.", "invalid");
    offset = decoded.o;
  }
  const all = s.calendars();
  const items = all.slice(offset, offset + maxResults).map(renderListEntry);
  const more = offset + maxResults < all.length;
  return {
    kind: "calendar#calendarList",
    etag: etag(version),
    ...(more
      ? { nextPageToken: encodeToken("cal-list-page", { o: offset + maxResults }) }
      : { nextSyncToken: encodeToken("cal-list-sync", { e: epoch, v: version }) }),
    items,
  };
}

function getListEntry(ctx: RouteContext): Record<string, unknown> {
  const { store: s } = store(ctx, LIST_SCOPES);
  const cal = s.calendar(ctx.params.calendarId ?? "");
  if (!cal) throw calendarNotFound();
  return renderListEntry(cal.info);
}

function requireCalendar(s: CalendarStore, calendarId: string): CalendarData {
  const cal = s.calendar(calendarId);
  if (!cal) throw calendarNotFound();
  return cal;
}

function getCalendar(ctx: RouteContext): Record<string, unknown> {
  const { store: s } = store(ctx, EVENT_SCOPES);
  const { info } = requireCalendar(s, ctx.params.calendarId ?? "");
  return {
    kind: "calendar#calendar",
    etag: etag(hashString(info.id)),
    id: info.id,
    summary: info.summary,
    ...(info.description ? { description: info.description } : {}),
    timeZone: info.timeZone,
    conferenceProperties: { allowedConferenceSolutionTypes: ["hangoutsMeet"] },
  };
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  const ms = parseRfc3339(raw);
  if (ms === undefined) throw googleError(400, "badRequest", "Bad Request");
  return ms;
}

function outputZone(q: URLSearchParams, cal: CalendarData): string {
  const tz = q.get("timeZone");
  if (!tz) return cal.info.timeZone;
  if (!isValidTimeZone(tz))
    throw googleError(400, "timeZoneInvalid", "Invalid time zone definition for timeZone.");
  return tz;
}

type Key = [number, string];
const compareKeys = (a: Key, b: Key): number =>
  a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

const INCOMPATIBLE_WITH_SYNC = [
  "timeMin",
  "timeMax",
  "updatedMin",
  "orderBy",
  "q",
  "iCalUID",
  "privateExtendedProperty",
  "sharedExtendedProperty",
];

function listEvents(ctx: RouteContext): Record<string, unknown> {
  const { store: s, email } = store(ctx, EVENT_SCOPES);
  const cal = requireCalendar(s, ctx.params.calendarId ?? "");
  const q = ctx.query;
  const tz = cal.info.timeZone;
  const outTz = outputZone(q, cal);
  const maxResults = intParam(q, "maxResults", 250, { min: 1, max: 2500 }, "invalid");
  const singleEvents = boolParam(q, "singleEvents", false);
  const showDeleted = boolParam(q, "showDeleted", false);
  const orderBy = q.get("orderBy");
  const syncToken = q.get("syncToken");
  if (syncToken) {
    const bad = INCOMPATIBLE_WITH_SYNC.filter((name) => q.get(name));
    if (bad.length)
      throw googleError(
        400,
        "invalid",
        `${bad.join(", ")} cannot be specified together with syncToken.`,
      );
  }
  const timeMin = timeParam(q, "timeMin");
  const timeMax = timeParam(q, "timeMax");
  const updatedMin = timeParam(q, "updatedMin");
  if (timeMin !== undefined && timeMax !== undefined && timeMin >= timeMax)
    throw googleError(400, "timeRangeEmpty", "The specified time range is empty.");
  if (orderBy && orderBy !== "startTime" && orderBy !== "updated")
    throw googleError(400, "invalid", `Invalid value for orderBy: ${orderBy}`);
  if (orderBy === "startTime" && !singleEvents)
    throw googleError(
      400,
      "badRequest",
      "The requested ordering is not available for the particular query.",
    );
  const text = q.get("q")?.toLowerCase();
  const iCalUID = q.get("iCalUID");

  let since: number | undefined;
  if (syncToken) {
    const decoded = decodeToken("cal-sync", syncToken);
    if (!decoded || typeof decoded.s !== "number")
      throw badRequest("Invalid sync token value.", "invalid");
    if (decoded.c !== cal.info.id || decoded.e !== cal.epoch || decoded.s > cal.seq)
      throw fullSyncRequired();
    since = decoded.s;
  }
  const fingerprint = hashString(
    JSON.stringify([
      cal.info.id,
      singleEvents,
      showDeleted,
      orderBy,
      timeMin,
      timeMax,
      updatedMin,
      text,
      iCalUID,
    ]),
  );
  let snapshot = cal.seq;
  let cursor: Key | undefined;
  const pageToken = q.get("pageToken");
  if (pageToken) {
    const decoded = decodeToken("cal-page", pageToken);
    const k = decoded?.at;
    if (!decoded || decoded.f !== fingerprint || typeof decoded.s !== "number" || !Array.isArray(k))
      throw badRequest("Invalid page token value.", "invalid");
    // an incremental listing's later pages may come with or without the syncToken
    const pageSince = typeof decoded.t === "number" ? decoded.t : undefined;
    if (syncToken && pageSince !== since) throw badRequest("Invalid page token value.", "invalid");
    since = pageSince;
    if (since !== undefined && decoded.e !== cal.epoch) throw fullSyncRequired();
    snapshot = decoded.s;
    cursor = [Number(k[0]), String(k[1])];
  }

  const incremental = since !== undefined;
  const objects = [...cal.events.values()].filter(
    (e) => !incremental || (e.seq > (since ?? 0) && e.seq <= snapshot),
  );
  const byId = new Map<string, StoredEvent>();
  const window = incremental
    ? {}
    : {
        ...(timeMin !== undefined ? { from: timeMin } : {}),
        ...(timeMax !== undefined ? { to: timeMax } : {}),
      };
  for (const event of objects) {
    if (singleEvents && event.rule) {
      for (const instance of s.expand(event, tz, window))
        if (!byId.has(instance.id) || incremental) byId.set(instance.id, instance);
    } else if (singleEvents && event.recurringEventId && !incremental) {
      // exceptions come from their series' expansion (unless the series is gone)
      if (!cal.events.has(event.recurringEventId)) byId.set(event.id, event);
    } else byId.set(event.id, event);
  }
  let items = [...byId.values()];
  if (!incremental) {
    const overlaps = (e: StoredEvent): boolean => {
      if (timeMin === undefined && timeMax === undefined) return true;
      if (e.rule) return s.expand(e, tz, window).length > 0;
      const start = instantOf(e.start, tz);
      const end = instantOf(e.end, tz);
      return (timeMin === undefined || end > timeMin) && (timeMax === undefined || start < timeMax);
    };
    items = items.filter((e) => {
      if (e.status === "cancelled") {
        const keptException = !singleEvents && e.recurringEventId !== undefined;
        const recentlyDeleted = updatedMin !== undefined && e.updated >= updatedMin;
        if (!showDeleted && !keptException && !recentlyDeleted) return false;
      }
      if (updatedMin !== undefined && e.updated < updatedMin) return false;
      if (iCalUID && e.iCalUID !== iCalUID) return false;
      if (
        text &&
        ![
          e.summary,
          e.description,
          e.location,
          ...(e.attendees ?? []).flatMap((a) => [a.email, a.displayName]),
        ].some((f) => f?.toLowerCase().includes(text))
      )
        return false;
      return overlaps(e);
    });
  }
  const keyOf = (e: StoredEvent): Key =>
    incremental
      ? [e.seq, e.id]
      : orderBy === "updated"
        ? [e.updated, e.id]
        : [instantOf(e.start, tz), e.id];
  const keyed = items.map((e) => ({ e, key: keyOf(e) })).sort((a, b) => compareKeys(a.key, b.key));
  const remaining = cursor ? keyed.filter((x) => compareKeys(x.key, cursor) > 0) : keyed;
  const page = remaining.slice(0, maxResults);
  const more = remaining.length > maxResults;
  const last = page[page.length - 1];
  const updated = Math.max(0, ...[...cal.events.values()].map((e) => e.updated));
  return {
    kind: "calendar#events",
    etag: etag(updated * 1000 + (cal.seq % 1000)),
    summary: cal.info.summary,
    ...(cal.info.description ? { description: cal.info.description } : {}),
    updated: iso(updated || ctx.now),
    timeZone: cal.info.timeZone,
    accessRole: cal.info.accessRole,
    defaultReminders: cal.info.primary ? [{ method: "popup", minutes: 10 }] : [],
    ...(more && last
      ? {
          nextPageToken: encodeToken("cal-page", {
            s: snapshot,
            at: last.key,
            f: fingerprint,
            e: cal.epoch,
            t: since ?? null,
          }),
        }
      : { nextSyncToken: encodeToken("cal-sync", { c: cal.info.id, e: cal.epoch, s: snapshot }) }),
    items: page.map(({ e }) => renderEvent(e, outTz, email)),
  };
}

function getEvent(ctx: RouteContext): Record<string, unknown> {
  const { store: s, email } = store(ctx, EVENT_SCOPES);
  const cal = requireCalendar(s, ctx.params.calendarId ?? "");
  const event = s.getEvent(cal.info.id, ctx.params.eventId ?? "");
  if (!event) throw notFound("Not Found");
  return renderEvent(event, outputZone(ctx.query, cal), email);
}

export function calendarRoutes(): Route[] {
  const get = (
    path: string,
    endpoint: Parameters<typeof route>[0]["endpoint"],
    handler: (ctx: RouteContext) => unknown,
  ): Route =>
    route({
      method: "GET",
      path: `/calendar/v3${path}`,
      endpoint,
      bearer: true,
      api: "calendar",
      handle: (ctx) => ({ body: handler(ctx) }),
    });
  return [
    get("/users/me/calendarList", "calendar.calendarList.list", listCalendars),
    get("/users/me/calendarList/:calendarId", "calendar.calendarList.get", getListEntry),
    get("/calendars/:calendarId", "calendar.calendars.get", getCalendar),
    get("/calendars/:calendarId/events", "calendar.events.list", listEvents),
    get("/calendars/:calendarId/events/:eventId", "calendar.events.get", getEvent),
  ];
}
