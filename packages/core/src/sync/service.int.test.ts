import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { createContact } from "../contacts/service.ts";
import { InvalidInputError } from "../errors.ts";
import { makeUser } from "../shared/testing.ts";
import {
  approveChannel,
  dueChannels,
  failRun,
  finishRun,
  getChannel,
  listRuns,
  markPreviewed,
  markReconnectNeeded,
  startRun,
  syncOverview,
  updatePreferences,
} from "./channels.ts";
import {
  applyInteractions,
  contactsThatWouldBeCreated,
  nameFromEmail,
  upcomingSessions,
  type InteractionInput,
} from "./interactions.ts";
import { markNormalized, storeRawRecords } from "./records.ts";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const now = new Date("2026-11-23T12:00:00Z");
const hoursFrom = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

function email(
  externalId: string,
  people: { email: string; name?: string | null; role?: string }[],
  extra: Partial<InteractionInput> = {},
): InteractionInput {
  return {
    kind: "email",
    externalId,
    direction: "inbound",
    subject: `Subject ${externalId}`,
    snippet: "Hi there",
    threadId: `t-${externalId}`,
    occurredAt: hoursFrom(-24),
    participants: people,
    people: people.map((p) => ({ email: p.email, name: p.name ?? null, role: p.role ?? "from" })),
    ...extra,
  };
}

async function connect(actor: Actor) {
  await testDb.db.googleConnection.create({
    data: {
      userId: actor.userId,
      googleEmail: "me@example.com",
      scopes: [],
      tokens: "sealed",
      keyId: "k1",
    },
  });
}

describe("applying interactions", () => {
  it("creates contacts for new people, links known ones by any address, once", async () => {
    const alice = await makeUser(testDb.db, "alice@sync.test");
    const maya = await createContact(testDb.db, alice, {
      name: "Maya Lin",
      emails: ["maya@studio.test", "Maya.Lin@Gmail.com"],
    });
    const items = [
      email("m1", [{ email: "MAYA.LIN@gmail.com", name: "Maya" }]),
      email("m2", [
        { email: "new.client@gmail.com", name: null },
        { email: "maya@studio.test", role: "cc" },
      ]),
      email("m3", [{ email: "new.client@gmail.com", name: "Noor Haddad" }], {
        direction: "outbound",
        occurredAt: hoursFrom(-2),
      }),
    ];
    const first = await applyInteractions(testDb.db, alice, "gmail", items, {
      createContacts: true,
      now,
    });
    expect(first).toMatchObject({ interactions: 3, contactsCreated: 1, linked: 4 });

    const created = await testDb.db.contact.findFirstOrThrow({
      where: { userId: alice.userId, emails: { some: { email: "new.client@gmail.com" } } },
      select: { id: true, name: true, source: true, lastInteractionAt: true },
    });
    // The first time the person appears has no name: the address gives one.
    expect(created).toMatchObject({ name: "New Client", source: "gmail" });
    // Both people's interactions changed: what their insights are made from.
    expect(first.contactIds).toEqual([maya.id, created.id].sort());
    expect(created.lastInteractionAt).toEqual(hoursFrom(-2));

    const timeline = await testDb.db.timelineEvent.findMany({
      where: { contactId: maya.id, interactionId: { not: null } },
      orderBy: { summary: "asc" },
      select: { kind: true, summary: true },
    });
    expect(timeline).toEqual([
      { kind: "email.received", summary: "Subject m1" },
      { kind: "email.received", summary: "Subject m2" },
    ]);
    const sent = await testDb.db.timelineEvent.findFirst({
      where: { contactId: created.id, kind: "email.sent" },
    });
    expect(sent?.summary).toBe("Subject m3");

    // The same batch again (a retried step, a replayed run) adds and changes nothing.
    const counts = async () => ({
      interactions: await testDb.db.interaction.count({ where: { userId: alice.userId } }),
      links: await testDb.db.interactionContact.count({ where: { userId: alice.userId } }),
      events: await testDb.db.timelineEvent.count({ where: { userId: alice.userId } }),
      contacts: await testDb.db.contact.count({ where: { userId: alice.userId } }),
    });
    const before = await counts();
    const again = await applyInteractions(testDb.db, alice, "gmail", items, {
      createContacts: true,
      now,
    });
    expect(again).toEqual({ interactions: 0, contactsCreated: 0, linked: 0, contactIds: [] });
    expect(await counts()).toEqual(before);
  });

  it("updates an interaction whose record changed, and its timeline entries", async () => {
    const bea = await makeUser(testDb.db, "bea@sync.test");
    const item = email("x1", [{ email: "client@x.test", name: "Client X" }]);
    const first = await applyInteractions(testDb.db, bea, "gmail", [item], {
      createContacts: true,
      now,
    });
    const changed = { ...item, subject: "Rescheduled", people: [] };
    const result = await applyInteractions(testDb.db, bea, "gmail", [changed], {
      createContacts: true,
      now,
    });
    expect(result.interactions).toBe(1);
    // The person who left it is still told about: their interactions changed.
    expect(result.contactIds).toEqual(first.contactIds);
    expect(first.contactIds).toHaveLength(1);
    const row = await testDb.db.interaction.findFirstOrThrow({
      where: { userId: bea.userId, externalId: "x1" },
      select: { subject: true, contacts: true, events: true },
    });
    // The person left the message: their link and timeline entry go with it.
    expect(row).toMatchObject({ subject: "Rescheduled", contacts: [], events: [] });
  });

  it("does not create contacts when told not to, and never matches another user's", async () => {
    const carl = await makeUser(testDb.db, "carl@sync.test");
    const dana = await makeUser(testDb.db, "dana@sync.test");
    await createContact(testDb.db, dana, { name: "Dana's client", emails: ["shared@x.test"] });
    const result = await applyInteractions(
      testDb.db,
      carl,
      "gmail",
      [email("c1", [{ email: "shared@x.test" }])],
      { createContacts: false, now },
    );
    expect(result).toEqual({ interactions: 1, contactsCreated: 0, linked: 0, contactIds: [] });
    expect(await testDb.db.interactionContact.count({ where: { userId: dana.userId } })).toBe(0);
    expect(await testDb.db.contact.count({ where: { userId: carl.userId } })).toBe(0);
  });

  it("keeps upcoming sessions as the next interaction until they are cancelled", async () => {
    const eve = await makeUser(testDb.db, "eve@sync.test");
    const session: InteractionInput = {
      kind: "session",
      externalId: "ical-1|2026-11-25T10:00:00.000Z",
      subject: "Yoga private",
      snippet: null,
      occurredAt: hoursFrom(46),
      endsAt: hoursFrom(47),
      status: "confirmed",
      participants: [],
      people: [{ email: "student@x.test", name: "Sam Student", role: "attendee" }],
    };
    await applyInteractions(testDb.db, eve, "calendar", [session], { createContacts: true, now });
    const contact = () =>
      testDb.db.contact.findFirstOrThrow({
        where: { userId: eve.userId },
        select: { nextInteractionAt: true, lastInteractionAt: true, name: true },
      });
    expect(await contact()).toMatchObject({
      name: "Sam Student",
      nextInteractionAt: hoursFrom(46),
      lastInteractionAt: null,
    });
    expect(await upcomingSessions(testDb.db, eve, { now })).toMatchObject([
      { subject: "Yoga private", contacts: [{ name: "Sam Student" }] },
    ]);

    await applyInteractions(testDb.db, eve, "calendar", [{ ...session, status: "cancelled" }], {
      createContacts: true,
      now,
    });
    expect((await contact()).nextInteractionAt).toBeNull();
    expect(await upcomingSessions(testDb.db, eve, { now })).toEqual([]);
    const event = await testDb.db.timelineEvent.findFirstOrThrow({
      where: { userId: eve.userId, interactionId: { not: null } },
    });
    expect(event.kind).toBe("session.cancelled");
  });

  it("previews which people would become contacts without writing", async () => {
    const fay = await makeUser(testDb.db, "fay@sync.test");
    await createContact(testDb.db, fay, { name: "Known", emails: ["known@x.test"] });
    const wouldCreate = await contactsThatWouldBeCreated(testDb.db, fay, [
      { email: "Known@x.test", name: null, role: "from" },
      { email: "fresh@x.test", name: null, role: "to" },
      { email: "FRESH@x.test", name: "Fresh Person", role: "cc" },
    ]);
    expect(wouldCreate).toEqual([{ email: "fresh@x.test", name: "Fresh Person" }]);
    expect(await testDb.db.contact.count({ where: { userId: fay.userId } })).toBe(1);
    expect(nameFromEmail("jo_anne.smith+crm@x.test")).toBe("Jo Anne Smith");
    expect(nameFromEmail("12345@x.test")).toBe("12345@x.test");
  });
});

describe("raw records", () => {
  it("stores each record once, replaces a changed one, and ignores an unchanged one", async () => {
    const gus = await makeUser(testDb.db, "gus@sync.test");
    const first = await storeRawRecords(testDb.db, gus, "gmail", [
      { externalId: "a", payload: { id: "a", v: 1 } },
      { externalId: "b", payload: { id: "b", v: 1 } },
      { externalId: "a", payload: { id: "a", v: 1 } },
    ]);
    expect(first).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    await markNormalized(testDb.db, gus, "gmail", [
      { externalId: "a", skipReason: null },
      { externalId: "b", skipReason: "bulk" },
    ]);
    const second = await storeRawRecords(testDb.db, gus, "gmail", [
      { externalId: "a", payload: { id: "a", v: 1 } },
      { externalId: "b", payload: { id: "b", v: 2 } },
    ]);
    expect(second).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    const rows = await testDb.db.rawProviderRecord.findMany({
      where: { userId: gus.userId },
      orderBy: { externalId: "asc" },
      select: { externalId: true, normalizedAt: true, skipReason: true },
    });
    expect(rows[0]!.normalizedAt).not.toBeNull();
    // The changed record waits for normalization again.
    expect(rows[1]).toMatchObject({ externalId: "b", normalizedAt: null, skipReason: null });
  });
});

describe("channels", () => {
  it("starts with consent-first defaults: no label chosen, nothing approved", async () => {
    const hal = await makeUser(testDb.db, "hal@sync.test");
    const overview = await syncOverview(testDb.db, hal);
    expect(overview.connection).toBeNull();
    const gmail = overview.channels.find((c) => c.kind === "gmail")!;
    expect(gmail).toMatchObject({
      stage: "not_started",
      approvedAt: null,
      scopeChosen: false,
      preferences: { scope: "labels", labelIds: [], includeBodies: false, skipBulk: true },
      lastRun: null,
    });
    await expect(approveChannel(testDb.db, hal, { kind: "gmail" })).rejects.toThrow(
      "Connect your Google account before syncing.",
    );
    await connect(hal);
    await expect(approveChannel(testDb.db, hal, { kind: "gmail" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await updatePreferences(testDb.db, hal, {
      kind: "gmail",
      preferences: { labelIds: ["Label_1"], neverLog: [" Ex@Private.test", "@lawfirm.test"] },
    });
    // Consent first: no approval without a preview of these very preferences.
    await expect(approveChannel(testDb.db, hal, { kind: "gmail" })).rejects.toThrow(
      /^Preview what these settings would sync before approving them/,
    );
    await markPreviewed(testDb.db, hal, { kind: "gmail" });
    await updatePreferences(testDb.db, hal, {
      kind: "gmail",
      preferences: { labelIds: ["Label_1"], neverLog: ["ex@private.test", "@lawfirm.test"] },
    });
    expect((await getChannel(testDb.db, hal, "gmail")).previewedAt).not.toBeNull();
    await updatePreferences(testDb.db, hal, {
      kind: "gmail",
      preferences: { labelIds: ["Label_1"], neverLog: ["@lawfirm.test"] },
    });
    expect((await getChannel(testDb.db, hal, "gmail")).previewedAt).toBeNull();
    await markPreviewed(testDb.db, hal, { kind: "gmail" });
    await updatePreferences(testDb.db, hal, {
      kind: "gmail",
      preferences: { labelIds: ["Label_1"], neverLog: [" Ex@Private.test", "@lawfirm.test"] },
    });
    await markPreviewed(testDb.db, hal, { kind: "gmail" });
    const approved = await approveChannel(testDb.db, hal, { kind: "gmail" });
    expect(approved.approvedAt).not.toBeNull();
    expect(approved.preferences).toMatchObject({
      neverLog: ["ex@private.test", "@lawfirm.test"],
    });
    expect(await dueChannels(testDb.db, now)).toContainEqual({
      userId: hal.userId,
      kind: "gmail",
    });
  });

  it("refuses bad preferences with a clear message", async () => {
    const ida = await makeUser(testDb.db, "ida@sync.test");
    const error = await updatePreferences(testDb.db, ida, {
      kind: "gmail",
      preferences: { neverLog: ["not an address"] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]!.message).toBe(
      "Enter an email address (name@example.com) or a domain (@example.com).",
    );
    await expect(
      updatePreferences(testDb.db, ida, {
        kind: "calendar",
        preferences: { calendarIds: ["primary"], extra: true } as never,
      }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("runs, records counts and the cursor, and a scope change means a full sync again", async () => {
    const jon = await makeUser(testDb.db, "jon@sync.test");
    await connect(jon);
    await updatePreferences(testDb.db, jon, { kind: "gmail", preferences: { labelIds: ["L1"] } });
    const run = await startRun(testDb.db, jon, {
      kind: "gmail",
      mode: "full",
      trigger: "manual",
      externalRunId: "run-1",
    });
    // A retried start step finds the same run.
    expect(
      (
        await startRun(testDb.db, jon, {
          kind: "gmail",
          mode: "full",
          trigger: "manual",
          externalRunId: "run-1",
        })
      ).id,
    ).toBe(run.id);
    expect((await getChannel(testDb.db, jon, "gmail")).stage).toBe("full_sync");
    await finishRun(testDb.db, jon, run.id, {
      counts: { fetched: 10, stored: 10, skipped: { bulk: 2 } },
      cursor: "12345",
    });
    expect(await getChannel(testDb.db, jon, "gmail")).toMatchObject({
      stage: "incremental",
      cursor: "12345",
      lastError: null,
    });
    expect((await listRuns(testDb.db, jon, { kind: "gmail" }))[0]).toMatchObject({
      status: "succeeded",
      counts: { fetched: 10, skipped: { bulk: 2 } },
    });

    await updatePreferences(testDb.db, jon, { kind: "gmail", preferences: { labelIds: ["L2"] } });
    expect(await getChannel(testDb.db, jon, "gmail")).toMatchObject({
      stage: "not_started",
      cursor: null,
    });

    const failing = await startRun(testDb.db, jon, {
      kind: "gmail",
      mode: "full",
      trigger: "schedule",
    });
    await failRun(testDb.db, jon, {
      kind: "gmail",
      runId: failing.id,
      message: "Google did not answer.",
    });
    expect(await getChannel(testDb.db, jon, "gmail")).toMatchObject({
      stage: "failed",
      lastError: "Google did not answer.",
    });
  });

  it("stops every channel when the grant dies, until the user reconnects", async () => {
    const kim = await makeUser(testDb.db, "kim@sync.test");
    await connect(kim);
    await updatePreferences(testDb.db, kim, { kind: "gmail", preferences: { labelIds: ["L"] } });
    for (const kind of ["gmail", "calendar"] as const) {
      await markPreviewed(testDb.db, kim, { kind });
      await approveChannel(testDb.db, kim, { kind });
    }
    await markReconnectNeeded(testDb.db, kim, "Google withdrew the permission.");
    const overview = await syncOverview(testDb.db, kim);
    expect(overview.connection?.status).toBe("reconnect_needed");
    expect(overview.channels.map((c) => c.stage)).toEqual(["reconnect_needed", "reconnect_needed"]);
    const due = await dueChannels(testDb.db, now);
    expect(due.filter((c) => c.userId === kim.userId)).toEqual([]);
  });
});
