import { afterAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "./testing/index.ts";

const testDb = await createTestDatabase();
afterAll(() => testDb.drop());

describe("sqlPoolOf", () => {
  it("finds the pool of a client made by another copy of the module, as in a server bundle", async () => {
    const made = await import("./client.ts");
    vi.resetModules();
    const other = await import("./client.ts");
    expect(other.sqlPoolOf).not.toBe(made.sqlPoolOf);

    const { rows } = await other.sqlPoolOf(testDb.db).query<{ one: number }>("SELECT 1 AS one");
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("refuses a client it did not make, in words", async () => {
    const { sqlPoolOf } = await import("./client.ts");
    expect(() => sqlPoolOf({} as never)).toThrow("not made by createPrismaClient");
  });
});
