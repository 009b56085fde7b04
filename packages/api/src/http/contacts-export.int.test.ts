import { contacts } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactsExportResponse } from "./contacts-export.ts";

let testDb: TestDatabase;
let user: { id: string; email: string; name: string | null };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const row = await testDb.db.user.create({ data: { email: "export@example.com" } });
  user = { id: row.id, email: row.email, name: null };
  await contacts.createContact(
    testDb.db,
    { userId: user.id },
    { name: "Maya Lin", emails: ["maya@example.com"] },
  );
});
afterAll(async () => {
  await testDb.drop();
});

const post = (body: unknown) =>
  new Request("http://127.0.0.1/api/contacts/export", {
    method: "POST",
    body: JSON.stringify(body),
  });

describe("POST /api/contacts/export", () => {
  it("streams a CSV attachment of the user's contacts", async () => {
    const res = await contactsExportResponse(post({ scope: "all" }), user, testDb.db);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="omnicrm-contacts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parse((await res.text()).replace(/^\uFEFF/, ""));
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([["Maya Lin", "maya@example.com"]]);
  });

  it("refuses the signed-out and malformed requests with a clear JSON error", async () => {
    const signedOut = await contactsExportResponse(post({ scope: "all" }), null, testDb.db);
    expect(signedOut.status).toBe(401);
    const bad = await contactsExportResponse(post({ scope: "everything" }), user, testDb.db);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: "Some fields are not valid." } });
    const notJson = await contactsExportResponse(
      new Request("http://127.0.0.1/api/contacts/export", { method: "POST", body: "{" }),
      user,
      testDb.db,
    );
    expect(notJson.status).toBe(400);
  });
});
