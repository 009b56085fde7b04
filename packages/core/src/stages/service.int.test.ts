import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import {
  createStage,
  deleteStage,
  isKnownStage,
  listStages,
  renameStage,
  resolveStage,
} from "./service.ts";

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

describe("stages", () => {
  it("lists the built-in stages first, then the user's own in the order they were added", async () => {
    expect(await listStages(testDb.db, alice)).toEqual([
      { id: null, key: "lead", label: "Lead", builtIn: true },
      { id: null, key: "active", label: "Active client", builtIn: true },
      { id: null, key: "past", label: "Past client", builtIn: true },
    ]);
    const onHold = await createStage(testDb.db, alice, { label: "  On hold " });
    expect(onHold).toMatchObject({ key: "on_hold", label: "On hold", builtIn: false });
    await createStage(testDb.db, alice, { label: "Discovery call" });
    await createStage(testDb.db, alice, { label: "Alumni" });
    expect((await listStages(testDb.db, alice)).map((s) => s.key)).toEqual([
      "lead",
      "active",
      "past",
      "on_hold",
      "discovery_call",
      "alumni",
    ]);
  });

  it.each([
    ["a built-in label", "lead", "“Lead” is a built-in stage."],
    ["a built-in label in another case", "ACTIVE CLIENT", "“Active client” is a built-in stage."],
    ["a built-in key", "Past!", "“Past client” is a built-in stage."],
    ["a label the user has", "on HOLD", "You already have a stage named “On hold”."],
    [
      "a label with the same key",
      "On-hold",
      "This name is too close to your stage “On hold”; choose another one.",
    ],
  ])("refuses %s", async (_label, label, message) => {
    const error = await createStage(testDb.db, alice, { label }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual({ label: [message] });
  });

  it.each([
    ["a blank label", { label: " " }],
    ["a label over 60 characters", { label: "s".repeat(61) }],
    ["a huge label", { label: "s".repeat(100_000) }],
    ["a label that is not text", { label: null }],
    ["an unknown field", { label: "Ok", key: "ok" }],
  ])("refuses %s and writes nothing", async (_label, input) => {
    const before = await testDb.db.contactStage.count();
    await expect(createStage(testDb.db, alice, input as never)).rejects.toBeInstanceOf(ZodError);
    expect(await testDb.db.contactStage.count()).toBe(before);
  });

  it("lets another user have a stage of the same name", async () => {
    await expect(createStage(testDb.db, bob, { label: "On hold" })).resolves.toMatchObject({
      key: "on_hold",
    });
  });

  it("renames a stage without changing its key, so its contacts stay in it", async () => {
    const owner = await makeUser(testDb.db, "renamer@example.com");
    const stage = await createStage(testDb.db, owner, { label: "Trial" });
    await createStage(testDb.db, owner, { label: "Paused" });
    const contact = await makeContact(testDb.db, owner, "In trial", { stage: "trial" });
    expect(await renameStage(testDb.db, owner, { id: stage.id!, label: "Trial month" })).toEqual({
      id: stage.id,
      key: "trial",
      label: "Trial month",
      builtIn: false,
    });
    expect(await testDb.db.contact.findUnique({ where: { id: contact } })).toMatchObject({
      stage: "trial",
    });
    await expect(
      renameStage(testDb.db, owner, { id: stage.id!, label: "paused" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      renameStage(testDb.db, owner, { id: stage.id!, label: "Lead" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await renameStage(testDb.db, owner, { id: stage.id!, label: "TRIAL" })).toMatchObject({
      label: "TRIAL",
    });
  });

  it("refuses to delete a stage contacts are in, saying how many", async () => {
    const owner = await makeUser(testDb.db, "deleter@example.com");
    const stage = await createStage(testDb.db, owner, { label: "Waitlist" });
    const [first, second] = await Promise.all([
      makeContact(testDb.db, owner, "First", { stage: "waitlist" }),
      makeContact(testDb.db, owner, "Second", { stage: "waitlist" }),
    ]);
    const deleted = await makeContact(testDb.db, owner, "Deleted", {
      stage: "waitlist",
      deletedAt: new Date(),
    });
    await expect(deleteStage(testDb.db, owner, { id: stage.id! })).rejects.toThrow(
      "2 contacts are still in “Waitlist”. Move them to another stage first.",
    );
    await testDb.db.contact.update({ where: { id: first }, data: { stage: "lead" } });
    await expect(deleteStage(testDb.db, owner, { id: stage.id! })).rejects.toThrow(
      "1 contact is still in “Waitlist”. Move it to another stage first.",
    );
    expect(await isKnownStage(testDb.db, owner, "waitlist")).toBe(true);

    await testDb.db.contact.update({ where: { id: second }, data: { stage: "active" } });
    expect(await deleteStage(testDb.db, owner, { id: stage.id! })).toEqual({ id: stage.id });
    expect(await isKnownStage(testDb.db, owner, "waitlist")).toBe(false);
    // A deleted contact restored later must not come back in a stage that no longer exists.
    expect(await testDb.db.contact.findUnique({ where: { id: deleted } })).toMatchObject({
      stage: "lead",
    });
    await expect(deleteStage(testDb.db, owner, { id: stage.id! })).rejects.toThrow(
      "This stage does not exist or was deleted.",
    );
  });

  it("knows the built-in stages and the actor's own, and no one else's", async () => {
    const tx = testDb.db;
    expect(await isKnownStage(tx, alice, "lead")).toBe(true);
    expect(await isKnownStage(tx, alice, "past")).toBe(true);
    expect(await isKnownStage(tx, alice, "alumni")).toBe(true);
    expect(await isKnownStage(tx, bob, "alumni")).toBe(false);
    expect(await isKnownStage(tx, alice, "Lead")).toBe(false);
    expect(await isKnownStage(tx, alice, "nope")).toBe(false);
    await testDb.db.$transaction(async (inner) => {
      expect(await isKnownStage(inner, alice, "on_hold")).toBe(true);
    });
    expect(await resolveStage(tx, alice, "active")).toMatchObject({ label: "Active client" });
    expect(await resolveStage(tx, alice, "discovery_call")).toMatchObject({
      label: "Discovery call",
      builtIn: false,
    });
  });

  it("never lets another user rename or delete a stage", async () => {
    const stage = await createStage(testDb.db, alice, { label: "Private stage" });
    const before = await testDb.db.contactStage.findMany({ orderBy: { id: "asc" } });
    for (const call of [
      () => renameStage(testDb.db, bob, { id: stage.id!, label: "Stolen" }),
      () => deleteStage(testDb.db, bob, { id: stage.id! }),
      () => renameStage(testDb.db, alice, { id: UNKNOWN_ID, label: "Nothing" }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await testDb.db.contactStage.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect((await listStages(testDb.db, bob)).some((s) => s.id === stage.id)).toBe(false);
  });
});
