import { sync, type Actor } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyncScheduler } from "./functions/sync-scheduler.ts";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const now = new Date("2026-11-23T12:00:00Z");

async function practitioner(
  email: string,
  setup: { status?: string; approve?: ("gmail" | "calendar")[]; nextRunAt?: Date },
): Promise<Actor> {
  const actor = { userId: (await testDb.db.user.create({ data: { email } })).id };
  await testDb.db.googleConnection.create({
    data: {
      userId: actor.userId,
      googleEmail: email,
      scopes: [],
      tokens: "sealed",
      keyId: "k1",
      status: setup.status ?? "connected",
    },
  });
  await sync.updatePreferences(testDb.db, actor, {
    kind: "gmail",
    preferences: { labelIds: ["INBOX"] },
  });
  for (const kind of setup.approve ?? []) {
    await testDb.db.syncChannel.updateMany({
      where: { userId: actor.userId, kind },
      data: { approvedAt: now, nextRunAt: setup.nextRunAt ?? null },
    });
  }
  return actor;
}

describe("the sync scheduler", () => {
  it("requests one sync per approved, connected channel that is due, and nothing else", async () => {
    const due = await practitioner("due@x.test", { approve: ["gmail", "calendar"] });
    const later = await practitioner("later@x.test", {
      approve: ["gmail"],
      nextRunAt: new Date(now.getTime() + 60_000),
    });
    const unapproved = await practitioner("unapproved@x.test", {});
    const reconnect = await practitioner("reconnect@x.test", {
      status: "reconnect_needed",
      approve: ["gmail"],
    });

    const engine = new InngestTestEngine({
      function: createSyncScheduler(() => ({ db: testDb.db, now: () => now })),
      // Sending needs an Inngest server: the step is answered here, its input is checked below.
      steps: [{ id: "request-syncs", handler: () => ({ ids: ["e1", "e2"] }) }],
    });
    const { result, ctx } = await engine.execute();
    expect(result).toEqual({ requested: 2 });
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    expect(sent).toHaveLength(1);
    const events = sent[0]![1] as { name: string; data: { userId: string; trigger: string } }[];
    expect(events.map((e) => [e.name, e.data.userId, e.data.trigger]).sort()).toEqual(
      [
        ["sync/calendar.requested", due.userId, "schedule"],
        ["sync/gmail.requested", due.userId, "schedule"],
      ].sort(),
    );
    for (const skipped of [later, unapproved, reconnect]) {
      expect(events.some((e) => e.data.userId === skipped.userId)).toBe(false);
    }
  });
});
