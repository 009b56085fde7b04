import { imports } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contactsImportReportResponse,
  contactsImportUploadResponse,
  IMPORT_UPLOAD_LIMIT_BYTES,
} from "./contacts-import.ts";

let testDb: TestDatabase;
let user: { id: string; email: string; name: string | null };
let other: { id: string; email: string; name: string | null };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "import@example.com" } }),
    testDb.db.user.create({ data: { email: "other@example.com" } }),
  ]);
  user = { id: a.id, email: a.email, name: null };
  other = { id: b.id, email: b.email, name: null };
});
afterAll(async () => {
  await testDb.drop();
});

const upload = (body: RequestInit["body"], headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/api/contacts/import", { method: "POST", body, headers });

interface ErrorBody {
  error: { message: string; requestId: string; fieldErrors: Record<string, string[]> | null };
}

const CSV =
  "\uFEFFNom;E-mail;Téléphone\r\nÉlodie;elodie@example.fr;+33 6 12 34 56 78\r\nBob;bob@;\r\n";

describe("POST /api/contacts/import", () => {
  it("stages the raw file bytes and answers with the headers, rows and a suggested mapping", async () => {
    const res = await contactsImportUploadResponse(
      upload(new TextEncoder().encode(CSV), {
        "x-file-name": encodeURIComponent("Élèves 2026.csv"),
      }),
      user,
      testDb.db,
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as imports.StagedImport;
    expect(body).toMatchObject({
      fileName: "Élèves 2026.csv",
      headers: ["Nom", "E-mail", "Téléphone"],
      totalRows: 2,
      suggestedMapping: { Nom: "name", "E-mail": "email", Téléphone: "phone" },
      sampleRows: [{ rowNumber: 2, cells: { Nom: "Élodie" } }, { rowNumber: 3 }],
    });
    expect(
      await imports.importStatus(testDb.db, { userId: user.id }, { importId: body.importId }),
    ).toMatchObject({ status: "staged", totalRows: 2 });
  });

  it("streams a large body without holding it whole", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode("Name,Email\n"));
        const lines = Array.from(
          { length: 500 },
          (_, i) => `P ${sent + i},p${sent + i}@example.com\n`,
        );
        controller.enqueue(new TextEncoder().encode(lines.join("")));
        sent += 500;
        if (sent >= 3000) controller.close();
      },
    });
    const res = await contactsImportUploadResponse(
      new Request("http://127.0.0.1/api/contacts/import", {
        method: "POST",
        body: stream,
        headers: { "x-file-name": "big.csv" },
        duplex: "half",
      }),
      user,
      testDb.db,
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { totalRows: number }).totalRows).toBe(3000);
  });

  it("refuses a file over the limit with 413, whether announced or not, keeping nothing", async () => {
    expect(IMPORT_UPLOAD_LIMIT_BYTES).toBe(50 * 1024 * 1024);
    const announced = await contactsImportUploadResponse(
      upload("Name\nA\n", { "x-file-name": "a.csv", "content-length": String(51 * 1024 * 1024) }),
      user,
      testDb.db,
    );
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as ErrorBody).error.message).toMatch(/larger than 50 MB/);
    const before = await testDb.db.contactImport.count();
    const streamed = await contactsImportUploadResponse(
      upload(`Name\n${"A\n".repeat(2000)}`, { "x-file-name": "a.csv" }),
      user,
      testDb.db,
      1000,
    );
    expect(streamed.status).toBe(413);
    expect(await testDb.db.contactImport.count()).toBe(before);
  });

  it("answers bad requests with a clear JSON error", async () => {
    expect(
      (await contactsImportUploadResponse(upload(CSV, { "x-file-name": "a.csv" }), null, testDb.db))
        .status,
    ).toBe(401);
    const noName = await contactsImportUploadResponse(upload(CSV), user, testDb.db);
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as ErrorBody).error.message).toMatch(/x-file-name/);
    const empty = await contactsImportUploadResponse(
      upload("", { "x-file-name": "a.csv" }),
      user,
      testDb.db,
    );
    expect(empty.status).toBe(400);
    const binary = await contactsImportUploadResponse(
      upload(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 9]), { "x-file-name": "contacts.xlsx" }),
      user,
      testDb.db,
    );
    expect(binary.status).toBe(400);
    const { error } = (await binary.json()) as ErrorBody;
    expect(error.message).toMatch(/Excel workbook/);
    expect(error.requestId).toBe(binary.headers.get("x-request-id"));
  });
});

describe("GET /api/contacts/import/report", () => {
  it("downloads the rows that were not imported, and only for their owner", async () => {
    const actor = { userId: user.id };
    const staged = await imports.stageImport(testDb.db, actor, { fileName: "r.csv", csv: CSV });
    await imports.previewImport(testDb.db, actor, {
      importId: staged.importId,
      mapping: staged.suggestedMapping,
    });
    const url = `http://127.0.0.1/api/contacts/import/report?importId=${staged.importId}`;
    const res = await contactsImportReportResponse(new Request(url), user, testDb.db);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="omnicrm-import-problems-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(parse((await res.text()).replace(/^\uFEFF/, ""))).toEqual([
      ["Row", "Problem", "Nom", "E-mail", "Téléphone"],
      ["3", "“bob@” is not a valid email", "Bob", "bob@", ""],
    ]);
    expect((await contactsImportReportResponse(new Request(url), other, testDb.db)).status).toBe(
      404,
    );
    expect((await contactsImportReportResponse(new Request(url), null, testDb.db)).status).toBe(
      401,
    );
    const bad = await contactsImportReportResponse(
      new Request("http://127.0.0.1/api/contacts/import/report?importId=nope"),
      user,
      testDb.db,
    );
    expect(bad.status).toBe(400);
  });
});
