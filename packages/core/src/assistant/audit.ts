import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { newestFirstPage, olderThanCursor } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { truncate } from "../shared/text.ts";
import { auditListInputSchema, type AuditListInput } from "./schemas.ts";

export type AiFeature = "chat" | "insights" | "embeddings" | "search" | "connection_test";
export type AuditOutcome = "ok" | "error" | "denied" | "refused";

/** The records (besides contacts) whose data went to a model. */
export interface AuditedRecords {
  notes?: string[];
  interactions?: string[];
  tasks?: string[];
}

export interface AuditEventInput {
  kind: "tool_call" | "model_input";
  feature: AiFeature;
  tool?: string;
  outcome: AuditOutcome;
  input?: Prisma.InputJsonValue;
  contactIds?: string[];
  records?: AuditedRecords;
  threadId?: string | null;
  detail?: string;
}

export interface AuditEventRecord {
  id: string;
  kind: string;
  feature: string;
  tool: string | null;
  outcome: string;
  input: Prisma.JsonValue;
  contactIds: string[];
  records: Prisma.JsonValue;
  threadId: string | null;
  detail: string | null;
  createdAt: Date;
  /** Names of the contacts, for showing them (those still live). */
  contacts: { id: string; name: string }[];
}

function compactRecords(records: AuditedRecords | undefined) {
  if (!records) return undefined;
  const entries = Object.entries(records).filter(
    (entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0,
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Writes one audit entry: what the assistant did, or which records a model was shown. */
export async function recordAuditEvent(
  db: Db | Tx,
  actor: Actor,
  event: AuditEventInput,
): Promise<{ id: string }> {
  return db.aiAuditEvent.create({
    data: {
      userId: actor.userId,
      kind: event.kind,
      feature: event.feature,
      tool: event.tool,
      outcome: event.outcome,
      input: event.input,
      contactIds: [...new Set(event.contactIds ?? [])],
      records: compactRecords(event.records),
      threadId: event.threadId ?? null,
      detail: event.detail === undefined ? undefined : truncate(event.detail, 500),
    },
    select: { id: true },
  });
}

const LIST = "ai-audit";

/** The actor's audit log, newest first. */
export async function listAuditEvents(
  db: Db,
  actor: Actor,
  input: AuditListInput = {},
): Promise<{ items: AuditEventRecord[]; nextCursor: string | null }> {
  const { limit, cursor: rawCursor } = auditListInputSchema.parse(input);
  const where: Prisma.AiAuditEventWhereInput[] = [{ userId: actor.userId }];
  if (rawCursor) where.push(olderThanCursor(rawCursor, LIST, "createdAt"));
  const rows = await db.aiAuditEvent.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const { items, nextCursor } = newestFirstPage(rows, limit, LIST, (row) => row.createdAt);
  const ids = [...new Set(items.flatMap((row) => row.contactIds))];
  const names = new Map(
    (ids.length
      ? await db.contact.findMany({
          where: { id: { in: ids }, userId: actor.userId, deletedAt: null },
          select: { id: true, name: true },
        })
      : []
    ).map((c) => [c.id, c.name]),
  );
  return {
    items: items.map((row) => ({
      id: row.id,
      kind: row.kind,
      feature: row.feature,
      tool: row.tool,
      outcome: row.outcome,
      input: row.input,
      contactIds: row.contactIds,
      records: row.records,
      threadId: row.threadId,
      detail: row.detail,
      createdAt: row.createdAt,
      contacts: row.contactIds.flatMap((id) => {
        const name = names.get(id);
        return name === undefined ? [] : [{ id, name }];
      }),
    })),
    nextCursor,
  };
}
