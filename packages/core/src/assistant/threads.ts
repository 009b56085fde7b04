import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { NotFoundError } from "../errors.ts";
import { newestFirstPage, olderThanCursor } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { firstLine } from "../shared/text.ts";
import {
  threadIdInputSchema,
  threadListInputSchema,
  threadRenameSchema,
  type ThreadListInput,
  type ThreadRenameInput,
} from "./schemas.ts";

export const THREAD_NOT_FOUND = "This conversation does not exist or was deleted.";
export const NEW_THREAD_TITLE = "New conversation";
const TITLE_LENGTH = 60;

export interface ThreadRecord {
  id: string;
  title: string;
  titleSetByUser: boolean;
  createdAt: Date;
  lastMessageAt: Date;
}

/** A stored message, in the AI SDK's UI message shape. */
export interface StoredChatMessage {
  id: string;
  role: "user" | "assistant";
  parts: Prisma.JsonValue[];
  metadata?: Prisma.JsonValue;
}

export interface ThreadWithMessages extends ThreadRecord {
  messages: StoredChatMessage[];
}

const threadSelect = {
  id: true,
  title: true,
  titleSetByUser: true,
  createdAt: true,
  lastMessageAt: true,
} satisfies Prisma.ChatThreadSelect;

async function requireThread(db: Db | Tx, actor: Actor, id: string): Promise<ThreadRecord> {
  const thread = await db.chatThread.findFirst({
    where: { id, userId: actor.userId },
    select: threadSelect,
  });
  if (!thread) throw new NotFoundError(THREAD_NOT_FOUND);
  return thread;
}

/** A new conversation; the latest one is reused while nothing has been said in it. */
export async function createThread(db: Db, actor: Actor): Promise<ThreadRecord> {
  const empty = await db.chatThread.findFirst({
    where: { userId: actor.userId, messages: { none: {} } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: threadSelect,
  });
  if (empty) return empty;
  return db.chatThread.create({
    data: { userId: actor.userId, title: NEW_THREAD_TITLE },
    select: threadSelect,
  });
}

const LIST = "threads";

/** The actor's conversations, the most recently active first. */
export async function listThreads(
  db: Db,
  actor: Actor,
  input: ThreadListInput = {},
): Promise<{ items: ThreadRecord[]; nextCursor: string | null }> {
  const { limit, cursor: rawCursor } = threadListInputSchema.parse(input);
  const where: Prisma.ChatThreadWhereInput[] = [{ userId: actor.userId }];
  if (rawCursor) where.push(olderThanCursor(rawCursor, LIST, "lastMessageAt"));
  const rows = await db.chatThread.findMany({
    where: { AND: where },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: threadSelect,
  });
  return newestFirstPage(rows, limit, LIST, (thread) => thread.lastMessageAt);
}

/** A conversation with all its messages, in order. */
export async function getThread(
  db: Db | Tx,
  actor: Actor,
  input: { id: string },
): Promise<ThreadWithMessages> {
  const { id } = threadIdInputSchema.parse(input);
  // Both reads at once: this runs before every chat turn. The messages are the owner's only.
  const [thread, messages] = await Promise.all([
    db.chatThread.findFirst({ where: { id, userId: actor.userId }, select: threadSelect }),
    db.chatMessage.findMany({
      where: { threadId: id, userId: actor.userId },
      orderBy: { position: "asc" },
      select: { id: true, role: true, parts: true, metadata: true },
    }),
  ]);
  if (!thread) throw new NotFoundError(THREAD_NOT_FOUND);
  return {
    ...thread,
    messages: messages.map((m) => ({
      id: m.id,
      role: m.role === "user" ? "user" : "assistant",
      parts: Array.isArray(m.parts) ? m.parts : [],
      ...(m.metadata === null ? {} : { metadata: m.metadata }),
    })),
  };
}

export async function renameThread(
  db: Db,
  actor: Actor,
  input: ThreadRenameInput,
): Promise<ThreadRecord> {
  const { id, title } = threadRenameSchema.parse(input);
  await requireThread(db, actor, id);
  return db.chatThread.update({
    where: { id },
    data: { title, titleSetByUser: true },
    select: threadSelect,
  });
}

export async function deleteThread(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = threadIdInputSchema.parse(input);
  await requireThread(db, actor, id);
  await db.chatThread.delete({ where: { id } });
  return { id };
}

/** The automatic title: the first line of the first question. */
function titleFrom(messages: StoredChatMessage[]): string | null {
  const first = messages.find((m) => m.role === "user");
  const text = first?.parts
    .map((part) =>
      part &&
      typeof part === "object" &&
      !Array.isArray(part) &&
      part.type === "text" &&
      typeof part.text === "string"
        ? part.text
        : "",
    )
    .join(" ")
    .trim();
  return text ? firstLine(text, TITLE_LENGTH) : null;
}

/**
 * Stores a conversation's messages: the first `keep` stored messages stay as they are, and
 * `messages` (the whole conversation) replaces everything after them. So a new turn writes only
 * its question and answer, and a regenerated answer replaces the old one.
 */
export async function saveThreadMessages(
  db: Db,
  actor: Actor,
  input: { threadId: string; keep: number; messages: StoredChatMessage[] },
): Promise<void> {
  const { threadId, messages } = input;
  const keep = Math.max(0, Math.min(input.keep, messages.length));
  await db.$transaction(async (tx) => {
    const thread = await requireThread(tx, actor, threadId);
    await tx.chatMessage.deleteMany({
      where: {
        threadId,
        userId: actor.userId,
        OR: [{ position: { gte: keep } }, { id: { in: messages.slice(keep).map((m) => m.id) } }],
      },
    });
    if (messages.length > keep) {
      await tx.chatMessage.createMany({
        data: messages.slice(keep).map((message, index) => ({
          threadId,
          userId: actor.userId,
          id: message.id,
          position: keep + index,
          role: message.role,
          parts: message.parts,
          metadata: message.metadata ?? undefined,
        })),
      });
    }
    const title = thread.titleSetByUser ? null : titleFrom(messages);
    await tx.chatThread.update({
      where: { id: threadId },
      data: { lastMessageAt: new Date(), ...(title ? { title } : {}) },
    });
  });
}

/** What a chat turn needs before it can call the model: the conversation and the settings. */
export interface TurnContext {
  thread: ThreadWithMessages;
  redactContactDetails: boolean;
}

/**
 * A conversation with its messages and the owner's redaction setting, in one statement: a chat
 * turn reads this before every model call, so it is one round trip, not three.
 */
export async function loadTurnContext(
  db: Db,
  actor: Actor,
  input: { threadId: string },
): Promise<TurnContext> {
  const id = threadIdInputSchema.parse({ id: input.threadId }).id;
  const rows = await db.$queryRaw<
    {
      id: string;
      title: string;
      title_set_by_user: boolean;
      created_at: Date;
      last_message_at: Date;
      messages: { id: string; role: string; parts: Prisma.JsonValue; metadata: Prisma.JsonValue }[];
      redact: boolean;
    }[]
  >`
    SELECT t.id, t.title, t.title_set_by_user, t.created_at, t.last_message_at,
      coalesce((
        SELECT json_agg(json_build_object('id', m.id, 'role', m.role, 'parts', m.parts,
                 'metadata', m.metadata) ORDER BY m.position)
        FROM chat_messages m WHERE m.thread_id = t.id AND m.user_id = ${actor.userId}::uuid
      ), '[]'::json) AS messages,
      coalesce((SELECT s.redact_contact_details FROM ai_settings s
                WHERE s.user_id = ${actor.userId}::uuid), false) AS redact
    FROM chat_threads t
    WHERE t.id = ${id}::uuid AND t.user_id = ${actor.userId}::uuid`;
  const row = rows[0];
  if (!row) throw new NotFoundError(THREAD_NOT_FOUND);
  return {
    thread: {
      id: row.id,
      title: row.title,
      titleSetByUser: row.title_set_by_user,
      createdAt: row.created_at,
      lastMessageAt: row.last_message_at,
      messages: row.messages.map((m) => ({
        id: m.id,
        role: m.role === "user" ? "user" : "assistant",
        parts: Array.isArray(m.parts) ? m.parts : [],
        ...(m.metadata === null ? {} : { metadata: m.metadata }),
      })),
    },
    redactContactDetails: row.redact,
  };
}
