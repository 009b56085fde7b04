import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { createContact, deleteContact } from "../contacts/service.ts";
import { applyInteractions } from "../sync/interactions.ts";
import { homeOverview } from "./service.ts";

let testDb: TestDatabase;
let actor: Actor;
let other: Actor;
const now = new Date("2026-11-23T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

beforeAll(async () => {
  testDb = await createTestDatabase();
  actor = { userId: (await testDb.db.user.create({ data: { email: "home@example.com" } })).id };
  other = { userId: (await testDb.db.user.create({ data: { email: "other@example.com" } })).id };
});
afterAll(async () => {
  await testDb.drop();
});

describe("home overview", () => {
  it("counts by stage, lists overdue tasks and clients who need attention, newest first", async () => {
    const db = testDb.db;
    const weekly = await createContact(db, actor, { name: "Weekly Wendy", stage: "active" });
    const monthly = await createContact(db, actor, { name: "Monthly Mo", stage: "active" });
    const fresh = await createContact(db, actor, { name: "Fresh Fay", stage: "active" });
    const never = await createContact(db, actor, { name: "Never Nell", stage: "active" });
    await createContact(db, actor, { name: "Lead Lou" });
    const gone = await createContact(db, actor, { name: "Gone Gil", stage: "active" });
    await deleteContact(db, actor, { id: gone.id });
    await createContact(db, other, { name: "Other Olga", stage: "active" });

    // Wendy comes every week; last seen 20 days ago: overdue for her rhythm.
    for (const d of [41, 34, 27, 20]) {
      await db.timelineEvent.create({
        data: {
          userId: actor.userId,
          contactId: weekly.id,
          kind: "interaction.session",
          summary: "Session",
          occurredAt: daysAgo(d),
        },
      });
    }
    await db.contact.update({ where: { id: weekly.id }, data: { lastInteractionAt: daysAgo(20) } });
    // Mo has no rhythm yet: 20 days is within the default.
    await db.contact.update({
      where: { id: monthly.id },
      data: { lastInteractionAt: daysAgo(20) },
    });
    await db.contact.update({ where: { id: fresh.id }, data: { lastInteractionAt: daysAgo(2) } });

    await db.task.create({
      data: { userId: actor.userId, contactId: fresh.id, title: "Send plan", dueAt: daysAgo(1) },
    });
    await db.task.create({
      data: {
        userId: actor.userId,
        title: "Done already",
        dueAt: daysAgo(3),
        completedAt: daysAgo(2),
      },
    });
    await db.task.create({
      data: { userId: actor.userId, title: "Later", dueAt: new Date(now.getTime() + 86_400_000) },
    });
    await db.task.create({ data: { userId: other.userId, title: "Not mine", dueAt: daysAgo(5) } });

    // A session next week, first synced before Fay's address was on her contact; the next
    // sync links her, and the home page lists it with her.
    const session = {
      kind: "session" as const,
      externalId: "ical-fay",
      subject: "Nutrition check-in",
      snippet: null,
      occurredAt: new Date(now.getTime() + 7 * 86_400_000),
      status: "confirmed",
      participants: [],
      people: [{ email: "fay@example.com", name: "Fresh Fay", role: "attendee" }],
    };
    await applyInteractions(db, actor, "calendar", [session], { createContacts: false, now });
    await db.contactEmail.create({
      data: {
        userId: actor.userId,
        contactId: fresh.id,
        email: "fay@example.com",
        isPrimary: true,
      },
    });
    await applyInteractions(db, actor, "calendar", [session], { createContacts: false, now });

    const home = await homeOverview(db, actor, now);
    expect(home.upcoming).toMatchObject([
      { subject: "Nutrition check-in", contacts: [{ name: "Fresh Fay" }] },
    ]);
    expect(home.stageCounts).toEqual([
      { stage: "active", count: 4 },
      { stage: "lead", count: 1 },
    ]);
    expect(home.overdueTasks.map((t) => [t.title, t.contact?.name])).toEqual([
      ["Send plan", "Fresh Fay"],
    ]);
    expect(home.needsAttention.map((c) => c.name)).toEqual(["Never Nell", "Weekly Wendy"]);
    expect(home.needsAttention[1]).toMatchObject({
      usualIntervalDays: 7,
      reason: "No contact for 20 days (usually every 7)",
    });
    expect(home.recent.map((c) => c.name)).toEqual([
      "Lead Lou",
      "Never Nell",
      "Fresh Fay",
      "Monthly Mo",
      "Weekly Wendy",
    ]);
    expect(never.id).toBeTruthy();
  });
});
