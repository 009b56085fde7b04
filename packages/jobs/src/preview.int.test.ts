import { contacts, sync } from "@omnicrm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendarSync } from "./functions/calendar-sync.ts";
import { createGmailSync } from "./functions/gmail-sync.ts";
import { previewCalendar, previewGmail, PREVIEW_SAMPLE } from "./sync/preview.ts";
import {
  connectedUser,
  messagesInScope,
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

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

describe("previews", () => {
  it("say what Gmail and Calendar syncs would do, write nothing, and agree with the syncs", async () => {
    const { actor, googleEmail } = await connectedUser(h, { gmail: { labelIds: ["INBOX"] } });
    const mailbox = h.google.mailbox(googleEmail);
    mailbox.addMessage({
      from: { name: "Known Client", email: "known.client@gmail.example" },
      subject: "Booking",
      labelIds: ["INBOX"],
    });
    mailbox.addMessage({
      from: { name: "Brand New", email: "brand.new@gmail.example" },
      subject: "Hello",
      labelIds: ["INBOX"],
    });
    // A contact the user already has: not a "new contact" in the preview, and left alone.
    await contacts.createContact(h.db, actor, {
      name: "Known Client",
      emails: ["known.client@gmail.example"],
    });
    const before = await rowCounts(h.db, actor);
    expect(before).toEqual({
      interactions: 0,
      links: 0,
      timeline: 1,
      contacts: 1,
      raw: 0,
      runs: 0,
    });
    const inScope = messagesInScope(mailbox.list(), "INBOX", 90, h.clock());
    expect(inScope.length).toBeLessThanOrEqual(PREVIEW_SAMPLE);

    const gmail = await previewGmail(h.deps, actor);
    const calendar = await previewCalendar(h.deps, actor);

    expect(gmail).toMatchObject({
      kind: "gmail",
      total: inScope.length,
      estimated: false,
      sampled: inScope.length,
    });
    expect(gmail.wouldLog + sum(gmail.skipped)).toBe(gmail.sampled);
    expect(gmail.skipped.bulk).toBeGreaterThan(0);
    expect(gmail.samples.length).toBeGreaterThan(0);
    expect(gmail.samples.length).toBeLessThanOrEqual(10);
    expect(gmail.samples).toContainEqual({
      subject: "Hello",
      occurredAt: new Date(h.clock()).toISOString(),
      direction: "inbound",
      people: [{ email: "brand.new@gmail.example", name: "Brand New" }],
    });
    const newEmails = gmail.newContacts.map((c) => c.email);
    expect(newEmails).toContain("brand.new@gmail.example");
    expect(newEmails).not.toContain("known.client@gmail.example");
    expect(gmail.newContactsInSample).toBeGreaterThanOrEqual(gmail.newContacts.length);

    expect(calendar.kind).toBe("calendar");
    expect(calendar.total).toBeGreaterThan(10);
    expect(calendar.wouldLog).toBeGreaterThan(0);
    expect(calendar.samples.length).toBeGreaterThan(0);
    expect(calendar.newContactsInSample).toBeGreaterThan(0);

    // Nothing was written: no interactions, raw records, contacts, timeline entries or runs.
    expect(await rowCounts(h.db, actor)).toEqual(before);
    expect(await h.db.calendarCursor.count({ where: { userId: actor.userId } })).toBe(0);
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({
      stage: "not_started",
      cursor: null,
      lastRunAt: null,
    });

    // The syncs then do what the previews said.
    const calendarRun = await runFunction<Record<string, unknown>>(
      createCalendarSync(() => h.deps),
      syncEvent("calendar", actor, "approval"),
    );
    expect(calendarRun.result).toMatchObject({
      fetched: calendar.total,
      interactions: calendar.wouldLog,
      contactsCreated: calendar.newContactsInSample,
    });
    const gmailRun = await runFunction<Record<string, unknown>>(
      createGmailSync(() => h.deps),
      syncEvent("gmail", actor, "approval"),
    );
    expect(gmailRun.result).toMatchObject({
      listed: gmail.total,
      interactions: gmail.wouldLog,
      skipped: gmail.skipped,
    });
  });

  it("refuses to preview without a connection or a chosen label", async () => {
    const { actor } = await connectedUser(h);
    await sync.updatePreferences(h.db, actor, { kind: "gmail", preferences: { labelIds: [] } });
    await expect(previewGmail(h.deps, actor)).rejects.toThrow(
      "Choose the labels or the search to sync first.",
    );
    await sync.markReconnectNeeded(h.db, actor, "Google withdrew the permission.");
    await expect(previewCalendar(h.deps, actor)).rejects.toThrow(
      "Reconnect Google before previewing.",
    );
    expect(await h.db.syncRun.count({ where: { userId: actor.userId } })).toBe(0);
  });
});
