import { describe, expect, it } from "vitest";
import { CalendarStore } from "./calendar-store.ts";
import { generateCalendar } from "./calendar-generator.ts";
import { generateMessages, SPECIAL_CASES } from "./generator.ts";
import { Mailbox, type StoredMessage } from "./mailbox.ts";
import { decodeWords } from "./mime.ts";
import { buildPractice } from "./practice.ts";

const ANCHOR = Date.UTC(2025, 5, 1);
const EMAIL = "maya@serenity-wellness.example";

function mailbox(seed: number | string, count: number): Mailbox {
  const practice = buildPractice(seed, { name: "Maya Rivers", email: EMAIL });
  const box = new Mailbox({ email: EMAIL, clock: () => ANCHOR, seed, practice });
  box.load(generateMessages({ seed, practice, email: EMAIL, count, anchor: ANCHOR }));
  return box;
}

function calendar(seed: number | string, count: number): CalendarStore {
  const practice = buildPractice(seed, { name: "Maya Rivers", email: EMAIL });
  const store = new CalendarStore({
    email: EMAIL,
    ownerName: "Maya Rivers",
    clock: () => ANCHOR,
    seed,
    timeZone: practice.timeZone,
  });
  generateCalendar({ seed, practice, store, count, anchor: ANCHOR });
  return store;
}

const header = (m: StoredMessage, name: string): string | undefined =>
  m.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

const snapshot = (box: Mailbox) =>
  box.list().map((m) => ({
    id: m.id,
    threadId: m.threadId,
    labels: m.labelIds,
    date: m.internalDate,
    raw: m.raw,
    historyId: m.historyId,
  }));

describe("generator", () => {
  it("is deterministic: same seed and anchor, same mailbox and calendar", () => {
    expect(snapshot(mailbox(5, 300))).toEqual(snapshot(mailbox(5, 300)));
    expect(snapshot(mailbox(5, 300))).not.toEqual(snapshot(mailbox(6, 300)));
    const events = (s: CalendarStore) =>
      s.calendars().flatMap((c) => [...(s.calendar(c.id)?.events.values() ?? [])]);
    expect(events(calendar(5, 50))).toEqual(events(calendar(5, 50)));
    expect(events(calendar(5, 50))).not.toEqual(events(calendar(6, 50)));
  });

  it("makes exactly the requested number of messages", () => {
    for (const count of [0, 1, 15, 16, 400]) expect(mailbox(1, count).size).toBe(count);
    const box = mailbox(1, 400);
    expect(new Set(box.list().map((m) => m.id)).size).toBe(400);
    expect(
      box
        .list()
        .every((m) => m.internalDate < ANCHOR && m.internalDate > ANCHOR - 366 * 86_400_000),
    ).toBe(true);
  });

  it("includes every awkward case", () => {
    const box = mailbox(11, 200);
    const all = box.list();
    const has = (what: string, predicate: (m: StoredMessage) => boolean) =>
      expect(all.some(predicate), what).toBe(true);
    expect(SPECIAL_CASES.length).toBeGreaterThan(10);

    has("no From", (m) => header(m, "From") === undefined);
    has("no Date", (m) => header(m, "Date") === undefined);
    has("RFC 2047 B name", (m) => /^=\?UTF-8\?B\?/.test(header(m, "From") ?? ""));
    has("RFC 2047 Q name", (m) => /^=\?UTF-8\?Q\?/.test(header(m, "From") ?? ""));
    has("encoded subject", (m) => /=\?UTF-8\?[BQ]\?/.test(header(m, "Subject") ?? ""));
    has("Reply-To", (m) => header(m, "Reply-To") !== undefined);
    has("Cc", (m) => header(m, "Cc") !== undefined);
    has(
      "Bcc on a sent message",
      (m) => header(m, "Bcc") !== undefined && m.labelIds.includes("SENT"),
    );
    has(
      "newsletter",
      (m) =>
        header(m, "Precedence") === "bulk" &&
        /^<mailto:.*>, <https:/.test(header(m, "List-Unsubscribe") ?? ""),
    );
    has("no-reply sender", (m) => /no-?reply@/i.test(header(m, "From") ?? ""));
    has(
      "many recipients",
      (m) => ((header(m, "To") ?? "") + (header(m, "Cc") ?? "")).split("@").length - 1 >= 30,
    );
    has("multipart/alternative", (m) => m.body.mimeType === "multipart/alternative");
    has("attachment", (m) => m.body.mimeType === "multipart/mixed" && m.attachments.size > 0);
    has("html only", (m) => m.body.mimeType === "text/html");
    has("text only", (m) => m.body.mimeType === "text/plain");
    has('"Last, First" name', (m) => /^"[^"]+, [^"]+" </.test(header(m, "From") ?? ""));
    has("reply in a thread", (m) => header(m, "In-Reply-To") !== undefined && m.threadId !== m.id);
    has("quoted-printable body", (m) =>
      m.raw.includes("Content-Transfer-Encoding: quoted-printable"),
    );
    for (const label of [
      "INBOX",
      "SENT",
      "UNREAD",
      "Label_1",
      "CATEGORY_PROMOTIONS",
      "CATEGORY_UPDATES",
    ])
      has(`label ${label}`, (m) => m.labelIds.includes(label));

    const threads = new Map<string, number>();
    for (const m of all) threads.set(m.threadId, (threads.get(m.threadId) ?? 0) + 1);
    expect(Math.max(...threads.values())).toBeGreaterThanOrEqual(3);
    // every thread id is the id of a message in it (as Gmail does)
    for (const threadId of threads.keys())
      expect(box.getMessage(threadId)?.threadId).toBe(threadId);

    const names = all.map((m) => decodeWords(header(m, "From") ?? ""));
    expect(names.some((n) => /[^\x20-\x7e]/.test(n))).toBe(true);
  });

  it("generates calendar events with the awkward cases", () => {
    const store = calendar(11, 40);
    const events = [...(store.calendar("primary")?.events.values() ?? [])];
    expect(events.filter((e) => !e.recurringEventId)).toHaveLength(40);
    expect(events.some((e) => e.rule?.freq === "WEEKLY" && e.attendees?.length)).toBe(true);
    expect(events.some((e) => e.rule?.freq === "DAILY" && e.rule.until)).toBe(true);
    expect(events.some((e) => e.recurringEventId && e.status === "cancelled")).toBe(true);
    expect(events.some((e) => e.recurringEventId && e.status === "confirmed")).toBe(true);
    expect(events.some((e) => !e.recurringEventId && e.status === "cancelled")).toBe(true);
    expect(events.some((e) => e.status === "tentative")).toBe(true);
    expect(events.some((e) => e.start.date !== undefined)).toBe(true);
    expect(
      events.some(
        (e) =>
          e.start.date !== undefined &&
          e.end.date !== undefined &&
          e.end.date > e.start.date &&
          Date.parse(e.end.date) - Date.parse(e.start.date) > 86_400_000,
      ),
    ).toBe(true);
    expect(
      events.some((e) => !e.iCalUID.endsWith("@google.com") && e.organizer.email !== EMAIL),
    ).toBe(true);
    expect(events.some((e) => e.start.timeZone === "America/New_York")).toBe(true);
    expect(events.some((e) => !e.attendees)).toBe(true);
    expect(store.calendars().map((c) => c.accessRole)).toEqual(["owner", "owner", "reader"]);
  });
});
