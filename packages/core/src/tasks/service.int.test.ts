import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "../actor.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { makeContact, makeUser, UNKNOWN_ID } from "../shared/testing.ts";
import type { TaskListInput } from "./schemas.ts";
import {
  completeTask,
  createTask,
  deleteTask,
  listTasks,
  reopenTask,
  updateTask,
  type TaskRecord,
} from "./service.ts";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;
let maya: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  [alice, bob] = await Promise.all([
    makeUser(testDb.db, "alice@example.com"),
    makeUser(testDb.db, "bob@example.com"),
  ]);
  maya = await makeContact(testDb.db, alice, "Maya Lin");
});
afterAll(async () => {
  await testDb.drop();
});

const completedEvents = (contactId: string) =>
  testDb.db.timelineEvent.findMany({
    where: { contactId, kind: "task.completed" },
    orderBy: { id: "asc" },
  });

describe("tasks", () => {
  it("creates a task with a trimmed title, an optional contact and due date", async () => {
    const task = await createTask(testDb.db, alice, {
      title: "  Send intake form ",
      contactId: maya,
      dueAt: "2026-03-10T09:30:00+01:00",
    });
    expect(task).toMatchObject({
      title: "Send intake form",
      contactId: maya,
      contact: { id: maya, name: "Maya Lin" },
      dueAt: new Date("2026-03-10T08:30:00Z"),
      completedAt: null,
    });
    const loose = await createTask(testDb.db, alice, { title: "Renew insurance" });
    expect(loose).toMatchObject({ contactId: null, contact: null, dueAt: null });
  });

  it("updates title, due date and contact, and can remove the last two", async () => {
    const task = await createTask(testDb.db, alice, { title: "Call", contactId: maya });
    const other = await makeContact(testDb.db, alice, "Noor");
    const due = new Date("2026-04-01T12:00:00Z");
    expect(
      await updateTask(testDb.db, alice, { id: task.id, title: "Call back", dueAt: due }),
    ).toMatchObject({ title: "Call back", dueAt: due, contactId: maya });
    expect(await updateTask(testDb.db, alice, { id: task.id, contactId: other })).toMatchObject({
      contactId: other,
      contact: { name: "Noor" },
    });
    expect(
      await updateTask(testDb.db, alice, { id: task.id, contactId: null, dueAt: null }),
    ).toMatchObject({ title: "Call back", contactId: null, dueAt: null });
  });

  it("completes a task once, recording it on the contact's timeline, and reopens it", async () => {
    const contact = await makeContact(testDb.db, alice, "Completer");
    const task = await createTask(testDb.db, alice, {
      title: "Book follow-up",
      contactId: contact,
    });
    const done = await completeTask(testDb.db, alice, { id: task.id });
    expect(done.completedAt).toBeInstanceOf(Date);
    const again = await completeTask(testDb.db, alice, { id: task.id });
    expect(again.completedAt).toEqual(done.completedAt);
    const events = await completedEvents(contact);
    expect(events).toMatchObject([
      { kind: "task.completed", summary: "Task done: Book follow-up", data: { taskId: task.id } },
    ]);
    expect(events[0]!.occurredAt).toEqual(done.completedAt);

    expect((await reopenTask(testDb.db, alice, { id: task.id })).completedAt).toBeNull();
    await completeTask(testDb.db, alice, { id: task.id });
    expect(await completedEvents(contact)).toHaveLength(2);
  });

  it("records nothing on any timeline when a task without contact is completed", async () => {
    const before = await testDb.db.timelineEvent.count();
    const task = await createTask(testDb.db, alice, { title: "Tax return" });
    expect((await completeTask(testDb.db, alice, { id: task.id })).completedAt).not.toBeNull();
    expect(await testDb.db.timelineEvent.count()).toBe(before);
  });

  it("deletes a task", async () => {
    const task = await createTask(testDb.db, alice, { title: "Throwaway" });
    expect(await deleteTask(testDb.db, alice, { id: task.id })).toEqual({ id: task.id });
    await expect(deleteTask(testDb.db, alice, { id: task.id })).rejects.toThrow(
      "This task does not exist or was deleted.",
    );
  });

  it.each([
    ["an empty title", { title: "  " }],
    ["a title over 300 characters", { title: "t".repeat(301) }],
    ["a huge title", { title: "t".repeat(100_000) }],
    ["a title that is not text", { title: ["a"] }],
    ["a due date that is not a date", { title: "Ok", dueAt: "tomorrow" }],
    ["a due date without time and offset", { title: "Ok", dueAt: "2026-03-10" }],
    ["a due date past year 9999", { title: "Ok", dueAt: "+010000-01-01T00:00:00Z" }],
    ["a contact id that is not a uuid", { title: "Ok", contactId: "maya" }],
    ["an unknown field", { title: "Ok", priority: "high" }],
  ])("refuses %s and writes nothing", async (_label, input) => {
    const before = await testDb.db.task.count();
    await expect(createTask(testDb.db, alice, input as never)).rejects.toBeInstanceOf(ZodError);
    expect(await testDb.db.task.count()).toBe(before);
  });

  it("refuses an update that changes nothing", async () => {
    const task = await createTask(testDb.db, alice, { title: "Same" });
    await expect(updateTask(testDb.db, alice, { id: task.id })).rejects.toThrow(
      /Nothing to change/,
    );
  });

  it("hides the tasks of a deleted contact", async () => {
    const contact = await makeContact(testDb.db, alice, "Leaving");
    const task = await createTask(testDb.db, alice, { title: "Farewell", contactId: contact });
    await testDb.db.contact.update({ where: { id: contact }, data: { deletedAt: new Date() } });
    const all = await listTasks(testDb.db, alice, { status: "all", limit: 100 });
    expect(all.items.some((t) => t.id === task.id)).toBe(false);
    for (const call of [
      () => completeTask(testDb.db, alice, { id: task.id }),
      () => reopenTask(testDb.db, alice, { id: task.id }),
      () => updateTask(testDb.db, alice, { id: task.id, title: "x" }),
      () => deleteTask(testDb.db, alice, { id: task.id }),
      () => listTasks(testDb.db, alice, { contactId: contact }),
      () => createTask(testDb.db, alice, { title: "New", contactId: contact }),
      () => updateTask(testDb.db, alice, { id: all.items[0]!.id, contactId: contact }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await testDb.db.task.findUnique({ where: { id: task.id } })).toMatchObject({
      title: "Farewell",
      completedAt: null,
    });
  });

  it("never lets another user see, attach to, change or delete a task", async () => {
    const task = await createTask(testDb.db, alice, { title: "Private", contactId: maya });
    const snapshot = async () => ({
      tasks: await testDb.db.task.findMany({ orderBy: { id: "asc" } }),
      events: await testDb.db.timelineEvent.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    for (const call of [
      () => updateTask(testDb.db, bob, { id: task.id, title: "Stolen" }),
      () => completeTask(testDb.db, bob, { id: task.id }),
      () => reopenTask(testDb.db, bob, { id: task.id }),
      () => deleteTask(testDb.db, bob, { id: task.id }),
      () => listTasks(testDb.db, bob, { contactId: maya }),
      () => createTask(testDb.db, bob, { title: "Mine now", contactId: maya }),
      () => updateTask(testDb.db, alice, { id: task.id, contactId: UNKNOWN_ID }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await snapshot()).toEqual(before);
    const bobs = await listTasks(testDb.db, bob, { status: "all", limit: 100 });
    expect(bobs.items).toEqual([]);
  });
});

describe("listTasks filters", () => {
  let owner: Actor;
  const now = new Date("2026-03-10T15:00:00Z");
  const byTitle = new Map<string, TaskRecord>();

  beforeAll(async () => {
    owner = await makeUser(testDb.db, "filters@example.com");
    const client = await makeContact(testDb.db, owner, "Client");
    const specs: [string, string | null, boolean][] = [
      ["overdue yesterday", "2026-03-09T10:00:00Z", false],
      ["earlier today", "2026-03-10T08:00:00Z", false],
      ["later today", "2026-03-10T20:00:00Z", false],
      // 00:30 on the 11th in Paris, still the 10th in UTC.
      ["late tonight", "2026-03-10T23:30:00Z", false],
      ["next week", "2026-03-17T09:00:00Z", false],
      ["no date", null, false],
      ["done overdue", "2026-03-08T09:00:00Z", true],
      ["done next week", "2026-03-18T09:00:00Z", true],
    ];
    for (const [title, dueAt, done] of specs) {
      const task = await createTask(testDb.db, owner, { title, dueAt, contactId: client });
      byTitle.set(title, done ? await completeTask(testDb.db, owner, { id: task.id }) : task);
    }
  });

  const titles = async (input: TaskListInput) =>
    (await listTasks(testDb.db, owner, { limit: 100, ...input }, { now })).items.map(
      (t) => t.title,
    );

  it("lists open tasks by due date, undated last", async () => {
    expect(await titles({})).toEqual([
      "overdue yesterday",
      "earlier today",
      "later today",
      "late tonight",
      "next week",
      "no date",
    ]);
  });

  it("filters by status", async () => {
    expect(await titles({ status: "done" })).toEqual(["done overdue", "done next week"]);
    expect(await titles({ status: "all" })).toEqual([
      "done overdue",
      "overdue yesterday",
      "earlier today",
      "later today",
      "late tonight",
      "next week",
      "done next week",
      "no date",
    ]);
  });

  it("finds overdue (open and due before now), today's and upcoming tasks in the user's time zone", async () => {
    const paris = { timeZone: "Europe/Paris" };
    expect(await titles({ ...paris, due: "overdue" })).toEqual([
      "overdue yesterday",
      "earlier today",
    ]);
    expect(await titles({ ...paris, due: "overdue", status: "all" })).toEqual([
      "overdue yesterday",
      "earlier today",
    ]);
    expect(await titles({ ...paris, due: "today" })).toEqual(["earlier today", "later today"]);
    expect(await titles({ ...paris, due: "upcoming" })).toEqual(["late tonight", "next week"]);
    expect(await titles({ ...paris, due: "upcoming", status: "done" })).toEqual(["done next week"]);
    expect(await titles({ due: "today" })).toEqual([
      "earlier today",
      "later today",
      "late tonight",
    ]);
    // UTC+14: it is already 05:00 on the 11th there, a day that started at 10:00 UTC.
    expect(await titles({ due: "today", timeZone: "Pacific/Kiritimati" })).toEqual([
      "later today",
      "late tonight",
    ]);
  });

  it("filters by contact", async () => {
    const other = await makeContact(testDb.db, owner, "Other");
    await createTask(testDb.db, owner, { title: "about other", contactId: other });
    expect(await titles({ contactId: other })).toEqual(["about other"]);
  });

  it.each([
    ["an unknown status", { status: "closed" }],
    ["an unknown due filter", { due: "tomorrow" }],
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }],
    ["a limit over 100", { limit: 101 }],
    ["an unknown field", { sort: "title" }],
  ])("refuses %s", async (_label, input) => {
    await expect(listTasks(testDb.db, owner, input as never)).rejects.toBeInstanceOf(ZodError);
  });

  it("refuses a forged cursor", async () => {
    await expect(listTasks(testDb.db, owner, { cursor: "forged" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe("listTasks keyset pagination", () => {
  let owner: Actor;
  let expected: string[];

  beforeAll(async () => {
    owner = await makeUser(testDb.db, "pager@example.com");
    const dues = [null, "2026-05-01T09:00:00Z", "2026-05-02T09:00:00Z"];
    const created = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"];
    // 24 tasks: every (due, created) pair four times, so ties must be broken by id.
    await testDb.db.task.createMany({
      data: Array.from({ length: 24 }, (_, i) => ({
        userId: owner.userId,
        title: `Task ${i}`,
        dueAt: dues[i % 3] === null ? null : new Date(dues[i % 3]!),
        createdAt: new Date(created[i % 2]!),
      })),
    });
    const rows = await testDb.db.task.findMany({ where: { userId: owner.userId } });
    const key = (t: (typeof rows)[number]) => t.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    expected = rows
      .sort(
        (a, b) =>
          key(a) - key(b) ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.id < b.id ? -1 : 1),
      )
      .map((t) => t.id);
  });

  it.each([1, 5, 8, 24])("visits every task once, %i per page", async (limit) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 30; guard++) {
      const page = await listTasks(testDb.db, owner, { limit, cursor });
      seen.push(...page.items.map((t) => t.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
  });
});
