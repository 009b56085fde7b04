import type { Clock } from "./clock.ts";
import { DAY_MS } from "./clock.ts";
import { Prng, type Seed } from "./prng.ts";
import { occurrenceDays, parseRrule, type Rrule } from "./recurrence.ts";
import {
  dateToDays,
  daysToDate,
  parseRfc3339,
  startOfDate,
  wallTime,
  zonedToUtc,
} from "./timezone.ts";

/** A start or end: either an instant (with an optional zone it was written in) or a date. */
export type EventTime =
  | { dateTime: number; timeZone?: string; date?: undefined }
  | { date: string; dateTime?: undefined; timeZone?: undefined };

export type ResponseStatus = "needsAction" | "declined" | "tentative" | "accepted";

export interface AttendeeInput {
  email: string;
  displayName?: string;
  responseStatus?: ResponseStatus;
  optional?: boolean;
  organizer?: boolean;
  resource?: boolean;
  comment?: string;
}

export interface PersonRef {
  email: string;
  displayName?: string;
}

export interface EventInput {
  id?: string;
  summary?: string;
  description?: string;
  location?: string;
  /** `dateTime` as epoch ms or an RFC 3339 string; or an all-day `date` (YYYY-MM-DD). */
  start: { dateTime: number | string; timeZone?: string } | { date: string };
  /** Defaults to an hour (or a day) after the start. */
  end?: { dateTime: number | string; timeZone?: string } | { date: string };
  attendees?: AttendeeInput[];
  /** Defaults to the calendar's owner. */
  organizer?: PersonRef;
  /** e.g. ["RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU"] */
  recurrence?: string[];
  status?: "confirmed" | "tentative" | "cancelled";
  iCalUID?: string;
  transparency?: "opaque" | "transparent";
  visibility?: "default" | "public" | "private";
  colorId?: string;
  hangoutLink?: string;
  /** Creation/update instants; default the server clock. */
  created?: number;
  updated?: number;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  status: "confirmed" | "tentative" | "cancelled";
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  attendees?: AttendeeInput[];
  organizer: PersonRef;
  creator: PersonRef;
  recurrence?: string[];
  rule?: Rrule;
  recurringEventId?: string;
  originalStart?: EventTime;
  iCalUID: string;
  sequence: number;
  created: number;
  updated: number;
  /** The calendar's change counter when this event last changed (drives sync tokens). */
  seq: number;
  transparency?: "opaque" | "transparent";
  visibility?: "default" | "public" | "private";
  colorId?: string;
  hangoutLink?: string;
}

export interface CalendarInfo {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  accessRole: "owner" | "writer" | "reader" | "freeBusyReader";
  primary?: boolean;
  colorId: string;
  backgroundColor: string;
  foregroundColor: string;
}

export interface CalendarData {
  info: CalendarInfo;
  events: Map<string, StoredEvent>;
  /** Bumped by every change. */
  seq: number;
  /** Bumped to invalidate every sync token issued so far. */
  epoch: number;
}

export interface CalendarStoreOptions {
  email: string;
  ownerName?: string;
  clock: Clock;
  seed: Seed;
  timeZone: string;
}

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";
/** Series without COUNT/UNTIL stop here when no window bounds them. */
const MAX_INSTANCES = 730;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function instanceSuffix(time: EventTime): string {
  if (time.date !== undefined) return time.date.replace(/-/g, "");
  const d = new Date(time.dateTime);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** A series' instance id, `<masterId>_<20250114T170000Z>` (or `_20250114` for all-day). */
export const instanceId = (masterId: string, originalStart: EventTime): string =>
  `${masterId}_${instanceSuffix(originalStart)}`;

export function parseInstanceId(id: string): { masterId: string; suffix: string } | undefined {
  const m = /^(.+)_(\d{8}(?:T\d{6}Z)?)$/.exec(id);
  return m?.[1] && m[2] ? { masterId: m[1], suffix: m[2] } : undefined;
}

/** When a start/end happens, for ordering and windows; dates start at midnight in `timeZone`. */
export const instantOf = (time: EventTime, timeZone: string): number =>
  time.date !== undefined ? startOfDate(time.date, timeZone) : time.dateTime;

function toEventTime(value: EventInput["start"], what: string): EventTime {
  if ("date" in value) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date)) throw new Error(`Bad ${what}.date ${value.date}`);
    return { date: value.date };
  }
  const ms = typeof value.dateTime === "number" ? value.dateTime : parseRfc3339(value.dateTime);
  if (ms === undefined) throw new Error(`Bad ${what}.dateTime ${String(value.dateTime)}`);
  return value.timeZone ? { dateTime: ms, timeZone: value.timeZone } : { dateTime: ms };
}

function defaultEnd(start: EventTime): EventTime {
  if (start.date !== undefined) return { date: daysToDate(dateToDays(start.date) + 1) };
  return start.timeZone
    ? { dateTime: start.dateTime + 3_600_000, timeZone: start.timeZone }
    : { dateTime: start.dateTime + 3_600_000 };
}

/** One account's calendars and events, with the change counters sync tokens are built on. */
export class CalendarStore {
  readonly email: string;
  private readonly realClock: Clock;
  private fixedTime: number | undefined;
  private readonly prng: Prng;
  private readonly ownerName: string | undefined;
  private readonly data = new Map<string, CalendarData>();
  private listVersion = 1;
  private listEpoch = 1;

  constructor(options: CalendarStoreOptions) {
    this.email = options.email;
    this.realClock = options.clock;
    this.ownerName = options.ownerName;
    this.prng = new Prng(`${options.seed}/calendar-store`);
    this.addCalendar({
      id: options.email,
      summary: options.email,
      timeZone: options.timeZone,
      accessRole: "owner",
      primary: true,
      colorId: "14",
      backgroundColor: "#9fe1e7",
      foregroundColor: "#000000",
    });
  }

  private clock(): number {
    return this.fixedTime ?? this.realClock();
  }

  /** Runs `fn` with the store's clock pinned to `time` (the generator uses it for stable timestamps). */
  at<T>(time: number, fn: () => T): T {
    const previous = this.fixedTime;
    this.fixedTime = time;
    try {
      return fn();
    } finally {
      this.fixedTime = previous;
    }
  }

  get primaryId(): string {
    return this.email;
  }

  /** calendarList order: primary first, then as added. */
  calendars(): CalendarInfo[] {
    return [...this.data.values()].map((c) => c.info);
  }

  /** The calendar list's version (bumped when calendars are added). */
  get calendarListVersion(): { version: number; epoch: number } {
    return { version: this.listVersion, epoch: this.listEpoch };
  }

  addCalendar(info: CalendarInfo): CalendarInfo {
    if (this.data.has(info.id)) throw new Error(`Calendar ${info.id} exists`);
    this.data.set(info.id, { info: { ...info }, events: new Map(), seq: 1, epoch: 1 });
    this.listVersion += 1;
    return info;
  }

  /** Resolves "primary" and returns the calendar, or undefined. */
  calendar(calendarId: string): CalendarData | undefined {
    return this.data.get(calendarId === "primary" ? this.email : calendarId);
  }

  private requireCalendar(calendarId: string): CalendarData {
    const cal = this.calendar(calendarId);
    if (!cal) throw new Error(`No calendar ${calendarId} for ${this.email}`);
    return cal;
  }

  newEventId(): string {
    let id = "";
    for (let i = 0; i < 26; i++) id += BASE32HEX[Math.floor(this.prng.next() * 32)];
    return id;
  }

  /** Adds several events to one calendar. */
  load(calendarId: string, inputs: readonly EventInput[]): StoredEvent[] {
    return inputs.map((input) => this.addEvent(input, calendarId));
  }

  /** Adds an event (or a recurring series). Advances the calendar's sync state. */
  addEvent(input: EventInput, calendarId = "primary"): StoredEvent {
    const cal = this.requireCalendar(calendarId);
    const id = input.id ?? this.newEventId();
    if (cal.events.has(id)) throw new Error(`Event ${id} exists in ${cal.info.id}`);
    const start = toEventTime(input.start, "start");
    const end = input.end ? toEventTime(input.end, "end") : defaultEnd(start);
    const now = this.clock();
    const owner: PersonRef = cal.info.primary
      ? { email: this.email, ...(this.ownerName ? { displayName: this.ownerName } : {}) }
      : { email: cal.info.id, displayName: cal.info.summary };
    const event: StoredEvent = {
      id,
      calendarId: cal.info.id,
      status: input.status ?? "confirmed",
      start,
      end,
      organizer: input.organizer ?? owner,
      creator: input.organizer ?? { email: this.email },
      iCalUID: input.iCalUID ?? `${id}@google.com`,
      sequence: 0,
      created: input.created ?? now,
      updated: input.updated ?? input.created ?? now,
      seq: 0,
    };
    this.applyFields(event, input);
    if (input.recurrence?.length) {
      const rrule = input.recurrence.find((line) => /^RRULE:/i.test(line));
      event.recurrence = [...input.recurrence];
      if (rrule) event.rule = parseRrule(rrule);
    }
    cal.seq += 1;
    event.seq = cal.seq;
    cal.events.set(id, event);
    return event;
  }

  private applyFields(event: StoredEvent, input: Partial<EventInput>): void {
    if (input.summary !== undefined) event.summary = input.summary;
    if (input.description !== undefined) event.description = input.description;
    if (input.location !== undefined) event.location = input.location;
    if (input.attendees !== undefined) event.attendees = input.attendees.map((a) => ({ ...a }));
    if (input.transparency !== undefined) event.transparency = input.transparency;
    if (input.visibility !== undefined) event.visibility = input.visibility;
    if (input.colorId !== undefined) event.colorId = input.colorId;
    if (input.hangoutLink !== undefined) event.hangoutLink = input.hangoutLink;
    if (input.status !== undefined) event.status = input.status;
  }

  /** A stored event or exception, or an instance materialized from its series. */
  getEvent(calendarId: string, eventId: string): StoredEvent | undefined {
    const cal = this.calendar(calendarId);
    if (!cal) return undefined;
    const stored = cal.events.get(eventId);
    if (stored) return stored;
    const parsed = parseInstanceId(eventId);
    const master = parsed ? cal.events.get(parsed.masterId) : undefined;
    if (!master?.rule) return undefined;
    return this.expand(master, cal.info.timeZone, {}).find((e) => e.id === eventId);
  }

  /**
   * Changes an event, a series, or one instance of a series (which becomes an exception).
   * Advances the calendar's sync state.
   */
  updateEvent(
    eventId: string,
    patch: Partial<Omit<EventInput, "id">>,
    calendarId = "primary",
  ): StoredEvent {
    const cal = this.requireCalendar(calendarId);
    let event = cal.events.get(eventId);
    if (!event) {
      const instance = this.getEvent(calendarId, eventId);
      if (!instance?.recurringEventId) throw new Error(`No event ${eventId} in ${cal.info.id}`);
      event = { ...instance, attendees: instance.attendees?.map((a) => ({ ...a })) };
      cal.events.set(eventId, event);
    }
    this.applyFields(event, patch);
    if (patch.start) event.start = toEventTime(patch.start, "start");
    if (patch.end) event.end = toEventTime(patch.end, "end");
    else if (patch.start) event.end = defaultEnd(event.start);
    if (patch.recurrence) {
      event.recurrence = [...patch.recurrence];
      const rrule = patch.recurrence.find((line) => /^RRULE:/i.test(line));
      event.rule = rrule ? parseRrule(rrule) : undefined;
    }
    if (patch.start || patch.end || patch.recurrence || patch.summary || patch.location)
      event.sequence += 1;
    this.touch(cal, event);
    return event;
  }

  /** Cancels an event, a whole series (and its exceptions), or one instance of a series. */
  cancelEvent(eventId: string, calendarId = "primary"): StoredEvent {
    const cal = this.requireCalendar(calendarId);
    const event = this.updateEvent(eventId, { status: "cancelled" }, calendarId);
    if (event.rule) {
      for (const other of cal.events.values())
        if (other.recurringEventId === event.id && other.status !== "cancelled") {
          other.status = "cancelled";
          this.touch(cal, other);
        }
    }
    return event;
  }

  /** Every sync token issued so far for the calendar (or all calendars) now gets 410. */
  invalidateSyncTokens(calendarId?: string): void {
    const targets = calendarId ? [this.requireCalendar(calendarId)] : [...this.data.values()];
    for (const cal of targets) cal.epoch += 1;
    if (!calendarId) this.listEpoch += 1;
  }

  private touch(cal: CalendarData, event: StoredEvent): void {
    cal.seq += 1;
    event.seq = cal.seq;
    event.updated = Math.max(this.clock(), event.updated + 1);
  }

  /**
   * A series' instances whose original start lies in [from, to) — applying exceptions, and
   * adding exceptions moved into the window — plus nothing outside it.
   */
  expand(
    master: StoredEvent,
    calendarTimeZone: string,
    window: { from?: number; to?: number },
  ): StoredEvent[] {
    const rule = master.rule;
    if (!rule) return [];
    const cal = this.data.get(master.calendarId);
    const tz = master.start.timeZone ?? calendarTimeZone;
    const out: StoredEvent[] = [];
    const seen = new Set<string>();
    const bounded = rule.count !== undefined || rule.until !== undefined || window.to !== undefined;
    const startInstant = instantOf(master.start, tz);
    const duration = instantOf(master.end, tz) - startInstant;
    const startDay =
      master.start.date !== undefined
        ? dateToDays(master.start.date)
        : (() => {
            const w = wallTime(master.start.dateTime, tz);
            return Math.floor(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
          })();
    const wall = master.start.date === undefined ? wallTime(master.start.dateTime, tz) : undefined;
    let index = 0;
    for (const day of occurrenceDays(startDay, rule)) {
      index += 1;
      if (rule.count !== undefined && index > rule.count) break;
      if (index > 5000 || (!bounded && index > MAX_INSTANCES)) break;
      let start: EventTime;
      let end: EventTime;
      let at: number;
      if (wall) {
        const d = new Date(day * DAY_MS);
        at = zonedToUtc(
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          wall.hour,
          wall.minute,
          wall.second,
          tz,
        );
        start = master.start.timeZone
          ? { dateTime: at, timeZone: master.start.timeZone }
          : { dateTime: at };
        end = master.start.timeZone
          ? { dateTime: at + duration, timeZone: master.start.timeZone }
          : { dateTime: at + duration };
      } else {
        const date = daysToDate(day);
        at = startOfDate(date, tz);
        const endDays = master.end.date !== undefined ? dateToDays(master.end.date) - startDay : 1;
        start = { date };
        end = { date: daysToDate(day + endDays) };
      }
      if (rule.until !== undefined && at > rule.until) break;
      if (window.to !== undefined && at >= window.to) break;
      if (window.from !== undefined && at + duration <= window.from) continue;
      const id = instanceId(master.id, start);
      seen.add(id);
      const exception = cal?.events.get(id);
      if (exception) {
        out.push(
          master.status === "cancelled" && exception.status !== "cancelled"
            ? { ...exception, status: "cancelled" }
            : exception,
        );
        continue;
      }
      const { recurrence: _r, rule: _rule, ...rest } = master;
      out.push({ ...rest, id, recurringEventId: master.id, originalStart: start, start, end });
    }
    // exceptions moved into the window from outside it
    if (cal)
      for (const exception of cal.events.values()) {
        if (exception.recurringEventId !== master.id || seen.has(exception.id)) continue;
        const s = instantOf(exception.start, tz);
        const e = instantOf(exception.end, tz);
        if (
          (window.to === undefined || s < window.to) &&
          (window.from === undefined || e > window.from)
        )
          out.push(exception);
      }
    return out;
  }
}
