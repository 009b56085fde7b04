import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.ts";
import type { ContactSortField } from "../schemas.ts";
import {
  createContact,
  deleteContact,
  deleteContacts,
  getContact,
  listContacts,
  listDeletedContacts,
  restoreContacts,
  setStage,
  updateContact,
  type ContactRecord,
} from "./service.ts";
import { encodeCursor } from "./cursor.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;

async function newUser(email: string): Promise<Actor> {
  const user = await testDb.db.user.create({ data: { email } });
  return { userId: user.id };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  [alice, bob] = await Promise.all([newUser("alice@example.com"), newUser("bob@example.com")]);
});

afterAll(async () => {
  await testDb.drop();
});

describe("contacts service", () => {
  it("creates a client record with several emails and phones, the first ones primary", async () => {
    const created = await createContact(testDb.db, alice, {
      name: "  Maya Lin ",
      emails: [" Maya.Lin@Gmail.com ", "maya@studio.example"],
      phones: ["+1 (555) 010-2000", "+44 20 7946 0000"],
      stage: "active",
      source: "Referral",
    });
    expect(created).toMatchObject({
      name: "Maya Lin",
      email: "maya.lin@gmail.com",
      emails: ["maya.lin@gmail.com", "maya@studio.example"],
      phone: "+1 (555) 010-2000",
      phones: ["+1 (555) 010-2000", "+44 20 7946 0000"],
      stage: "active",
      source: "Referral",
      tags: [],
    });
    expect(await getContact(testDb.db, alice, { id: created.id })).toEqual(created);
  });

  it("defaults to a lead with no emails or phones", async () => {
    const created = await createContact(testDb.db, alice, { name: "Walk-in" });
    expect(created).toMatchObject({
      email: null,
      emails: [],
      phone: null,
      phones: [],
      stage: "lead",
      source: null,
    });
  });

  it("rejects invalid input with field messages and writes nothing", async () => {
    const before = await testDb.db.contact.count({ where: { userId: alice.userId } });
    const error = await createContact(testDb.db, alice, {
      name: " ",
      emails: ["not-an-email", "ok@example.com", "OK@example.com"],
      phones: ["call me"],
      stage: "Not A Stage!",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    const fields = (error as ZodError).issues.map((issue) => issue.path.join("."));
    expect(fields).toEqual(
      expect.arrayContaining(["name", "emails.0", "emails.2", "phones.0", "stage"]),
    );
    expect(await testDb.db.contact.count({ where: { userId: alice.userId } })).toBe(before);
    await expect(createContact(testDb.db, alice, { name: "x".repeat(201) })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(
      createContact(testDb.db, alice, { name: "Extra", userId: bob.userId } as never),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      createContact(testDb.db, alice, {
        name: "Many",
        emails: Array.from({ length: 21 }, (_, i) => `m${i}@example.com`),
      }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("refuses a stage the user does not have", async () => {
    await expect(
      createContact(testDb.db, alice, { name: "Staged", stage: "vip" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await testDb.db.contactStage.create({
      data: { userId: alice.userId, key: "vip", label: "VIP" },
    });
    await expect(
      createContact(testDb.db, alice, { name: "Staged", stage: "vip" }),
    ).resolves.toMatchObject({
      stage: "vip",
    });
    await expect(
      createContact(testDb.db, bob, { name: "Staged", stage: "vip" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("keeps each email on one contact per user, case-insensitively, and says whose it is", async () => {
    await createContact(testDb.db, alice, { name: "Dup One", emails: ["dup@example.com"] });
    const error = await createContact(testDb.db, alice, {
      name: "Dup Two",
      emails: ["new@example.com", "DUP@example.com"],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual({
      "emails.1": ["Dup One already has this email."],
    });
    expect(
      await testDb.db.contactEmail.count({
        where: { userId: alice.userId, email: "new@example.com" },
      }),
    ).toBe(0);
    await expect(
      createContact(testDb.db, bob, { name: "Dup Elsewhere", emails: ["dup@example.com"] }),
    ).resolves.toMatchObject({ email: "dup@example.com" });
  });

  it("updates only the given fields, replaces the email and phone lists, and records stage changes", async () => {
    const contact = await createContact(testDb.db, alice, {
      name: "Own",
      emails: ["own@example.com"],
      phones: ["555 0101"],
    });
    const renamed = await updateContact(testDb.db, alice, {
      id: contact.id,
      data: { name: "Owned" },
    });
    expect(renamed).toMatchObject({
      name: "Owned",
      emails: ["own@example.com"],
      phones: ["555 0101"],
    });

    const moved = await updateContact(testDb.db, alice, {
      id: contact.id,
      data: { emails: ["second@example.com", "own@example.com"], phones: [], stage: "past" },
    });
    expect(moved).toMatchObject({
      email: "second@example.com",
      phone: null,
      phones: [],
      stage: "past",
    });
    // An email the contact already had is not a conflict with itself.
    await expect(
      updateContact(testDb.db, alice, { id: contact.id, data: { emails: ["own@example.com"] } }),
    ).resolves.toMatchObject({ emails: ["own@example.com"] });

    const events = await testDb.db.timelineEvent.findMany({
      where: { contactId: contact.id },
      orderBy: { occurredAt: "asc" },
    });
    expect(events.map((e) => e.summary)).toEqual([
      "Added to your contacts",
      "Stage changed to Past client",
    ]);
  });

  it("never lets another user read, change or delete a contact", async () => {
    const mine = await createContact(testDb.db, alice, {
      name: "Private",
      emails: ["private@example.com"],
    });
    await expect(getContact(testDb.db, bob, { id: mine.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateContact(testDb.db, bob, { id: mine.id, data: { name: "Hijacked" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteContact(testDb.db, bob, { id: mine.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      setStage(testDb.db, bob, { ids: [mine.id], stage: "past" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const receipt = await deleteContact(testDb.db, alice, { id: mine.id });
    await expect(
      restoreContacts(testDb.db, bob, { deletionId: receipt.deletionId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await listDeletedContacts(testDb.db, bob)).toEqual([]);
    await restoreContacts(testDb.db, alice, { deletionId: receipt.deletionId });
    expect((await getContact(testDb.db, alice, { id: mine.id })).name).toBe("Private");
  });

  it("deletes contacts into a restorable bin, and one undo restores exactly that deletion", async () => {
    const a = await createContact(testDb.db, alice, {
      name: "Bin A",
      emails: ["bin-a@example.com"],
    });
    const b = await createContact(testDb.db, alice, { name: "Bin B" });
    const c = await createContact(testDb.db, alice, { name: "Bin C" });
    const first = await deleteContacts(testDb.db, alice, { ids: [a.id, b.id] });
    const second = await deleteContact(testDb.db, alice, { id: c.id });
    expect(first.count).toBe(2);
    expect(first.undoUntil.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    await expect(getContact(testDb.db, alice, { id: a.id })).rejects.toBeInstanceOf(NotFoundError);
    const listed = await listContacts(testDb.db, alice, { search: "bin", limit: 100 });
    expect(listed.items).toEqual([]);
    const bin = await listDeletedContacts(testDb.db, alice);
    expect(
      bin
        .filter((d) => d.name.startsWith("Bin"))
        .map((d) => d.name)
        .sort(),
    ).toEqual(["Bin A", "Bin B", "Bin C"]);

    // The email of a deleted contact is still its own: a new contact may not take it silently.
    const taken = await createContact(testDb.db, alice, {
      name: "New",
      emails: ["bin-a@example.com"],
    }).catch((e: unknown) => e);
    expect((taken as ConflictError).fieldErrors["emails.0"]?.[0]).toMatch(
      /deleted recently: restore that contact/,
    );

    expect(await restoreContacts(testDb.db, alice, { deletionId: first.deletionId })).toEqual({
      count: 2,
    });
    const after = await listContacts(testDb.db, alice, {
      search: "bin",
      limit: 100,
      sort: { field: "name", direction: "asc" },
    });
    expect(after.items.map((x) => x.name)).toEqual(["Bin A", "Bin B"]);
    await expect(
      restoreContacts(testDb.db, alice, { deletionId: first.deletionId }),
    ).rejects.toThrow(/nothing left to restore/);
    expect(second.count).toBe(1);
  });

  it("does not restore a deletion older than the undo period, and purges it", async () => {
    const old = await createContact(testDb.db, alice, { name: "Long Gone" });
    const receipt = await deleteContact(testDb.db, alice, { id: old.id });
    await testDb.db.contact.update({
      where: { id: old.id },
      data: { deletedAt: new Date(Date.now() - 31 * 86_400_000) },
    });
    await expect(
      restoreContacts(testDb.db, alice, { deletionId: receipt.deletionId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const other = await createContact(testDb.db, alice, { name: "Trigger" });
    await deleteContact(testDb.db, alice, { id: other.id });
    expect(await testDb.db.contact.findUnique({ where: { id: old.id } })).toBeNull();
  });

  it("keeps merged contacts out of the bin: only undoing the merge brings them back", async () => {
    const survivor = await createContact(testDb.db, alice, { name: "Merge Survivor" });
    const merged = await createContact(testDb.db, alice, { name: "Merge Merged" });
    const merge = await testDb.db.contactMerge.create({
      data: { userId: alice.userId, survivorId: survivor.id, mergedId: merged.id, snapshot: {} },
    });
    await testDb.db.contact.update({
      where: { id: merged.id },
      data: { deletedAt: new Date(), deletionId: merge.id },
    });
    expect((await listDeletedContacts(testDb.db, alice)).map((d) => d.id)).not.toContain(merged.id);
    await expect(restoreContacts(testDb.db, alice, { deletionId: merge.id })).rejects.toThrow(
      /undo the merge/,
    );
  });

  it("changes the stage of many contacts at once", async () => {
    const x = await createContact(testDb.db, alice, { name: "Stage X" });
    const y = await createContact(testDb.db, alice, { name: "Stage Y", stage: "active" });
    const foreign = await createContact(testDb.db, bob, { name: "Stage Foreign" });
    expect(
      await setStage(testDb.db, alice, { ids: [x.id, y.id, foreign.id], stage: "active" }),
    ).toEqual({ count: 2 });
    expect((await getContact(testDb.db, alice, { id: x.id })).stage).toBe("active");
    expect((await getContact(testDb.db, bob, { id: foreign.id })).stage).toBe("lead");
  });

  it("rejects ids that are not uuids before touching the database", async () => {
    await expect(getContact(testDb.db, alice, { id: "1 OR 1=1" })).rejects.toBeInstanceOf(ZodError);
  });
});

describe("searching and filtering", () => {
  let owner: Actor;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    owner = await newUser("filters@example.com");
    const [yoga, nutrition] = await Promise.all([
      testDb.db.tag.create({ data: { userId: owner.userId, name: "Yoga" } }),
      testDb.db.tag.create({ data: { userId: owner.userId, name: "Nutrition" } }),
    ]);
    const people = [
      {
        name: "Élodie Martin",
        emails: ["elodie@gmail.com"],
        phones: ["+33 6 12 34 56 78"],
        stage: "active",
        tags: [yoga.id],
      },
      {
        name: "Ben Okafor",
        emails: ["ben@yahoo.com"],
        phones: [],
        stage: "lead",
        tags: [yoga.id, nutrition.id],
      },
      { name: "Carla 100%", emails: [], phones: ["555-0100"], stage: "past", tags: [nutrition.id] },
      { name: "Dan_Underscore", emails: [], phones: [], stage: "lead", tags: [] },
    ];
    for (const { tags, ...person } of people) {
      const contact = await createContact(testDb.db, owner, person);
      ids[person.name] = contact.id;
      for (const tagId of tags) {
        await testDb.db.contactTag.create({
          data: { contactId: contact.id, tagId, userId: owner.userId },
        });
      }
    }
    await testDb.db.contact.update({
      where: { id: ids["Élodie Martin"] },
      data: {
        createdAt: new Date("2025-01-15T10:00:00Z"),
        lastInteractionAt: new Date("2026-11-01T10:00:00Z"),
      },
    });
    Object.assign(ids, { yoga: yoga.id, nutrition: nutrition.id });
  });

  const names = async (input: Parameters<typeof listContacts>[2]) =>
    (
      await listContacts(testDb.db, owner, {
        limit: 100,
        sort: { field: "name", direction: "asc" },
        ...input,
      })
    ).items.map((c) => c.name);

  it("finds names without accents or case, emails, and phones however they are written", async () => {
    expect(await names({ search: "elodie" })).toEqual(["Élodie Martin"]);
    expect(await names({ search: "ÉLO" })).toEqual(["Élodie Martin"]);
    expect(await names({ search: "yahoo.com" })).toEqual(["Ben Okafor"]);
    expect(await names({ search: "6 12 34 56" })).toEqual(["Élodie Martin"]);
    expect(await names({ search: "(555) 0100" })).toEqual(["Carla 100%"]);
  });

  it("treats % and _ in a search as plain characters", async () => {
    expect(await names({ search: "%" })).toEqual(["Carla 100%"]);
    expect(await names({ search: "_" })).toEqual(["Dan_Underscore"]);
  });

  it("filters by any or all of several tags, by stage, and by dates", async () => {
    expect(await names({ filters: { tagIds: [ids.yoga!, ids.nutrition!] } })).toEqual([
      "Ben Okafor",
      "Carla 100%",
      "Élodie Martin",
    ]);
    expect(
      await names({ filters: { tagIds: [ids.yoga!, ids.nutrition!], tagMode: "all" } }),
    ).toEqual(["Ben Okafor"]);
    expect(await names({ filters: { stages: ["lead", "past"] } })).toEqual([
      "Ben Okafor",
      "Carla 100%",
      "Dan_Underscore",
    ]);
    expect(
      await names({ filters: { createdAt: { to: new Date("2025-12-31T00:00:00Z") } } }),
    ).toEqual(["Élodie Martin"]);
    expect(await names({ filters: { createdAt: { preset: "today" } } })).toEqual([
      "Ben Okafor",
      "Carla 100%",
      "Dan_Underscore",
    ]);
    expect(
      await names({
        filters: {
          lastInteractionAt: { from: new Date("2026-10-01"), to: new Date("2026-11-30") },
        },
      }),
    ).toEqual(["Élodie Martin"]);
    expect(await names({ filters: { noInteraction: true, tagIds: [ids.yoga!] } })).toEqual([
      "Ben Okafor",
    ]);
  });

  it("filters by custom field values", async () => {
    const goal = await testDb.db.customField.create({
      data: { userId: owner.userId, key: "goal", label: "Goal", type: "text" },
    });
    const sessions = await testDb.db.customField.create({
      data: { userId: owner.userId, key: "sessions", label: "Sessions", type: "number" },
    });
    const started = await testDb.db.customField.create({
      data: { userId: owner.userId, key: "started", label: "Started", type: "date" },
    });
    const value = (contactId: string, data: object) =>
      testDb.db.contactFieldValue.create({
        data: { contactId, userId: owner.userId, ...data } as never,
      });
    await value(ids["Ben Okafor"]!, { fieldId: goal.id, textValue: "Sleep better" });
    await value(ids["Carla 100%"]!, { fieldId: goal.id, textValue: "Run 10k" });
    await value(ids["Ben Okafor"]!, { fieldId: sessions.id, numberValue: 12 });
    await value(ids["Carla 100%"]!, { fieldId: sessions.id, numberValue: 3 });
    await value(ids["Carla 100%"]!, {
      fieldId: started.id,
      dateValue: new Date("2026-03-01T00:00:00Z"),
    });

    expect(
      await names({ filters: { custom: [{ fieldId: goal.id, op: "contains", value: "SLEEP" }] } }),
    ).toEqual(["Ben Okafor"]);
    expect(
      await names({ filters: { custom: [{ fieldId: goal.id, op: "is", value: "Run 10k" }] } }),
    ).toEqual(["Carla 100%"]);
    expect(
      await names({ filters: { custom: [{ fieldId: sessions.id, op: "gt", value: 5 }] } }),
    ).toEqual(["Ben Okafor"]);
    expect(
      await names({
        filters: { custom: [{ fieldId: started.id, op: "lt", value: "2026-06-01" }] },
      }),
    ).toEqual(["Carla 100%"]);
    expect(await names({ filters: { custom: [{ fieldId: goal.id, op: "empty" }] } })).toEqual([
      "Dan_Underscore",
      "Élodie Martin",
    ]);
    expect(
      await names({
        filters: {
          custom: [
            { fieldId: goal.id, op: "not_empty" },
            { fieldId: sessions.id, op: "lt", value: 5 },
          ],
        },
      }),
    ).toEqual(["Carla 100%"]);
  });

  it("refuses an unknown time zone and a range that ends before it starts", async () => {
    await expect(names({ timeZone: "Mars/Olympus" })).rejects.toBeInstanceOf(ZodError);
    await expect(
      names({
        filters: { createdAt: { from: new Date("2026-02-01"), to: new Date("2026-01-01") } },
      }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("returns each row's tags and dates for the table", async () => {
    const page = await listContacts(testDb.db, owner, { search: "ben" });
    const [row] = page.items;
    expect(row?.tags.map((t) => t.name)).toEqual(["Nutrition", "Yoga"]);
    expect(Object.keys(row?.tags[0] ?? {}).sort()).toEqual(["color", "id", "name"]);
    expect(row?.tags[0]?.color).toBeNull();
    // Dates, not strings: the client formats them in the user's time zone.
    expect(row?.createdAt).toBeInstanceOf(Date);
    expect(row?.updatedAt).toBeInstanceOf(Date);
  });
});

describe("listContacts keyset pagination", () => {
  let owner: Actor;
  let all: ContactRecord[];

  beforeAll(async () => {
    owner = await newUser("pager@example.com");
    const names = ["Ada", "bea", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai"];
    all = [];
    for (const [i, name] of names.entries()) {
      all.push(
        await createContact(testDb.db, owner, {
          name,
          // Some contacts have no email or phone, and two share a name: order must still be total.
          emails: i % 3 === 0 ? [] : [`${name.toLowerCase()}${i}@example.com`],
          phones:
            i % 4 === 0 ? [] : [`+44 20 7946 ${String(1000 + ((i * 7) % 11)).padStart(4, "0")}`],
        }),
      );
    }
    all.push(await createContact(testDb.db, owner, { name: "Ada", emails: ["ada2@example.com"] }));
    await testDb.db.contact.updateMany({
      where: { id: { in: all.filter((_, i) => i % 2 === 0).map((c) => c.id) } },
      data: { lastInteractionAt: new Date("2026-10-10T10:00:00Z") },
    });
  });

  async function walk(field: ContactSortField, direction: "asc" | "desc") {
    const seen: string[] = [];
    const pages: { ids: string[]; prev: string | null }[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await listContacts(testDb.db, owner, {
        limit: 5,
        sort: { field, direction },
        cursor,
      });
      pages.push({ ids: page.items.map((c) => c.id), prev: page.prevCursor });
      seen.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { seen, pages };
  }

  it.each([
    ["name", "asc"],
    ["name", "desc"],
    ["email", "asc"],
    ["email", "desc"],
    ["phone", "asc"],
    ["createdAt", "desc"],
    ["lastInteractionAt", "asc"],
    ["stage", "asc"],
    ["lastInteractionAt", "desc"],
  ] as const)(
    "visits every contact exactly once sorted by %s %s, and pages back to the same pages",
    async (field, direction) => {
      const { seen, pages } = await walk(field, direction);
      expect(seen).toHaveLength(all.length);
      expect(new Set(seen).size).toBe(all.length);

      const full = await listContacts(testDb.db, owner, { limit: 100, sort: { field, direction } });
      expect(full.items.map((c) => c.id)).toEqual(seen);
      expect(full.nextCursor).toBeNull();
      expect(full.prevCursor).toBeNull();

      for (let i = pages.length - 1; i > 0; i--) {
        const back = await listContacts(testDb.db, owner, {
          limit: 5,
          sort: { field, direction },
          cursor: pages[i]!.prev,
        });
        expect(back.items.map((c) => c.id)).toEqual(pages[i - 1]!.ids);
        expect(back.prevCursor === null).toBe(i - 1 === 0);
      }
    },
  );

  it("sorts names in a human order (case does not split the list)", async () => {
    const page = await listContacts(testDb.db, owner, {
      limit: 4,
      sort: { field: "name", direction: "asc" },
    });
    expect(page.items.map((c) => c.name)).toEqual(["Ada", "Ada", "bea", "Cy"]);
  });

  it("rejects a forged or foreign-sort cursor with a clear message", async () => {
    await expect(listContacts(testDb.db, owner, { cursor: "garbage" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    const page = await listContacts(testDb.db, owner, {
      limit: 2,
      sort: { field: "name", direction: "asc" },
    });
    await expect(
      listContacts(testDb.db, owner, {
        cursor: page.nextCursor,
        sort: { field: "email", direction: "asc" },
      }),
    ).rejects.toThrow(/another sort order/);
    const notADate = encodeCursor({ f: "createdAt", d: "n", v: "soon", id: all[0]!.id });
    await expect(
      listContacts(testDb.db, owner, {
        cursor: notADate,
        sort: { field: "createdAt", direction: "asc" },
      }),
    ).rejects.toThrow(/no longer valid/);
  });

  it("never returns another user's contacts, even with a cursor taken from them", async () => {
    const page = await listContacts(testDb.db, owner, {
      limit: 2,
      sort: { field: "name", direction: "asc" },
    });
    const foreign = await listContacts(testDb.db, bob, {
      limit: 100,
      sort: { field: "name", direction: "asc" },
      cursor: page.nextCursor,
    });
    const ownerIds = new Set(all.map((c) => c.id));
    expect(foreign.items.some((c) => ownerIds.has(c.id))).toBe(false);
  });
});
