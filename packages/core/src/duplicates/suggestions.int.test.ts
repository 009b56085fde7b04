import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { createContact, deleteContact } from "../contacts/service.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import {
  dismissSuggestion,
  listDuplicateSuggestions,
  type DuplicateSuggestion,
} from "./suggestions.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;
/** Alice's contacts by name. */
const ids: Record<string, string> = {};

type Seed = { name: string; emails?: string[]; phones?: string[] };

const aliceContacts: Seed[] = [
  { name: "Ana Phone", phones: ["+44 20 7946 0000"] },
  { name: "Bruno Other", phones: ["020 7946 0000"] },
  // Six digits: too short to mean anything.
  { name: "Carla Short", phones: ["123 456"] },
  { name: "Dev Kumar", phones: ["123-456"] },
  { name: "Maya Lin", emails: ["maya.lin+yoga@gmail.com"] },
  { name: "M. Lin", emails: ["mayalin@gmail.com"] },
  { name: "Maya Linn" },
  { name: "Jon Smith" },
  { name: "John Smith" },
  { name: "Priya Patel" },
  { name: "priya patel" },
  // Dots count outside gmail.
  { name: "Wen Zhao", emails: ["a.b@outlook.com"] },
  { name: "Olu Adeyemi", emails: ["ab@outlook.com"] },
  // Everything in common.
  { name: "Sam Rivers", emails: ["sam.rivers@gmail.com"], phones: ["555 0100 200"] },
  { name: "Sam Rivers", emails: ["samrivers+work@googlemail.com"], phones: ["+1 555 0100 200"] },
];

/** The pair's names, sorted. */
const pairNames = (s: DuplicateSuggestion) =>
  s.contacts
    .map((c) => c.name)
    .sort()
    .join(" / ");

/** A suggestion as "name / name" in id order, with its score and reasons. */
const describeSuggestion = (s: DuplicateSuggestion) =>
  `${s.contacts[0].name} / ${s.contacts[1].name} ${s.score} ${s.reasons.join(", ")}`;

async function listAll(actor: Actor, limit: number): Promise<DuplicateSuggestion[]> {
  const all: DuplicateSuggestion[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await listDuplicateSuggestions(testDb.db, actor, { limit, cursor });
    expect(result.items.length).toBeLessThanOrEqual(limit);
    all.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) return all;
  }
  throw new Error("too many pages");
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  [alice, bob] = await Promise.all([
    makeUser(testDb.db, "alice@example.com"),
    makeUser(testDb.db, "bob@example.com"),
  ]);
  const created = await Promise.all(
    aliceContacts.map((seed) => createContact(testDb.db, alice, seed)),
  );
  aliceContacts.forEach((seed, i) => {
    ids[ids[seed.name] ? `${seed.name} 2` : seed.name] = created[i]!.id;
  });
  // A deleted contact shares Ana's number: not suggested.
  const ghost = await createContact(testDb.db, alice, {
    name: "Ana Phone",
    phones: ["(020) 7946-0000"],
  });
  await deleteContact(testDb.db, alice, { id: ghost.id });
  // Bob has the same people: none of them pairs with Alice's.
  await Promise.all(aliceContacts.slice(0, 9).map((seed) => createContact(testDb.db, bob, seed)));
});

afterAll(async () => {
  await testDb.drop();
});

describe("duplicate suggestions", () => {
  it("finds shared phones, gmail variants and similar names, best first", async () => {
    const page = await listDuplicateSuggestions(testDb.db, alice, { limit: 100 });
    expect(page.nextCursor).toBeNull();
    const [first] = page.items;
    expect(first?.contacts.map((c) => c.id).sort()).toEqual(
      [ids["Sam Rivers"], ids["Sam Rivers 2"]].sort(),
    );
    expect(first?.contacts[0].name).toBe("Sam Rivers");
    expect(first?.contacts[0].createdAt).toBeInstanceOf(Date);
    // Names are shown in id order, so sort each pair's names for a stable comparison.
    expect(page.items.map((s) => `${pairNames(s)} ${s.score} ${s.reasons.join(", ")}`)).toEqual([
      "Sam Rivers / Sam Rivers 100 same gmail address, same phone, similar name",
      "M. Lin / Maya Lin 60 same gmail address",
      "Ana Phone / Bruno Other 45 same phone",
      "Priya Patel / priya patel 40 similar name",
      "Maya Lin / Maya Linn 29 similar name",
      "John Smith / Jon Smith 24 similar name",
    ]);
    for (const s of page.items) expect(s.contacts[0].id < s.contacts[1].id).toBe(true);
    const maya = page.items.find((s) => s.contacts.some((c) => c.email === "mayalin@gmail.com"));
    expect(maya?.contacts.map((c) => [c.email, c.phone])).toEqual(
      expect.arrayContaining([
        ["maya.lin+yoga@gmail.com", null],
        ["mayalin@gmail.com", null],
      ]),
    );
  });

  it("walks every page, in the same order, whatever the page size", async () => {
    const all = (await listDuplicateSuggestions(testDb.db, alice, { limit: 100 })).items;
    for (const limit of [1, 2, 4]) {
      expect((await listAll(alice, limit)).map(describeSuggestion)).toEqual(
        all.map(describeSuggestion),
      );
    }
  });

  it("shows each user only their own contacts", async () => {
    const bobs = await listAll(bob, 100);
    expect(bobs.map((s) => pairNames(s)).sort()).toEqual([
      "Ana Phone / Bruno Other",
      "John Smith / Jon Smith",
      "M. Lin / Maya Lin",
      "Maya Lin / Maya Linn",
    ]);
    const aliceIds = new Set(Object.values(ids));
    for (const s of bobs) for (const c of s.contacts) expect(aliceIds.has(c.id)).toBe(false);
  });

  it("leaves dismissed pairs out, idempotently, for this user only", async () => {
    const pair: [string, string] = [ids["Maya Linn"]!, ids["Maya Lin"]!];
    const dismissed = await dismissSuggestion(testDb.db, alice, { contactIds: pair });
    expect(dismissed.contactIds).toEqual([...pair].sort());
    await expect(dismissSuggestion(testDb.db, alice, { contactIds: pair })).resolves.toEqual(
      dismissed,
    );
    const names = (await listAll(alice, 3)).map(describeSuggestion);
    expect(names).toHaveLength(5);
    expect(names.some((n) => n.includes("Maya Linn"))).toBe(false);
    expect(
      await testDb.db.duplicateDismissal.findMany({ select: { userId: true, contactA: true } }),
    ).toEqual([{ userId: alice.userId, contactA: [...pair].sort()[0] }]);
  });

  it("refuses other users' and unknown contacts, and bad input", async () => {
    const before = await testDb.db.duplicateDismissal.count();
    for (const contactIds of [
      [ids["Ana Phone"]!, UNKNOWN_ID],
      [ids["Ana Phone"]!, ids["Bruno Other"]!],
    ]) {
      await expect(
        dismissSuggestion(testDb.db, bob, { contactIds: contactIds as [string, string] }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    for (const input of [
      { contactIds: [ids["Ana Phone"], ids["Ana Phone"]] },
      { contactIds: [ids["Ana Phone"]] },
      { contactIds: [ids["Ana Phone"], ids["Bruno Other"], UNKNOWN_ID] },
      { contactIds: ["x".repeat(100_000), UNKNOWN_ID] },
      { contactIds: [ids["Ana Phone"], ids["Bruno Other"]], userId: bob.userId },
    ]) {
      await expect(dismissSuggestion(testDb.db, alice, input as never)).rejects.toBeInstanceOf(
        ZodError,
      );
    }
    expect(await testDb.db.duplicateDismissal.count()).toBe(before);

    for (const input of [{ limit: 0 }, { limit: 101 }, { cursor: "x".repeat(501) }, { x: 1 }]) {
      await expect(
        listDuplicateSuggestions(testDb.db, alice, input as never),
      ).rejects.toBeInstanceOf(ZodError);
    }
    const forged = Buffer.from(
      JSON.stringify({ k: "duplicates", v: ["1e9", UNKNOWN_ID], id: UNKNOWN_ID }),
    ).toString("base64url");
    for (const cursor of ["bm90LWEtY3Vyc29y", forged]) {
      await expect(listDuplicateSuggestions(testDb.db, alice, { cursor })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    }
  });
});
