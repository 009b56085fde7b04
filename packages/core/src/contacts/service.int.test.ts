import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.ts";
import type { ContactSortField } from "../schemas.ts";
import {
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
  type ContactRecord,
} from "./service.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "alice@example.com" } }),
    testDb.db.user.create({ data: { email: "bob@example.com" } }),
  ]);
  alice = { userId: a.id };
  bob = { userId: b.id };
});

afterAll(async () => {
  await testDb.drop();
});

describe("contacts service", () => {
  it("creates a contact with normalized fields and reads it back", async () => {
    const created = await createContact(testDb.db, alice, {
      name: "  Maya Lin ",
      email: " Maya.Lin@Gmail.com ",
      phone: "+1 (555) 010-2000",
    });
    expect(created).toMatchObject({
      name: "Maya Lin",
      email: "maya.lin@gmail.com",
      phone: "+1 (555) 010-2000",
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await getContact(testDb.db, alice, { id: created.id })).toEqual(created);
  });

  it("treats empty optional fields as absent", async () => {
    const created = await createContact(testDb.db, alice, {
      name: "No Email",
      email: "",
      phone: "",
    });
    expect(created).toMatchObject({ email: null, phone: null });
  });

  it("rejects invalid input with field messages and writes nothing", async () => {
    const before = await testDb.db.contact.count({ where: { userId: alice.userId } });
    const error = await createContact(testDb.db, alice, {
      name: " ",
      email: "not-an-email",
      phone: "call me",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    const fields = (error as ZodError).issues.map((issue) => issue.path.join("."));
    expect(fields).toEqual(expect.arrayContaining(["name", "email", "phone"]));
    expect(await testDb.db.contact.count({ where: { userId: alice.userId } })).toBe(before);
    await expect(createContact(testDb.db, alice, { name: "x".repeat(201) })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(
      createContact(testDb.db, alice, { name: "Extra", userId: bob.userId } as never),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("refuses a second contact with the same email for one user, case-insensitively, but not across users", async () => {
    await createContact(testDb.db, alice, { name: "Dup One", email: "dup@example.com" });
    await expect(
      createContact(testDb.db, alice, { name: "Dup Two", email: "DUP@example.com" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      createContact(testDb.db, bob, { name: "Dup Elsewhere", email: "dup@example.com" }),
    ).resolves.toMatchObject({ email: "dup@example.com" });
  });

  it("updates and deletes only the actor's own contacts", async () => {
    const mine = await createContact(testDb.db, alice, { name: "Own", email: "own@example.com" });
    await expect(getContact(testDb.db, bob, { id: mine.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateContact(testDb.db, bob, { id: mine.id, data: { name: "Hijacked" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteContact(testDb.db, bob, { id: mine.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await getContact(testDb.db, alice, { id: mine.id })).name).toBe("Own");

    const updated = await updateContact(testDb.db, alice, {
      id: mine.id,
      data: { name: "Owned", email: "owned@example.com", phone: null },
    });
    expect(updated).toMatchObject({ name: "Owned", email: "owned@example.com", phone: null });
    await deleteContact(testDb.db, alice, { id: mine.id });
    await expect(getContact(testDb.db, alice, { id: mine.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(deleteContact(testDb.db, alice, { id: mine.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("rejects ids that are not uuids before touching the database", async () => {
    await expect(getContact(testDb.db, alice, { id: "1 OR 1=1" })).rejects.toBeInstanceOf(ZodError);
  });
});

describe("listContacts keyset pagination", () => {
  let owner: Actor;
  let all: ContactRecord[];

  beforeAll(async () => {
    const user = await testDb.db.user.create({ data: { email: "pager@example.com" } });
    owner = { userId: user.id };
    const names = ["Ada", "bea", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai"];
    all = [];
    for (const [i, name] of names.entries()) {
      all.push(
        await createContact(testDb.db, owner, {
          name,
          // Some contacts have no email or phone, and two share a name: order must still be total.
          email: i % 3 === 0 ? null : `${name.toLowerCase()}${i}@example.com`,
          phone:
            i % 4 === 0 ? null : `+44 20 7946 ${String(1000 + ((i * 7) % 11)).padStart(4, "0")}`,
        }),
      );
    }
    all.push(await createContact(testDb.db, owner, { name: "Ada", email: "ada2@example.com" }));
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

      // From the last page, "previous" must give back each earlier page exactly.
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

  it("searches name, email and phone", async () => {
    const byName = await listContacts(testDb.db, owner, { search: "IVY" });
    expect(byName.items.map((c) => c.name)).toEqual(["Ivy"]);
    const byEmail = await listContacts(testDb.db, owner, { search: "ada2@" });
    expect(byEmail.items).toHaveLength(1);
    const other = await listContacts(testDb.db, alice, { search: "Ivy" });
    expect(other.items).toHaveLength(0);
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
