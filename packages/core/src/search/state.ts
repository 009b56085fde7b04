import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import type { Tx } from "../shared/db.ts";
import { truncate } from "../shared/text.ts";

export type IndexStatus = "idle" | "running" | "paused" | "failed";

export interface IndexState {
  status: IndexStatus;
  /** Why it is paused or failed, for the user. */
  reason: string | null;
  resumeAt: Date | null;
  lastRunAt: Date | null;
  lastEmbedded: number;
}

const IDLE: IndexState = {
  status: "idle",
  reason: null,
  resumeAt: null,
  lastRunAt: null,
  lastEmbedded: 0,
};

export async function getIndexState(db: Db | Tx, actor: Actor): Promise<IndexState> {
  const row = await db.searchIndexState.findUnique({
    where: { userId: actor.userId },
    select: { status: true, reason: true, resumeAt: true, lastRunAt: true, lastEmbedded: true },
  });
  return row ? { ...row, status: row.status as IndexStatus } : IDLE;
}

/** Records what the index job is doing, or why it stopped. */
export async function setIndexState(
  db: Db | Tx,
  actor: Actor,
  state: Partial<IndexState>,
): Promise<void> {
  const data = {
    ...state,
    ...(state.reason ? { reason: truncate(state.reason, 500) } : {}),
    updatedAt: new Date(),
  };
  await db.searchIndexState.upsert({
    where: { userId: actor.userId },
    create: { userId: actor.userId, ...data },
    update: data,
  });
}

/**
 * Users whose index may go on now: none of it is paused into the future. (Which of them have
 * documents waiting is asked separately: see usersWithPendingDocuments.)
 */
export async function pausedUserIds(db: Db, now: Date): Promise<Set<string>> {
  const rows = await db.searchIndexState.findMany({
    where: { status: "paused", resumeAt: { gt: now } },
    select: { userId: true },
  });
  return new Set(rows.map((r) => r.userId));
}
