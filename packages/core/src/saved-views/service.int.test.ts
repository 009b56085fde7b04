import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import { savedViewStateSchema, type SavedViewState } from "./schemas.ts";
import { createView, deleteView, listViews, updateView } from "./service.ts";

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

const fullState: SavedViewState = {
  search: "maya",
  sort: { field: "lastInteractionAt", direction: "desc" },
  filters: { stages: ["active"], tagIds: [UNKNOWN_ID], tagMode: "all", noInteraction: false },
  columns: { order: ["name", "email", "stage"], hidden: ["phone"] },
  pageSize: 50,
};

describe("saved views", () => {
  it("saves a view and gives back exactly its state", async () => {
    const view = await createView(testDb.db, alice, {
      name: "  Active clients ",
      state: fullState,
    });
    expect(view).toMatchObject({ name: "Active clients", state: fullState });
    await createView(testDb.db, alice, { name: "all", state: {} });
    await createView(testDb.db, alice, { name: "Leads 10", state: { pageSize: 10 } });
    await createView(testDb.db, alice, { name: "Leads 2", state: { pageSize: 25 } });
    const views = await listViews(testDb.db, alice);
    expect(views.map((v) => v.name)).toEqual(["Active clients", "all", "Leads 2", "Leads 10"]);
    expect(views[0]!.state).toEqual(fullState);
  });

  it("refuses a second view with the same name, in any case", async () => {
    const error = await createView(testDb.db, alice, { name: "ACTIVE clients", state: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual({
      name: ["You already have a view named “Active clients”."],
    });
    await expect(
      createView(testDb.db, bob, { name: "Active clients", state: {} }),
    ).resolves.toBeTruthy();
  });

  it("renames a view and replaces its state", async () => {
    const view = await createView(testDb.db, alice, { name: "Draft", state: { search: "x" } });
    const renamed = await updateView(testDb.db, alice, { id: view.id, name: "Final" });
    expect(renamed).toMatchObject({ name: "Final", state: { search: "x" } });
    const restated = await updateView(testDb.db, alice, { id: view.id, state: { pageSize: 200 } });
    expect(restated).toMatchObject({ name: "Final", state: { pageSize: 200 } });
    await expect(updateView(testDb.db, alice, { id: view.id, name: "all" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(updateView(testDb.db, alice, { id: view.id })).rejects.toBeInstanceOf(ZodError);
    expect(await deleteView(testDb.db, alice, { id: view.id })).toEqual({ id: view.id });
    await expect(deleteView(testDb.db, alice, { id: view.id })).rejects.toThrow(
      "This view does not exist or was deleted.",
    );
  });

  const manyFilters = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, i]));
  it.each([
    ["an unknown state key", { columnsWidth: {} }, ""],
    ["a page size off the list", { pageSize: 30 }, "pageSize"],
    [
      "a sort direction other than asc/desc",
      { sort: { field: "name", direction: "up" } },
      "sort.direction",
    ],
    [
      "a sort field over 40 characters",
      { sort: { field: "f".repeat(41), direction: "asc" } },
      "sort.field",
    ],
    ["a search over 200 characters", { search: "s".repeat(201) }, "search"],
    ["21 filters", { filters: manyFilters }, "filters"],
    ["filters over 10 kB", { filters: { q: "x".repeat(10 * 1024) } }, "filters"],
    ["filters that are not JSON", { filters: { big: 10n } }, "filters"],
    ["filters that are a list", { filters: ["stage"] }, "filters"],
    ["31 column names", { columns: { order: Array(31).fill("c"), hidden: [] } }, "columns.order"],
    ["columns without hidden", { columns: { order: [] } }, "columns.hidden"],
    ["a state that is not an object", "everything", ""],
  ])("refuses %s with a clear error and saves nothing", async (_label, state, path) => {
    const before = await testDb.db.savedView.count();
    const error = await createView(testDb.db, alice, { name: "Bad", state } as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZodError);
    const issues = (error as ZodError).issues;
    expect(issues.map((i) => i.path.slice(1).join("."))).toContain(path);
    expect(issues.every((i) => i.message.length > 0 && i.message.length < 120)).toBe(true);
    expect(await testDb.db.savedView.count()).toBe(before);
  });

  it("accepts filters of exactly 20 keys", () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, [i]]));
    expect(savedViewStateSchema.parse({ filters: twenty })).toEqual({ filters: twenty });
  });

  it("refuses bad names", async () => {
    for (const name of ["  ", "n".repeat(81), 12]) {
      await expect(
        createView(testDb.db, alice, { name, state: {} } as never),
      ).rejects.toBeInstanceOf(ZodError);
    }
  });

  it("opens a stored state that no longer fits as the default view", async () => {
    const row = await testDb.db.savedView.create({
      data: { userId: alice.userId, name: "Legacy", state: { pageSize: 7, old: true } },
    });
    const legacy = (await listViews(testDb.db, alice)).find((v) => v.id === row.id);
    expect(legacy?.state).toEqual({});
  });

  it("never lets another user see, change or delete a view", async () => {
    const view = await createView(testDb.db, alice, { name: "Secret", state: fullState });
    const before = await testDb.db.savedView.findMany({ orderBy: { id: "asc" } });
    for (const call of [
      () => updateView(testDb.db, bob, { id: view.id, name: "Stolen" }),
      () => updateView(testDb.db, bob, { id: view.id, state: {} }),
      () => deleteView(testDb.db, bob, { id: view.id }),
      () => deleteView(testDb.db, alice, { id: UNKNOWN_ID }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await testDb.db.savedView.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect((await listViews(testDb.db, bob)).some((v) => v.id === view.id)).toBe(false);
  });
});
