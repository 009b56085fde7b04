import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
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
  const encoded = JSON.stringify(superjson.serialize(input));
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
      email: "maya@gmail.com",
      phone: "+1 555 0100",
    });
    expect((await api.contacts.byId({ id: created.id })).name).toBe("Maya Lin");
    const page = await api.contacts.list({ search: "maya" });
    expect(page.items.map((c) => c.id)).toEqual([created.id]);
    const updated = await api.contacts.update({
      id: created.id,
      data: { name: "Maya Lin-Park", email: "maya@gmail.com" },
    });
    expect(updated).toMatchObject({ name: "Maya Lin-Park", phone: null });
    await api.contacts.delete({ id: created.id });
    await expect(api.contacts.byId({ id: created.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses every procedure without a session", async () => {
    const api = callerFor(null);
    const id = "0190b6a4-0000-7000-8000-000000000000";
    await expect(api.contacts.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.contacts.byId({ id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.contacts.create({ name: "X" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(api.contacts.update({ id, data: { name: "X" } })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(api.contacts.delete({ id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("never lets another user read, list, change or delete a contact, whatever id they send", async () => {
    const mine = await callerFor(alice).contacts.create({
      name: "Private Client",
      email: "private@example.com",
    });
    const intruder = callerFor(bob);
    await expect(intruder.contacts.byId({ id: mine.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      intruder.contacts.update({ id: mine.id, data: { name: "Stolen", email: "x@example.com" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.contacts.delete({ id: mine.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const theirList = await intruder.contacts.list({ limit: 100, search: "Private" });
    expect(theirList.items).toEqual([]);
    // Bob may use the same email for his own client: it is not a signal about Alice's data.
    await expect(
      intruder.contacts.create({ name: "Bob's", email: "private@example.com" }),
    ).resolves.toBeTruthy();

    const after = await callerFor(alice).contacts.byId({ id: mine.id });
    expect(after).toMatchObject({ name: "Private Client", email: "private@example.com" });
  });

  it("answers bad input with field errors from the shared schema, over HTTP", async () => {
    const res = await http(
      alice,
      "contacts.create",
      { name: "", email: "nope", phone: "abc" },
      "mutation",
    );
    expect(res.status).toBe(400);
    const error = res.body.error!.json;
    expect(error.data).toMatchObject({
      code: "BAD_REQUEST",
      requestId: "test-request-0001",
      fieldErrors: {
        name: ["Name is required."],
        email: ["Enter a valid email address."],
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it.each([
    ["a wrong type", { name: 42 }],
    ["a huge string", { name: "x".repeat(100_000) }],
    ["an unknown field", { name: "Ok", userId: "0190b6a4-0000-7000-8000-000000000000" }],
  ])("refuses %s", async (_label, input) => {
    const res = await http(alice, "contacts.create", input, "mutation");
    expect(res.status).toBe(400);
    expect(res.body.error!.json.data).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses ids that are not uuids and forged cursors with 400, not 500", async () => {
    const res = await http(alice, "contacts.byId", { id: "../../etc/passwd" }, "query");
    expect(res.status).toBe(400);
    expect(res.body.error!.json.data).toMatchObject({ fieldErrors: { id: ["Not a valid id."] } });
    const cursor = await http(alice, "contacts.list", { cursor: "bm90LWEtY3Vyc29y" }, "query");
    expect(cursor.status).toBe(400);
    expect(cursor.body.error!.json.message).toMatch(/page link is no longer valid/);
  });

  it("reports a duplicate email as a conflict on the email field", async () => {
    await callerFor(alice).contacts.create({ name: "First", email: "same@example.com" });
    const res = await http(
      alice,
      "contacts.create",
      { name: "Second", email: "Same@Example.com" },
      "mutation",
    );
    expect(res.status).toBe(409);
    expect(res.body.error!.json.data).toMatchObject({
      fieldErrors: { email: ["You already have a contact with this email."] },
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
        `http://127.0.0.1/api/trpc/contacts.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`,
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
