import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import { contactTimeline } from "../timeline/service.ts";
import { createNote, deleteNote, listNotes, updateNote } from "./service.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;
let contactId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  [alice, bob] = await Promise.all([
    makeUser(testDb.db, "alice@example.com"),
    makeUser(testDb.db, "bob@example.com"),
  ]);
  contactId = await makeContact(testDb.db, alice, "Maya Lin");
});
afterAll(async () => {
  await testDb.drop();
});

const eventsOf = (id: string) =>
  testDb.db.timelineEvent.findMany({ where: { contactId: id }, orderBy: { id: "asc" } });

describe("notes", () => {
  it("adds a note and its first line to the contact's timeline, together", async () => {
    const note = await createNote(testDb.db, alice, {
      contactId,
      body: "\n\n  ## Session 3  \nShoulder feels better.\n\n- keep stretching\n",
    });
    expect(note.body).toBe("## Session 3  \nShoulder feels better.\n\n- keep stretching");
    const page = await contactTimeline(testDb.db, alice, { contactId });
    expect(page.items[0]).toMatchObject({
      kind: "note.added",
      summary: "## Session 3",
      data: { noteId: note.id },
      occurredAt: note.createdAt,
    });
  });

  it("cuts the timeline summary to 140 characters", async () => {
    const other = await makeContact(testDb.db, alice, "Long Writer");
    const line = "é".repeat(300);
    await createNote(testDb.db, alice, { contactId: other, body: `${line}\nsecond line` });
    const [event] = await eventsOf(other);
    expect(Array.from(event!.summary)).toHaveLength(140);
    expect(event!.summary.endsWith("…")).toBe(true);
    expect(line.startsWith(event!.summary.slice(0, -1))).toBe(true);
  });

  it("edits a note, and its timeline entry follows", async () => {
    const other = await makeContact(testDb.db, alice, "Editor");
    const note = await createNote(testDb.db, alice, { contactId: other, body: "Draft" });
    const edited = await updateNote(testDb.db, alice, { id: note.id, body: "Final\nmore" });
    expect(edited).toMatchObject({ id: note.id, body: "Final\nmore", createdAt: note.createdAt });
    expect(edited.updatedAt.getTime()).toBeGreaterThanOrEqual(note.updatedAt.getTime());
    expect((await eventsOf(other)).map((e) => e.summary)).toEqual(["Final"]);
  });

  it("deletes a note and its timeline entry", async () => {
    const other = await makeContact(testDb.db, alice, "Deleter");
    const keep = await createNote(testDb.db, alice, { contactId: other, body: "Keep" });
    const gone = await createNote(testDb.db, alice, { contactId: other, body: "Gone" });
    expect(await deleteNote(testDb.db, alice, { id: gone.id })).toEqual({ id: gone.id });
    expect((await listNotes(testDb.db, alice, { contactId: other })).items).toEqual([keep]);
    expect((await eventsOf(other)).map((e) => e.summary)).toEqual(["Keep"]);
    await expect(deleteNote(testDb.db, alice, { id: gone.id })).rejects.toThrow(
      "This note does not exist or was deleted.",
    );
  });

  it.each([
    ["an empty body", { body: "  \n\t " }],
    ["a body over 20,000 characters", { body: "x".repeat(20_001) }],
    ["a body that is not text", { body: { html: "<b>hi</b>" } }],
    ["a contact id that is not a uuid", { body: "Hi", contactId: "42" }],
    ["an unknown field", { body: "Hi", pinned: true }],
  ])("refuses %s and writes nothing", async (_label, override) => {
    const before = await testDb.db.note.count();
    await expect(
      createNote(testDb.db, alice, { contactId, ...override } as never),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await testDb.db.note.count()).toBe(before);
  });

  it("accepts a body of exactly 20,000 characters", async () => {
    const other = await makeContact(testDb.db, alice, "Essayist");
    const note = await createNote(testDb.db, alice, { contactId: other, body: "y".repeat(20_000) });
    expect(note.body).toHaveLength(20_000);
  });

  it("treats a deleted contact's notes as gone", async () => {
    const other = await makeContact(testDb.db, alice, "Soon deleted");
    const note = await createNote(testDb.db, alice, { contactId: other, body: "Before" });
    await testDb.db.contact.update({ where: { id: other }, data: { deletedAt: new Date() } });
    await expect(listNotes(testDb.db, alice, { contactId: other })).rejects.toThrow(
      "This contact does not exist or was deleted.",
    );
    await expect(
      createNote(testDb.db, alice, { contactId: other, body: "After" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateNote(testDb.db, alice, { id: note.id, body: "Changed" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteNote(testDb.db, alice, { id: note.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await testDb.db.note.findMany({ where: { contactId: other } })).toMatchObject([
      { body: "Before" },
    ]);
  });

  it("never lets another user read, add to, change or delete notes", async () => {
    const note = await createNote(testDb.db, alice, { contactId, body: "Private" });
    const snapshot = async () => ({
      notes: await testDb.db.note.findMany({ orderBy: { id: "asc" } }),
      events: await testDb.db.timelineEvent.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    const attempts = [
      () => listNotes(testDb.db, bob, { contactId }),
      () => createNote(testDb.db, bob, { contactId, body: "Sneaky" }),
      () => updateNote(testDb.db, bob, { id: note.id, body: "Stolen" }),
      () => deleteNote(testDb.db, bob, { id: note.id }),
      () => updateNote(testDb.db, alice, { id: UNKNOWN_ID, body: "Nothing" }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshot()).toEqual(before);
  });
});

describe("listNotes keyset pagination", () => {
  let owner: Actor;
  let contact: string;
  let expected: string[];

  beforeAll(async () => {
    owner = await makeUser(testDb.db, "pager@example.com");
    contact = await makeContact(testDb.db, owner, "Paged");
    // 23 notes, several sharing a timestamp, so order must fall back to the id.
    const base = Date.parse("2026-01-01T10:00:00Z");
    await testDb.db.note.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({
        userId: owner.userId,
        contactId: contact,
        body: `Note ${i}`,
        createdAt: new Date(base + Math.floor(i / 4) * 60_000),
      })),
    });
    const rows = await testDb.db.note.findMany({ where: { contactId: contact } });
    expected = rows
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((n) => n.id);
  });

  it.each([1, 5, 7, 23, 100])(
    "visits every note once, newest first, %i per page",
    async (limit) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 30; guard++) {
        const page = await listNotes(testDb.db, owner, { contactId: contact, limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((n) => n.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(expected);
    },
  );

  it("refuses a forged cursor, a cursor of another list and an out-of-range limit", async () => {
    await expect(
      listNotes(testDb.db, owner, { contactId: contact, cursor: "garbage" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const timelineCursor = Buffer.from(
      JSON.stringify({ k: "timeline", v: ["2026-01-01T10:00:00.000Z"], id: UNKNOWN_ID }),
    ).toString("base64url");
    await expect(
      listNotes(testDb.db, owner, { contactId: contact, cursor: timelineCursor }),
    ).rejects.toThrow(/page link is no longer valid/);
    await expect(
      listNotes(testDb.db, owner, { contactId: contact, limit: 101 }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      listNotes(testDb.db, owner, { contactId: contact, limit: 0 }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("returns nothing of the owner's through another user's contact, even with their cursor", async () => {
    const page = await listNotes(testDb.db, owner, { contactId: contact, limit: 2 });
    const bobContact = await makeContact(testDb.db, bob, "Bob's client");
    const theirs = await listNotes(testDb.db, bob, {
      contactId: bobContact,
      cursor: page.nextCursor,
    });
    expect(theirs.items).toEqual([]);
  });
});
