import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import { contactTimeline, recordTimelineEvent } from "./service.ts";

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

describe("recordTimelineEvent", () => {
  it("records an event with its data, cutting the summary to 500 characters", async () => {
    const event = await recordTimelineEvent(testDb.db, alice, {
      contactId,
      kind: "contact.imported",
      summary: `  ${"s".repeat(600)}  `,
      data: { source: "csv", rows: 3, nested: { ok: true } },
    });
    expect(event.summary).toHaveLength(500);
    expect(event.data).toEqual({ source: "csv", rows: 3, nested: { ok: true } });
    const page = await contactTimeline(testDb.db, alice, { contactId });
    expect(page.items[0]).toEqual(event);
  });

  it("writes nothing when the surrounding transaction fails", async () => {
    const before = await testDb.db.timelineEvent.count();
    await expect(
      testDb.db.$transaction(async (tx) => {
        await recordTimelineEvent(tx, alice, { contactId, kind: "note.added", summary: "Tx" });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await testDb.db.timelineEvent.count()).toBe(before);
  });

  it("refuses another user's, a deleted or a missing contact", async () => {
    const deleted = await makeContact(testDb.db, alice, "Gone", { deletedAt: new Date() });
    for (const [actor, id] of [
      [bob, contactId],
      [alice, deleted],
      [alice, UNKNOWN_ID],
    ] as const) {
      await expect(
        recordTimelineEvent(testDb.db, actor, { contactId: id, kind: "note.added", summary: "x" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await testDb.db.timelineEvent.count({ where: { contactId: deleted } })).toBe(0);
  });

  it("refuses malformed events", async () => {
    await expect(
      recordTimelineEvent(testDb.db, alice, { contactId, kind: "Bad Kind", summary: "x" }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      recordTimelineEvent(testDb.db, alice, { contactId, kind: "note.added", summary: " " }),
    ).rejects.toBeInstanceOf(ZodError);
  });
});

describe("contactTimeline", () => {
  let owner: Actor;
  let contact: string;
  let expected: string[];

  beforeAll(async () => {
    owner = await makeUser(testDb.db, "pager@example.com");
    contact = await makeContact(testDb.db, owner, "Paged");
    const other = await makeContact(testDb.db, owner, "Other");
    const base = Date.parse("2026-02-01T09:00:00Z");
    await testDb.db.timelineEvent.createMany({
      data: [
        ...Array.from({ length: 17 }, (_, i) => ({
          userId: owner.userId,
          contactId: contact,
          kind: "note.added",
          summary: `Event ${i}`,
          // Out of insertion order, with ties.
          occurredAt: new Date(base + ((i * 7) % 5) * 3_600_000),
        })),
        { userId: owner.userId, contactId: other, kind: "note.added", summary: "Elsewhere" },
      ],
    });
    const rows = await testDb.db.timelineEvent.findMany({ where: { contactId: contact } });
    expected = rows
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
  });

  it.each([1, 4, 17, 100])("visits every event once, newest first, %i per page", async (limit) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 30; guard++) {
      const page = await contactTimeline(testDb.db, owner, { contactId: contact, limit, cursor });
      seen.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("answers another user's or a deleted contact with NotFound", async () => {
    await expect(contactTimeline(testDb.db, bob, { contactId: contact })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const deleted = await makeContact(testDb.db, owner, "Deleted", { deletedAt: new Date() });
    await expect(contactTimeline(testDb.db, owner, { contactId: deleted })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("refuses bad input with clear errors", async () => {
    await expect(
      contactTimeline(testDb.db, owner, { contactId: contact, cursor: "x".repeat(501) }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      contactTimeline(testDb.db, owner, { contactId: contact, cursor: "bm9wZQ" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const badDate = Buffer.from(
      JSON.stringify({ k: "timeline", v: ["yesterday"], id: UNKNOWN_ID }),
    ).toString("base64url");
    await expect(
      contactTimeline(testDb.db, owner, { contactId: contact, cursor: badDate }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      contactTimeline(testDb.db, owner, { contactId: contact, limit: "10" } as never),
    ).rejects.toBeInstanceOf(ZodError);
  });
});
