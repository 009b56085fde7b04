import { describe, expect, it } from "vitest";
import { SELF, calendarEvent, type EventSpec } from "./builders.ts";
import { cancelledEventKey, normalizeCalendarEvent } from "./calendar.ts";
import { dedupeByExternalId } from "./result.ts";
import type { NormalizeResult, NormalizeRules, NormalizedSession } from "./types.ts";

const RULES: NormalizeRules = {
  selfAddresses: [SELF],
  neverLog: [],
  skipBulk: true,
  maxRecipients: 10,
  includeBodies: false,
};

function normalize(
  spec: EventSpec = {},
  rules: Partial<NormalizeRules> = {},
  calendarId = "primary",
) {
  return normalizeCalendarEvent(calendarEvent(spec), calendarId, { ...RULES, ...rules });
}

function ok(result: NormalizeResult<NormalizedSession>): NormalizedSession {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason} (${result.detail ?? ""})`);
  return result.value;
}

describe("normalizeCalendarEvent", () => {
  it("normalizes a timed event", () => {
    const result = normalize({
      description: "Initial consultation.\n\nPlease bring your intake form.",
      location: "  Studio 2, 12 Main St  ",
    });
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "session",
        externalId: "evt001@google.com",
        eventId: "evt001",
        calendarId: "primary",
        subject: "Session",
        snippet: "Initial consultation. Please bring your intake form.",
        location: "Studio 2, 12 Main St",
        occurredAt: new Date("2024-06-03T08:00:00.000Z"),
        endsAt: new Date("2024-06-03T09:00:00.000Z"),
        allDay: false,
        status: "confirmed",
        participants: [
          { email: SELF, name: null, role: "organizer", self: true },
          { email: SELF, name: null, role: "attendee", responseStatus: "accepted", self: true },
          {
            email: "client@example.com",
            name: "Client Person",
            role: "attendee",
            responseStatus: "needsAction",
            self: false,
          },
        ],
        people: [{ email: "client@example.com", name: "Client Person", role: "attendee" }],
      },
    });
  });

  it("normalizes an all-day event as UTC midnight", () => {
    const value = ok(normalize({ start: { date: "2024-06-01" }, end: { date: "2024-06-02" } }));
    expect(value.allDay).toBe(true);
    expect(value.occurredAt.toISOString()).toBe("2024-06-01T00:00:00.000Z");
    expect(value.endsAt?.toISOString()).toBe("2024-06-02T00:00:00.000Z");
    expect(value.externalId).toBe("evt001@google.com");
  });

  it("reads a zone-less dateTime in its timeZone", () => {
    const value = ok(
      normalize({
        start: { dateTime: "2024-01-15T09:00:00", timeZone: "America/New_York" },
        end: { dateTime: "2024-01-15T10:00:00", timeZone: "America/New_York" },
      }),
    );
    expect(value.occurredAt.toISOString()).toBe("2024-01-15T14:00:00.000Z");
    expect(value.endsAt?.toISOString()).toBe("2024-01-15T15:00:00.000Z");
  });

  it("is invalid without a usable start; end is null when missing or before start", () => {
    expect(normalize({ start: { dateTime: "next tuesday" } })).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    expect(normalize({ start: { date: "2024-02-31" } })).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    expect(normalize({ start: undefined })).toMatchObject({ ok: false, reason: "invalid" });
    expect(ok(normalize({ end: undefined })).endsAt).toBeNull();
    expect(ok(normalize({ end: { dateTime: "2024-06-03T07:00:00+02:00" } })).endsAt).toBeNull();
  });

  it("gives a recurring instance the same externalId on two calendars, keyed by original start", () => {
    const instance: EventSpec = {
      id: "rec123_20240610T080000Z",
      recurringEventId: "rec123",
      iCalUID: "rec123@google.com",
      // Moved by an hour; the original slot identifies the instance.
      start: { dateTime: "2024-06-10T11:00:00+02:00", timeZone: "Europe/Berlin" },
      end: { dateTime: "2024-06-10T12:00:00+02:00", timeZone: "Europe/Berlin" },
      originalStartTime: { dateTime: "2024-06-10T10:00:00+02:00", timeZone: "Europe/Berlin" },
    };
    const mine = ok(normalize(instance, {}, "primary"));
    // The client's copy: another calendar, self flags flipped, offset written differently.
    const theirs = ok(
      normalize(
        {
          ...instance,
          originalStartTime: { dateTime: "2024-06-10T08:00:00Z" },
          attendees: [
            { email: SELF, organizer: true, responseStatus: "accepted" },
            { email: "client@example.com", self: true, responseStatus: "accepted" },
          ],
        },
        { selfAddresses: ["client@example.com"] },
        "client@example.com",
      ),
    );
    expect(mine.externalId).toBe("rec123@google.com|2024-06-10T08:00:00.000Z");
    expect(theirs.externalId).toBe(mine.externalId);
    expect(mine.occurredAt.toISOString()).toBe("2024-06-10T09:00:00.000Z");
    expect(dedupeByExternalId([mine, theirs])).toEqual([mine]);

    const nextWeek = ok(
      normalize({
        ...instance,
        id: "rec123_20240617T080000Z",
        start: { dateTime: "2024-06-17T10:00:00+02:00" },
        originalStartTime: { dateTime: "2024-06-17T10:00:00+02:00" },
      }),
    );
    expect(nextWeek.externalId).not.toBe(mine.externalId);
  });

  it("reports an incremental-sync cancelled stub as cancelled_unknown with its id", () => {
    const stub = { id: "evt001", status: "cancelled" };
    expect(normalizeCalendarEvent(stub, "primary", RULES)).toEqual({
      ok: false,
      reason: "cancelled_unknown",
      detail: "evt001",
    });
    expect(cancelledEventKey(stub)).toEqual({
      eventId: "evt001",
      recurringEventId: null,
      externalId: null,
    });
  });

  it("keys a cancelled recurring instance stub when it carries enough", () => {
    const stub = {
      id: "rec123_20240610T080000Z",
      status: "cancelled",
      recurringEventId: "rec123",
      iCalUID: "rec123@google.com",
      originalStartTime: { dateTime: "2024-06-10T10:00:00+02:00" },
    };
    expect(cancelledEventKey(stub)).toEqual({
      eventId: "rec123_20240610T080000Z",
      recurringEventId: "rec123",
      externalId: "rec123@google.com|2024-06-10T08:00:00.000Z",
    });
    expect(cancelledEventKey(calendarEvent())).toBeNull();
  });

  it("keeps a cancelled event that still has its start, with status cancelled", () => {
    expect(ok(normalize({ status: "cancelled" })).status).toBe("cancelled");
    expect(ok(normalize({ status: "tentative" })).status).toBe("tentative");
    expect(ok(normalize({ status: undefined })).status).toBe("confirmed");
  });

  it("leaves out rooms and calendars, and marks self by flag or address", () => {
    const value = ok(
      normalize({
        organizer: {
          email: "c_abc123@group.calendar.google.com",
          displayName: "Practice shared calendar",
        },
        attendees: [
          { email: "Me@Practice.com", responseStatus: "accepted" },
          {
            email: "c_188abc@resource.calendar.google.com",
            displayName: "Room 1",
            resource: true,
            responseStatus: "accepted",
          },
          { email: "studio-b@resource.calendar.google.com", displayName: "Studio B" },
          { email: "room@practice.com", displayName: "Treatment room", resource: true },
          { email: "assistant@practice.com", self: true, responseStatus: "tentative" },
          { email: "Client@Example.com", displayName: "Client", responseStatus: "declined" },
          { email: "client@example.com", displayName: "Duplicate" },
          { displayName: "No email" },
        ],
      }),
    );
    expect(value.participants).toEqual([
      { email: SELF, name: null, role: "attendee", responseStatus: "accepted", self: true },
      {
        email: "assistant@practice.com",
        name: null,
        role: "attendee",
        responseStatus: "tentative",
        self: true,
      },
      {
        email: "client@example.com",
        name: "Client",
        role: "attendee",
        responseStatus: "declined",
        self: false,
      },
    ]);
    expect(value.people).toEqual([
      { email: "client@example.com", name: "Client", role: "attendee" },
    ]);
  });

  it("includes an organizer who is not an attendee", () => {
    const value = ok(
      normalize({
        organizer: { email: "therapist@otherclinic.com", displayName: "Dr. Other" },
        attendees: [{ email: SELF, self: true, responseStatus: "accepted" }],
      }),
    );
    expect(value.participants[0]).toEqual({
      email: "therapist@otherclinic.com",
      name: "Dr. Other",
      role: "organizer",
      self: false,
    });
    expect(value.people).toEqual([
      { email: "therapist@otherclinic.com", name: "Dr. Other", role: "organizer" },
    ]);
  });

  it("skips events with nobody but the user", () => {
    expect(normalize({ attendees: undefined })).toEqual({ ok: false, reason: "no_participants" });
  });

  it("skips events that are not meetings", () => {
    expect(normalize({ eventType: "outOfOffice" })).toEqual({
      ok: false,
      reason: "not_in_scope",
      detail: "outOfOffice",
    });
    expect(normalize({ eventType: "focusTime" })).toMatchObject({ reason: "not_in_scope" });
  });

  it("applies never-log and the attendee limit", () => {
    expect(normalize({}, { neverLog: ["example.com"] })).toMatchObject({
      ok: false,
      reason: "never_log",
    });
    expect(
      normalize({ organizer: { email: "ex@private.com" } }, { neverLog: ["ex@private.com"] }),
    ).toMatchObject({ reason: "never_log" });
    const attendees = [
      { email: SELF, self: true },
      ...Array.from({ length: 4 }, (_, i) => ({ email: `p${i}@example.com` })),
    ];
    expect(normalize({ attendees }, { maxRecipients: 4 }).ok).toBe(true);
    expect(normalize({ attendees }, { maxRecipients: 3 })).toEqual({
      ok: false,
      reason: "too_many_recipients",
      detail: "4 attendees > 3",
    });
  });

  it("turns an HTML description into a 500-char text snippet", () => {
    const value = ok(
      normalize({
        description:
          '<p>Join: <a href="https://meet.google.com/abc-defg-hij">Google Meet</a></p><br><b>Bring</b> water &amp; a mat',
      }),
    );
    expect(value.snippet).toBe("Join: Google Meet Bring water & a mat");
    expect(
      ok(normalize({ description: `<p>${"word ".repeat(300)}</p>` })).snippet?.length,
    ).toBeLessThanOrEqual(500);
    expect(ok(normalize({ description: "   " })).snippet).toBeNull();
  });

  it("is deterministic", () => {
    const event = calendarEvent({ description: "<i>x</i>" });
    expect(normalizeCalendarEvent(structuredClone(event), "primary", RULES)).toEqual(
      normalizeCalendarEvent(event, "primary", RULES),
    );
  });
});
