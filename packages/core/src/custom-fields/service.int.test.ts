import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import {
  createField,
  deleteField,
  getFieldValues,
  listFields,
  reorderFields,
  setFieldValues,
  updateField,
  type CustomFieldRecord,
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

const valueRows = () =>
  testDb.db.contactFieldValue.findMany({ orderBy: [{ contactId: "asc" }, { fieldId: "asc" }] });

describe("defining fields", () => {
  it("creates fields of every type with a key derived from the label, in order", async () => {
    const owner = await makeUser(testDb.db, "definer@example.com");
    const birthday = await createField(testDb.db, owner, {
      label: " Date of birth ",
      type: "date",
    });
    expect(birthday).toMatchObject({ key: "date_of_birth", label: "Date of birth", options: [] });
    const goal = await createField(testDb.db, owner, {
      label: "Goal",
      type: "select",
      options: [" Strength ", "Mobility"],
    });
    expect(goal.options).toEqual(["Strength", "Mobility"]);
    await createField(testDb.db, owner, { label: "Sessions left", type: "number" });
    await createField(testDb.db, owner, { label: "Élan vital!", type: "text", options: [] });
    await createField(testDb.db, owner, { label: "日本語", type: "text" });
    const fields = await listFields(testDb.db, owner);
    expect(fields.map((f) => f.key)).toEqual([
      "date_of_birth",
      "goal",
      "sessions_left",
      "elan_vital",
      expect.stringMatching(/^field_[0-9a-f]{10}$/),
    ]);
    expect(fields.map((f) => f.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it("refuses a label the user already has in any case, or one with the same key", async () => {
    await createField(testDb.db, alice, { label: "Referral source", type: "text" });
    const error = await createField(testDb.db, alice, {
      label: "referral SOURCE",
      type: "number",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual({
      label: ["You already have a field named “Referral source”."],
    });
    await expect(
      createField(testDb.db, alice, { label: "Referral-source", type: "text" }),
    ).rejects.toThrow(
      "This name is too close to your field “Referral source”; choose another one.",
    );
    await expect(
      createField(testDb.db, bob, { label: "Referral source", type: "text" }),
    ).resolves.toMatchObject({ key: "referral_source" });
  });

  it.each([
    ["a select field without options", { label: "A", type: "select" }, "options"],
    ["a select field with empty options", { label: "A", type: "select", options: [] }, "options"],
    ["duplicate options", { label: "A", type: "select", options: ["Yes", "yes"] }, "options.1"],
    [
      "51 options",
      { label: "A", type: "select", options: Array.from({ length: 51 }, (_, i) => `o${i}`) },
      "options",
    ],
    ["a blank option", { label: "A", type: "select", options: ["ok", " "] }, "options.1"],
    ["options on a text field", { label: "A", type: "text", options: ["x"] }, "options"],
    ["an unknown type", { label: "A", type: "boolean" }, "type"],
    ["a blank label", { label: "  ", type: "text" }, "label"],
    ["a label over 80 characters", { label: "l".repeat(81), type: "text" }, "label"],
    ["a label that is not text", { label: 7, type: "text" }, "label"],
    ["an unknown field", { label: "A", type: "text", required: true }, ""],
  ])("refuses %s", async (_label, input, path) => {
    const before = await testDb.db.customField.count();
    const error = await createField(testDb.db, alice, input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((i) => i.path.join("."))).toContain(path);
    expect(await testDb.db.customField.count()).toBe(before);
  });

  it("renames a field keeping its key, and refuses another field's label", async () => {
    const owner = await makeUser(testDb.db, "renamer@example.com");
    const field = await createField(testDb.db, owner, { label: "Injury", type: "text" });
    await createField(testDb.db, owner, { label: "Allergies", type: "text" });
    expect(await updateField(testDb.db, owner, { id: field.id, label: "Injuries" })).toMatchObject({
      key: "injury",
      label: "Injuries",
    });
    await expect(
      updateField(testDb.db, owner, { id: field.id, label: "ALLERGIES" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      updateField(testDb.db, owner, { id: field.id, options: ["a"] }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(updateField(testDb.db, owner, { id: field.id })).rejects.toBeInstanceOf(ZodError);
  });

  it("changes a select field's options, refusing to remove one that contacts have", async () => {
    const owner = await makeUser(testDb.db, "options@example.com");
    const field = await createField(testDb.db, owner, {
      label: "Class",
      type: "select",
      options: ["Yoga", "Pilates", "Barre"],
    });
    const [c1, c2, gone] = await Promise.all([
      makeContact(testDb.db, owner, "One"),
      makeContact(testDb.db, owner, "Two"),
      makeContact(testDb.db, owner, "Gone"),
    ]);
    await setFieldValues(testDb.db, owner, { contactId: c1, values: { [field.id]: "Yoga" } });
    await setFieldValues(testDb.db, owner, { contactId: c2, values: { [field.id]: "Yoga" } });
    await setFieldValues(testDb.db, owner, { contactId: gone, values: { [field.id]: "Barre" } });
    await testDb.db.contact.update({ where: { id: gone }, data: { deletedAt: new Date() } });

    await expect(
      updateField(testDb.db, owner, { id: field.id, options: ["Pilates", "Barre"] }),
    ).rejects.toThrow("2 contacts have “Yoga” in this field; change them first.");
    // Barre is only a deleted contact's: it may go, and that value goes with it.
    expect(
      await updateField(testDb.db, owner, { id: field.id, options: ["Yoga", "Pilates", "Hiit"] }),
    ).toMatchObject({ options: ["Yoga", "Pilates", "Hiit"] });
    expect(await testDb.db.contactFieldValue.count({ where: { contactId: gone } })).toBe(0);
  });

  it("reorders fields; the ones left out follow in their order", async () => {
    const owner = await makeUser(testDb.db, "order@example.com");
    const fields: CustomFieldRecord[] = [];
    for (const label of ["A", "B", "C", "D"]) {
      fields.push(await createField(testDb.db, owner, { label, type: "text" }));
    }
    const ids = (list: CustomFieldRecord[]) => list.map((f) => f.label).join("");
    expect(
      ids(await reorderFields(testDb.db, owner, { ids: [fields[3]!.id, fields[1]!.id] })),
    ).toBe("DBAC");
    expect(ids(await listFields(testDb.db, owner))).toBe("DBAC");
    await expect(
      reorderFields(testDb.db, owner, { ids: [fields[0]!.id, fields[0]!.id] }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      reorderFields(testDb.db, owner, { ids: [fields[0]!.id, UNKNOWN_ID] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(ids(await listFields(testDb.db, owner))).toBe("DBAC");
  });
});

describe("contact values", () => {
  let owner: Actor;
  let contact: string;
  let text: CustomFieldRecord;
  let number: CustomFieldRecord;
  let date: CustomFieldRecord;
  let choice: CustomFieldRecord;

  beforeAll(async () => {
    owner = await makeUser(testDb.db, "values@example.com");
    contact = await makeContact(testDb.db, owner, "Valued");
    text = await createField(testDb.db, owner, { label: "Notes", type: "text" });
    number = await createField(testDb.db, owner, { label: "Weight", type: "number" });
    date = await createField(testDb.db, owner, { label: "Birthday", type: "date" });
    choice = await createField(testDb.db, owner, {
      label: "Goal",
      type: "select",
      options: ["Strength", "Mobility"],
    });
  });

  const valuesBy = async () =>
    Object.fromEntries(
      (await getFieldValues(testDb.db, owner, { contactId: contact })).map((v) => [
        v.label,
        v.value,
      ]),
    );

  it("lists every field with null before anything is set", async () => {
    expect(await getFieldValues(testDb.db, owner, { contactId: contact })).toEqual([
      { fieldId: text.id, key: "notes", label: "Notes", type: "text", value: null },
      { fieldId: number.id, key: "weight", label: "Weight", type: "number", value: null },
      { fieldId: date.id, key: "birthday", label: "Birthday", type: "date", value: null },
      { fieldId: choice.id, key: "goal", label: "Goal", type: "select", value: null },
    ]);
  });

  it("sets values of every type, then changes and clears them", async () => {
    await setFieldValues(testDb.db, owner, {
      contactId: contact,
      values: {
        [text.id]: "  Knee surgery 2024 ",
        [number.id]: 72.5,
        [date.id]: "1990-02-28",
        [choice.id]: "Mobility",
      },
    });
    expect(await valuesBy()).toEqual({
      Notes: "Knee surgery 2024",
      Weight: 72.5,
      Birthday: "1990-02-28",
      Goal: "Mobility",
    });
    const after = await setFieldValues(testDb.db, owner, {
      contactId: contact,
      values: {
        [number.id]: " -0.125 ",
        [text.id]: null,
        [date.id]: "2024-02-29",
        [choice.id]: "",
      },
    });
    expect(Object.fromEntries(after.map((v) => [v.label, v.value]))).toEqual({
      Notes: null,
      Weight: -0.125,
      Birthday: "2024-02-29",
      Goal: null,
    });
    expect(await testDb.db.contactFieldValue.count({ where: { contactId: contact } })).toBe(2);

    // The timeline tells each change in words; setting a value to what it was adds nothing.
    await setFieldValues(testDb.db, owner, { contactId: contact, values: { [number.id]: -0.125 } });
    const events = await testDb.db.timelineEvent.findMany({
      where: { contactId: contact, kind: "contact.field_changed" },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: { summary: true },
    });
    expect(events.map((e) => e.summary).sort()).toEqual(
      [
        "Notes set to Knee surgery 2024",
        "Weight set to 72.5",
        "Birthday set to 1990-02-28",
        "Goal set to Mobility",
        "Notes cleared",
        "Weight set to -0.125",
        "Birthday set to 2024-02-29",
        "Goal cleared",
      ].sort(),
    );
  });

  it("reports every wrong value under its field's id and writes none of them", async () => {
    await setFieldValues(testDb.db, owner, { contactId: contact, values: { [text.id]: "Keep" } });
    const before = await valueRows();
    const error = await setFieldValues(testDb.db, owner, {
      contactId: contact,
      values: {
        [text.id]: "t".repeat(2001),
        [number.id]: "12 kg",
        [date.id]: "2023-02-29",
        [choice.id]: "strength",
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fieldErrors).toEqual({
      [text.id]: ["Must be at most 2,000 characters."],
      [number.id]: ["Must be a number."],
      [date.id]: ["Must be a date written YYYY-MM-DD."],
      [choice.id]: ["Must be one of the field's options."],
    });
    expect(await valueRows()).toEqual(before);

    const mixed = await setFieldValues(testDb.db, owner, {
      contactId: contact,
      values: { [text.id]: "Changed", [number.id]: 1e14 },
    }).catch((e: unknown) => e);
    expect((mixed as InvalidInputError).fieldErrors).toEqual({
      [number.id]: ["Must be between -99,999,999,999,999 and 99,999,999,999,999."],
    });
    expect(await valueRows()).toEqual(before);

    for (const [field, value] of [
      [text.id, 5],
      [date.id, 20240101],
      [date.id, "01/02/2024"],
      [choice.id, 1],
    ] as const) {
      await expect(
        setFieldValues(testDb.db, owner, { contactId: contact, values: { [field]: value } }),
      ).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(await valueRows()).toEqual(before);
  });

  it.each([
    ["an infinite number", { values: { [UNKNOWN_ID]: Number.POSITIVE_INFINITY } }],
    ["NaN", { values: { [UNKNOWN_ID]: Number.NaN } }],
    ["a huge string", { values: { [UNKNOWN_ID]: "x".repeat(100_000) } }],
    ["an object value", { values: { [UNKNOWN_ID]: { a: 1 } } }],
    ["a key that is not a field id", { values: { weight: 1 } }],
    ["no values", { values: {} }],
    ["an unknown field", { values: { [UNKNOWN_ID]: 1 }, replace: true }],
  ])("refuses %s before touching the database", async (_label, input) => {
    await expect(
      setFieldValues(testDb.db, owner, { contactId: contact, ...input } as never),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("deletes a field with every contact's value of it", async () => {
    const temp = await createField(testDb.db, owner, { label: "Temporary", type: "number" });
    await setFieldValues(testDb.db, owner, { contactId: contact, values: { [temp.id]: 3 } });
    expect(await deleteField(testDb.db, owner, { id: temp.id })).toEqual({ id: temp.id });
    expect(await testDb.db.contactFieldValue.count({ where: { fieldId: temp.id } })).toBe(0);
    expect((await valuesBy()).Temporary).toBeUndefined();
    await expect(deleteField(testDb.db, owner, { id: temp.id })).rejects.toThrow(
      "This field does not exist or was deleted.",
    );
  });

  it("treats a deleted contact as missing", async () => {
    const gone = await makeContact(testDb.db, owner, "Gone", { deletedAt: new Date() });
    await expect(getFieldValues(testDb.db, owner, { contactId: gone })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      setFieldValues(testDb.db, owner, { contactId: gone, values: { [text.id]: "x" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("never lets another user read or write values, or touch the fields", async () => {
    const bobContact = await makeContact(testDb.db, bob, "Bob's client");
    const bobField = await createField(testDb.db, bob, { label: "Bob's field", type: "text" });
    const snapshot = async () => ({
      fields: await testDb.db.customField.findMany({ orderBy: { id: "asc" } }),
      values: await valueRows(),
    });
    const before = await snapshot();
    for (const call of [
      () => getFieldValues(testDb.db, bob, { contactId: contact }),
      () => setFieldValues(testDb.db, bob, { contactId: contact, values: { [text.id]: "x" } }),
      // Bob's own contact with Alice's field, and Alice's contact with Bob's field.
      () => setFieldValues(testDb.db, bob, { contactId: bobContact, values: { [text.id]: "x" } }),
      () =>
        setFieldValues(testDb.db, owner, {
          contactId: contact,
          values: { [text.id]: "x", [bobField.id]: "y" },
        }),
      () => updateField(testDb.db, bob, { id: text.id, label: "Stolen" }),
      () => reorderFields(testDb.db, bob, { ids: [text.id] }),
      () => reorderFields(testDb.db, bob, { ids: [bobField.id, text.id] }),
      () => deleteField(testDb.db, bob, { id: text.id }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).fieldErrors).toEqual({});
    }
    expect(await snapshot()).toEqual(before);
    const bobs = (await listFields(testDb.db, bob)).map((f) => f.id);
    expect(bobs).toContain(bobField.id);
    expect(bobs).not.toContain(text.id);
  });
});
