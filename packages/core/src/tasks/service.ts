import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { NotFoundError } from "../errors.ts";
import { requireContact } from "../shared/contacts.ts";
import { cursorDate, decodeKeyset, encodeKeyset } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { todayIn } from "../shared/time.ts";
import { recordTimelineEvent } from "../timeline/service.ts";
import {
  taskCreateSchema,
  taskIdInputSchema,
  taskListInputSchema,
  taskUpdateSchema,
  type TaskCreateInput,
  type TaskListInput,
  type TaskUpdateInput,
} from "./schemas.ts";

export interface TaskRecord {
  id: string;
  title: string;
  dueAt: Date | null;
  /** When it was done; null while open. */
  completedAt: Date | null;
  contactId: string | null;
  contact: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TaskPage {
  items: TaskRecord[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** Lets tests (and callers that already know it) fix the current time. */
export interface Clock {
  now?: Date;
}

const TASK_NOT_FOUND = "This task does not exist or was deleted.";
const LIST = "tasks";

const select = {
  id: true,
  title: true,
  dueAt: true,
  completedAt: true,
  contactId: true,
  contact: { select: { id: true, name: true } },
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.TaskSelect;

/** A task is visible unless it belongs to a contact that was deleted. */
const visible: Prisma.TaskWhereInput = {
  OR: [{ contactId: null }, { contact: { deletedAt: null } }],
};

async function requireTask(tx: Tx, actor: Actor, id: string): Promise<TaskRecord> {
  const task = await tx.task.findFirst({
    where: { AND: [{ id, userId: actor.userId }, visible] },
    select,
  });
  if (!task) throw new NotFoundError(TASK_NOT_FOUND);
  return task;
}

export async function createTask(
  db: Db,
  actor: Actor,
  input: TaskCreateInput,
): Promise<TaskRecord> {
  const { title, dueAt, contactId } = taskCreateSchema.parse(input);
  return db.$transaction(async (tx) => {
    if (contactId) await requireContact(tx, actor, contactId);
    return tx.task.create({ data: { userId: actor.userId, title, dueAt, contactId }, select });
  });
}

/** Changes a task's title, due date or contact. */
export async function updateTask(
  db: Db,
  actor: Actor,
  input: TaskUpdateInput,
): Promise<TaskRecord> {
  const { id, title, dueAt, contactId } = taskUpdateSchema.parse(input);
  return db.$transaction(async (tx) => {
    await requireTask(tx, actor, id);
    if (contactId) await requireContact(tx, actor, contactId);
    return tx.task.update({ where: { id }, data: { title, dueAt, contactId }, select });
  });
}

/**
 * Marks a task done and, when it is about a contact, adds it to the contact's timeline.
 * Completing a task that is already done changes nothing.
 */
export async function completeTask(
  db: Db,
  actor: Actor,
  input: { id: string },
  clock: Clock = {},
): Promise<TaskRecord> {
  const { id } = taskIdInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    const task = await requireTask(tx, actor, id);
    const completedAt = clock.now ?? new Date();
    // Only the call that actually closes the task records the event.
    const { count } = await tx.task.updateMany({
      where: { id, userId: actor.userId, completedAt: null },
      data: { completedAt },
    });
    if (count === 1 && task.contactId) {
      await recordTimelineEvent(tx, actor, {
        contactId: task.contactId,
        kind: "task.completed",
        summary: `Task done: ${task.title}`,
        data: { taskId: task.id },
        occurredAt: completedAt,
      });
    }
    return requireTask(tx, actor, id);
  });
}

/** Opens a done task again. */
export async function reopenTask(db: Db, actor: Actor, input: { id: string }): Promise<TaskRecord> {
  const { id } = taskIdInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    await requireTask(tx, actor, id);
    return tx.task.update({ where: { id }, data: { completedAt: null }, select });
  });
}

export async function deleteTask(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = taskIdInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    await requireTask(tx, actor, id);
    await tx.task.delete({ where: { id } });
    return { id };
  });
}

/**
 * Rows after the cursor row in the order `dueAt ASC NULLS LAST, createdAt ASC, id ASC`.
 */
function after(dueAt: Date | null, createdAt: Date, id: string): Prisma.TaskWhereInput {
  const sameDue: Prisma.TaskWhereInput[] = [
    { createdAt: { gt: createdAt } },
    { createdAt, id: { gt: id } },
  ];
  if (dueAt === null) return { dueAt: null, OR: sameDue };
  return {
    OR: [{ dueAt: { gt: dueAt } }, { dueAt, OR: sameDue }, { dueAt: null }],
  };
}

/**
 * One page of the actor's tasks: soonest due first, tasks without a due date last, then in the
 * order they were created.
 */
export async function listTasks(
  db: Db,
  actor: Actor,
  input: TaskListInput = {},
  clock: Clock = {},
): Promise<TaskPage> {
  const {
    status,
    contactId,
    due,
    timeZone,
    limit,
    cursor: rawCursor,
  } = taskListInputSchema.parse(input);
  const now = clock.now ?? new Date();
  const where: Prisma.TaskWhereInput[] = [{ userId: actor.userId }, visible];
  if (contactId) {
    await requireContact(db, actor, contactId);
    where.push({ contactId });
  }
  if (status === "open") where.push({ completedAt: null });
  if (status === "done") where.push({ completedAt: { not: null } });
  if (due === "overdue") where.push({ completedAt: null, dueAt: { lt: now } });
  if (due === "today" || due === "upcoming") {
    const today = todayIn(now, timeZone);
    where.push(
      due === "today"
        ? { dueAt: { gte: today.start, lt: today.end } }
        : { dueAt: { gte: today.end } },
    );
  }
  if (rawCursor) {
    const cursor = decodeKeyset(rawCursor, LIST, 2);
    const dueAt = cursor.values[0] === null ? null : cursorDate(cursor.values[0]);
    where.push(after(dueAt, cursorDate(cursor.values[1]), cursor.id));
  }
  const rows = await db.task.findMany({
    where: { AND: where },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last
        ? encodeKeyset(
            LIST,
            [last.dueAt?.toISOString() ?? null, last.createdAt.toISOString()],
            last.id,
          )
        : null,
  };
}
