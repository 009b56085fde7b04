import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { createContact, deleteContact } from "../contacts/service.ts";
import { NotFoundError } from "../errors.ts";
import { createNote } from "../notes/service.ts";
import { UNKNOWN_ID } from "../shared/testing.ts";
import { applyInteractions } from "../sync/interactions.ts";
import { createTask } from "../tasks/service.ts";
import { listAuditEvents, recordAuditEvent } from "./audit.ts";
import { CONSENT_WITHHELD, setAiConsent } from "./consent.ts";
import { getAiSettings, updateAiSettings } from "./settings.ts";
import {
  createThread,
  deleteThread,
  getThread,
  listThreads,
  renameThread,
  saveThreadMessages,
  type StoredChatMessage,
} from "./threads.ts";
import {
  attentionForAssistant,
  ConsentWithheldError,
  contactForAssistant,
  requireConsentingContact,
  searchContactsForAssistant,
  upcomingForAssistant,
} from "./views.ts";

let testDb: TestDatabase;
let users = 0;
const now = new Date("2026-11-23T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

async function makeUser(): Promise<Actor> {
  const user = await testDb.db.user.create({ data: { email: `assistant${++users}@core.test` } });
  return { userId: user.id };
}

const client = (actor: Actor, name: string, emails: string[] = [], stage = "active") =>
  createContact(testDb.db, actor, { name, emails, phones: [], stage });

describe("AI consent", () => {
  it("withdraws and gives consent for many contacts at once, on their timelines, forgetting insights", async () => {
    const actor = await makeUser();
    const [a, b] = await Promise.all([client(actor, "Ada"), client(actor, "Bo")]);
    expect(a.aiConsent).toBe(true);
    await testDb.db.contactInsight.create({
      data: {
        contactId: a.id,
        userId: actor.userId,
        summary: "Regular client.",
        nextAction: "Check in.",
        engagement: "steady",
        engagementReason: "Comes every week.",
        inputHash: "x".repeat(64),
        model: "gpt-local",
        basis: {},
      },
    });

    const withdrawn = await setAiConsent(testDb.db, actor, {
      contactIds: [a.id, b.id, a.id],
      consent: false,
    });
    expect(withdrawn).toEqual({ changed: 2 });
    expect(await testDb.db.contactInsight.count({ where: { contactId: a.id } })).toBe(0);
    const events = await testDb.db.timelineEvent.findMany({
      where: { contactId: a.id, kind: { startsWith: "ai." } },
    });
    expect(events.map((e) => e.summary)).toEqual([
      "AI consent withdrawn: the assistant no longer sees this record",
    ]);
    // Asking again changes nothing and writes nothing.
    expect(await setAiConsent(testDb.db, actor, { contactIds: [a.id], consent: false })).toEqual({
      changed: 0,
    });
    expect(await setAiConsent(testDb.db, actor, { contactIds: [b.id], consent: true })).toEqual({
      changed: 1,
    });
    const rows = await testDb.db.contact.findMany({
      where: { id: { in: [a.id, b.id] } },
      orderBy: { name: "asc" },
      select: { aiConsent: true },
    });
    expect(rows.map((r) => r.aiConsent)).toEqual([false, true]);
  });

  it("refuses another user's contacts and bad input, changing nothing", async () => {
    const actor = await makeUser();
    const other = await makeUser();
    const mine = await client(actor, "Mine");
    const theirs = await client(other, "Theirs");
    await expect(
      setAiConsent(testDb.db, actor, { contactIds: [mine.id, theirs.id], consent: false }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      setAiConsent(testDb.db, actor, { contactIds: [], consent: false }),
    ).rejects.toThrow("Choose at least one contact.");
    await expect(
      setAiConsent(testDb.db, actor, { contactIds: ["nope"], consent: false }),
    ).rejects.toThrow("Not a valid id.");
    await expect(
      setAiConsent(testDb.db, actor, {
        contactIds: [mine.id],
        consent: "no" as unknown as boolean,
      }),
    ).rejects.toThrow("Consent is on or off.");
    const rows = await testDb.db.contact.findMany({
      where: { id: { in: [mine.id, theirs.id] } },
      select: { aiConsent: true },
    });
    expect(rows.every((r) => r.aiConsent)).toBe(true);
  });
});

describe("what the assistant may read", () => {
  it("searches by name, email or phone and leaves out clients without consent, counting them", async () => {
    const actor = await makeUser();
    const other = await makeUser();
    await client(actor, "Maya Lopez", ["maya@gmail.com"]);
    const hidden = await client(actor, "Maya Hidden", ["hidden@gmail.com"]);
    await setAiConsent(testDb.db, actor, { contactIds: [hidden.id], consent: false });
    await client(actor, "Bo Chen", ["bo@gmail.com"], "lead");
    await client(other, "Maya Other", ["maya.other@gmail.com"]);
    const gone = await client(actor, "Maya Gone");
    await deleteContact(testDb.db, actor, { id: gone.id });

    const maya = await searchContactsForAssistant(testDb.db, actor, { query: "MAYA" });
    expect(maya.contacts.map((c) => c.name)).toEqual(["Maya Lopez"]);
    expect(maya.withheld).toBe(1);
    expect(maya.contacts[0]).toMatchObject({ email: "maya@gmail.com", stage: "Active client" });
    const leads = await searchContactsForAssistant(testDb.db, actor, { stage: "Lead" });
    expect(leads.contacts.map((c) => c.name)).toEqual(["Bo Chen"]);
    const byEmail = await searchContactsForAssistant(testDb.db, actor, { query: "bo@gmail" });
    expect(byEmail.contacts.map((c) => c.name)).toEqual(["Bo Chen"]);
    await expect(
      searchContactsForAssistant(testDb.db, actor, { query: "x".repeat(201) }),
    ).rejects.toThrow();
  });

  it("opens a client's record with timeline, notes and open tasks, naming the records it used", async () => {
    const actor = await makeUser();
    const maya = await client(actor, "Maya Lopez", ["maya@gmail.com"]);
    const note = await createNote(testDb.db, actor, { contactId: maya.id, body: "Knee pain." });
    const task = await createTask(testDb.db, actor, { title: "Send plan", contactId: maya.id });
    const dossier = await contactForAssistant(testDb.db, actor, { contactId: maya.id });
    expect(dossier.contact).toMatchObject({
      name: "Maya Lopez",
      emails: ["maya@gmail.com"],
      notes: [{ id: note.id, body: "Knee pain." }],
      openTasks: [{ id: task.id, title: "Send plan" }],
    });
    expect(dossier.contact.timeline.map((e) => e.kind)).toContain("note.added");
    expect(dossier.records).toEqual({ notes: [note.id], interactions: [], tasks: [task.id] });

    await setAiConsent(testDb.db, actor, { contactIds: [maya.id], consent: false });
    await expect(contactForAssistant(testDb.db, actor, { contactId: maya.id })).rejects.toThrow(
      CONSENT_WITHHELD,
    );
    await expect(requireConsentingContact(testDb.db, actor, maya.id)).rejects.toBeInstanceOf(
      ConsentWithheldError,
    );
    const other = await makeUser();
    await expect(contactForAssistant(testDb.db, other, { contactId: maya.id })).rejects.toThrow(
      NotFoundError,
    );
    await expect(contactForAssistant(testDb.db, actor, { contactId: UNKNOWN_ID })).rejects.toThrow(
      NotFoundError,
    );
  });

  it("lists who needs attention and overdue tasks without clients who did not consent", async () => {
    const actor = await makeUser();
    const seen = await client(actor, "Seen Sam");
    const hidden = await client(actor, "Hidden Hal");
    await testDb.db.contact.updateMany({
      where: { id: { in: [seen.id, hidden.id] } },
      data: { lastInteractionAt: daysAgo(60) },
    });
    await createTask(testDb.db, actor, {
      title: "Call Hal",
      contactId: hidden.id,
      dueAt: daysAgo(2),
    });
    await createTask(testDb.db, actor, { title: "Order mats", dueAt: daysAgo(1) });
    await setAiConsent(testDb.db, actor, { contactIds: [hidden.id], consent: false });

    const attention = await attentionForAssistant(testDb.db, actor, now);
    expect(attention.needsAttention.map((c) => c.name)).toEqual(["Seen Sam"]);
    expect(attention.overdueTasks.map((t) => t.title)).toEqual(["Order mats"]);
    expect(attention.withheld).toBe(2);
  });

  it("lists upcoming sessions, leaving out those with a client who did not consent", async () => {
    const actor = await makeUser();
    const ada = await client(actor, "Ada Able", ["ada@gmail.com"]);
    const hal = await client(actor, "Hal Hidden", ["hal@gmail.com"]);
    await setAiConsent(testDb.db, actor, { contactIds: [hal.id], consent: false });
    const session = (id: string, subject: string, email: string, inDays: number) => ({
      kind: "session" as const,
      externalId: id,
      subject,
      snippet: null,
      occurredAt: new Date(now.getTime() + inDays * 86_400_000),
      endsAt: null,
      status: "confirmed",
      participants: [{ email }],
      people: [{ email, name: null, role: "attendee" }],
    });
    await applyInteractions(
      testDb.db,
      actor,
      "calendar",
      [
        session("s1", "Yoga with Ada", "ada@gmail.com", 1),
        session("s2", "Therapy with Hal", "hal@gmail.com", 2),
        session("s3", "Ada again", "ada@gmail.com", 20),
      ],
      { createContacts: false, now },
    );
    const week = await upcomingForAssistant(testDb.db, actor, { days: 7, now });
    expect(week.sessions.map((s) => s.subject)).toEqual(["Yoga with Ada"]);
    expect(week.sessions[0]!.contacts).toEqual([{ id: ada.id, name: "Ada Able" }]);
    expect(week.withheld).toBe(1);
    const month = await upcomingForAssistant(testDb.db, actor, { days: 30, now });
    expect(month.sessions.map((s) => s.subject)).toEqual(["Yoga with Ada", "Ada again"]);
  });
});

describe("conversations", () => {
  const text = (id: string, role: "user" | "assistant", value: string): StoredChatMessage => ({
    id,
    role,
    parts: [{ type: "text", text: value }],
  });

  it("keeps messages in order, replaces what follows `keep`, and titles the thread by its first question", async () => {
    const actor = await makeUser();
    const thread = await createThread(testDb.db, actor);
    expect(thread.title).toBe("New conversation");
    // An empty conversation is reused rather than piling up.
    expect((await createThread(testDb.db, actor)).id).toBe(thread.id);

    const q1 = text("q1", "user", "Who needs attention this week?\nAnd why?");
    const a1 = text("a1", "assistant", "Sam, overdue by a week.");
    await saveThreadMessages(testDb.db, actor, {
      threadId: thread.id,
      keep: 0,
      messages: [q1, a1],
    });
    const a1b = text("a1b", "assistant", "Sam: last seen 60 days ago.");
    await saveThreadMessages(testDb.db, actor, {
      threadId: thread.id,
      keep: 1,
      messages: [q1, a1b],
    });
    const saved = await getThread(testDb.db, actor, { id: thread.id });
    expect(saved.title).toBe("Who needs attention this week?");
    expect(saved.messages).toEqual([q1, a1b]);

    await renameThread(testDb.db, actor, { id: thread.id, title: "Sam" });
    await saveThreadMessages(testDb.db, actor, {
      threadId: thread.id,
      keep: 2,
      messages: [q1, a1b, text("q2", "user", "Anything else?")],
    });
    const renamed = await getThread(testDb.db, actor, { id: thread.id });
    expect(renamed.title).toBe("Sam");
    expect(renamed.messages.map((m) => m.id)).toEqual(["q1", "a1b", "q2"]);
    // A new conversation now, since this one is not empty.
    expect((await createThread(testDb.db, actor)).id).not.toBe(thread.id);
  });

  it("lists the most recent first, in pages, and only the owner's", async () => {
    const actor = await makeUser();
    const other = await makeUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const thread = await testDb.db.chatThread.create({
        data: { userId: actor.userId, title: `T${i}`, lastMessageAt: daysAgo(10 - i) },
      });
      ids.push(thread.id);
    }
    await testDb.db.chatThread.create({ data: { userId: other.userId, title: "Theirs" } });
    const first = await listThreads(testDb.db, actor, { limit: 3 });
    expect(first.items.map((t) => t.title)).toEqual(["T4", "T3", "T2"]);
    const second = await listThreads(testDb.db, actor, { limit: 3, cursor: first.nextCursor });
    expect(second.items.map((t) => t.title)).toEqual(["T1", "T0"]);
    expect(second.nextCursor).toBeNull();

    for (const run of [
      () => getThread(testDb.db, other, { id: ids[0]! }),
      () => renameThread(testDb.db, other, { id: ids[0]!, title: "Mine now" }),
      () => deleteThread(testDb.db, other, { id: ids[0]! }),
      () =>
        saveThreadMessages(testDb.db, other, {
          threadId: ids[0]!,
          keep: 0,
          messages: [text("x", "user", "hi")],
        }),
    ]) {
      await expect(run()).rejects.toThrow("This conversation does not exist or was deleted.");
    }
    await expect(renameThread(testDb.db, actor, { id: ids[0]!, title: " " })).rejects.toThrow(
      "Give the conversation a title.",
    );
    await deleteThread(testDb.db, actor, { id: ids[0]! });
    await expect(getThread(testDb.db, actor, { id: ids[0]! })).rejects.toThrow(NotFoundError);
  });
});

describe("settings and audit", () => {
  it("keeps redaction per user and the audit log per user, newest first", async () => {
    const actor = await makeUser();
    const other = await makeUser();
    expect(await getAiSettings(testDb.db, actor)).toEqual({ redactContactDetails: false });
    await updateAiSettings(testDb.db, actor, { redactContactDetails: true });
    expect(await getAiSettings(testDb.db, actor)).toEqual({ redactContactDetails: true });
    expect(await getAiSettings(testDb.db, other)).toEqual({ redactContactDetails: false });

    const maya = await client(actor, "Maya Lopez");
    await recordAuditEvent(testDb.db, actor, {
      kind: "tool_call",
      feature: "chat",
      tool: "getContact",
      outcome: "ok",
      input: { contactId: maya.id },
      contactIds: [maya.id, maya.id],
      records: { notes: [], interactions: [UNKNOWN_ID] },
    });
    await recordAuditEvent(testDb.db, other, { kind: "tool_call", feature: "chat", outcome: "ok" });
    const log = await listAuditEvents(testDb.db, actor);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      tool: "getContact",
      contactIds: [maya.id],
      contacts: [{ id: maya.id, name: "Maya Lopez" }],
      records: { interactions: [UNKNOWN_ID] },
    });
  });
});
