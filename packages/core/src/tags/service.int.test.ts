import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import {
  createTag,
  deleteTag,
  listTags,
  tagContacts,
  tagsOfContact,
  untagContacts,
  updateTag,
} from "./service.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  testDb = await createTestDatabase();
  [alice, bob] = await Promise.all([
    makeUser(testDb.db, "alice@example.com"),
    makeUser(testDb.db, "bob@example.com"),
  ]);
});
afterAll(async () => {
  await testDb.drop();
});

const pairs = (actor: Actor) =>
  testDb.db.contactTag.findMany({
    where: { userId: actor.userId },
    select: { contactId: true, tagId: true },
    orderBy: [{ contactId: "asc" }, { tagId: "asc" }],
  });

describe("tags", () => {
  it("creates tags with a trimmed name and a palette color, and lists them by name", async () => {
    const yoga = await createTag(testDb.db, alice, { name: "  Yoga  ", color: "teal" });
    expect(yoga).toMatchObject({ name: "Yoga", color: "teal" });
    const plain = await createTag(testDb.db, alice, { name: "beginner" });
    expect(plain.color).toBeNull();
    await createTag(testDb.db, alice, { name: "Àpres" });
    const names = (await listTags(testDb.db, alice)).map((t) => t.name);
    expect(names).toEqual(["Àpres", "beginner", "Yoga"]);
  });

  it("refuses a second tag with the same name in any case, but not for another user", async () => {
    await createTag(testDb.db, alice, { name: "VIP" });
    const error = await createTag(testDb.db, alice, { name: " vip " }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe("You already have a tag named “VIP”.");
    expect((error as ConflictError).fieldErrors).toHaveProperty("name");
    await expect(createTag(testDb.db, bob, { name: "vip" })).resolves.toMatchObject({
      name: "vip",
    });
    // LIKE wildcards are just characters.
    await createTag(testDb.db, alice, { name: "a_c" });
    await expect(createTag(testDb.db, alice, { name: "abc" })).resolves.toBeTruthy();
    await expect(createTag(testDb.db, alice, { name: "a%" })).resolves.toBeTruthy();
  });

  it("renames and recolors, refusing another tag's name", async () => {
    const tag = await createTag(testDb.db, alice, { name: "Retreat", color: "red" });
    expect(await updateTag(testDb.db, alice, { id: tag.id, color: "blue" })).toMatchObject({
      name: "Retreat",
      color: "blue",
    });
    expect(await updateTag(testDb.db, alice, { id: tag.id, name: "RETREAT" })).toMatchObject({
      name: "RETREAT",
      color: "blue",
    });
    expect(await updateTag(testDb.db, alice, { id: tag.id, color: null })).toMatchObject({
      color: null,
    });
    await expect(updateTag(testDb.db, alice, { id: tag.id, name: "yoga" })).rejects.toThrow(
      "You already have a tag named “Yoga”.",
    );
    await expect(updateTag(testDb.db, alice, { id: tag.id })).rejects.toBeInstanceOf(ZodError);
  });

  it.each([
    ["an empty name", { name: "   " }],
    ["a name over 60 characters", { name: "x".repeat(61) }],
    ["a huge name", { name: "x".repeat(100_000) }],
    ["a name that is not text", { name: 42 }],
    ["a color outside the palette", { name: "Ok", color: "#ff0000" }],
    ["an unknown field", { name: "Ok", userId: UNKNOWN_ID }],
  ])("refuses %s and writes nothing", async (_label, input) => {
    const before = await testDb.db.tag.count();
    await expect(createTag(testDb.db, alice, input as never)).rejects.toBeInstanceOf(ZodError);
    expect(await testDb.db.tag.count()).toBe(before);
  });

  it("tags and untags contacts in bulk, idempotently, and counts only live contacts", async () => {
    const [c1, c2, c3] = await Promise.all([
      makeContact(testDb.db, alice, "One"),
      makeContact(testDb.db, alice, "Two"),
      makeContact(testDb.db, alice, "Three"),
    ]);
    const t1 = await createTag(testDb.db, alice, { name: "Bulk one" });
    const t2 = await createTag(testDb.db, alice, { name: "Bulk two" });
    const input = { contactIds: [c1, c2, c3, c1], tagIds: [t1.id, t2.id] };
    expect(await tagContacts(testDb.db, alice, input)).toEqual({ added: 6 });
    expect(await tagContacts(testDb.db, alice, input)).toEqual({ added: 0 });
    const counts = () =>
      listTags(testDb.db, alice).then((tags) =>
        Object.fromEntries(tags.map((t) => [t.name, t.contactCount])),
      );
    expect(await counts()).toMatchObject({ "Bulk one": 3, "Bulk two": 3 });

    expect(await tagsOfContact(testDb.db, alice, { contactId: c2 })).toMatchObject([
      { id: t1.id, name: "Bulk one" },
      { id: t2.id, name: "Bulk two" },
    ]);

    expect(
      await untagContacts(testDb.db, alice, { contactIds: [c1, c2], tagIds: [t2.id] }),
    ).toEqual({ removed: 2 });
    expect(
      await untagContacts(testDb.db, alice, { contactIds: [c1, c2], tagIds: [t2.id] }),
    ).toEqual({ removed: 0 });
    expect(await counts()).toMatchObject({ "Bulk one": 3, "Bulk two": 1 });

    // Each change is one timeline entry per contact; repeats that changed nothing add none.
    const events = await testDb.db.timelineEvent.findMany({
      where: { contactId: c1, kind: { in: ["contact.tagged", "contact.untagged"] } },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: { kind: true, summary: true },
    });
    expect(events).toEqual([
      { kind: "contact.tagged", summary: "Tagged “Bulk one”, “Bulk two”" },
      { kind: "contact.untagged", summary: "Untagged “Bulk two”" },
    ]);
    expect(
      await testDb.db.timelineEvent.count({ where: { contactId: c3, kind: "contact.untagged" } }),
    ).toBe(0);

    await testDb.db.contact.update({ where: { id: c3 }, data: { deletedAt: new Date() } });
    expect(await counts()).toMatchObject({ "Bulk one": 2, "Bulk two": 0 });
  });

  it("tags 1000 contacts in one call", async () => {
    const owner = await makeUser(testDb.db, "bulk@example.com");
    await testDb.db.contact.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        userId: owner.userId,
        name: `Client ${i}`,
        nameSort: `client ${i}`,
      })),
    });
    const ids = (
      await testDb.db.contact.findMany({ where: { userId: owner.userId }, select: { id: true } })
    ).map((c) => c.id);
    const tags = await Promise.all(
      ["A", "B", "C"].map((name) => createTag(testDb.db, owner, { name })),
    );
    const tagIds = tags.map((t) => t.id);
    expect(await tagContacts(testDb.db, owner, { contactIds: ids, tagIds })).toEqual({
      added: 3000,
    });
    await expect(
      tagContacts(testDb.db, owner, { contactIds: [...ids, UNKNOWN_ID], tagIds }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await untagContacts(testDb.db, owner, { contactIds: ids, tagIds })).toEqual({
      removed: 3000,
    });
  });

  it("changes nothing when one contact or tag is missing, deleted or someone else's", async () => {
    const mine = await makeContact(testDb.db, alice, "Mine");
    const deleted = await makeContact(testDb.db, alice, "Deleted", { deletedAt: new Date() });
    const theirs = await makeContact(testDb.db, bob, "Theirs");
    const myTag = await createTag(testDb.db, alice, { name: "Mine only" });
    const theirTag = await createTag(testDb.db, bob, { name: "Theirs only" });
    await tagContacts(testDb.db, alice, { contactIds: [mine], tagIds: [myTag.id] });
    const [aliceBefore, bobBefore] = await Promise.all([pairs(alice), pairs(bob)]);

    const attempts = [
      { contactIds: [mine, theirs], tagIds: [myTag.id] },
      { contactIds: [mine, deleted], tagIds: [myTag.id] },
      { contactIds: [mine, UNKNOWN_ID], tagIds: [myTag.id] },
      { contactIds: [mine], tagIds: [myTag.id, theirTag.id] },
      { contactIds: [theirs], tagIds: [theirTag.id] },
    ];
    for (const input of attempts) {
      for (const call of [tagContacts, untagContacts]) {
        const error = await call(testDb.db, alice, input).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect((error as Error).message).not.toMatch(/Theirs|[0-9a-f]{8}-/);
      }
    }
    expect(await pairs(alice)).toEqual(aliceBefore);
    expect(await pairs(bob)).toEqual(bobBefore);

    for (const contactId of [theirs, deleted, UNKNOWN_ID]) {
      await expect(tagsOfContact(testDb.db, alice, { contactId })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
  });

  it("keeps each contact's copy of its tag ids equal to its tags through every change", async () => {
    const [c1, c2] = await Promise.all([
      makeContact(testDb.db, alice, "Copy one"),
      makeContact(testDb.db, alice, "Copy two"),
    ]);
    const [t1, t2, t3] = await Promise.all(
      ["Copy a", "Copy b", "Copy c"].map((name) => createTag(testDb.db, alice, { name })),
    );
    const copies = async () => {
      const rows = await testDb.db.contact.findMany({
        where: { id: { in: [c1, c2] } },
        select: { id: true, tagIds: true, tags: { select: { tagId: true } } },
      });
      for (const row of rows) expect(row.tagIds).toEqual(row.tags.map((t) => t.tagId).sort());
      return Object.fromEntries(rows.map((row) => [row.id, row.tagIds.length]));
    };
    await tagContacts(testDb.db, alice, { contactIds: [c1, c2], tagIds: [t3!.id, t1!.id] });
    expect(await copies()).toEqual({ [c1]: 2, [c2]: 2 });
    await tagContacts(testDb.db, alice, { contactIds: [c1], tagIds: [t2!.id] });
    expect(await copies()).toEqual({ [c1]: 3, [c2]: 2 });
    await untagContacts(testDb.db, alice, { contactIds: [c1, c2], tagIds: [t1!.id] });
    expect(await copies()).toEqual({ [c1]: 2, [c2]: 1 });
    // Deleting a tag removes it through the foreign key's cascade.
    await deleteTag(testDb.db, alice, { id: t3!.id });
    expect(await copies()).toEqual({ [c1]: 1, [c2]: 0 });
    // A row moved to another contact (as a merge does) updates both.
    await testDb.db.contactTag.updateMany({
      where: { contactId: c1, tagId: t2!.id },
      data: { contactId: c2 },
    });
    expect(await copies()).toEqual({ [c1]: 0, [c2]: 1 });
  });

  it("never lets another user rename, recolor or delete a tag", async () => {
    const tag = await createTag(testDb.db, alice, { name: "Private", color: "pink" });
    await expect(updateTag(testDb.db, bob, { id: tag.id, name: "Stolen" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(deleteTag(testDb.db, bob, { id: tag.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listTags(testDb.db, bob)).some((t) => t.id === tag.id)).toBe(false);
    expect((await listTags(testDb.db, alice)).find((t) => t.id === tag.id)).toMatchObject({
      name: "Private",
      color: "pink",
    });
  });

  it("deletes a tag and takes it off its contacts", async () => {
    const contact = await makeContact(testDb.db, alice, "Tagged");
    const tag = await createTag(testDb.db, alice, { name: "Short-lived" });
    await tagContacts(testDb.db, alice, { contactIds: [contact], tagIds: [tag.id] });
    expect(await deleteTag(testDb.db, alice, { id: tag.id })).toEqual({ id: tag.id });
    expect(await tagsOfContact(testDb.db, alice, { contactId: contact })).toEqual([]);
    await expect(deleteTag(testDb.db, alice, { id: tag.id })).rejects.toThrow(
      "This tag does not exist or was deleted.",
    );
  });

  it("refuses malformed bulk input before touching the database", async () => {
    const bad = [
      { contactIds: [], tagIds: [UNKNOWN_ID] },
      { contactIds: [UNKNOWN_ID], tagIds: [] },
      { contactIds: ["1 OR 1=1"], tagIds: [UNKNOWN_ID] },
      { contactIds: UNKNOWN_ID, tagIds: [UNKNOWN_ID] },
      { contactIds: [UNKNOWN_ID], tagIds: [UNKNOWN_ID], extra: true },
    ];
    for (const input of bad) {
      await expect(tagContacts(testDb.db, alice, input as never)).rejects.toBeInstanceOf(ZodError);
    }
  });
});
