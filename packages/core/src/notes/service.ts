import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { NotFoundError } from "../errors.ts";
import { requireContact } from "../shared/contacts.ts";
import { newestFirstPage, olderThanCursor } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { firstLine } from "../shared/text.ts";
import { recordTimelineEvent } from "../timeline/service.ts";
import {
  noteCreateSchema,
  noteIdInputSchema,
  noteListInputSchema,
  noteUpdateSchema,
  type NoteCreateInput,
  type NoteListInput,
  type NoteUpdateInput,
} from "./schemas.ts";

export interface NoteRecord {
  id: string;
  contactId: string;
  /** Markdown. */
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NotePage {
  items: NoteRecord[];
  /** Cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
}

const NOTE_NOT_FOUND = "This note does not exist or was deleted.";
/** How much of a note its timeline entry shows. */
export const NOTE_SUMMARY_LENGTH = 140;
const LIST = "notes";

const select = {
  id: true,
  contactId: true,
  body: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.NoteSelect;

/** The actor's note, if its contact is one of their live contacts. */
async function requireNote(tx: Tx, actor: Actor, id: string): Promise<NoteRecord> {
  const note = await tx.note.findFirst({
    where: { id, userId: actor.userId, contact: { userId: actor.userId, deletedAt: null } },
    select,
  });
  if (!note) throw new NotFoundError(NOTE_NOT_FOUND);
  return note;
}

/** The timeline entry a note added. */
const eventOf = (actor: Actor, note: NoteRecord): Prisma.TimelineEventWhereInput => ({
  userId: actor.userId,
  contactId: note.contactId,
  kind: "note.added",
  data: { path: ["noteId"], equals: note.id },
});

/** One page of a contact's notes, newest first. */
export async function listNotes(db: Db, actor: Actor, input: NoteListInput): Promise<NotePage> {
  const { contactId, limit, cursor: rawCursor } = noteListInputSchema.parse(input);
  await requireContact(db, actor, contactId);
  const where: Prisma.NoteWhereInput[] = [{ contactId, userId: actor.userId }];
  if (rawCursor) where.push(olderThanCursor(rawCursor, LIST, "createdAt"));
  const rows = await db.note.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select,
  });
  return newestFirstPage(rows, limit, LIST, (note) => note.createdAt);
}

/** Adds a note to a contact, and its first line to the contact's timeline. */
export async function createNote(
  db: Db,
  actor: Actor,
  input: NoteCreateInput,
): Promise<NoteRecord> {
  const { contactId, body } = noteCreateSchema.parse(input);
  return db.$transaction(async (tx) => {
    await requireContact(tx, actor, contactId);
    const note = await tx.note.create({
      data: { userId: actor.userId, contactId, body },
      select,
    });
    await recordTimelineEvent(tx, actor, {
      contactId,
      kind: "note.added",
      summary: firstLine(body, NOTE_SUMMARY_LENGTH),
      data: { noteId: note.id },
      occurredAt: note.createdAt,
    });
    return note;
  });
}

/** Replaces a note's text; its timeline entry follows the new first line. */
export async function updateNote(
  db: Db,
  actor: Actor,
  input: NoteUpdateInput,
): Promise<NoteRecord> {
  const { id, body } = noteUpdateSchema.parse(input);
  return db.$transaction(async (tx) => {
    const current = await requireNote(tx, actor, id);
    const note = await tx.note.update({ where: { id: current.id }, data: { body }, select });
    await tx.timelineEvent.updateMany({
      where: eventOf(actor, note),
      data: { summary: firstLine(body, NOTE_SUMMARY_LENGTH) },
    });
    return note;
  });
}

/** Deletes a note and its timeline entry. */
export async function deleteNote(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = noteIdInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    const note = await requireNote(tx, actor, id);
    await tx.timelineEvent.deleteMany({ where: eventOf(actor, note) });
    await tx.note.delete({ where: { id: note.id } });
    return { id };
  });
}
