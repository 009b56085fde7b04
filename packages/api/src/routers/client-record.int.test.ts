import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { transformer } from "../transformer.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logger } from "../logger.ts";
import { appRouter, createCaller } from "../root.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

/**
 * The client-record routers (tags, notes, tasks, custom fields, stages, saved views, timeline)
 * seen from outside: every procedure, another user's ids, bad input over HTTP.
 */

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const UNKNOWN_ID = "0190b6a4-0000-7000-8000-000000000000";

const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

const ROUTERS = ["tags", "notes", "tasks", "customFields", "stages", "savedViews", "timeline"];
const procedures = Object.keys(appRouter._def.procedures).filter((path) =>
  ROUTERS.includes(path.split(".")[0]!),
);

/** Calls a procedure by its path, the way a client would. */
function call(user: SessionUser | null, path: string, input?: unknown): Promise<unknown> {
  const [router, name] = path.split(".") as [string, string];
  const caller = callerFor(user) as unknown as Record<
    string,
    Record<string, (input?: unknown) => Promise<unknown>>
  >;
  return caller[router]![name]!(input);
}

async function http(
  user: SessionUser | null,
  path: string,
  input: unknown,
  kind: "query" | "mutation",
) {
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
      createInnerContext({ db: testDb.db, user, log: silent, requestId: "client-record-01" }),
  });
  const body = (await res.json()) as {
    error?: { json: { message: string; data: { code: string; fieldErrors: unknown } } };
  };
  return { status: res.status, error: body.error?.json };
}

/** Alice's client record, built through the API. */
const ids = {
  contact: "",
  deletedContact: "",
  tag: "",
  note: "",
  task: "",
  field: "",
  stage: "",
  view: "",
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "alice@example.com", name: "Alice" } }),
    testDb.db.user.create({ data: { email: "bob@example.com", name: "Bob" } }),
  ]);
  alice = { id: a.id, email: a.email, name: a.name };
  bob = { id: b.id, email: b.email, name: b.name };

  const contact = await testDb.db.contact.create({
    data: { userId: alice.id, name: "Maya Lin", nameSort: "maya lin" },
  });
  const deleted = await testDb.db.contact.create({
    data: { userId: alice.id, name: "Gone", nameSort: "gone", deletedAt: new Date() },
  });
  ids.contact = contact.id;
  ids.deletedContact = deleted.id;
  const api = callerFor(alice);
  ids.tag = (await api.tags.create({ name: "VIP", color: "teal" })).id;
  await api.tags.tagContacts({ contactIds: [contact.id], tagIds: [ids.tag] });
  ids.note = (await api.notes.create({ contactId: contact.id, body: "First session" })).id;
  ids.task = (
    await api.tasks.create({ title: "Follow up", contactId: contact.id, dueAt: new Date() })
  ).id;
  ids.field = (
    await api.customFields.create({ label: "Goal", type: "select", options: ["Strength"] })
  ).id;
  await api.customFields.setValues({ contactId: contact.id, values: { [ids.field]: "Strength" } });
  ids.stage = (await api.stages.create({ label: "On hold" })).id!;
  ids.view = (await api.savedViews.create({ name: "VIPs", state: { pageSize: 25 } })).id;
});
afterAll(async () => {
  await testDb.drop();
});

/** Every row of every table the client record lives in. */
async function snapshot() {
  const db = testDb.db;
  return {
    contacts: await db.contact.findMany({ orderBy: { id: "asc" } }),
    tags: await db.tag.findMany({ orderBy: { id: "asc" } }),
    contactTags: await db.contactTag.findMany({
      orderBy: [{ contactId: "asc" }, { tagId: "asc" }],
    }),
    notes: await db.note.findMany({ orderBy: { id: "asc" } }),
    tasks: await db.task.findMany({ orderBy: { id: "asc" } }),
    fields: await db.customField.findMany({ orderBy: { id: "asc" } }),
    values: await db.contactFieldValue.findMany({
      orderBy: [{ contactId: "asc" }, { fieldId: "asc" }],
    }),
    stages: await db.contactStage.findMany({ orderBy: { id: "asc" } }),
    views: await db.savedView.findMany({ orderBy: { id: "asc" } }),
    events: await db.timelineEvent.findMany({ orderBy: { id: "asc" } }),
  };
}

describe("client-record routers", () => {
  it("serve the signed-in user's record", async () => {
    const api = callerFor(alice);
    expect(await api.tags.list()).toMatchObject([{ id: ids.tag, name: "VIP", contactCount: 1 }]);
    expect(await api.tags.ofContact({ contactId: ids.contact })).toMatchObject([{ id: ids.tag }]);
    expect((await api.notes.list({ contactId: ids.contact })).items).toMatchObject([
      { id: ids.note, body: "First session" },
    ]);
    expect((await api.tasks.list({ contactId: ids.contact })).items).toMatchObject([
      { id: ids.task, contact: { name: "Maya Lin" } },
    ]);
    expect(await api.customFields.values({ contactId: ids.contact })).toMatchObject([
      { fieldId: ids.field, value: "Strength" },
    ]);
    expect((await api.stages.list()).map((s) => s.key)).toEqual([
      "lead",
      "active",
      "past",
      "on_hold",
    ]);
    expect(await api.savedViews.list()).toMatchObject([{ id: ids.view, state: { pageSize: 25 } }]);
    expect((await api.timeline.list({ contactId: ids.contact })).items).toMatchObject([
      { kind: "contact.field_changed", summary: "Goal set to Strength" },
      { kind: "note.added", summary: "First session", data: { noteId: ids.note } },
      { kind: "contact.tagged" },
    ]);
  });

  it("refuse every procedure without a session", async () => {
    expect(procedures.length).toBeGreaterThanOrEqual(33);
    for (const path of procedures) {
      await expect(call(null, path, { id: UNKNOWN_ID }), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
  });

  it("answer another user's ids with NOT_FOUND in every procedure, and change nothing", async () => {
    // For each procedure taking ids: Bob sends Alice's (or mixes them with his own).
    const bobContact = await testDb.db.contact.create({
      data: { userId: bob.id, name: "Bob's client", nameSort: "bob's client" },
    });
    const bobTag = await callerFor(bob).tags.create({ name: "Bob's tag" });
    const bobField = await callerFor(bob).customFields.create({ label: "Bob's", type: "text" });
    const attempts: Record<string, unknown[]> = {
      "tags.update": [
        { id: ids.tag, name: "Stolen" },
        { id: ids.tag, color: "red" },
      ],
      "tags.delete": [{ id: ids.tag }],
      "tags.tagContacts": [
        { contactIds: [ids.contact], tagIds: [bobTag.id] },
        { contactIds: [bobContact.id], tagIds: [ids.tag] },
        { contactIds: [bobContact.id, ids.contact], tagIds: [bobTag.id] },
      ],
      "tags.untagContacts": [
        { contactIds: [ids.contact], tagIds: [ids.tag] },
        { contactIds: [bobContact.id], tagIds: [ids.tag] },
      ],
      "tags.ofContact": [{ contactId: ids.contact }],
      "notes.list": [{ contactId: ids.contact }],
      "notes.create": [{ contactId: ids.contact, body: "Sneaky" }],
      "notes.update": [{ id: ids.note, body: "Stolen" }],
      "notes.delete": [{ id: ids.note }],
      "tasks.list": [{ contactId: ids.contact, status: "all" }],
      "tasks.create": [{ title: "Mine now", contactId: ids.contact }],
      "tasks.update": [
        { id: ids.task, title: "Stolen" },
        { id: ids.task, contactId: bobContact.id },
      ],
      "tasks.complete": [{ id: ids.task }],
      "tasks.reopen": [{ id: ids.task }],
      "tasks.delete": [{ id: ids.task }],
      "customFields.update": [{ id: ids.field, label: "Stolen" }],
      "customFields.reorder": [{ ids: [ids.field] }, { ids: [bobField.id, ids.field] }],
      "customFields.delete": [{ id: ids.field }],
      "customFields.values": [{ contactId: ids.contact }],
      "customFields.setValues": [
        { contactId: ids.contact, values: { [bobField.id]: "x" } },
        { contactId: bobContact.id, values: { [ids.field]: "Strength" } },
      ],
      "stages.rename": [{ id: ids.stage, label: "Stolen" }],
      "stages.delete": [{ id: ids.stage }],
      "savedViews.update": [{ id: ids.view, name: "Stolen" }],
      "savedViews.delete": [{ id: ids.view }],
      "timeline.list": [{ contactId: ids.contact }],
    };
    const before = await snapshot();
    for (const [path, inputs] of Object.entries(attempts)) {
      for (const input of inputs) {
        const error = await call(bob, path, input).catch((e: unknown) => e);
        expect(error, `${path} ${JSON.stringify(input)}`).toMatchObject({ code: "NOT_FOUND" });
        // The message names nothing of Alice's.
        expect((error as Error).message).not.toMatch(/Maya|VIP|Goal|On hold|First session/);
      }
    }
    expect(await snapshot()).toEqual(before);

    // Procedures without ids: Bob's lists hold nothing of Alice's, and her names are free for him.
    const idFree = [
      "tags.list",
      "tasks.list",
      "customFields.list",
      "stages.list",
      "savedViews.list",
    ];
    const api = callerFor(bob);
    const aliceIds = new Set(Object.values(ids));
    for (const path of idFree) {
      const result = (await call(
        bob,
        path,
        path === "tasks.list" ? { status: "all" } : undefined,
      )) as { id: string | null }[] | { items: { id: string }[] };
      const rows = Array.isArray(result) ? result : result.items;
      expect(
        rows.some((row) => row.id !== null && aliceIds.has(row.id)),
        path,
      ).toBe(false);
    }
    await expect(api.tags.create({ name: "vip" })).resolves.toBeTruthy();
    await expect(api.tasks.create({ title: "Follow up" })).resolves.toBeTruthy();
    await expect(
      api.customFields.create({ label: "Goal", type: "select", options: ["Strength"] }),
    ).resolves.toBeTruthy();
    await expect(api.stages.create({ label: "On hold" })).resolves.toBeTruthy();
    await expect(api.savedViews.create({ name: "VIPs", state: {} })).resolves.toBeTruthy();

    const covered = new Set([
      ...Object.keys(attempts),
      ...idFree,
      ...[
        "tags.create",
        "tasks.create",
        "customFields.create",
        "stages.create",
        "savedViews.create",
      ],
    ]);
    expect(procedures.filter((path) => !covered.has(path))).toEqual([]);

    // Nothing of Alice's moved while Bob was busy.
    const after = await snapshot();
    const hers = <T extends { userId: string }>(rows: T[]) =>
      rows.filter((r) => r.userId === alice.id);
    expect(hers(after.tags)).toEqual(hers(before.tags));
    expect(hers(after.tasks)).toEqual(hers(before.tasks));
    expect(hers(after.fields)).toEqual(hers(before.fields));
    expect(hers(after.stages)).toEqual(hers(before.stages));
    expect(hers(after.views)).toEqual(hers(before.views));
  });

  it("treat Alice's own deleted contact as missing", async () => {
    const before = await snapshot();
    const contactId = ids.deletedContact;
    for (const [path, input] of [
      ["tags.ofContact", { contactId }],
      ["tags.tagContacts", { contactIds: [contactId], tagIds: [ids.tag] }],
      ["notes.list", { contactId }],
      ["notes.create", { contactId, body: "x" }],
      ["tasks.list", { contactId }],
      ["tasks.create", { title: "x", contactId }],
      ["customFields.values", { contactId }],
      ["customFields.setValues", { contactId, values: { [ids.field]: "Strength" } }],
      ["timeline.list", { contactId }],
    ] as const) {
      await expect(call(alice, path, input), path).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("client-record errors over HTTP", () => {
  it("reports wrong custom field values under each field's id", async () => {
    const res = await http(
      alice,
      "customFields.setValues",
      { contactId: ids.contact, values: { [ids.field]: "Cardio" } },
      "mutation",
    );
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({
      message: "Some values are not valid.",
      data: {
        code: "BAD_REQUEST",
        fieldErrors: { [ids.field]: ["Must be one of the field's options."] },
      },
    });
  });

  it("reports a duplicate name as a conflict on the name field", async () => {
    const res = await http(alice, "tags.create", { name: "vip" }, "mutation");
    expect(res.status).toBe(409);
    expect(res.error?.data.fieldErrors).toEqual({ name: ["You already have a tag named “VIP”."] });
  });

  it.each([
    ["tags.create", { name: 42 }, "name"],
    ["tags.create", { name: "x".repeat(100_000) }, "name"],
    ["tags.create", { name: "Ok", userId: UNKNOWN_ID }, "_form"],
    ["notes.create", { contactId: "../etc/passwd", body: "x" }, "contactId"],
    ["notes.update", { id: UNKNOWN_ID, body: "x".repeat(20_001) }, "body"],
    ["tasks.create", { title: "Ok", dueAt: "next Tuesday" }, "dueAt"],
    ["tasks.update", { id: UNKNOWN_ID }, "_form"],
    ["customFields.create", { label: "Goal", type: "select" }, "options"],
    ["customFields.reorder", { ids: [] }, "ids"],
    ["stages.create", { label: "" }, "label"],
    ["savedViews.create", { name: "V", state: { pageSize: 1000 } }, "state.pageSize"],
    [
      "savedViews.update",
      { id: UNKNOWN_ID, state: { filters: { q: "x".repeat(11_000) } } },
      "state.filters",
    ],
  ])("refuses bad input to %s with 400 and field errors", async (path, input, field) => {
    const res = await http(alice, path, input, "mutation");
    expect(res.status).toBe(400);
    expect(res.error?.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(res.error?.data.fieldErrors as object)).toContain(field);
  });

  it.each([
    ["tasks.list", { status: "closed" }, "status"],
    ["tasks.list", { timeZone: "Nowhere/Land" }, "timeZone"],
    ["notes.list", { contactId: UNKNOWN_ID, limit: 1000 }, "limit"],
    ["timeline.list", { contactId: UNKNOWN_ID, cursor: "x".repeat(2000) }, "cursor"],
  ])("refuses bad list input to %s with 400", async (path, input, field) => {
    const res = await http(alice, path, input, "query");
    expect(res.status).toBe(400);
    expect(Object.keys(res.error?.data.fieldErrors as object)).toContain(field);
  });

  it("refuses a forged page link with 400, not 500", async () => {
    const res = await http(
      alice,
      "timeline.list",
      { contactId: ids.contact, cursor: "bm90LWEtY3Vyc29y" },
      "query",
    );
    expect(res.status).toBe(400);
    expect(res.error?.message).toMatch(/page link is no longer valid/);
  });
});
