import { contacts } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { transformer } from "../transformer.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "../root.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";
import { logger } from "../logger.ts";

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "alice@example.com", name: "Alice" } }),
    testDb.db.user.create({ data: { email: "bob@example.com", name: "Bob" } }),
  ]);
  alice = { id: a.id, email: a.email, name: a.name };
  bob = { id: b.id, email: b.email, name: b.name };
});
afterAll(async () => {
  await testDb.drop();
});

const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

/** Calls the router the way the browser does: HTTP semantics, superjson, the error formatter. */
async function http(
  user: SessionUser | null,
  procedure: string,
  input: unknown,
  kind: "query" | "mutation",
): Promise<{
  status: number;
  body: { result?: { data: unknown }; error?: { json: Record<string, unknown> } };
}> {
  const encoded = JSON.stringify(transformer.serialize(input));
  const url =
    `http://127.0.0.1/api/trpc/${procedure}` +
    (kind === "query" ? `?input=${encodeURIComponent(encoded)}` : "");
  const req = new Request(url, {
    method: kind === "query" ? "GET" : "POST",
    headers: { "content-type": "application/json", "x-request-id": "test-request-0001" },
    body: kind === "mutation" ? encoded : undefined,
  });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () =>
      createInnerContext({ db: testDb.db, user, log: silent, requestId: "test-request-0001" }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe("contacts router", () => {
  it("runs the whole lifecycle for the signed-in user", async () => {
    const api = callerFor(alice);
    const created = await api.contacts.create({
      name: "Maya Lin",
      emails: ["maya@gmail.com"],
      phones: ["+1 555 0100"],
    });
    expect((await api.contacts.byId({ id: created.id })).name).toBe("Maya Lin");
    const page = await api.contacts.list({ search: "maya" });
    expect(page.items.map((c) => c.id)).toEqual([created.id]);
    const updated = await api.contacts.update({
      id: created.id,
      data: { name: "Maya Lin-Park", phones: [] },
    });
    expect(updated).toMatchObject({
      name: "Maya Lin-Park",
      phone: null,
      emails: ["maya@gmail.com"],
    });
    await api.contacts.setStage({ ids: [created.id], stage: "active" });

    const receipt = await api.contacts.delete({ ids: [created.id] });
    await expect(api.contacts.byId({ id: created.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await api.contacts.deleted()).map((d) => d.id)).toEqual([created.id]);
    await api.contacts.restore({ deletionId: receipt.deletionId });
    expect(await api.contacts.byId({ id: created.id })).toMatchObject({ stage: "active" });
  });

  it("refuses every procedure without a session", async () => {
    const api = callerFor(null);
    const id = "0190b6a4-0000-7000-8000-000000000000";
    const calls = [
      api.contacts.list({}),
      api.contacts.byId({ id }),
      api.contacts.create({ name: "X" }),
      api.contacts.update({ id, data: { name: "X" } }),
      api.contacts.delete({ ids: [id] }),
      api.contacts.restore({ deletionId: id }),
      api.contacts.deleted(),
      api.contacts.setStage({ ids: [id], stage: "lead" }),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("never lets another user read, list, change, delete or restore a contact, whatever id they send", async () => {
    const owner = callerFor(alice);
    const mine = await owner.contacts.create({
      name: "Private Client",
      emails: ["private@example.com"],
    });
    const intruder = callerFor(bob);
    await expect(intruder.contacts.byId({ id: mine.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      intruder.contacts.update({
        id: mine.id,
        data: { name: "Stolen", emails: ["x@example.com"] },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.contacts.delete({ ids: [mine.id] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      intruder.contacts.setStage({ ids: [mine.id], stage: "past" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await intruder.contacts.list({ limit: 100, search: "Private" })).items).toEqual([]);

    const receipt = await owner.contacts.delete({ ids: [mine.id] });
    await expect(
      intruder.contacts.restore({ deletionId: receipt.deletionId }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await intruder.contacts.deleted()).toEqual([]);
    await owner.contacts.restore({ deletionId: receipt.deletionId });

    // Bob may use the same email for his own client: it is not a signal about Alice's data.
    await expect(
      intruder.contacts.create({ name: "Bob's", emails: ["private@example.com"] }),
    ).resolves.toBeTruthy();
    expect(await owner.contacts.byId({ id: mine.id })).toMatchObject({
      name: "Private Client",
      stage: "lead",
      emails: ["private@example.com"],
    });
  });

  it("answers bad input with field errors from the shared schema, over HTTP", async () => {
    const res = await http(
      alice,
      "contacts.create",
      { name: "", emails: ["nope"], phones: ["abc"] },
      "mutation",
    );
    expect(res.status).toBe(400);
    const error = res.body.error!.json;
    expect(error.data).toMatchObject({
      code: "BAD_REQUEST",
      requestId: "test-request-0001",
      fieldErrors: {
        name: ["Name is required."],
        "emails.0": ["Enter a valid email address."],
      },
    });
    expect(error.message).toBe("3 fields are not valid.");
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts:\d+|invalid_format/);
  });

  it.each([
    ["a wrong type", { name: 42 }],
    ["a huge string", { name: "x".repeat(100_000) }],
    ["an unknown field", { name: "Ok", userId: "0190b6a4-0000-7000-8000-000000000000" }],
    [
      "too many emails",
      { name: "Ok", emails: Array.from({ length: 50 }, (_, i) => `a${i}@example.com`) },
    ],
  ])("refuses %s", async (_label, input) => {
    const res = await http(alice, "contacts.create", input, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error!.json.data).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses ids that are not uuids, forged cursors and bad filters with 400, not 500", async () => {
    const res = await http(alice, "contacts.byId", { id: "../../etc/passwd" }, "query");
    expect(res.status).toBe(400);
    expect(res.body.error!.json.data).toMatchObject({ fieldErrors: { id: ["Not a valid id."] } });
    const cursor = await http(alice, "contacts.list", { cursor: "bm90LWEtY3Vyc29y" }, "query");
    expect(cursor.status).toBe(400);
    expect(cursor.body.error!.json.message).toMatch(/page link is no longer valid/);
    const filter = await http(
      alice,
      "contacts.list",
      { filters: { stages: ["<script>"] } },
      "query",
    );
    expect(filter.status).toBe(400);
    const bulk = await http(alice, "contacts.delete", { ids: [] }, "mutation");
    expect(bulk.body.error!.json.data).toMatchObject({
      fieldErrors: { ids: ["Select at least one contact."] },
    });
  });

  it("sends a list page over HTTP that the client reads back exactly as the service made it", async () => {
    const api = callerFor(alice);
    const tag = await api.tags.create({ name: "Wire", color: "teal" });
    const first = await api.contacts.create({
      name: "Wire Ånne",
      emails: ["wire.anne@gmail.com"],
      phones: ["+44 20 7946 0000"],
    });
    await api.contacts.create({ name: "Wire Bo" });
    await api.tags.tagContacts({ contactIds: [first.id], tagIds: [tag.id] });
    const input = { search: "wire", limit: 1, sort: { field: "name", direction: "asc" } } as const;

    const res = await http(alice, "contacts.list", input, "query");
    expect(res.status).toBe(200);
    const page = transformer.deserialize<contacts.ContactPage>(res.body.result!.data as never);
    const expected = await contacts.listContacts(testDb.db, { userId: alice.id }, input);
    expect(page).toStrictEqual(expected);
    expect(page.items[0]).toMatchObject({ name: "Wire Ånne", tags: [{ name: "Wire" }] });
    expect(page.items[0]!.createdAt).toBeInstanceOf(Date);
    expect(page.nextCursor).not.toBeNull();
  });

  it("reports a duplicate email as a conflict on that email's field", async () => {
    await callerFor(alice).contacts.create({ name: "First", emails: ["same@example.com"] });
    const res = await http(
      alice,
      "contacts.create",
      { name: "Second", emails: ["other@example.com", "Same@Example.com"] },
      "mutation",
    );
    expect(res.status).toBe(409);
    expect(res.body.error!.json.data).toMatchObject({
      fieldErrors: { "emails.1": ["First already has this email."] },
    });
  });

  it("hides internals when something unexpected fails", async () => {
    const broken = createInnerContext({
      db: testDb.db,
      user: alice,
      log: silent,
      requestId: "req-internal-01",
    });
    // A user id that is not a uuid makes PostgreSQL itself fail: the client must see no SQL.
    const ctx = { ...broken, user: { ...alice, id: "not-a-uuid" } };
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(
        `http://127.0.0.1/api/trpc/contacts.list?input=${encodeURIComponent(JSON.stringify(transformer.serialize({})))}`,
      ),
      router: appRouter,
      createContext: () => ctx,
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(body.error.json.message).toMatch(/Something went wrong on our side/);
    expect(body.error.json.data.requestId).toBe("req-internal-01");
    expect(JSON.stringify(body)).not.toMatch(/uuid|prisma|SELECT|stack/i);
  });
});
