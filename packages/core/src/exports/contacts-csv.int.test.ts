import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { createContact } from "../contacts/service.ts";
import { exportContactsCsv, neutralizeFormula, type ContactExportInput } from "./contacts-csv.ts";

let testDb: TestDatabase;
let owner: Actor;
let other: Actor;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "owner@example.com" } }),
    testDb.db.user.create({ data: { email: "other@example.com" } }),
  ]);
  owner = { userId: a.id };
  other = { userId: b.id };
});
afterAll(async () => {
  await testDb.drop();
});

async function exportRows(actor: Actor, input: ContactExportInput): Promise<string[][]> {
  let text = "";
  for await (const chunk of exportContactsCsv(testDb.db, actor, input)) text += chunk;
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parse(text.slice(1));
}

describe("CSV export", () => {
  it("writes every field, reads back exactly, and defuses formulas", async () => {
    const field = await testDb.db.customField.create({
      data: { userId: owner.userId, key: "goal", label: "Goal", type: "text" },
    });
    const tag = await testDb.db.tag.create({ data: { userId: owner.userId, name: "Yoga" } });
    const tricky = await createContact(testDb.db, owner, {
      name: '=HYPERLINK("http://evil.example","Click")',
      emails: ["tricky@example.com", "second@example.com"],
      phones: ["+1 555 0100"],
      stage: "active",
      source: 'Line one\nline "two", with comma',
    });
    await testDb.db.contactTag.create({
      data: { contactId: tricky.id, tagId: tag.id, userId: owner.userId },
    });
    await testDb.db.contactFieldValue.create({
      data: {
        contactId: tricky.id,
        fieldId: field.id,
        userId: owner.userId,
        textValue: "@sleep better",
      },
    });
    await createContact(testDb.db, other, { name: "Not Yours", emails: ["nope@example.com"] });

    const [header, ...rows] = await exportRows(owner, { scope: "all" });
    expect(header).toEqual([
      "Name",
      "Email",
      "Other emails",
      "Phone",
      "Other phones",
      "Stage",
      "Source",
      "Tags",
      "Created",
      "Last interaction",
      "Goal",
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual([
      `'=HYPERLINK("http://evil.example","Click")`,
      "tricky@example.com",
      "second@example.com",
      "'+1 555 0100",
      "",
      "active",
      'Line one\nline "two", with comma',
      "Yoga",
      tricky.createdAt.toISOString(),
      "",
      "'@sleep better",
    ]);
  });

  it("exports any number of rows, in order, across batches", async () => {
    const actor = {
      userId: (await testDb.db.user.create({ data: { email: "many@example.com" } })).id,
    };
    const names = Array.from({ length: 450 }, (_, i) => `Client ${String(i).padStart(3, "0")}`);
    for (const name of names) await createContact(testDb.db, actor, { name });
    const [, ...rows] = await exportRows(actor, { scope: "all" });
    expect(rows.map((r) => r[0])).toEqual(names);
  });

  it("exports the current view or the selection, and never another user's contacts", async () => {
    const actor = {
      userId: (await testDb.db.user.create({ data: { email: "view@example.com" } })).id,
    };
    const a = await createContact(testDb.db, actor, { name: "Ana Lead" });
    const b = await createContact(testDb.db, actor, { name: "Bo Active", stage: "active" });
    const foreign = await createContact(testDb.db, other, { name: "Foreign" });

    const view = await exportRows(actor, { scope: "view", filters: { stages: ["active"] } });
    expect(view.slice(1).map((r) => r[0])).toEqual(["Bo Active"]);
    const selection = await exportRows(actor, {
      scope: "selection",
      ids: [b.id, foreign.id, a.id],
    });
    expect(selection.slice(1).map((r) => r[0])).toEqual(["Bo Active", "Ana Lead"]);
  });

  it("refuses a malformed request before writing anything", async () => {
    const run = async () => {
      for await (const _ of exportContactsCsv(testDb.db, owner, { scope: "selection", ids: [] })) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(/Select at least one contact/);
  });
});

describe("neutralizeFormula", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+33 6 12", "'+33 6 12"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["Maya", "Maya"],
    ["", ""],
  ])("%j becomes %j", (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
  });
});
