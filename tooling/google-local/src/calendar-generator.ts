import { DAY_MS, MINUTE_MS } from "./clock.ts";
import type { AttendeeInput, CalendarStore, EventInput, ResponseStatus } from "./calendar-store.ts";
import type { Address } from "./mime.ts";
import type { Practice } from "./practice.ts";
import { Prng, type Seed } from "./prng.ts";
import { daysToDate, wallTime, zonedToUtc } from "./timezone.ts";

/**
 * Deterministic calendar generation: client sessions with attendees, a weekly group class
 * with a moved and a cancelled instance, a daily series, all-day and multi-day events,
 * cancelled events, an external invite with a non-Google iCalUID, and two more calendars
 * (a shared class calendar and a read-only holiday calendar).
 */
export interface CalendarGenerationOptions {
  seed: Seed;
  practice: Practice;
  store: CalendarStore;
  /** How many events (series count once) the primary calendar gets. */
  count: number;
  anchor: number;
}

export const HOLIDAY_CALENDAR_ID = "en.usa#holiday@group.v.calendar.google.com";

const SESSION_TITLES = [
  "Session — {client}",
  "Initial consultation — {client}",
  "Follow-up: {client}",
  "Massage (60) — {client}",
  "Acupuncture — {client}",
];
const LOCATIONS = [
  "Studio A, 123 Main St, Springfield",
  "Studio B, 123 Main St, Springfield",
  "Client's home",
];

function response(prng: Prng): ResponseStatus {
  return prng.weighted([
    ["accepted", 70],
    ["needsAction", 15],
    ["tentative", 10],
    ["declined", 5],
  ] as const);
}

const attendee = (a: Address, responseStatus: ResponseStatus): AttendeeInput =>
  a.name
    ? { email: a.email, displayName: a.name, responseStatus }
    : { email: a.email, responseStatus };

export function generateCalendar(options: CalendarGenerationOptions): void {
  const { practice, store, count, anchor } = options;
  const prng = new Prng(`${options.seed}/calendar`);
  const tz = practice.timeZone;
  const owner: AttendeeInput = {
    email: store.email,
    ...(practice.owner.name ? { displayName: practice.owner.name } : {}),
    responseStatus: "accepted",
    organizer: true,
  };
  const anchorWall = wallTime(anchor, tz);
  const anchorDay = Math.floor(
    Date.UTC(anchorWall.year, anchorWall.month - 1, anchorWall.day) / DAY_MS,
  );
  /** A local wall time `dayOffset` days from the anchor's date. */
  const localTime = (dayOffset: number, hour: number, minute = 0, zone = tz): number => {
    const d = new Date((anchorDay + dayOffset) * DAY_MS);
    return zonedToUtc(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      hour,
      minute,
      0,
      zone,
    );
  };
  const createdAt = (): number => anchor - prng.int(70, 100) * DAY_MS + prng.int(0, 86_399) * 1000;
  const add = (input: EventInput, calendarId = "primary"): string => {
    const created = createdAt();
    return store.at(created, () => store.addEvent({ ...input, created }, calendarId)).id;
  };
  const laterChange = (fn: () => void): void => {
    store.at(anchor - prng.int(1, 20) * DAY_MS, fn);
  };

  let made = 0;
  const specials: (() => void)[] = [
    () => {
      // weekly group class: Tuesdays 18:00 for 16 weeks, one instance moved, one cancelled
      const firstTuesday = ((2 - wallTime(localTime(-42, 12), tz).weekday + 7) % 7) - 42;
      const start = localTime(firstTuesday, 18);
      const id = add({
        summary: "Gentle Yoga Flow (group)",
        location: LOCATIONS[0],
        start: { dateTime: start, timeZone: tz },
        end: { dateTime: start + 75 * MINUTE_MS, timeZone: tz },
        recurrence: ["RRULE:FREQ=WEEKLY;COUNT=16;BYDAY=TU"],
        attendees: [
          owner,
          ...prng.sample(practice.clients, 6).map((c) => attendee(c, response(prng))),
        ],
      });
      const series = store.getEvent("primary", id);
      const instances = series ? store.expand(series, tz, {}) : [];
      const moved = instances[2];
      const cancelled = instances[4];
      laterChange(() => {
        if (moved?.start.dateTime !== undefined)
          store.updateEvent(moved.id, {
            start: { dateTime: moved.start.dateTime + 60 * MINUTE_MS, timeZone: tz },
            end: { dateTime: moved.start.dateTime + 135 * MINUTE_MS, timeZone: tz },
          });
        if (cancelled) store.cancelEvent(cancelled.id);
      });
    },
    () =>
      add({
        summary: "Studio closed — staff training",
        start: { date: daysToDate(anchorDay + 5) },
        transparency: "transparent",
      }),
    () =>
      add({
        summary: "Wellness retreat in Ojai",
        start: { date: daysToDate(anchorDay + 17) },
        end: { date: daysToDate(anchorDay + 20) },
        location: "Ojai Valley Retreat Center",
        attendees: [owner, ...prng.sample(practice.clients, 3).map((c) => attendee(c, "accepted"))],
      }),
    () => {
      const client = prng.pick(practice.clients);
      const start = localTime(3, 10);
      const id = add({
        summary: `Session — ${client.name ?? client.email}`,
        start: { dateTime: start },
        end: { dateTime: start + 60 * MINUTE_MS },
        attendees: [owner, attendee(client, "declined")],
      });
      laterChange(() => store.cancelEvent(id));
    },
    () => {
      const start = localTime(2, 12);
      add({
        summary: "Case consult: integrative care",
        start: { dateTime: start },
        end: { dateTime: start + 45 * MINUTE_MS },
        organizer: { email: "lena.park@integrative-health.example", displayName: "Dr. Lena Park" },
        iCalUID: `040000008200E00074C5B7101A82E00800000000${prng.hex(32).toUpperCase()}`,
        attendees: [
          {
            email: "lena.park@integrative-health.example",
            displayName: "Dr. Lena Park",
            organizer: true,
            responseStatus: "accepted",
          },
          { email: store.email, responseStatus: "needsAction" },
          {
            email: "conference-room-2@integrative-health.example",
            displayName: "Room 2",
            resource: true,
            responseStatus: "accepted",
          },
        ],
      });
    },
    () => {
      const start = localTime(-14, 7);
      const until = new Date(localTime(14, 23));
      const untilStr = `${until.getUTCFullYear()}${String(until.getUTCMonth() + 1).padStart(2, "0")}${String(until.getUTCDate()).padStart(2, "0")}T235959Z`;
      add({
        summary: "Morning meditation",
        start: { dateTime: start, timeZone: tz },
        end: { dateTime: start + 20 * MINUTE_MS, timeZone: tz },
        recurrence: [`RRULE:FREQ=DAILY;UNTIL=${untilStr}`],
        transparency: "transparent",
      });
    },
    () => {
      const start = localTime(1, 16);
      add({
        summary: "Supervision call",
        status: "tentative",
        start: { dateTime: start },
        end: { dateTime: start + 30 * MINUTE_MS },
        hangoutLink: "https://meet.google.com/sup-ervi-sion",
      });
    },
    () => {
      const start = localTime(-1, 13);
      add({
        summary: "Admin & notes",
        visibility: "private",
        start: { dateTime: start },
        end: { dateTime: start + 90 * MINUTE_MS },
      });
    },
    () => {
      const client = prng.pick(practice.clients);
      const start = localTime(4, 9, 0, "America/New_York");
      add({
        summary: `Video consult — ${client.name ?? client.email}`,
        start: { dateTime: start, timeZone: "America/New_York" },
        end: { dateTime: start + 50 * MINUTE_MS, timeZone: "America/New_York" },
        hangoutLink: "https://meet.google.com/abc-defg-hij",
        attendees: [owner, attendee(client, "accepted")],
      });
    },
  ];
  for (const make of specials) {
    if (made >= count) break;
    make();
    made += 1;
  }

  while (made < count) {
    let offset = prng.int(-60, 30);
    const weekday = wallTime(localTime(offset, 12), tz).weekday;
    if (weekday === 0) offset += 1;
    if (weekday === 6) offset -= 1;
    const client = prng.pick(practice.clients);
    const hour = prng.int(9, 17);
    const start = localTime(offset, hour, prng.pick([0, 0, 30]));
    const minutes = prng.pick([50, 60, 60, 90]);
    const title = prng.pick(SESSION_TITLES).replace("{client}", client.name ?? client.email);
    const online = prng.chance(0.25);
    const id = add({
      summary: title,
      start: { dateTime: start },
      end: { dateTime: start + minutes * MINUTE_MS },
      attendees: [owner, attendee(client, response(prng))],
      ...(online
        ? { hangoutLink: `https://meet.google.com/${prng.hex(3)}-${prng.hex(4)}-${prng.hex(3)}` }
        : { location: prng.pick(LOCATIONS) }),
      ...(prng.chance(0.3)
        ? { description: "Focus: lower back, hip mobility.\nBring comfortable clothes." }
        : {}),
    });
    if (prng.chance(0.08)) laterChange(() => store.cancelEvent(id));
    made += 1;
  }

  // a shared class calendar and a read-only holiday calendar
  const classesId = `c_${prng.hex(24)}@group.calendar.google.com`;
  store.addCalendar({
    id: classesId,
    summary: "Studio Classes",
    description: "Group classes at the studio",
    timeZone: tz,
    accessRole: "owner",
    colorId: "7",
    backgroundColor: "#42d692",
    foregroundColor: "#000000",
  });
  const monday = ((1 - wallTime(localTime(-28, 12), tz).weekday + 7) % 7) - 28;
  for (const [title, day, hour] of [
    ["Vinyasa Flow", monday, 9],
    ["Restorative Yoga", monday + 3, 19],
  ] as const) {
    const start = localTime(day, hour);
    add(
      {
        summary: title,
        location: LOCATIONS[1],
        start: { dateTime: start, timeZone: tz },
        end: { dateTime: start + 60 * MINUTE_MS, timeZone: tz },
        recurrence: [`RRULE:FREQ=WEEKLY;COUNT=12`],
      },
      classesId,
    );
  }
  store.addCalendar({
    id: HOLIDAY_CALENDAR_ID,
    summary: "Holidays in United States",
    timeZone: tz,
    accessRole: "reader",
    colorId: "8",
    backgroundColor: "#16a765",
    foregroundColor: "#000000",
  });
  for (const year of [anchorWall.year - 1, anchorWall.year, anchorWall.year + 1])
    for (const [month, day, name] of [
      [1, 1, "New Year's Day"],
      [6, 19, "Juneteenth"],
      [7, 4, "Independence Day"],
      [11, 11, "Veterans Day"],
      [12, 25, "Christmas Day"],
    ] as const) {
      const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      add(
        {
          id: `${date.replace(/-/g, "")}_${prng.hex(10)}`.replace(/[^a-v0-9]/g, "0"),
          summary: name,
          start: { date },
          transparency: "transparent",
          visibility: "public",
          organizer: { email: HOLIDAY_CALENDAR_ID, displayName: "Holidays in United States" },
        },
        HOLIDAY_CALENDAR_ID,
      );
    }
}
