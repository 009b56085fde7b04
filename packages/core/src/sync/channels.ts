import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import {
  calendarPreferencesSchema,
  channelKindInputSchema,
  gmailPreferencesSchema,
  gmailScopeChosen,
  syncRunListInputSchema,
  updatePreferencesSchema,
  type CalendarPreferences,
  type GmailPreferences,
  type SyncChannelKind,
  type SyncStage,
  type UpdatePreferencesInput,
} from "./schemas.ts";

/** Counts a run reports; every figure is absolute (a retried step recomputes, never adds). */
export interface SyncCounts {
  /** Records listed by Google in this run's scope. */
  listed?: number;
  /** Records fetched from Google. */
  fetched?: number;
  /** Raw records stored or changed. */
  stored?: number;
  /** Records normalized into interactions (new or changed). */
  interactions?: number;
  contactsCreated?: number;
  /** Skipped records by reason (bulk, no_reply, never_log, too_many_recipients...). */
  skipped?: Record<string, number>;
  /** Cancelled events removed from upcoming sessions. */
  cancelled?: number;
}

export interface SyncRunRecord {
  id: string;
  kind: SyncChannelKind;
  mode: string;
  trigger: string;
  status: "running" | "succeeded" | "failed";
  externalRunId: string | null;
  counts: SyncCounts;
  progress: { done?: number; total?: number; phase?: string };
  reconciliation: Reconciliation | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface Reconciliation {
  /** How many records Google lists in the channel's scope. */
  listed: number;
  /** How many of those are stored. */
  stored: number;
  /** Listed but not stored (a sample of ids). */
  missing: number;
  missingSample: string[];
  checkedAt: string;
}

export type ChannelPreferences = GmailPreferences | CalendarPreferences;

export interface SyncChannelRecord {
  id: string;
  kind: SyncChannelKind;
  preferences: ChannelPreferences;
  /** When the current preferences were last previewed (null: not since they changed). */
  previewedAt: Date | null;
  approvedAt: Date | null;
  stage: SyncStage;
  cursor: string | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  nextRunAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Whether the preferences say what to sync (Gmail: a label or a query). */
  scopeChosen: boolean;
}

export interface GoogleConnectionSummary {
  googleEmail: string;
  status: "connected" | "reconnect_needed" | "disconnected";
  statusReason: string | null;
  scopes: string[];
  connectedAt: Date;
}

export interface SyncOverview {
  connection: GoogleConnectionSummary | null;
  channels: (SyncChannelRecord & { lastRun: SyncRunRecord | null })[];
}

const channelSelect = {
  id: true,
  kind: true,
  preferences: true,
  previewedAt: true,
  approvedAt: true,
  stage: true,
  cursor: true,
  lastRunAt: true,
  lastSuccessAt: true,
  nextRunAt: true,
  lastError: true,
  lastErrorAt: true,
} satisfies Prisma.SyncChannelSelect;

const runSelect = {
  id: true,
  mode: true,
  trigger: true,
  status: true,
  externalRunId: true,
  counts: true,
  progress: true,
  reconciliation: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  channel: { select: { kind: true } },
} satisfies Prisma.SyncRunSelect;

type ChannelRow = Prisma.SyncChannelGetPayload<{ select: typeof channelSelect }>;
type RunRow = Prisma.SyncRunGetPayload<{ select: typeof runSelect }>;

export function parsePreferences(kind: SyncChannelKind, stored: unknown): ChannelPreferences {
  const schema = kind === "gmail" ? gmailPreferencesSchema : calendarPreferencesSchema;
  // Stored preferences were valid when written; a field added since takes its default.
  const parsed = schema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

function toChannel(row: ChannelRow): SyncChannelRecord {
  const kind = row.kind as SyncChannelKind;
  const preferences = parsePreferences(kind, row.preferences);
  return {
    ...row,
    kind,
    stage: row.stage as SyncStage,
    preferences,
    scopeChosen: kind === "gmail" ? gmailScopeChosen(preferences as GmailPreferences) : true,
  };
}

function toRun(row: RunRow): SyncRunRecord {
  const { channel, ...rest } = row;
  return {
    ...rest,
    kind: channel.kind as SyncChannelKind,
    status: row.status as SyncRunRecord["status"],
    counts: (row.counts ?? {}) as SyncCounts,
    progress: (row.progress ?? {}) as SyncRunRecord["progress"],
    reconciliation: (row.reconciliation ?? null) as Reconciliation | null,
  };
}

/** Both channels of the actor, created with default preferences the first time. */
async function ensureChannels(db: Db, actor: Actor): Promise<ChannelRow[]> {
  await db.syncChannel.createMany({
    data: [
      { userId: actor.userId, kind: "gmail", preferences: gmailPreferencesSchema.parse({}) },
      { userId: actor.userId, kind: "calendar", preferences: calendarPreferencesSchema.parse({}) },
    ],
    skipDuplicates: true,
  });
  return db.syncChannel.findMany({
    where: { userId: actor.userId },
    select: channelSelect,
    orderBy: { kind: "desc" },
  });
}

export async function getConnectionSummary(
  db: Db,
  actor: Actor,
): Promise<GoogleConnectionSummary | null> {
  const row = await db.googleConnection.findUnique({
    where: { userId: actor.userId },
    select: {
      googleEmail: true,
      status: true,
      statusReason: true,
      scopes: true,
      connectedAt: true,
    },
  });
  return row ? { ...row, status: row.status as GoogleConnectionSummary["status"] } : null;
}

/** The sync page's data: the Google connection and each channel with its latest run. */
export async function syncOverview(db: Db, actor: Actor): Promise<SyncOverview> {
  const [connection, rows] = await Promise.all([
    getConnectionSummary(db, actor),
    ensureChannels(db, actor),
  ]);
  const channels = await Promise.all(
    rows.map(async (row) => {
      const lastRun = await db.syncRun.findFirst({
        where: { userId: actor.userId, channelId: row.id, mode: { not: "preview" } },
        orderBy: [{ startedAt: "desc" }, { id: "desc" }],
        select: runSelect,
      });
      return { ...toChannel(row), lastRun: lastRun ? toRun(lastRun) : null };
    }),
  );
  return { connection, channels };
}

export async function getChannel(
  db: Db,
  actor: Actor,
  kind: SyncChannelKind,
): Promise<SyncChannelRecord> {
  const rows = await ensureChannels(db, actor);
  const row = rows.find((r) => r.kind === kind);
  if (!row) throw new NotFoundError("This sync channel does not exist.");
  return toChannel(row);
}

/** Keys of the preferences that decide what is synced: changing one means a fresh full sync. */
const scopeKeys: Record<SyncChannelKind, string[]> = {
  gmail: ["scope", "labelIds", "query", "lookbackDays"],
  calendar: ["calendarIds", "lookbackDays", "lookaheadDays"],
};

/**
 * Saves a channel's preferences. When what is synced changes (labels, query, how far back,
 * calendars), the cursor is dropped so the next run is a full sync of the new scope.
 */
export async function updatePreferences(
  db: Db,
  actor: Actor,
  input: UpdatePreferencesInput,
): Promise<SyncChannelRecord> {
  const { kind, preferences } = updatePreferencesSchema.parse(input);
  const current = await getChannel(db, actor, kind);
  const before = current.preferences as Record<string, unknown>;
  const after = preferences as Record<string, unknown>;
  const scopeChanged = scopeKeys[kind].some(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  // What was previewed is no longer what would sync.
  const changed = Object.keys(after).some(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return db.$transaction(async (tx) => {
    const row = await tx.syncChannel.update({
      where: { id: current.id },
      data: {
        preferences: preferences,
        ...(changed ? { previewedAt: null } : {}),
        ...(scopeChanged
          ? {
              cursor: null,
              stage:
                current.stage === "incremental" || current.stage === "failed"
                  ? "not_started"
                  : current.stage,
            }
          : {}),
      },
      select: channelSelect,
    });
    if (scopeChanged) await tx.calendarCursor.deleteMany({ where: { channelId: current.id } });
    return toChannel(row);
  });
}

/** The user approves syncing after the preview: from now on the channel runs. */
export async function approveChannel(
  db: Db,
  actor: Actor,
  input: { kind: SyncChannelKind },
): Promise<SyncChannelRecord> {
  const { kind } = channelKindInputSchema.parse(input);
  const connection = await getConnectionSummary(db, actor);
  if (connection?.status !== "connected") {
    throw new InvalidInputError(
      connection?.status === "reconnect_needed"
        ? "Reconnect your Google account before syncing."
        : "Connect your Google account before syncing.",
    );
  }
  const channel = await getChannel(db, actor, kind);
  if (!channel.scopeChosen) {
    throw new InvalidInputError("Choose the labels or the search to sync first.", {
      labelIds: ["Choose at least one label, or switch to a search."],
    });
  }
  if (!channel.previewedAt) {
    throw new InvalidInputError(
      "Preview what these settings would sync before approving them (they changed since the last preview).",
    );
  }
  const row = await db.syncChannel.update({
    where: { id: channel.id },
    data: {
      approvedAt: channel.approvedAt ?? new Date(),
      stage: channel.stage === "paused" ? "not_started" : channel.stage,
    },
    select: channelSelect,
  });
  return toChannel(row);
}

/** The user has seen a preview of the channel's current preferences. */
export async function markPreviewed(
  db: Db,
  actor: Actor,
  input: { kind: SyncChannelKind },
): Promise<void> {
  const { kind } = channelKindInputSchema.parse(input);
  await db.syncChannel.updateMany({
    where: { userId: actor.userId, kind },
    data: { previewedAt: new Date() },
  });
}

/** Stops a channel from running until it is resumed (approved again). */
export async function pauseChannel(
  db: Db,
  actor: Actor,
  input: { kind: SyncChannelKind },
): Promise<SyncChannelRecord> {
  const { kind } = channelKindInputSchema.parse(input);
  const channel = await getChannel(db, actor, kind);
  const row = await db.syncChannel.update({
    where: { id: channel.id },
    data: { approvedAt: null, stage: "paused", nextRunAt: null },
    select: channelSelect,
  });
  return toChannel(row);
}

/** Why a channel cannot run now, in words; null when it can. */
export function blockedReason(
  channel: SyncChannelRecord,
  connection: GoogleConnectionSummary | null,
): string | null {
  if (!connection || connection.status === "disconnected") return "Google is not connected.";
  if (connection.status === "reconnect_needed") {
    return "Google needs to be reconnected: the permission to read it was withdrawn or expired.";
  }
  if (!channel.scopeChosen) return "Choose what to sync first.";
  if (!channel.approvedAt) return "Syncing has not been approved yet.";
  return null;
}

// --- State changes made by the sync functions (acting as the channel's owner) ---

export async function startRun(
  db: Db,
  actor: Actor,
  input: {
    kind: SyncChannelKind;
    mode: "full" | "incremental" | "preview";
    trigger: string;
    externalRunId?: string | null;
  },
): Promise<SyncRunRecord> {
  const channel = await getChannel(db, actor, input.kind);
  // A retried "start" step of the same Inngest run finds the run it already created.
  if (input.externalRunId) {
    const existing = await db.syncRun.findFirst({
      where: { userId: actor.userId, channelId: channel.id, externalRunId: input.externalRunId },
      select: runSelect,
    });
    if (existing) return toRun(existing);
  }
  const now = new Date();
  const [run] = await db.$transaction([
    db.syncRun.create({
      data: {
        userId: actor.userId,
        channelId: channel.id,
        mode: input.mode,
        trigger: input.trigger,
        externalRunId: input.externalRunId ?? null,
      },
      select: runSelect,
    }),
    ...(input.mode === "preview"
      ? []
      : [
          db.syncChannel.update({
            where: { id: channel.id },
            data: {
              lastRunAt: now,
              stage: input.mode === "full" ? "full_sync" : "incremental",
            },
          }),
        ]),
  ]);
  return toRun(run);
}

/** Live progress and counts of a running run (absolute values). */
export async function updateRun(
  db: Db,
  actor: Actor,
  runId: string,
  patch: {
    progress?: SyncRunRecord["progress"];
    counts?: SyncCounts;
    /** A run that had to fall back to a full sync says so. */
    mode?: "full" | "incremental";
  },
): Promise<void> {
  await db.syncRun.updateMany({
    where: { id: runId, userId: actor.userId },
    data: {
      ...(patch.mode ? { mode: patch.mode } : {}),
      ...(patch.progress ? { progress: patch.progress } : {}),
      ...(patch.counts ? { counts: patch.counts as Prisma.InputJsonValue } : {}),
    },
  });
}

/**
 * Ends a run that succeeded: its counts, the channel's new cursor and stage (incremental from
 * now on), the next scheduled run, and no error.
 */
export async function finishRun(
  db: Db,
  actor: Actor,
  runId: string,
  result: {
    counts: SyncCounts;
    cursor?: string | null;
    nextRunAt?: Date | null;
    reconciliation?: Reconciliation | null;
  },
): Promise<void> {
  const run = await db.syncRun.findFirst({
    where: { id: runId, userId: actor.userId },
    select: { channelId: true, mode: true },
  });
  if (!run) throw new NotFoundError("This sync run does not exist.");
  const now = new Date();
  await db.$transaction([
    db.syncRun.update({
      where: { id: runId },
      data: {
        status: "succeeded",
        counts: result.counts as Prisma.InputJsonValue,
        progress: { phase: "done" },
        ...(result.reconciliation
          ? { reconciliation: result.reconciliation as unknown as Prisma.InputJsonValue }
          : {}),
        finishedAt: now,
      },
    }),
    ...(run.mode === "preview"
      ? []
      : [
          db.syncChannel.update({
            where: { id: run.channelId },
            data: {
              stage: "incremental",
              ...(result.cursor !== undefined ? { cursor: result.cursor } : {}),
              lastSuccessAt: now,
              nextRunAt: result.nextRunAt ?? null,
              lastError: null,
              lastErrorAt: null,
            },
          }),
        ]),
  ]);
}

/** Records a failed run (and on the channel, its last error in words). */
export async function failRun(
  db: Db,
  actor: Actor,
  input: { kind: SyncChannelKind; runId?: string | null; message: string; stage?: SyncStage },
): Promise<void> {
  const channel = await getChannel(db, actor, input.kind);
  const message = input.message.slice(0, 1000);
  const now = new Date();
  await db.$transaction([
    // Without a run id (the onFailure handler): every run of the channel still "running".
    db.syncRun.updateMany({
      where: {
        userId: actor.userId,
        channelId: channel.id,
        status: "running",
        ...(input.runId ? { id: input.runId } : {}),
      },
      data: { status: "failed", error: message, finishedAt: now },
    }),
    db.syncChannel.update({
      where: { id: channel.id },
      data: {
        lastError: message,
        lastErrorAt: now,
        stage: input.stage ?? (channel.stage === "reconnect_needed" ? channel.stage : "failed"),
      },
    }),
  ]);
}

/**
 * The grant died (invalid_grant): the connection needs the user to reconnect, and every
 * channel stops until then.
 */
export async function markReconnectNeeded(db: Db, actor: Actor, reason: string): Promise<void> {
  const message = reason.slice(0, 500);
  await db.$transaction([
    db.googleConnection.updateMany({
      where: { userId: actor.userId },
      data: { status: "reconnect_needed", statusReason: message },
    }),
    db.syncChannel.updateMany({
      where: { userId: actor.userId },
      data: {
        stage: "reconnect_needed",
        lastError: message,
        lastErrorAt: new Date(),
        nextRunAt: null,
      },
    }),
    db.syncRun.updateMany({
      where: { userId: actor.userId, status: "running" },
      data: { status: "failed", error: message, finishedAt: new Date() },
    }),
  ]);
}

export async function listRuns(
  db: Db,
  actor: Actor,
  input: { kind: SyncChannelKind; limit?: number },
): Promise<SyncRunRecord[]> {
  const { kind, limit } = syncRunListInputSchema.parse(input);
  const channel = await getChannel(db, actor, kind);
  const rows = await db.syncRun.findMany({
    where: { userId: actor.userId, channelId: channel.id },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: runSelect,
  });
  return rows.map(toRun);
}

export async function getRun(db: Db, actor: Actor, runId: string): Promise<SyncRunRecord> {
  const row = await db.syncRun.findFirst({
    where: { id: runId, userId: actor.userId },
    select: runSelect,
  });
  if (!row) throw new NotFoundError("This sync run does not exist.");
  return toRun(row);
}

/** Channels that are approved, connected and due: what the scheduler fans out to. */
export async function dueChannels(
  db: Db,
  now: Date,
): Promise<{ userId: string; kind: SyncChannelKind }[]> {
  const rows = await db.syncChannel.findMany({
    where: {
      approvedAt: { not: null },
      stage: { notIn: ["paused", "reconnect_needed"] },
      OR: [{ nextRunAt: null }, { nextRunAt: { lte: now } }],
      user: { google: { status: "connected" } },
    },
    select: { userId: true, kind: true },
    orderBy: { nextRunAt: { sort: "asc", nulls: "first" } },
    take: 10_000,
  });
  return rows.map((row) => ({ userId: row.userId, kind: row.kind as SyncChannelKind }));
}

export type { ChannelRow };
export type { GmailPreferences, CalendarPreferences };
