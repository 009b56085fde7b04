import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import {
  buildSearchText,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  nameSortKey,
  restoreContacts,
  updateContact,
} from "../contacts/service.ts";
import { getFieldValues } from "../custom-fields/service.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { createNote } from "../notes/service.ts";
import { makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import { tagsOfContact } from "../tags/service.ts";
import { mergeContacts, mergePreview } from "./merge.ts";
import { listMerges, undoMerge } from "./undo.ts";
import { applyInteractions } from "../sync/interactions.ts";
import { listDuplicateSuggestions } from "./suggestions.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;
const tag = { vip: "", yoga: "", pilates: "" };
const field = { goal: "", birthday: "", sessions: "" };

/** Alice's pairs of records of one client (see makePair), made up front, by number. */
const pairs = new Map<number, { survivorId: string; mergedId: string }>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.db;
  [alice, bob] = await Promise.all([
    makeUser(db, "alice@example.com"),
    makeUser(db, "bob@example.com"),
  ]);
  const userId = alice.userId;
  const [vip, yoga, pilates] = await db.tag.createManyAndReturn({
    data: ["VIP", "Yoga", "Pilates"].map((name) => ({ userId, name })),
    select: { id: true },
  });
  const [goal, birthday, sessions] = await db.customField.createManyAndReturn({
    data: [
      { userId, key: "goal", label: "Goal", type: "select", options: ["Strength", "Calm"] },
      { userId, key: "birthday", label: "Birthday", type: "date", position: 1 },
      { userId, key: "sessions", label: "Sessions", type: "number", position: 2 },
    ],
    select: { id: true },
  });
  Object.assign(tag, { vip: vip!.id, yoga: yoga!.id, pilates: pilates!.id });
  Object.assign(field, { goal: goal!.id, birthday: birthday!.id, sessions: sessions!.id });
  await db.contactStage.create({ data: { userId, key: "on_hold", label: "On hold" } });
  const numbers = [1, 2, 3, 5, 6, 7, 8, 9];
  const made = await Promise.all(numbers.map((n) => makePair(n)));
  numbers.forEach((n, i) => pairs.set(n, made[i]!));
});

afterAll(async () => {
  await testDb.drop();
});

interface Seed {
  name: string;
  emails: string[];
  phones: string[];
  stage?: string;
  source?: string;
  tagIds?: string[];
  values?: { fieldId: string; textValue?: string; numberValue?: number; dateValue?: Date }[];
  notes?: string[];
  tasks?: { title: string; completedAt?: Date }[];
  lastInteractionAt?: Date;
}

/** A contact written in one go, the way the services write one. */
async function seedContact(seed: Seed): Promise<string> {
  const userId = alice.userId;
  const { name, emails, phones } = seed;
  const contact = await testDb.db.contact.create({
    data: {
      userId,
      name,
      nameSort: nameSortKey(name),
      email: emails[0] ?? null,
      phone: phones[0] ?? null,
      stage: seed.stage ?? "lead",
      source: seed.source ?? null,
      searchText: buildSearchText(name, emails, phones),
      lastInteractionAt: seed.lastInteractionAt ?? null,
      emails: { create: emails.map((email, i) => ({ userId, email, isPrimary: i === 0 })) },
      phones: {
        create: phones.map((phone, i) => ({
          userId,
          phone,
          digits: phone.replace(/\D/g, ""),
          isPrimary: i === 0,
        })),
      },
      tags: { create: (seed.tagIds ?? []).map((tagId) => ({ userId, tagId })) },
      fieldValues: { create: (seed.values ?? []).map((value) => ({ userId, ...value })) },
      notes: { create: (seed.notes ?? []).map((body) => ({ userId, body })) },
      tasks: { create: (seed.tasks ?? []).map((task) => ({ userId, ...task })) },
      events: {
        create: [
          { userId, kind: "contact.created", summary: "Added to your contacts" },
          ...(seed.notes ?? []).map((body) => ({ userId, kind: "note.added", summary: body })),
        ],
      },
    },
    select: { id: true },
  });
  return contact.id;
}

/** Two records of one client, each with emails, phones, tags, custom values, notes, tasks. */
async function makePair(n: number) {
  const survivorId = await seedContact({
    name: `Maya Lin ${n}`,
    emails: [`maya${n}@studio.example`, `maya.lin${n}@gmail.com`],
    phones: ["+44 20 7946 0000"],
    stage: "active",
    tagIds: [tag.vip, tag.yoga],
    values: [
      { fieldId: field.goal, textValue: "Strength" },
      { fieldId: field.sessions, numberValue: 12.5 },
    ],
    notes: ["First session"],
    tasks: [{ title: "Call back" }],
  });
  const mergedId = await seedContact({
    name: `Maya L. ${n}`,
    emails: [`mayal${n}@work.example`],
    // The first has the survivor's digits: it is dropped, not duplicated.
    phones: ["+44 (20) 7946-0000", "+1 555 010 2000"],
    stage: "on_hold",
    source: "Instagram",
    tagIds: [tag.yoga, tag.pilates],
    values: [
      { fieldId: field.goal, textValue: "Calm" },
      { fieldId: field.birthday, dateValue: new Date("1990-05-01T00:00:00Z") },
    ],
    notes: ["Met at the studio", "Prefers mornings"],
    tasks: [{ title: "Send plan", completedAt: new Date("2026-01-02T10:00:00Z") }],
    lastInteractionAt: new Date("2026-01-02T10:00:00Z"),
  });
  return { survivorId, mergedId };
}

/** Every row of two contacts, as stored. */
async function rowsOf(...contactIds: string[]) {
  const db = testDb.db;
  const where = { contactId: { in: contactIds } };
  const byId = { id: "asc" } as const;
  return {
    contacts: await db.contact.findMany({ where: { id: { in: contactIds } }, orderBy: byId }),
    emails: await db.contactEmail.findMany({ where, orderBy: byId }),
    phones: await db.contactPhone.findMany({ where, orderBy: byId }),
    tags: await db.contactTag.findMany({
      where,
      orderBy: [{ contactId: "asc" }, { tagId: "asc" }],
    }),
    values: await db.contactFieldValue.findMany({
      where,
      orderBy: [{ contactId: "asc" }, { fieldId: "asc" }],
    }),
    notes: await db.note.findMany({ where, orderBy: byId }),
    tasks: await db.task.findMany({ where, orderBy: byId }),
    events: await db.timelineEvent.findMany({ where, orderBy: byId }),
  };
}

/** Every row of every table a merge touches, for "nothing changed" checks. */
async function everything() {
  const db = testDb.db;
  const byId = { id: "asc" } as const;
  return {
    contacts: await db.contact.findMany({ orderBy: byId }),
    emails: await db.contactEmail.findMany({ orderBy: byId }),
    phones: await db.contactPhone.findMany({ orderBy: byId }),
    tags: await db.contactTag.findMany({ orderBy: [{ contactId: "asc" }, { tagId: "asc" }] }),
    values: await db.contactFieldValue.findMany({
      orderBy: [{ contactId: "asc" }, { fieldId: "asc" }],
    }),
    notes: await db.note.findMany({ orderBy: byId }),
    tasks: await db.task.findMany({ orderBy: byId }),
    events: await db.timelineEvent.findMany({ orderBy: byId }),
    merges: await db.contactMerge.findMany({ orderBy: byId }),
  };
}

describe("merge preview", () => {
  it("shows both records side by side with a default per field", async () => {
    const { survivorId, mergedId } = pairs.get(1)!;
    const preview = await mergePreview(testDb.db, alice, { survivorId, mergedId });
    expect(preview.survivor).toMatchObject({
      id: survivorId,
      name: "Maya Lin 1",
      email: "maya1@studio.example",
      emails: [
        { email: "maya1@studio.example", isPrimary: true },
        { email: "maya.lin1@gmail.com", isPrimary: false },
      ],
      phones: [{ phone: "+44 20 7946 0000", isPrimary: true }],
      stage: { key: "active", label: "Active client" },
      source: null,
      tags: [{ name: "VIP" }, { name: "Yoga" }],
      counts: { notes: 1, tasks: 1, timelineEvents: 2 },
    });
    expect(preview.merged).toMatchObject({
      name: "Maya L. 1",
      stage: { key: "on_hold", label: "On hold" },
      source: "Instagram",
      tags: [{ name: "Pilates" }, { name: "Yoga" }],
      counts: { notes: 2, tasks: 1, timelineEvents: 3 },
    });
    expect(preview.merged.customValues.map((v) => [v.label, v.value])).toEqual([
      ["Goal", "Calm"],
      ["Birthday", "1990-05-01"],
      ["Sessions", null],
    ]);
    expect(preview.fields.map((f) => [f.key, f.survivor, f.merged, f.default, f.differs])).toEqual([
      ["name", "Maya Lin 1", "Maya L. 1", "survivor", true],
      ["stage", "Active client", "On hold", "survivor", true],
      ["source", null, "Instagram", "merged", true],
      [field.goal, "Strength", "Calm", "survivor", true],
      [field.birthday, null, "1990-05-01", "merged", true],
      [field.sessions, 12.5, null, "survivor", true],
    ]);
    expect(preview.combined).toMatchObject({
      emails: ["maya1@studio.example", "maya.lin1@gmail.com", "mayal1@work.example"],
      phones: ["+44 20 7946 0000", "+1 555 010 2000"],
      tags: [{ name: "Pilates" }, { name: "VIP" }, { name: "Yoga" }],
      counts: { notes: 3, tasks: 2, timelineEvents: 5 },
    });
    expect(preview.previewToken).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("merge and undo", () => {
  it("moves everything to the survivor, then undo restores both contacts exactly", async () => {
    const { survivorId, mergedId } = pairs.get(2)!;
    const before = await rowsOf(survivorId, mergedId);
    const { previewToken } = await mergePreview(testDb.db, alice, { survivorId, mergedId });

    const result = await mergeContacts(testDb.db, alice, {
      survivorId,
      mergedId,
      fields: { name: "merged", stage: "merged", [field.goal]: "merged" },
      previewToken,
    });
    expect(result).toMatchObject({ survivorId, mergedId });
    expect(result.mergeId).toMatch(/^[0-9a-f-]{36}$/);

    const survivor = await getContact(testDb.db, alice, { id: survivorId });
    expect(survivor).toMatchObject({
      name: "Maya L. 2",
      stage: "on_hold",
      source: "Instagram",
      email: "maya2@studio.example",
      emails: ["maya2@studio.example", "maya.lin2@gmail.com", "mayal2@work.example"],
      phone: "+44 20 7946 0000",
      phones: ["+44 20 7946 0000", "+1 555 010 2000"],
      lastInteractionAt: new Date("2026-01-02T10:00:00Z"),
    });
    expect(
      (await tagsOfContact(testDb.db, alice, { contactId: survivorId })).map((t) => t.name),
    ).toEqual(["Pilates", "VIP", "Yoga"]);
    expect(
      (await getFieldValues(testDb.db, alice, { contactId: survivorId })).map((v) => v.value),
    ).toEqual(["Calm", "1990-05-01", 12.5]);
    const after = await rowsOf(survivorId, mergedId);
    expect(after.notes.map((n) => n.contactId)).toEqual([survivorId, survivorId, survivorId]);
    expect(after.tasks.every((t) => t.contactId === survivorId)).toBe(true);
    expect(after.events.every((e) => e.contactId === survivorId)).toBe(true);
    // Moving a note is not editing it.
    expect(after.notes.map((n) => n.updatedAt)).toEqual(before.notes.map((n) => n.updatedAt));
    expect(after.events.find((e) => e.kind === "contact.merged")).toMatchObject({
      summary: "Merged with Maya L. 2",
      data: { mergeId: result.mergeId, mergedId },
    });
    expect(after.emails.every((e) => e.contactId === survivorId)).toBe(true);
    expect(after.phones).toHaveLength(2);

    // The merged contact is gone from everywhere.
    await expect(getContact(testDb.db, alice, { id: mergedId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const list = await listContacts(testDb.db, alice, { search: "Maya L. 2", limit: 100 });
    expect(list.items.map((c) => c.id)).toEqual([survivorId]);
    const suggestions = await listDuplicateSuggestions(testDb.db, alice, { limit: 100 });
    expect(suggestions.items.some((s) => s.contacts.some((c) => c.id === mergedId))).toBe(false);
    expect((await listMerges(testDb.db, alice)).items[0]).toMatchObject({
      id: result.mergeId,
      survivor: { id: survivorId, name: "Maya L. 2", deleted: false },
      merged: { id: mergedId, name: "Maya L. 2" },
      undoneAt: null,
      canUndo: true,
    });

    const undone = await undoMerge(testDb.db, alice, { mergeId: result.mergeId });
    expect(undone.mergeId).toBe(result.mergeId);
    expect(undone.undoneAt).toBeInstanceOf(Date);
    expect(await rowsOf(survivorId, mergedId)).toEqual(before);

    // Once only, with a clear answer.
    await expect(undoMerge(testDb.db, alice, { mergeId: result.mergeId })).rejects.toThrow(
      "This merge was already undone.",
    );
    expect(await rowsOf(survivorId, mergedId)).toEqual(before);
    expect((await listMerges(testDb.db, alice)).items[0]).toMatchObject({
      id: result.mergeId,
      undoneAt: undone.undoneAt,
      canUndo: false,
    });
  });

  it("keeps changes made to the survivor after the merge when undoing", async () => {
    const { survivorId, mergedId } = pairs.get(3)!;
    const before = await rowsOf(mergedId);
    const { mergeId } = await mergeContacts(testDb.db, alice, { survivorId, mergedId });
    const survivor = await getContact(testDb.db, alice, { id: survivorId });
    await updateContact(testDb.db, alice, {
      id: survivorId,
      data: { name: "Maya Lin-Park", emails: [...survivor.emails, "new3@example.com"] },
    });
    await createNote(testDb.db, alice, { contactId: survivorId, body: "After the merge" });

    await undoMerge(testDb.db, alice, { mergeId });
    expect(await rowsOf(mergedId)).toEqual(before);
    const kept = await getContact(testDb.db, alice, { id: survivorId });
    expect(kept).toMatchObject({
      name: "Maya Lin-Park",
      email: "maya3@studio.example",
      phones: ["+44 20 7946 0000"],
      source: null,
    });
    expect([...kept.emails].sort()).toEqual([
      "maya.lin3@gmail.com",
      "maya3@studio.example",
      "new3@example.com",
    ]);
    const notes = await testDb.db.note.findMany({ where: { contactId: survivorId } });
    expect(notes.map((n) => n.body).sort()).toEqual(["After the merge", "First session"]);
  });

  it("gives the survivor the merged contact's primary email and phone when it has none", async () => {
    const survivor = await createContact(testDb.db, alice, { name: "Walk-in 4" });
    const merged = await createContact(testDb.db, alice, {
      name: "Walk-in Four",
      emails: ["four@example.com", "four@work.example"],
      phones: ["+44 7700 900004"],
    });
    const before = await rowsOf(survivor.id, merged.id);
    const { mergeId } = await mergeContacts(testDb.db, alice, {
      survivorId: survivor.id,
      mergedId: merged.id,
    });
    expect(await getContact(testDb.db, alice, { id: survivor.id })).toMatchObject({
      name: "Walk-in 4",
      email: "four@example.com",
      emails: ["four@example.com", "four@work.example"],
      phone: "+44 7700 900004",
    });
    await undoMerge(testDb.db, alice, { mergeId });
    expect(await rowsOf(survivor.id, merged.id)).toEqual(before);
  });

  it("brings back a merged contact even after it was purged", async () => {
    const { survivorId, mergedId } = pairs.get(5)!;
    const before = await rowsOf(survivorId, mergedId);
    const { mergeId } = await mergeContacts(testDb.db, alice, { survivorId, mergedId });
    // What purgeExpiredDeletions does once the undo period of deletions is over.
    await testDb.db.contact.delete({ where: { id: mergedId } });
    await undoMerge(testDb.db, alice, { mergeId });
    expect(await rowsOf(survivorId, mergedId)).toEqual(before);
  });

  it("refuses to undo once the survivor is deleted or merged away, saying what to do", async () => {
    const { survivorId, mergedId } = pairs.get(6)!;
    const { mergeId } = await mergeContacts(testDb.db, alice, { survivorId, mergedId });
    const { deletionId } = await deleteContact(testDb.db, alice, { id: survivorId });
    await expect(undoMerge(testDb.db, alice, { mergeId })).rejects.toThrow(
      "Maya Lin 6 was deleted after this merge. Restore Maya Lin 6 first, then undo the merge.",
    );
    await restoreContacts(testDb.db, alice, { deletionId });

    const other = await createContact(testDb.db, alice, { name: "Maya Lin Six" });
    const later = await mergeContacts(testDb.db, alice, {
      survivorId: other.id,
      mergedId: survivorId,
    });
    const error = await undoMerge(testDb.db, alice, { mergeId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      "Maya Lin 6 was merged into Maya Lin Six after this merge. Undo that merge first.",
    );
    await undoMerge(testDb.db, alice, { mergeId: later.mergeId });
    await expect(undoMerge(testDb.db, alice, { mergeId })).resolves.toMatchObject({ mergeId });
  });
});

describe("merge refusals", () => {
  it("refuses stale previews, too many emails and unknown fields, changing nothing", async () => {
    const { survivorId, mergedId } = pairs.get(7)!;
    const { previewToken } = await mergePreview(testDb.db, alice, { survivorId, mergedId });
    await updateContact(testDb.db, alice, { id: mergedId, data: { source: "Referral" } });
    const many = await createContact(testDb.db, alice, {
      name: "Many Emails",
      emails: Array.from({ length: 19 }, (_, i) => `many${i}@example.com`),
    });
    const before = await everything();
    await expect(
      mergeContacts(testDb.db, alice, { survivorId, mergedId, previewToken }),
    ).rejects.toThrow("One of these contacts changed since the merge was prepared.");
    await expect(
      mergeContacts(testDb.db, alice, { survivorId, mergedId, fields: { [UNKNOWN_ID]: "merged" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      mergeContacts(testDb.db, alice, { survivorId: many.id, mergedId: survivorId }),
    ).rejects.toThrow("Together these contacts have 21 emails; a contact can have at most 20.");
    expect(await everything()).toEqual(before);
  });

  it("refuses bad input before touching anything", async () => {
    const { survivorId, mergedId } = pairs.get(8)!;
    const before = await everything();
    for (const input of [
      { survivorId, mergedId: survivorId },
      { survivorId, mergedId: survivorId.toUpperCase() },
      { survivorId, mergedId, fields: { email: "merged" } },
      { survivorId, mergedId, fields: { name: "both" } },
      { survivorId, mergedId, fields: { ["x".repeat(100_000)]: "merged" } },
      { survivorId, mergedId, fields: [] },
      { survivorId, mergedId, previewToken: "x".repeat(100_000) },
      { survivorId, mergedId, extra: true },
      { survivorId: "x".repeat(100_000), mergedId },
    ]) {
      const error = await mergeContacts(testDb.db, alice, input as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(input).slice(0, 80)).toBeInstanceOf(ZodError);
      // Messages stay short whatever was sent.
      expect(JSON.stringify((error as ZodError).issues).length).toBeLessThan(1000);
    }
    const sameTwice = await mergePreview(testDb.db, alice, {
      survivorId,
      mergedId: survivorId,
    }).catch((e: unknown) => e);
    expect((sameTwice as ZodError).issues).toMatchObject([
      { path: ["mergedId"], message: "A contact cannot be merged with itself." },
    ]);
    await expect(undoMerge(testDb.db, alice, { mergeId: "nope" })).rejects.toBeInstanceOf(ZodError);
    expect(await everything()).toEqual(before);
  });

  it("answers another user's, unknown and deleted ids with NotFound, changing nothing", async () => {
    const { survivorId, mergedId } = pairs.get(9)!;
    const { mergeId } = await mergeContacts(testDb.db, alice, { survivorId, mergedId });
    const bobs = await createContact(testDb.db, bob, { name: "Maya Lin" });
    const before = await everything();
    for (const ids of [
      { survivorId, mergedId: bobs.id },
      { survivorId: bobs.id, mergedId: survivorId },
      { survivorId, mergedId: UNKNOWN_ID },
      // Alice's own, merged away.
      { survivorId, mergedId },
    ]) {
      await expect(mergePreview(testDb.db, bob, ids)).rejects.toBeInstanceOf(NotFoundError);
      await expect(mergeContacts(testDb.db, bob, ids)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(mergePreview(testDb.db, alice, { survivorId, mergedId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(undoMerge(testDb.db, bob, { mergeId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(undoMerge(testDb.db, alice, { mergeId: UNKNOWN_ID })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      mergeContacts(testDb.db, alice, {
        survivorId,
        mergedId: bobs.id,
        fields: { name: "merged" },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await listMerges(testDb.db, bob)).items).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it("moves synced interactions to the survivor without doubling shared ones, and undo moves them back", async () => {
    const survivor = await createContact(testDb.db, alice, {
      name: "Noor Synced",
      emails: ["noor@work.test"],
    });
    const merged = await createContact(testDb.db, alice, {
      name: "Noor S.",
      emails: ["noor@home.test"],
    });
    const email = (externalId: string, people: string[]) => ({
      kind: "email" as const,
      externalId,
      direction: "inbound" as const,
      subject: externalId,
      snippet: null,
      occurredAt: new Date("2026-11-01T10:00:00Z"),
      participants: [],
      people: people.map((address) => ({ email: address, name: null, role: "to" })),
    });
    await applyInteractions(
      testDb.db,
      alice,
      "gmail",
      [email("only-home", ["noor@home.test"]), email("both", ["noor@home.test", "noor@work.test"])],
      { createContacts: false },
    );
    const linksOf = async (contactId: string) =>
      (
        await testDb.db.interactionContact.findMany({
          where: { contactId },
          select: { interaction: { select: { externalId: true } } },
        })
      )
        .map((l) => l.interaction.externalId)
        .sort();
    const syncedEvents = (contactId: string) =>
      testDb.db.timelineEvent
        .findMany({ where: { contactId, interactionId: { not: null } }, select: { summary: true } })
        .then((rows) => rows.map((r) => r.summary).sort());

    const { previewToken } = await mergePreview(testDb.db, alice, {
      survivorId: survivor.id,
      mergedId: merged.id,
    });
    const { mergeId } = await mergeContacts(testDb.db, alice, {
      survivorId: survivor.id,
      mergedId: merged.id,
      fields: {},
      previewToken,
    });
    expect(await linksOf(survivor.id)).toEqual(["both", "only-home"]);
    expect(await syncedEvents(survivor.id)).toEqual(["both", "only-home"]);

    await undoMerge(testDb.db, alice, { mergeId });
    expect(await linksOf(survivor.id)).toEqual(["both"]);
    expect(await linksOf(merged.id)).toEqual(["both", "only-home"]);
    expect(await syncedEvents(merged.id)).toEqual(["both", "only-home"]);
    expect(await syncedEvents(survivor.id)).toEqual(["both"]);
  });

  it("pages through recent merges", async () => {
    const all = (await listMerges(testDb.db, alice, { limit: 100 })).items;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const walked = [];
    let cursor: string | null = null;
    do {
      const page = await listMerges(testDb.db, alice, { limit: 2, cursor });
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
  });
});
