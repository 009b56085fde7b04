import { ConflictError, RateLimitedError } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeWithPassword } from "./options.ts";
import { registerWithPassword } from "./sign-up.ts";

let testDb: TestDatabase;
const password = "juniper kettle orbit sails";

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

describe("sign-up and sign-in with a password", () => {
  it("registers a user, stores only a hash, and signs them in case-insensitively", async () => {
    const user = await registerWithPassword(
      testDb.db,
      { name: "Maya Lin", email: "Maya@Example.com", password },
      "10.0.0.1",
    );
    expect(user).toMatchObject({ email: "maya@example.com", name: "Maya Lin" });
    const stored = await testDb.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(password);

    await expect(
      authorizeWithPassword(testDb.db, { email: "MAYA@example.com", password }, "10.0.0.1"),
    ).resolves.toEqual({ id: user.id, email: "maya@example.com", name: "Maya Lin" });
  });

  it("refuses a second account with the same email", async () => {
    await registerWithPassword(
      testDb.db,
      { name: "Sam", email: "sam@example.com", password },
      "10.0.0.2",
    );
    await expect(
      registerWithPassword(
        testDb.db,
        { name: "Sam Two", email: "SAM@example.com", password },
        "10.0.0.2",
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    await expect(
      authorizeWithPassword(
        testDb.db,
        { email: "sam@example.com", password: "wrong password here" },
        "10.0.0.3",
      ),
    ).resolves.toBeNull();
    await expect(
      authorizeWithPassword(testDb.db, { email: "nobody@example.com", password }, "10.0.0.3"),
    ).resolves.toBeNull();
    await expect(
      authorizeWithPassword(testDb.db, { email: "not an email" }, "10.0.0.3"),
    ).resolves.toBeNull();
  });

  it("blocks an email after five failures from one address, even with the right password", async () => {
    await registerWithPassword(
      testDb.db,
      { name: "Kim", email: "kim@example.com", password },
      "10.0.0.4",
    );
    for (let i = 0; i < 5; i++) {
      await expect(
        authorizeWithPassword(
          testDb.db,
          { email: "kim@example.com", password: `guess number ${i}` },
          "10.0.0.4",
        ),
      ).resolves.toBeNull();
    }
    const blocked = await authorizeWithPassword(
      testDb.db,
      { email: "kim@example.com", password },
      "10.0.0.4",
    ).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(RateLimitedError);
    expect((blocked as RateLimitedError).message).toMatch(
      /Too many failed sign-in attempts\. Try again in 15 minutes\./,
    );
    // Another address is not blocked by this one's failures.
    await expect(
      authorizeWithPassword(testDb.db, { email: "kim@example.com", password }, "10.0.0.5"),
    ).resolves.toMatchObject({ email: "kim@example.com" });
  });
});
