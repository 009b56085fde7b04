import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { buildSearchText, createContact, nameSortKey } from "../contacts/service.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.ts";
import { makeUser } from "../shared/testing.ts";
import {
  importErrorReportCsv,
  importStatus,
  listImports,
  listPresets,
  previewImport,
  runImport,
  saveMapping,
  stageImport,
  undoImport,
  type StagedImport,
} from "./service.ts";
import type { ImportMapping, ImportOptionsInput } from "./schemas.ts";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const db = () => testDb.db;
const SMALL = { chunkSize: 3 };

/** The text as a stream of small byte chunks, the way an upload arrives. */
function bytesOf(text: string, size = 7): AsyncIterable<Buffer> {
  const buffer = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return Readable.from(chunks);
}

const stage = (actor: Actor, csv: string, fileName = "contacts.csv") =>
  stageImport(db(), actor, { fileName, csv: bytesOf(csv) });

async function stageAndPreview(
  actor: Actor,
  csv: string,
  mapping?: ImportMapping,
  options: ImportOptionsInput = {},
) {
  const staged = await stage(actor, csv);
  const preview = await previewImport(
    db(),
    actor,
    { importId: staged.importId, mapping: mapping ?? staged.suggestedMapping, options },
    SMALL,
  );
  return { staged, preview };
}

/** Everything of a user's that an import may touch, in a stable order. */
async function snapshot(actor: Actor) {
  const contacts = await db().contact.findMany({
    where: { userId: actor.userId },
    orderBy: { id: "asc" },
    select: {
      id: true,
      name: true,
      nameSort: true,
      email: true,
      phone: true,
      stage: true,
      source: true,
      searchText: true,
      updatedAt: true,
      deletedAt: true,
      emails: { orderBy: { id: "asc" }, select: { id: true, email: true, isPrimary: true } },
      phones: { orderBy: { id: "asc" }, select: { id: true, phone: true, isPrimary: true } },
      tags: { orderBy: { tagId: "asc" }, select: { tagId: true, createdAt: true } },
      fieldValues: {
        orderBy: { fieldId: "asc" },
        select: { fieldId: true, textValue: true, numberValue: true, dateValue: true },
      },
      events: { orderBy: { id: "asc" }, select: { id: true, kind: true } },
    },
  });
  const tags = await db().tag.findMany({
    where: { userId: actor.userId },
    orderBy: { id: "asc" },
    select: { id: true, name: true },
  });
  return JSON.parse(JSON.stringify({ contacts, tags })) as unknown;
}

async function tableCounts() {
  const d = db();
  return {
    contacts: await d.contact.count(),
    emails: await d.contactEmail.count(),
    phones: await d.contactPhone.count(),
    tags: await d.tag.count(),
    contactTags: await d.contactTag.count(),
    values: await d.contactFieldValue.count(),
    events: await d.timelineEvent.count(),
    changes: await d.contactImportChange.count(),
  };
}

async function contactByEmail(actor: Actor, email: string) {
  return db().contact.findFirst({
    where: { userId: actor.userId, emails: { some: { email } } },
    select: {
      id: true,
      name: true,
      nameSort: true,
      email: true,
      phone: true,
      stage: true,
      source: true,
      searchText: true,
      deletedAt: true,
      emails: {
        orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
        select: { email: true, isPrimary: true },
      },
      phones: {
        orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
        select: { phone: true, digits: true, isPrimary: true },
      },
      tags: { select: { tagId: true, tag: { select: { name: true } } } },
      tagIds: true,
      fieldValues: { select: { fieldId: true, textValue: true, numberValue: true } },
      events: { select: { kind: true, summary: true, data: true } },
    },
  });
}

async function reportRows(actor: Actor, importId: string): Promise<string[][]> {
  let text = "";
  for await (const chunk of importErrorReportCsv(db(), actor, { importId })) text += chunk;
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parse(text.slice(1), { relax_column_count: true });
}

// A spreadsheet saved by a French Excel: byte-order mark, semicolons, CRLF, a quoted newline,
// blank lines, ragged rows, accents, a repeated and an invalid email, formula-looking cells.
const MESSY = [
  "\uFEFFNom complet;E-mail;Autre e-mail;Téléphone;Statut;Tags;Séances;Notes",
  'Élodie Martin;elodie@example.fr;;+33 6 12 34 56 78;Active client;"Yoga; Pilates";12;"Première ligne',
  'seconde ligne"',
  "",
  "Bob;bob@;;;lead;;;",
  '=HYPERLINK("http://evil.example","clic");formula@example.com;;+1 555 0100;;;;@risky',
  "ÉLODIE M.;ELODIE@EXAMPLE.FR;;;;;;second time",
  "Zoë Kravitz;zoe@example.com;zoe@work.example;06 00 00 00 01;past;Newsletter;beaucoup;;extra;cells",
  "Noé;noe@example.com",
  ";;;;;;;",
  "Maya Lin-Park;MAYA@example.com;maya@studio.example;;active;Yoga;3;",
  "Ghost;gone@example.com;;;;;;",
  "",
].join("\r\n");

describe("staging a file", () => {
  it("reads a messy spreadsheet: every row staged, the header checked, a mapping guessed", async () => {
    const actor = await makeUser(db(), "stage@example.com");
    const field = await db().customField.create({
      data: { userId: actor.userId, key: "seances", label: "Séances", type: "number" },
    });
    const staged = await stage(actor, MESSY, "Export Excel.csv");
    expect(staged).toMatchObject({
      fileName: "Export Excel.csv",
      headers: [
        "Nom complet",
        "E-mail",
        "Autre e-mail",
        "Téléphone",
        "Statut",
        "Tags",
        "Séances",
        "Notes",
      ],
      totalRows: 8,
      detectedPreset: null,
      matchedPreset: null,
      suggestedMapping: {
        "Nom complet": "name",
        "E-mail": "email",
        "Autre e-mail": "ignore",
        Téléphone: "phone",
        Statut: "stage",
        Tags: "tags",
        Séances: `custom:${field.id}`,
        Notes: "ignore",
      },
    });
    expect(staged.sampleRows.map((r) => r.rowNumber)).toEqual([2, 4, 5, 6, 7]);
    expect(staged.sampleRows[0]?.cells).toMatchObject({
      "Nom complet": "Élodie Martin",
      Tags: "Yoga; Pilates",
      Notes: "Première ligne\r\nseconde ligne",
    });
    expect(staged.sampleRows[2]?.cells["Nom complet"]).toBe(
      '=HYPERLINK("http://evil.example","clic")',
    );
    expect(staged.sampleRows[4]?.extraCells).toEqual(["extra", "cells"]);
    const rows = await db().contactImportRow.findMany({
      where: { importId: staged.importId },
      orderBy: { rowNumber: "asc" },
    });
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 4, 5, 6, 7, 8, 10, 11]);
    expect(rows.every((r) => r.outcome === "pending")).toBe(true);
    expect(rows[5]?.data).toEqual({ "Nom complet": "Noé", "E-mail": "noe@example.com" });
    expect(await importStatus(db(), actor, { importId: staged.importId })).toMatchObject({
      status: "staged",
      totalRows: 8,
      processedRows: 0,
    });
  });

  it("refuses files that cannot be imported, saying why, and keeps nothing of them", async () => {
    const actor = await makeUser(db(), "refused@example.com");
    const cases: [string | AsyncIterable<Buffer>, RegExp][] = [
      ["", /empty/],
      ["\r\n\r\n   \r\n", /empty/],
      ["Name,Email\r\n", /no rows/],
      ["Name,Email,Name\nA,a@example.com,B\n", /“Name” twice \(columns 1 and 3\)/],
      ["Name,,Email\nA,,a@example.com\n", /Column 2 of the header .* has no name/],
      ["maya@example.com,Maya Lin\nbob@example.com,Bob\n", /first line should name the columns/],
      [bytesOf("PK\u0003\u0004\u0000\u0000binary"), /Excel workbook/],
      [bytesOf("\u0000\u0001\u0002\u0003garbage\u0000"), /not a CSV text file/],
      ['Name,Email\n"Maya,maya@example.com\n', /never closed/],
    ];
    for (const [csv, message] of cases) {
      const error = await stageImport(db(), actor, { fileName: "bad.csv", csv }).catch(
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await db().contactImport.count({ where: { userId: actor.userId } })).toBe(0);
    expect(await listImports(db(), actor)).toEqual([]);
    await expect(
      stageImport(db(), actor, { fileName: "", csv: "Name\nA\n" }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      stageImport(db(), actor, { fileName: "a.csv", csv: "Name\nA\n", userId: "x" } as never),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("stages a large file in batches, without a row cap", async () => {
    const actor = await makeUser(db(), "large@example.com");
    function* generated() {
      yield "Name,Email\n";
      for (let i = 0; i < 5000; i += 1) yield `Person ${i},p${i}@example.com\n`;
    }
    const staged = await stageImport(db(), actor, {
      fileName: "big.csv",
      csv: Readable.from(generated()),
    });
    expect(staged.totalRows).toBe(5000);
    expect(await db().contactImportRow.count({ where: { importId: staged.importId } })).toBe(5000);
  });
});

describe("preview and run", () => {
  let actor: Actor;
  let staged: StagedImport;
  let mapping: ImportMapping;
  let fieldId: string;
  let mayaId: string;

  beforeAll(async () => {
    actor = await makeUser(db(), "owner@example.com");
    fieldId = (
      await db().customField.create({
        data: { userId: actor.userId, key: "seances", label: "Séances", type: "number" },
      })
    ).id;
    const maya = await createContact(db(), actor, {
      name: "Maya Lin",
      emails: ["maya@example.com"],
      phones: ["+1 555 0199"],
      source: "Referral",
    });
    mayaId = maya.id;
    // Maya already has 5 sessions: the import fills empty fields only.
    await db().contactFieldValue.create({
      data: { contactId: maya.id, fieldId, userId: actor.userId, numberValue: 5 },
    });
    const gone = await createContact(db(), actor, { name: "Gone", emails: ["gone@example.com"] });
    await db().contact.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
    staged = await stage(actor, MESSY);
    mapping = { ...staged.suggestedMapping, "Autre e-mail": "email" };
  });

  it("previews every row with its outcome and messages, writing no contact data", async () => {
    const before = await tableCounts();
    const preview = await previewImport(
      db(),
      actor,
      { importId: staged.importId, mapping, options: { matchBy: "email", onMatch: "update" } },
      SMALL,
    );
    expect(await tableCounts()).toEqual(before);
    expect(preview.counts).toEqual({ new: 3, updated: 1, duplicates: 1, invalid: 3, skipped: 0 });
    expect(preview.samples.invalid.map((r) => r.messages)).toEqual([
      ["Row 4: “bob@” is not a valid email"],
      ["Row 7: Séances: “beaucoup” must be a number"],
      [
        "Row 11: “gone@example.com” belongs to “Gone”, deleted recently: restore that contact or remove this email",
      ],
    ]);
    expect(preview.samples.duplicates).toMatchObject([
      { rowNumber: 6, messages: ["Row 6: same email “elodie@example.fr” as row 2"] },
    ]);
    expect(preview.samples.updated).toMatchObject([
      {
        rowNumber: 10,
        contact: { id: mayaId, name: "Maya Lin" },
        values: { emails: ["maya@example.com", "maya@studio.example"], stage: "active" },
      },
    ]);
    expect(preview.samples.new.map((r) => r.rowNumber)).toEqual([2, 5, 8]);
    const outcomes = await db().contactImportRow.findMany({
      where: { importId: staged.importId },
      orderBy: { rowNumber: "asc" },
      select: { rowNumber: true, outcome: true },
    });
    expect(outcomes.map((r) => `${r.rowNumber}:${r.outcome}`)).toEqual([
      "2:create",
      "4:invalid",
      "5:create",
      "6:duplicate",
      "7:invalid",
      "8:create",
      "10:update",
      "11:invalid",
    ]);
    expect(await importStatus(db(), actor, { importId: staged.importId })).toMatchObject({
      status: "previewed",
      processedRows: 0,
      counts: { new: 3, updated: 1, duplicates: 1, invalid: 3, skipped: 0 },
    });
  });

  it("refuses to run with another mapping than the one previewed", async () => {
    await expect(
      runImport(db(), actor, { importId: staged.importId, mapping: staged.suggestedMapping }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      runImport(db(), actor, {
        importId: staged.importId,
        options: { matchBy: "email_or_phone", onMatch: "update" },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("runs exactly as previewed: creates, merges into the match, records changes and events", async () => {
    const status = await runImport(db(), actor, { importId: staged.importId, mapping }, SMALL);
    expect(status).toMatchObject({
      status: "completed",
      processedRows: 8,
      totalRows: 8,
      percent: 100,
      counts: { new: 3, updated: 1, duplicates: 1, invalid: 3, skipped: 0 },
      lastError: null,
    });

    const elodie = await contactByEmail(actor, "elodie@example.fr");
    expect(elodie).toMatchObject({
      name: "Élodie Martin",
      nameSort: nameSortKey("Élodie Martin"),
      email: "elodie@example.fr",
      phone: "+33 6 12 34 56 78",
      stage: "active",
      source: null,
      searchText: buildSearchText("Élodie Martin", ["elodie@example.fr"], ["+33 6 12 34 56 78"]),
      emails: [{ email: "elodie@example.fr", isPrimary: true }],
      phones: [{ phone: "+33 6 12 34 56 78", digits: "33612345678", isPrimary: true }],
      events: [
        {
          kind: "contact.imported",
          summary: "Imported from contacts.csv",
          data: { importId: staged.importId, rowNumber: 2, action: "created" },
        },
      ],
    });
    expect(elodie?.tags.map((t) => t.tag.name).sort()).toEqual(["Pilates", "Yoga"]);
    // The copy the tag filter reads was written with the contact.
    expect(elodie?.tagIds).toEqual(elodie?.tags.map((t) => t.tagId).sort());
    expect(Number(elodie?.fieldValues[0]?.numberValue)).toBe(12);

    const formula = await contactByEmail(actor, "formula@example.com");
    expect(formula?.name).toBe('=HYPERLINK("http://evil.example","clic")');
    expect((await contactByEmail(actor, "noe@example.com"))?.stage).toBe("lead");

    const maya = await contactByEmail(actor, "maya@example.com");
    expect(maya).toMatchObject({
      id: mayaId,
      name: "Maya Lin-Park",
      email: "maya@example.com",
      phone: "+1 555 0199",
      stage: "active",
      source: "Referral",
      emails: [
        { email: "maya@example.com", isPrimary: true },
        { email: "maya@studio.example", isPrimary: false },
      ],
      searchText: buildSearchText(
        "Maya Lin-Park",
        ["maya@example.com", "maya@studio.example"],
        ["+1 555 0199"],
      ),
    });
    expect(maya?.tags.map((t) => t.tag.name)).toEqual(["Yoga"]);
    expect(maya?.tagIds).toEqual(maya?.tags.map((t) => t.tagId));
    expect(Number(maya?.fieldValues[0]?.numberValue)).toBe(5);
    expect(maya?.events.map((e) => e.kind).sort()).toEqual(["contact.created", "contact.imported"]);

    expect(await db().contact.count({ where: { userId: actor.userId, deletedAt: null } })).toBe(4);
    expect(await db().tag.count({ where: { userId: actor.userId } })).toBe(2);
    const changes = await db().contactImportChange.findMany({
      where: { importId: staged.importId },
    });
    expect(changes.map((c) => c.kind).sort()).toEqual(["created", "created", "created", "updated"]);
    expect(changes.find((c) => c.kind === "updated")).toMatchObject({
      contactId: mayaId,
      before: { contact: { name: "Maya Lin", stage: "lead" }, tagIds: [] },
    });
  });

  it("is idempotent once completed, and cannot be previewed again", async () => {
    const before = await snapshot(actor);
    await expect(runImport(db(), actor, { importId: staged.importId })).resolves.toMatchObject({
      status: "completed",
    });
    expect(await snapshot(actor)).toEqual(before);
    await expect(
      previewImport(db(), actor, { importId: staged.importId, mapping }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("reports invalid and duplicate rows as CSV, with the original cells", async () => {
    const rows = await reportRows(actor, staged.importId);
    expect(rows[0]).toEqual([
      "Row",
      "Problem",
      "Nom complet",
      "E-mail",
      "Autre e-mail",
      "Téléphone",
      "Statut",
      "Tags",
      "Séances",
      "Notes",
      "(extra cell 1)",
      "(extra cell 2)",
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ["4", "“bob@” is not a valid email"],
      ["6", "same email “elodie@example.fr” as row 2"],
      ["7", "Séances: “beaucoup” must be a number"],
      [
        "11",
        "“gone@example.com” belongs to “Gone”, deleted recently: restore that contact or remove this email",
      ],
    ]);
    expect(rows[3]).toEqual([
      "7",
      "Séances: “beaucoup” must be a number",
      "Zoë Kravitz",
      "zoe@example.com",
      "zoe@work.example",
      "06 00 00 00 01",
      "past",
      "Newsletter",
      "beaucoup",
      "",
      "extra",
      "cells",
    ]);
  });

  it("undoes the import: created contacts deleted, updated ones restored exactly, idempotently", async () => {
    const other = await makeUser(db(), "undo@example.com");
    const field = await db().customField.create({
      data: { userId: other.userId, key: "seances", label: "Séances", type: "number" },
    });
    const ann = await createContact(db(), other, {
      name: "Ann",
      emails: ["ann@example.com"],
      phones: ["+1 555 0001"],
      stage: "past",
      source: "Flyer",
    });
    const yoga = await db().tag.create({ data: { userId: other.userId, name: "Yoga" } });
    await db().contactTag.create({
      data: { contactId: ann.id, tagId: yoga.id, userId: other.userId },
    });
    const before = await snapshot(other);

    const csv = [
      "Name,Email,Phone,Stage,Tags,Séances",
      "Ann Updated,ANN@example.com,+44 20 7946 0000,active,yoga; Retreat,7",
      "New One,new1@example.com,,,Retreat,",
      "New Two,new2@example.com,,,,",
      "Edited Later,edited@example.com,,,,",
    ].join("\n");
    const { staged: s } = await stageAndPreview(other, csv);
    expect(s.suggestedMapping.Séances).toBe(`custom:${field.id}`);
    await runImport(db(), other, { importId: s.importId }, SMALL);
    const edited = await contactByEmail(other, "edited@example.com");
    await db().note.create({
      data: { userId: other.userId, contactId: edited!.id, body: "Called her after the import" },
    });

    const undone = await undoImport(db(), other, { importId: s.importId });
    expect(undone).toMatchObject({
      status: "undone",
      contactsDeleted: 2,
      contactsMovedToBin: 1,
      contactsRestored: 1,
      tagsDeleted: 1,
      alreadyUndone: false,
    });
    expect(undone.deletionId).toEqual(expect.any(String));
    // The contact edited since the import waits in the bin; everything else is as before.
    const binned = await db().contact.findUniqueOrThrow({ where: { id: edited!.id } });
    expect(binned.deletionId).toBe(undone.deletionId);
    await db().contact.delete({ where: { id: edited!.id } });
    expect(await snapshot(other)).toEqual(before);

    expect(await undoImport(db(), other, { importId: s.importId })).toMatchObject({
      alreadyUndone: true,
      contactsDeleted: 0,
    });
    expect(await snapshot(other)).toEqual(before);
    await expect(runImport(db(), other, { importId: s.importId })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("undo removes the tags the import created, and leaves later edits of updated contacts", async () => {
    const user = await makeUser(db(), "undo-edits@example.com");
    const bea = await createContact(db(), user, { name: "Bea", emails: ["bea@example.com"] });
    const csv = "Name,Email,Stage,Tags\nBea Imported,bea@example.com,active,Fresh\n";
    const { staged: s } = await stageAndPreview(user, csv);
    await runImport(db(), user, { importId: s.importId });
    // Edited after the import: the stage change stays, the name the import set goes back.
    await db().contact.update({ where: { id: bea.id }, data: { stage: "past" } });
    const undone = await undoImport(db(), user, { importId: s.importId });
    expect(undone).toMatchObject({ contactsRestored: 1, tagsDeleted: 1 });
    expect(await db().contact.findUniqueOrThrow({ where: { id: bea.id } })).toMatchObject({
      name: "Bea",
      nameSort: "bea",
      stage: "past",
    });
    expect(await db().tag.count({ where: { userId: user.userId } })).toBe(0);
  });
});

describe("presets", () => {
  const GOOGLE = [
    "First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value",
    "Ana,Maria,Silva,* myContacts ::: Clients,* Home,ana@example.com,Work,ana@work.example,Mobile,+351 912 345 678",
    "Ben,,,* myContacts,,ben@example.com ::: ben2@example.com,,,,",
  ].join("\n");
  const OUTLOOK = [
    "First Name,Middle Name,Last Name,Company,Business Phone,Home Phone,Mobile Phone,E-mail Address,E-mail 2 Address,E-mail 3 Address,Categories,Notes",
    "Chloé,,Dupont,Studio,01 23 45 67 89,,06 11 22 33 44,chloe@example.fr,,chloe@home.example,Clients;VIP,",
  ].join("\r\n");

  it("imports a Google Contacts export with its preset", async () => {
    const actor = await makeUser(db(), "google@example.com");
    const { staged, preview } = await stageAndPreview(actor, GOOGLE);
    expect(staged.detectedPreset).toBe("googleContacts");
    expect(preview.counts).toMatchObject({ new: 2, invalid: 0 });
    await runImport(db(), actor, { importId: staged.importId });
    const ana = await contactByEmail(actor, "ana@example.com");
    expect(ana).toMatchObject({
      name: "Ana Silva",
      emails: [
        { email: "ana@example.com", isPrimary: true },
        { email: "ana@work.example", isPrimary: false },
      ],
      phones: [{ phone: "+351 912 345 678", isPrimary: true }],
    });
    expect(ana?.tags.map((t) => t.tag.name)).toEqual(["Clients"]);
    const ben = await contactByEmail(actor, "ben2@example.com");
    expect(ben).toMatchObject({ name: "Ben", email: "ben@example.com", tags: [] });
  });

  it("imports an Outlook export with its preset", async () => {
    const actor = await makeUser(db(), "outlook@example.com");
    const { staged } = await stageAndPreview(actor, OUTLOOK);
    expect(staged.detectedPreset).toBe("outlook");
    await runImport(db(), actor, { importId: staged.importId });
    const chloe = await contactByEmail(actor, "chloe@example.fr");
    expect(chloe).toMatchObject({
      name: "Chloé Dupont",
      emails: [
        { email: "chloe@example.fr", isPrimary: true },
        { email: "chloe@home.example", isPrimary: false },
      ],
      phones: [
        { phone: "01 23 45 67 89", isPrimary: true },
        { phone: "06 11 22 33 44", isPrimary: false },
      ],
    });
    expect(chloe?.tags.map((t) => t.tag.name).sort()).toEqual(["Clients", "VIP"]);
  });

  it("remembers a manual mapping for files with the same columns", async () => {
    const actor = await makeUser(db(), "presets@example.com");
    const first = await stage(
      actor,
      "Client,Courriel perso,Portable\nA,a@example.com,0600000001\n",
    );
    const mapping: ImportMapping = {
      Client: "name",
      "Courriel perso": "email",
      Portable: "phone",
    };
    const saved = await saveMapping(db(), actor, {
      importId: first.importId,
      name: "My studio sheet",
      mapping,
    });
    expect(saved.mapping).toEqual(mapping);
    const second = await stage(
      actor,
      "portable,CLIENT,Courriel  perso\n0600000002,B,b@example.com\n",
    );
    expect(second.matchedPreset).toEqual({
      id: saved.id,
      name: "My studio sheet",
      mapping: {
        portable: "ignore",
        CLIENT: "ignore",
        "Courriel  perso": "ignore",
      },
    });
    const same = await stage(actor, "Client,Courriel perso,Portable\nC,c@example.com,0600000003\n");
    expect(same.matchedPreset?.id).toBe(saved.id);
    expect(same.suggestedMapping).toEqual(mapping);
    const presets = await listPresets(db(), actor, { importId: same.importId });
    expect(presets.builtIn.map((p) => p.key)).toEqual(["googleContacts", "outlook"]);
    expect(presets.saved).toMatchObject([{ id: saved.id, name: "My studio sheet", matches: true }]);
    await expect(
      saveMapping(db(), actor, { importId: same.importId, name: "Bad", mapping: { Nope: "name" } }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("matching rules", () => {
  it("skips matches when asked, and matches by phone digits", async () => {
    const actor = await makeUser(db(), "match@example.com");
    await createContact(db(), actor, {
      name: "Tom",
      emails: ["tom@example.com"],
      phones: ["+1 (555) 010-2000"],
    });
    const csv =
      "Name,Email,Phone\nTom Again,tom@example.com,\nTommy,,15550102000\nTom Third,,1-555-010-2000\n";
    const skip = await stageAndPreview(actor, csv, undefined, {
      onMatch: "skip",
      matchBy: "email",
    });
    expect(skip.preview.counts).toEqual({
      new: 2,
      updated: 0,
      duplicates: 0,
      invalid: 0,
      skipped: 1,
    });
    const byPhone = await stageAndPreview(actor, csv, undefined, { matchBy: "phone" });
    expect(byPhone.preview.counts).toMatchObject({ updated: 1, duplicates: 1, invalid: 1 });
    expect(byPhone.preview.samples.invalid[0]?.messages).toEqual([
      "Row 2: “tom@example.com” is already the email of “Tom”",
    ]);
    expect(byPhone.preview.samples.duplicates[0]?.messages).toEqual([
      "Row 4: same phone “1-555-010-2000” as row 3",
    ]);
    const either = await stageAndPreview(actor, csv, undefined, { matchBy: "email_or_phone" });
    expect(either.preview.counts).toMatchObject({ updated: 1, duplicates: 2 });
    await runImport(db(), actor, { importId: either.staged.importId });
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(1);
    const tom = await contactByEmail(actor, "tom@example.com");
    expect(tom?.name).toBe("Tom Again");
  });

  it("refuses a mapping the file or the options cannot use", async () => {
    const actor = await makeUser(db(), "mapping@example.com");
    const staged = await stage(actor, "Name,Email,Phone\nA,a@example.com,1234567\n");
    const attempt = (mapping: ImportMapping, options: ImportOptionsInput = {}) =>
      previewImport(db(), actor, { importId: staged.importId, mapping, options });
    await expect(attempt({ Missing: "name" })).rejects.toThrow(/no column “Missing”/);
    await expect(attempt({ Name: "name", Email: "name" })).rejects.toThrow(/Only one column/);
    await expect(attempt({ Phone: "phone" })).rejects.toThrow(/Matching by email needs/);
    await expect(attempt({ Name: "custom:0190b6a4-0000-7000-8000-000000000000" })).rejects.toThrow(
      /custom field does not exist/,
    );
    await expect(attempt({ Name: "ignore", Email: "ignore", Phone: "ignore" })).rejects.toThrow(
      /name, the email or the phone/,
    );
    await expect(attempt({ Name: "password" } as unknown as ImportMapping)).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(runImport(db(), actor, { importId: staged.importId })).rejects.toThrow(
      /Preview this import/,
    );
  });
});

describe("interrupted runs", () => {
  const rowsCsv = (n: number) =>
    [
      "Name,Email,Tags",
      ...Array.from({ length: n }, (_, i) =>
        i === 7 ? `Dup,p2@example.com,` : `Person ${i},p${i}@example.com,${i % 2 ? "odd" : "even"}`,
      ),
    ].join("\n");

  /** The contacts of a user as comparable facts (no ids or times). */
  async function facts(actor: Actor) {
    const contacts = await db().contact.findMany({
      where: { userId: actor.userId },
      select: {
        name: true,
        email: true,
        emails: { select: { email: true } },
        tags: { select: { tag: { select: { name: true } } } },
        events: { select: { kind: true } },
      },
    });
    return contacts
      .map((c) => ({
        name: c.name,
        email: c.email,
        emails: c.emails.map((e) => e.email).sort(),
        tags: c.tags.map((t) => t.tag.name).sort(),
        events: c.events.map((e) => e.kind),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  it("resumes after a failure in the middle: whole chunks only, nothing lost, nothing twice", async () => {
    const reference = await makeUser(db(), "reference@example.com");
    const ref = await stageAndPreview(reference, rowsCsv(20));
    await runImport(db(), reference, { importId: ref.staged.importId }, SMALL);

    const actor = await makeUser(db(), "crash@example.com");
    const { staged } = await stageAndPreview(actor, rowsCsv(20));
    let failures = 0;
    const crashOnce = {
      chunkSize: 3,
      beforeCommit: ({ index }: { index: number }) => {
        if (index === 2 && failures === 0) {
          failures += 1;
          throw new Error("simulated crash");
        }
      },
    };
    await expect(runImport(db(), actor, { importId: staged.importId }, crashOnce)).rejects.toThrow(
      "simulated crash",
    );
    const failed = await importStatus(db(), actor, { importId: staged.importId });
    expect(failed).toMatchObject({ status: "failed", processedRows: 6, percent: 30 });
    expect(failed.lastError).toMatch(/stopped after row 7: simulated crash\. Run it again/);
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(6);

    const resumed = await runImport(db(), actor, { importId: staged.importId }, crashOnce);
    expect(resumed).toMatchObject({
      status: "completed",
      processedRows: 20,
      counts: { new: 19, updated: 0, duplicates: 1, invalid: 0, skipped: 0 },
    });
    expect(await facts(actor)).toEqual(await facts(reference));
    expect(await db().contactImportChange.count({ where: { importId: staged.importId } })).toBe(19);
    const emails = await db().contactEmail.findMany({ where: { userId: actor.userId } });
    expect(new Set(emails.map((e) => e.email)).size).toBe(19);
  });

  it("a resumed run still reports later rows about already imported contacts as duplicates", async () => {
    const actor = await makeUser(db(), "resume-dup@example.com");
    const csv =
      "Name,Email\nA,a@example.com\nB,b@example.com\nC,c@example.com\nA again,A@example.com\n";
    const { staged, preview } = await stageAndPreview(actor, csv);
    expect(preview.counts.duplicates).toBe(1);
    const stopAfterFirst = {
      chunkSize: 2,
      beforeCommit: ({ index }: { index: number }) => {
        if (index === 1) throw new Error("stop");
      },
    };
    await expect(
      runImport(db(), actor, { importId: staged.importId }, stopAfterFirst),
    ).rejects.toThrow();
    const done = await runImport(db(), actor, { importId: staged.importId }, { chunkSize: 2 });
    expect(done.counts).toEqual({ new: 3, updated: 0, duplicates: 1, invalid: 0, skipped: 0 });
    const row = await db().contactImportRow.findUniqueOrThrow({
      where: { importId_rowNumber: { importId: staged.importId, rowNumber: 5 } },
    });
    expect(row).toMatchObject({ outcome: "duplicate" });
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(3);
  });

  it("an interrupted import can be undone instead of resumed", async () => {
    const actor = await makeUser(db(), "undo-crash@example.com");
    const { staged } = await stageAndPreview(actor, rowsCsv(10));
    await expect(
      runImport(
        db(),
        actor,
        { importId: staged.importId },
        {
          chunkSize: 4,
          beforeCommit: ({ index }) => {
            if (index === 1) throw new Error("power cut");
          },
        },
      ),
    ).rejects.toThrow("power cut");
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(4);
    expect(await undoImport(db(), actor, { importId: staged.importId })).toMatchObject({
      contactsDeleted: 4,
      tagsDeleted: 2,
    });
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(0);
    expect(await db().tag.count({ where: { userId: actor.userId } })).toBe(0);
  });

  it("plans a chunk again when a matched contact changes between the lookup and the write", async () => {
    const actor = await makeUser(db(), "stale@example.com");
    const lea = await createContact(db(), actor, { name: "Léa", emails: ["lea@example.com"] });
    const csv = "Name,Email,Source\nA,a@example.com,Fair\nLéa Imported,lea@example.com,Fair\n";
    const { staged } = await stageAndPreview(actor, csv);
    let edits = 0;
    const status = await runImport(
      db(),
      actor,
      { importId: staged.importId },
      {
        chunkSize: 10,
        afterPlan: async () => {
          // The user edits Léa once, right after the import read her.
          if (edits++ === 0) {
            await db().contact.update({ where: { id: lea.id }, data: { stage: "active" } });
          }
        },
      },
    );
    expect(edits).toBe(2);
    expect(status).toMatchObject({ status: "completed", counts: { new: 1, updated: 1 } });
    expect(await db().contact.findUniqueOrThrow({ where: { id: lea.id } })).toMatchObject({
      name: "Léa Imported",
      source: "Fair",
      stage: "active",
    });
    const change = await db().contactImportChange.findFirstOrThrow({
      where: { importId: staged.importId, contactId: lea.id },
    });
    expect(change.before).toMatchObject({ contact: { name: "Léa", stage: "active" } });
  });

  it("an undo during a run stops it, and takes back everything it wrote", async () => {
    const actor = await makeUser(db(), "undo-running@example.com");
    const { staged } = await stageAndPreview(actor, rowsCsv(20));
    let undoing = null as Promise<unknown> | null;
    const status = await runImport(
      db(),
      actor,
      { importId: staged.importId },
      {
        chunkSize: 3,
        beforeCommit: ({ index }) => {
          // Not awaited: the undo waits for this chunk to commit, then stops the run.
          if (index === 1) undoing ??= undoImport(db(), actor, { importId: staged.importId });
        },
      },
    );
    expect(status.status).toBe("undone");
    expect(await undoing).toMatchObject({ status: "undone", alreadyUndone: false });
    expect(await db().contact.count({ where: { userId: actor.userId } })).toBe(0);
    expect(await db().tag.count({ where: { userId: actor.userId } })).toBe(0);
    await expect(runImport(db(), actor, { importId: staged.importId })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("a row the database refuses is recorded as invalid; the rows around it are imported", async () => {
    const actor = await makeUser(db(), "refusing@example.com");
    await db().$executeRawUnsafe(`
      CREATE FUNCTION refuse_exploding() RETURNS trigger AS $$
      BEGIN
        IF NEW.name = 'Explode' THEN
          RAISE EXCEPTION 'Explode is not welcome' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`
      CREATE TRIGGER refuse_exploding BEFORE INSERT ON contacts
      FOR EACH ROW EXECUTE FUNCTION refuse_exploding()`);
    try {
      const csv =
        "Name,Email\nA,a@example.com\nExplode,x@example.com\nC,c@example.com\nD,d@example.com\n";
      const { staged } = await stageAndPreview(actor, csv);
      const status = await runImport(db(), actor, { importId: staged.importId }, { chunkSize: 4 });
      expect(status).toMatchObject({
        status: "completed",
        processedRows: 4,
        counts: { new: 3, invalid: 1 },
      });
      const row = await db().contactImportRow.findUniqueOrThrow({
        where: { importId_rowNumber: { importId: staged.importId, rowNumber: 3 } },
      });
      expect(row).toMatchObject({
        outcome: "invalid",
        message: "Row 3: could not be saved (Explode is not welcome)",
      });
      expect(
        (await db().contact.findMany({ where: { userId: actor.userId } }))
          .map((c) => c.name)
          .sort(),
      ).toEqual(["A", "C", "D"]);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER refuse_exploding ON contacts`);
      await db().$executeRawUnsafe(`DROP FUNCTION refuse_exploding()`);
    }
  });
});

describe("ownership", () => {
  it("refuses another user's import in every function", async () => {
    const owner = await makeUser(db(), "mine@example.com");
    const stranger = await makeUser(db(), "stranger@example.com");
    const { staged } = await stageAndPreview(owner, "Name,Email\nA,a@example.com\n");
    const importId = staged.importId;
    const mapping = staged.suggestedMapping;
    const attempts: (() => Promise<unknown>)[] = [
      () => previewImport(db(), stranger, { importId, mapping }),
      () => runImport(db(), stranger, { importId }),
      () => importStatus(db(), stranger, { importId }),
      () => undoImport(db(), stranger, { importId }),
      () => saveMapping(db(), stranger, { importId, name: "Mine now", mapping }),
      () => listPresets(db(), stranger, { importId }),
      async () => {
        for await (const _ of importErrorReportCsv(db(), stranger, { importId })) break;
      },
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect(await listImports(db(), stranger)).toEqual([]);
    expect(await importStatus(db(), owner, { importId })).toMatchObject({ status: "previewed" });
    expect(await db().importMappingPreset.count({ where: { userId: stranger.userId } })).toBe(0);
    await expect(importStatus(db(), owner, { importId: "not-a-uuid" })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(importStatus(db(), owner, { importId, extra: 1 } as never)).rejects.toBeInstanceOf(
      ZodError,
    );
  });

  it("lists the user's imports, newest first, with their counts", async () => {
    const actor = await makeUser(db(), "list@example.com");
    const first = await stageAndPreview(actor, "Name,Email\nA,a@example.com\nB,a@example.com\n");
    await runImport(db(), actor, { importId: first.staged.importId });
    const second = await stage(actor, "Name\nC\n", "second.csv");
    expect(await listImports(db(), actor)).toMatchObject([
      { importId: second.importId, fileName: "second.csv", status: "staged" },
      {
        importId: first.staged.importId,
        status: "completed",
        counts: { new: 1, duplicates: 1, skipped: 0 },
      },
    ]);
  });
});
