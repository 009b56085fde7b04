import type { calendar_v3 } from "@googleapis/calendar";
import { normalizeEmail } from "./addresses.ts";
import { parseCalendarDate, parseCalendarDateTime } from "./dates.ts";
import { compileRules, type CompiledRules } from "./rules.ts";
import { collectPeople, skip } from "./result.ts";
import { SNIPPET_MAX_CHARS, cleanLine, cleanText, htmlToText, looksLikeHtml } from "./text.ts";
import type {
  AddressClass,
  NormalizeResult,
  NormalizeRules,
  NormalizedSession,
  Participant,
  ResponseStatus,
} from "./types.ts";

type CalendarEvent = calendar_v3.Schema$Event;
type EventDateTime = calendar_v3.Schema$EventDateTime;

const MAX_FIELD_CHARS = 1000;
const MAX_NAME_CHARS = 200;

/** Event types that are not meetings with people. */
const OUT_OF_SCOPE_EVENT_TYPES = new Set([
  "outOfOffice",
  "focusTime",
  "workingLocation",
  "birthday",
]);

const RESPONSE_STATUSES = new Set<string>(["accepted", "declined", "tentative", "needsAction"]);

/**
 * Normalizes one Calendar event as listed from `calendarId`. Pure and deterministic.
 *
 * Checks, in order:
 * 1. `invalid` — not an object or no id;
 * 2. `cancelled_unknown` — a cancelled stub without a start (what incremental sync returns for
 *    deleted events: id + status). `detail` is the event id; see `cancelledEventKey`;
 *    `invalid` — any other event without a usable start;
 * 3. `not_in_scope` — eventType outOfOffice, focusTime, workingLocation or birthday;
 * 4. `never_log` — any non-self organizer/attendee matches a never-log entry;
 * 5. `too_many_recipients` — more than `maxRecipients` distinct non-self attendees;
 * 6. `no_participants` — nobody but the user (and rooms); `no_reply` — only no-reply addresses.
 *
 * Rooms and calendars are not participants: attendees with `resource: true` and any address
 * under calendar.google.com (resource., group., group.v., import.). Self is `self: true` or an
 * address in `selfAddresses`. Cancelled events that still carry a start are returned with
 * status "cancelled" so callers can mark the session cancelled.
 */
export function normalizeCalendarEvent(
  event: CalendarEvent,
  calendarId: string,
  rules: NormalizeRules | CompiledRules,
): NormalizeResult<NormalizedSession> {
  if (!event || typeof event !== "object") return skip("invalid", "not an event object");
  const eventId = typeof event.id === "string" ? event.id.trim() : "";
  if (!eventId) return skip("invalid", "event has no id");
  const compiled = compileRules(rules);

  const start = parseEventTime(event.start);
  if (!start) {
    if (event.status === "cancelled") return skip("cancelled_unknown", eventId);
    return skip("invalid", "event has no usable start");
  }
  if (event.eventType && OUT_OF_SCOPE_EVENT_TYPES.has(event.eventType)) {
    return skip("not_in_scope", event.eventType);
  }

  const participants: Participant[] = [];
  const organizerEmail = normalizeEmail(event.organizer?.email);
  if (event.organizer && organizerEmail && !isCalendarSystemAddress(organizerEmail)) {
    participants.push({
      email: organizerEmail,
      name: cleanLine(event.organizer.displayName, MAX_NAME_CHARS),
      role: "organizer",
      self: event.organizer.self === true || compiled.isSelf(organizerEmail),
    });
  }
  const seenAttendees = new Set<string>();
  for (const attendee of event.attendees ?? []) {
    if (!attendee || attendee.resource === true) continue;
    const email = normalizeEmail(attendee.email);
    if (!email || isCalendarSystemAddress(email) || seenAttendees.has(email)) continue;
    seenAttendees.add(email);
    participants.push({
      email,
      name: cleanLine(attendee.displayName, MAX_NAME_CHARS),
      role: "attendee",
      responseStatus: toResponseStatus(attendee.responseStatus),
      self: attendee.self === true || compiled.isSelf(email),
    });
  }

  const nonSelf = participants.filter((p) => !p.self);
  const classes = new Map<string, AddressClass>();
  for (const participant of nonSelf) {
    if (classes.has(participant.email)) continue;
    const kind = compiled.classify(participant.email);
    classes.set(participant.email, kind);
    if (kind === "never_log") {
      return skip("never_log", `an ${participant.role} address matches a never-log entry`);
    }
  }

  const attendeeCount = new Set(nonSelf.filter((p) => p.role === "attendee").map((p) => p.email))
    .size;
  if (attendeeCount > compiled.maxRecipients) {
    return skip("too_many_recipients", `${attendeeCount} attendees > ${compiled.maxRecipients}`);
  }
  if (nonSelf.length === 0) return skip("no_participants");
  const people = collectPeople(nonSelf.filter((p) => classes.get(p.email) === "person"));
  if (people.length === 0) return skip("no_reply");

  const end = parseEventTime(event.end);
  const endsAt = end && end.date.getTime() >= start.date.getTime() ? end.date : null;

  return {
    ok: true,
    value: {
      kind: "session",
      externalId: sessionExternalId(event, start.date, eventId),
      eventId,
      calendarId,
      subject: cleanLine(event.summary, MAX_FIELD_CHARS),
      snippet: descriptionSnippet(event.description),
      location: cleanLine(event.location, MAX_FIELD_CHARS),
      occurredAt: start.date,
      endsAt,
      allDay: start.allDay,
      status: toStatus(event.status),
      participants,
      people,
    },
  };
}

export interface CancelledEventKey {
  /** The event id (what the stub carries); the id the session was stored under. */
  eventId: string;
  /** Set for a cancelled instance of a recurring series. */
  recurringEventId: string | null;
  /** The session externalId when the stub carries enough to compute it (iCalUID + a start), else null. */
  externalId: string | null;
}

/**
 * Identifies the session a cancelled event refers to, for stubs `normalizeCalendarEvent`
 * reports as `cancelled_unknown`. Null unless the event is cancelled and has an id.
 */
export function cancelledEventKey(event: CalendarEvent): CancelledEventKey | null {
  if (!event || event.status !== "cancelled") return null;
  const eventId = typeof event.id === "string" ? event.id.trim() : "";
  if (!eventId) return null;
  const start = parseEventTime(event.originalStartTime) ?? parseEventTime(event.start);
  return {
    eventId,
    recurringEventId: event.recurringEventId ?? null,
    externalId: event.iCalUID
      ? event.originalStartTime
        ? start
          ? `${event.iCalUID}|${start.date.toISOString()}`
          : null
        : event.iCalUID
      : null,
  };
}

/**
 * `${iCalUID}|${ISO instant}` of the original start for a recurring instance, else the iCalUID
 * alone (so a moved one-off event stays the same session). iCalUID is shared by every calendar
 * the meeting is on, so the key dedupes across calendars. (Without an iCalUID the event id
 * stands in.)
 */
function sessionExternalId(event: CalendarEvent, _start: Date, eventId: string): string {
  const uid = event.iCalUID?.trim() || eventId;
  // A recurring instance is one occurrence of the series: its original start tells which.
  // A one-off event is its iCalUID alone, so moving it updates the same session.
  const original = parseEventTime(event.originalStartTime);
  return original ? `${uid}|${original.date.toISOString()}` : uid;
}

function parseEventTime(
  time: EventDateTime | null | undefined,
): { date: Date; allDay: boolean } | null {
  if (!time) return null;
  if (time.dateTime) {
    const date = parseCalendarDateTime(time.dateTime, time.timeZone);
    return date ? { date, allDay: false } : null;
  }
  if (time.date) {
    const date = parseCalendarDate(time.date);
    return date ? { date, allDay: true } : null;
  }
  return null;
}

/** Addresses of rooms, shared/imported calendars (resource., group., group.v., import.calendar.google.com). */
export function isCalendarSystemAddress(email: string): boolean {
  return email.endsWith(".calendar.google.com") || email.endsWith("@calendar.google.com");
}

function toResponseStatus(value: string | null | undefined): ResponseStatus | null {
  return value && RESPONSE_STATUSES.has(value) ? (value as ResponseStatus) : null;
}

function toStatus(value: string | null | undefined): NormalizedSession["status"] {
  return value === "tentative" || value === "cancelled" ? value : "confirmed";
}

function descriptionSnippet(description: string | null | undefined): string | null {
  if (!description) return null;
  // Only the start matters for a 500-character excerpt; bound the conversion work.
  const head = description.length > 20_000 ? description.slice(0, 20_000) : description;
  const text = looksLikeHtml(head) ? htmlToText(head) : head;
  return cleanLine(cleanText(text), SNIPPET_MAX_CHARS);
}
