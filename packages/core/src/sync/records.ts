import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";

export type SyncProvider = "gmail" | "calendar";

export interface RawRecordInput {
  externalId: string;
  payload: unknown;
}

/**
 * Stores provider records as fetched, once per user, provider and external id. A record that
 * comes again unchanged is left alone (a retried step or a replayed run writes nothing); a
 * changed one replaces the stored payload and waits for normalization again.
 * Returns how many were new and how many changed.
 */
export async function storeRawRecords(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  records: RawRecordInput[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // The last copy of an id in the batch wins (Google may list a message twice).
  const byId = new Map(records.map((record) => [record.externalId, record.payload]));
  const ids = [...byId.keys()];
  const payloads = ids.map((id) => JSON.stringify(byId.get(id)));
  const rows = await db.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO raw_provider_records (id, user_id, provider, external_id, payload, fetched_at)
    SELECT gen_random_uuid(), ${actor.userId}::uuid, ${provider}, r.external_id, r.payload::jsonb, now()
    FROM unnest(${ids}::text[], ${payloads}::text[]) AS r(external_id, payload)
    ON CONFLICT (user_id, provider, external_id) DO UPDATE
      SET payload = EXCLUDED.payload, fetched_at = now(), normalized_at = NULL, skip_reason = NULL
      WHERE raw_provider_records.payload IS DISTINCT FROM EXCLUDED.payload
    RETURNING (xmax = 0) AS inserted`;
  const inserted = rows.filter((row) => row.inserted).length;
  return { inserted, updated: rows.length - inserted, unchanged: ids.length - rows.length };
}

/** Raw records of these ids (the ones a step fetched), to normalize them. */
export async function rawRecordsByIds(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  externalIds: string[],
): Promise<{ externalId: string; payload: unknown }[]> {
  if (externalIds.length === 0) return [];
  return db.rawProviderRecord.findMany({
    where: { userId: actor.userId, provider, externalId: { in: externalIds } },
    select: { externalId: true, payload: true },
    orderBy: { externalId: "asc" },
  });
}

/** A page of raw records, oldest id first, for re-normalizing everything after a rule change. */
export async function rawRecordsPage(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  input: { after?: string | null; limit: number; onlyPending?: boolean },
): Promise<{ externalId: string; payload: unknown }[]> {
  return db.rawProviderRecord.findMany({
    where: {
      userId: actor.userId,
      provider,
      ...(input.after ? { externalId: { gt: input.after } } : {}),
      ...(input.onlyPending ? { normalizedAt: null } : {}),
    },
    select: { externalId: true, payload: true },
    orderBy: { externalId: "asc" },
    take: input.limit,
  });
}

/** Notes that these records were normalized, and why the skipped ones were skipped. */
export async function markNormalized(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  outcomes: { externalId: string; skipReason: string | null }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await db.$executeRaw`
    UPDATE raw_provider_records r
    SET normalized_at = now(), skip_reason = o.skip_reason
    FROM unnest(${outcomes.map((o) => o.externalId)}::text[],
                ${outcomes.map((o) => o.skipReason)}::text[]) AS o(external_id, skip_reason)
    WHERE r.user_id = ${actor.userId}::uuid AND r.provider = ${provider}
      AND r.external_id = o.external_id`;
}

/** Which of these ids are stored: the reconciliation of what Google lists with what we have. */
export async function storedExternalIds(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  externalIds: string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db.rawProviderRecord.findMany({
    where: { userId: actor.userId, provider, externalId: { in: externalIds } },
    select: { externalId: true },
  });
  return new Set(rows.map((row) => row.externalId));
}

export async function countRawRecords(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
): Promise<number> {
  return db.rawProviderRecord.count({ where: { userId: actor.userId, provider } });
}

// --- Calendar cursors (one sync token per calendar) ---

export async function calendarSyncToken(
  db: Db,
  actor: Actor,
  channelId: string,
  calendarId: string,
): Promise<string | null> {
  const row = await db.calendarCursor.findFirst({
    where: { channelId, calendarId, userId: actor.userId },
    select: { syncToken: true },
  });
  return row?.syncToken ?? null;
}

export async function saveCalendarSyncToken(
  db: Db,
  actor: Actor,
  channelId: string,
  calendarId: string,
  syncToken: string | null,
): Promise<void> {
  await db.calendarCursor.upsert({
    where: { channelId_calendarId: { channelId, calendarId } },
    create: { channelId, calendarId, userId: actor.userId, syncToken },
    update: { syncToken },
  });
}

/**
 * A 410 from Google: the calendar's sync token is gone. Its token and the sessions synced
 * from it are wiped so the full sync that follows rebuilds them.
 */
export async function wipeCalendarState(
  db: Db,
  actor: Actor,
  channelId: string,
  calendarId: string,
): Promise<void> {
  await db.$transaction([
    db.calendarCursor.deleteMany({ where: { channelId, calendarId, userId: actor.userId } }),
    db.$executeRaw`
      DELETE FROM raw_provider_records
      WHERE user_id = ${actor.userId}::uuid AND provider = 'calendar'
        AND payload->>'_calendarId' = ${calendarId}`,
  ]);
}
