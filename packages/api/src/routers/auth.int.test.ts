import { Writable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createCaller } from "../root.ts";
import { createInnerContext } from "../trpc.ts";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

function memoryLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split("\n"));
      done();
    },
  });
  return { log: createLogger(sink).child({ requestId: "req-signup-0001" }), lines };
}

describe("auth router", () => {
  it("signs a practitioner up, refuses duplicates and weak passwords, and never logs a password", async () => {
    const { log, lines } = memoryLogger();
    const caller = createCaller(createInnerContext({ db: testDb.db, user: null, log }));
    const password = "juniper kettle orbit sails";

    const user = await caller.auth.signUp({
      name: "Maya Lin",
      email: "Maya@Example.com",
      password,
    });
    expect(user.email).toBe("maya@example.com");
    await expect(
      caller.auth.signUp({ name: "Maya Again", email: "maya@example.com", password }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      caller.auth.signUp({ name: "Weak", email: "weak@example.com", password: "password1234" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Even a careless log call with the input in it keeps the password out.
    log.info({ input: { email: "x@example.com", password } }, "careless");
    log.info({ password }, "careless again");

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const calls = entries.filter((e) => e.path === "auth.signUp");
    expect(calls.map((e) => e.outcome)).toEqual(["ok", "refused", "refused"]);
    expect(calls.map((e) => e.code)).toEqual([undefined, "CONFLICT", "BAD_REQUEST"]);
    for (const call of calls) {
      expect(call).toMatchObject({ requestId: "req-signup-0001", type: "mutation" });
      expect(typeof call.durationMs).toBe("number");
    }
    expect(lines.join("\n")).not.toContain(password);
    expect(lines.join("\n")).not.toContain("password1234");
    expect(lines.join("\n")).toContain("[redacted]");
  });
});
