import type { Db, Prisma } from "@omnicrm/db";
import { z } from "zod";
import type { Actor } from "../actor.ts";
import { requireContact } from "../shared/contacts.ts";
import { newestFirstPage, olderThanCursor } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { recordIdSchema } from "../shared/schemas.ts";
import { truncate } from "../shared/text.ts";
import { timelineListInputSchema, type TimelineListInput } from "./schemas.ts";

export interface TimelineEventRecord {
  id: string;
  contactId: string;
  /** e.g. contact.created, note.added, task.completed */
  kind: string;
  occurredAt: Date;
  summary: string;
  data: Prisma.JsonValue;
}

export interface TimelinePage {
  items: TimelineEventRecord[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

/** What the other services record; not an API input. */
export const timelineEventInputSchema = z.strictObject({
  contactId: recordIdSchema,
  kind: z
    .string()
    .max(40)
    .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, "Event kinds look like `note.added`."),
  /** Cut to the column's 500 characters. */
  summary: z
    .string()
    .trim()
    .min(1)
    .transform((summary) => truncate(summary, 500)),
  data: z.record(z.string(), z.json()).optional(),
  occurredAt: z.date().optional(),
});
export type TimelineEventInput = z.input<typeof timelineEventInputSchema>;

const select = {
  id: true,
  contactId: true,
  kind: true,
  occurredAt: true,
  summary: true,
  data: true,
} satisfies Prisma.TimelineEventSelect;

/**
 * Adds an event to one of the actor's contacts' timelines. Takes a transaction client so the
 * event is written together with what it records (or not at all).
 */
export async function recordTimelineEvent(
  tx: Tx,
  actor: Actor,
  input: TimelineEventInput,
): Promise<TimelineEventRecord> {
  const event = timelineEventInputSchema.parse(input);
  await requireContact(tx, actor, event.contactId);
  return tx.timelineEvent.create({
    data: {
      userId: actor.userId,
      contactId: event.contactId,
      kind: event.kind,
      summary: event.summary,
      data: event.data,
      occurredAt: event.occurredAt,
    },
    select,
  });
}

const LIST = "timeline";

/** One page of a contact's timeline, newest first. */
export async function contactTimeline(
  db: Db,
  actor: Actor,
  input: TimelineListInput,
): Promise<TimelinePage> {
  const { contactId, limit, cursor: rawCursor } = timelineListInputSchema.parse(input);
  await requireContact(db, actor, contactId);
  const where: Prisma.TimelineEventWhereInput[] = [{ contactId, userId: actor.userId }];
  if (rawCursor) where.push(olderThanCursor(rawCursor, LIST, "occurredAt"));
  const rows = await db.timelineEvent.findMany({
    where: { AND: where },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select,
  });
  return newestFirstPage(rows, limit, LIST, (event) => event.occurredAt);
}
