import { imports } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logger } from "../logger.ts";
import { appRouter, createCaller } from "../root.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

let testDb: TestDatabase;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const UNKNOWN_ID = "0190b6a4-0000-7000-8000-000000000000";

const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

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

const stage = (user: SessionUser, csv: string) =>
  imports.stageImport(testDb.db, { userId: user.id }, { fileName: "clients.csv", csv });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("timed out");
}

const CSV =
  "Name,Email,Tags\nMaya Lin,maya@example.com,Yoga\nBob,bob@,\nMaya again,MAYA@example.com,\n";

describe("imports router", () => {
  it("previews, runs in the background, reports progress, lists and undoes", async () => {
    const api = callerFor(alice);
    const staged = await stage(alice, CSV);
    const preview = await api.imports.preview({
      importId: staged.importId,
      mapping: staged.suggestedMapping,
      options: { matchBy: "email", onMatch: "update" },
    });
    expect(preview.counts).toEqual({ new: 1, updated: 0, duplicates: 1, invalid: 1, skipped: 0 });

    const started = await api.imports.run({ importId: staged.importId });
    expect(["running", "completed"]).toContain(started.status);
    const done = await until(
      () => api.imports.status({ importId: staged.importId }),
      (s) => s.status === "completed",
    );
    expect(done).toMatchObject({
      processedRows: 3,
      totalRows: 3,
      percent: 100,
      counts: { new: 1, updated: 0, duplicates: 1, invalid: 1, skipped: 0 },
    });
    expect(done.completedAt).toBeInstanceOf(Date);
    expect((await api.contacts.list({})).items.map((c) => c.name)).toEqual(["Maya Lin"]);

    expect(await api.imports.list()).toMatchObject([
      { importId: staged.importId, status: "completed", fileName: "clients.csv" },
    ]);
    expect(await api.imports.undo({ importId: staged.importId })).toMatchObject({
      status: "undone",
      contactsDeleted: 1,
      tagsDeleted: 1,
    });
    expect((await api.contacts.list({})).items).toEqual([]);
  });

  it("saves a mapping and lists the presets", async () => {
    const api = callerFor(alice);
    const staged = await stage(alice, "Client,Courriel\nA,a@example.com\n");
    const saved = await api.imports.saveMapping({
      importId: staged.importId,
      name: "Studio sheet",
      mapping: { Client: "name", Courriel: "email" },
    });
    const presets = await api.imports.presets({ importId: staged.importId });
    expect(presets.builtIn.map((p) => p.name)).toEqual(["Google Contacts", "Outlook"]);
    expect(presets.saved).toMatchObject([{ id: saved.id, matches: true }]);
    expect((await api.imports.presets()).builtIn[0]?.mapping).toBeNull();
  });

  it("answers another user's import with NOT_FOUND in every procedure, and changes nothing", async () => {
    const staged = await stage(alice, CSV);
    const importId = staged.importId;
    const mapping = staged.suggestedMapping;
    const api = callerFor(bob);
    const attempts: [string, () => Promise<unknown>][] = [
      ["preview", () => api.imports.preview({ importId, mapping })],
      ["run", () => api.imports.run({ importId })],
      ["status", () => api.imports.status({ importId })],
      ["undo", () => api.imports.undo({ importId })],
      ["saveMapping", () => api.imports.saveMapping({ importId, name: "x", mapping })],
      ["presets", () => api.imports.presets({ importId })],
      ["status (unknown id)", () => api.imports.status({ importId: UNKNOWN_ID })],
    ];
    for (const [label, attempt] of attempts) {
      await expect(attempt(), label).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await api.imports.list()).toEqual([]);
    expect(await callerFor(alice).imports.status({ importId })).toMatchObject({
      status: "staged",
    });
  });

  it("refuses bad input, runs without a preview and signed-out callers", async () => {
    const staged = await stage(alice, CSV);
    const api = callerFor(alice);
    await expect(
      api.imports.preview({
        importId: staged.importId,
        mapping: { Name: "password" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.imports.preview({
        importId: staged.importId,
        mapping: { Nope: "name" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This file has no column “Nope”." });
    await expect(
      api.imports.status({ importId: staged.importId, extra: true } as never),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.imports.run({ importId: staged.importId })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(callerFor(null).imports.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("imports."),
    );
    expect(procedures.sort()).toEqual(
      [
        "imports.list",
        "imports.presets",
        "imports.preview",
        "imports.run",
        "imports.saveMapping",
        "imports.status",
        "imports.undo",
      ].sort(),
    );
  });
});
