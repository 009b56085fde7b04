import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { transformer } from "../transformer.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logger } from "../logger.ts";
import { appRouter, createCaller } from "../root.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

/** The duplicates router seen from outside: the flow, other users' ids, bad input over HTTP. */

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const UNKNOWN_ID = "0190b6a4-0000-7000-8000-000000000000";

const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

const procedures = Object.keys(appRouter._def.procedures).filter((path) =>
  path.startsWith("duplicates."),
);

function call(user: SessionUser | null, path: string, input?: unknown): Promise<unknown> {
  const [router, name] = path.split(".") as [string, string];
  const caller = callerFor(user) as unknown as Record<
    string,
    Record<string, (input?: unknown) => Promise<unknown>>
  >;
  return caller[router]![name]!(input);
}

async function http(user: SessionUser | null, path: string, input: unknown) {
  const kind = ["suggestions", "preview", "merges"].includes(path.split(".")[1]!)
    ? "query"
    : "mutation";
  const encoded = JSON.stringify(transformer.serialize(input));
  const url =
    `http://127.0.0.1/api/trpc/${path}` +
    (kind === "query" ? `?input=${encodeURIComponent(encoded)}` : "");
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, {
      method: kind === "query" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: kind === "mutation" ? encoded : undefined,
    }),
    router: appRouter,
    createContext: () =>
      createInnerContext({ db: testDb.db, user, log: silent, requestId: "duplicates-0001" }),
  });
  const body = (await res.json()) as {
    error?: {
      json: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } };
    };
  };
  return { status: res.status, error: body.error?.json };
}

const ids = { maya: "", mayaToo: "", field: "", merge: "" };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "alice@example.com", name: "Alice" } }),
    testDb.db.user.create({ data: { email: "bob@example.com", name: "Bob" } }),
  ]);
  alice = { id: a.id, email: a.email, name: a.name };
  bob = { id: b.id, email: b.email, name: b.name };
  const api = callerFor(alice);
  ids.maya = (
    await api.contacts.create({ name: "Maya Lin", emails: ["maya.lin+yoga@gmail.com"] })
  ).id;
  ids.mayaToo = (
    await api.contacts.create({ name: "Maya Linn", emails: ["mayalin@gmail.com"] })
  ).id;
  ids.field = (await api.customFields.create({ label: "Goal", type: "text" })).id;
  await api.customFields.setValues({ contactId: ids.mayaToo, values: { [ids.field]: "Calm" } });
  // A merge of two other contacts, to undo.
  const x = await api.contacts.create({ name: "Jon Smith", phones: ["+44 20 7946 0000"] });
  const y = await api.contacts.create({ name: "John Smith", phones: ["020 7946 0000"] });
  ids.merge = (await api.duplicates.merge({ survivorId: x.id, mergedId: y.id })).mergeId;
});

afterAll(async () => {
  await testDb.drop();
});

/** Every row a duplicates procedure could touch. */
async function snapshot() {
  const db = testDb.db;
  const byId = { id: "asc" } as const;
  return {
    contacts: await db.contact.findMany({ orderBy: byId }),
    emails: await db.contactEmail.findMany({ orderBy: byId }),
    phones: await db.contactPhone.findMany({ orderBy: byId }),
    values: await db.contactFieldValue.findMany({
      orderBy: [{ contactId: "asc" }, { fieldId: "asc" }],
    }),
    events: await db.timelineEvent.findMany({ orderBy: byId }),
    merges: await db.contactMerge.findMany({ orderBy: byId }),
    dismissals: await db.duplicateDismissal.findMany({
      orderBy: [{ contactA: "asc" }, { contactB: "asc" }],
    }),
  };
}

describe("duplicates router", () => {
  it("suggests, previews, merges and undoes for the signed-in user", async () => {
    const api = callerFor(alice);
    const { items } = await api.duplicates.suggestions({});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      reasons: ["same gmail address", "similar name"],
      score: 89,
    });
    const preview = await api.duplicates.preview({ survivorId: ids.maya, mergedId: ids.mayaToo });
    expect(preview.fields.find((f) => f.key === ids.field)).toMatchObject({
      survivor: null,
      merged: "Calm",
      default: "merged",
    });
    const merged = await api.duplicates.merge({
      survivorId: ids.maya,
      mergedId: ids.mayaToo,
      fields: { name: "merged" },
      previewToken: preview.previewToken,
    });
    expect(await api.contacts.byId({ id: ids.maya })).toMatchObject({
      name: "Maya Linn",
      emails: ["maya.lin+yoga@gmail.com", "mayalin@gmail.com"],
    });
    expect((await api.duplicates.suggestions({})).items).toEqual([]);
    expect((await api.duplicates.merges({ limit: 1 })).items).toMatchObject([
      { id: merged.mergeId, canUndo: true, merged: { name: "Maya Linn" } },
    ]);
    await api.duplicates.undo({ mergeId: merged.mergeId });
    expect(await api.contacts.byId({ id: ids.mayaToo })).toMatchObject({ name: "Maya Linn" });
    await api.duplicates.dismiss({ contactIds: [ids.mayaToo, ids.maya] });
    expect((await api.duplicates.suggestions({})).items).toEqual([]);
  });

  it("refuses every procedure without a session", async () => {
    expect(procedures).toHaveLength(6);
    for (const path of procedures) {
      await expect(call(null, path, {}), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("answers another user's ids with NOT_FOUND in every procedure, and changes nothing", async () => {
    const bobs = await callerFor(bob).contacts.create({ name: "Maya Lin" });
    const attempts: Record<string, unknown[]> = {
      "duplicates.dismiss": [
        { contactIds: [ids.maya, ids.mayaToo] },
        { contactIds: [bobs.id, ids.maya] },
      ],
      "duplicates.preview": [
        { survivorId: ids.maya, mergedId: ids.mayaToo },
        { survivorId: bobs.id, mergedId: ids.maya },
        { survivorId: ids.maya, mergedId: bobs.id },
      ],
      "duplicates.merge": [
        { survivorId: ids.maya, mergedId: ids.mayaToo },
        { survivorId: bobs.id, mergedId: ids.maya, fields: { name: "merged" } },
        { survivorId: bobs.id, mergedId: UNKNOWN_ID },
      ],
      "duplicates.undo": [{ mergeId: ids.merge }, { mergeId: UNKNOWN_ID }],
    };
    const before = await snapshot();
    for (const [path, inputs] of Object.entries(attempts)) {
      for (const input of inputs) {
        const error = await call(bob, path, input).catch((e: unknown) => e);
        expect(error, `${path} ${JSON.stringify(input)}`).toMatchObject({ code: "NOT_FOUND" });
        expect((error as Error).message).not.toMatch(/Maya|Smith/);
      }
    }
    // The lists hold nothing of Alice's.
    expect((await callerFor(bob).duplicates.suggestions({})).items).toEqual([]);
    expect((await callerFor(bob).duplicates.merges({})).items).toEqual([]);
    expect(await snapshot()).toEqual(before);

    const covered = new Set([
      ...Object.keys(attempts),
      "duplicates.suggestions",
      "duplicates.merges",
    ]);
    expect(procedures.filter((path) => !covered.has(path))).toEqual([]);
  });
});

describe("duplicates errors over HTTP", () => {
  it.each([
    ["duplicates.dismiss", { contactIds: [UNKNOWN_ID, UNKNOWN_ID] }, "contactIds"],
    ["duplicates.dismiss", { contactIds: [UNKNOWN_ID] }, "contactIds"],
    ["duplicates.preview", { survivorId: UNKNOWN_ID, mergedId: UNKNOWN_ID }, "mergedId"],
    ["duplicates.merge", { survivorId: UNKNOWN_ID, mergedId: UNKNOWN_ID }, "mergedId"],
    [
      "duplicates.merge",
      {
        survivorId: UNKNOWN_ID,
        mergedId: "0190b6a4-0000-7000-8000-000000000001",
        fields: { email: "merged" },
      },
      "fields",
    ],
    [
      "duplicates.merge",
      {
        survivorId: UNKNOWN_ID,
        mergedId: "0190b6a4-0000-7000-8000-000000000001",
        fields: { name: "both" },
      },
      "fields.name",
    ],
    [
      "duplicates.merge",
      {
        survivorId: UNKNOWN_ID,
        mergedId: "0190b6a4-0000-7000-8000-000000000001",
        fields: { ["x".repeat(100_000)]: "merged" },
      },
      "fields",
    ],
    ["duplicates.merge", { survivorId: "x".repeat(100_000), mergedId: UNKNOWN_ID }, "survivorId"],
    ["duplicates.undo", { mergeId: "../etc/passwd" }, "mergeId"],
    ["duplicates.undo", { mergeId: UNKNOWN_ID, userId: UNKNOWN_ID }, "_form"],
    ["duplicates.suggestions", { limit: 1000 }, "limit"],
    ["duplicates.suggestions", { cursor: "x".repeat(2000) }, "cursor"],
    ["duplicates.merges", { limit: 0 }, "limit"],
  ])("refuses bad input to %s with 400 and field errors", async (path, input, field) => {
    const res = await http(alice, path, input);
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(res.error?.data.fieldErrors ?? {})).toContain(field);
    // Nothing sent is echoed back at length.
    expect(JSON.stringify(res.error).length).toBeLessThan(2000);
  });

  it("explains a merge with itself and a forged page link", async () => {
    const itself = await http(alice, "duplicates.merge", {
      survivorId: ids.maya,
      mergedId: ids.maya,
    });
    expect(itself.error?.data.fieldErrors).toEqual({
      mergedId: ["A contact cannot be merged with itself."],
    });
    const forged = await http(alice, "duplicates.suggestions", { cursor: "bm90LWEtY3Vyc29y" });
    expect(forged.status).toBe(400);
    expect(forged.error?.message).toMatch(/page link is no longer valid/);
    const undone = await http(alice, "duplicates.undo", { mergeId: ids.merge });
    expect(undone.status).toBe(200);
    const again = await http(alice, "duplicates.undo", { mergeId: ids.merge });
    expect(again).toMatchObject({
      status: 409,
      error: { message: "This merge was already undone." },
    });
  });
});
