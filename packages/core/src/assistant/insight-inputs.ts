// What a contact's insight is made from: their record, recent interactions (synced emails and
// sessions), recent notes, open tasks and their rhythm. Scoped to the actor, and refused for a
// contact without AI consent, so nothing about them can reach a model this way.
//
// The result is plain JSON (strings, numbers, booleans, null), in a fixed order: it is exactly
// what is sent to the model, and its hash decides whether a stored insight is still current.
// Nothing in it changes just because a day passed (dates, not "days ago"; rhythm bands).
import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { getFieldValues } from "../custom-fields/service.ts";
import { NotFoundError } from "../errors.ts";
import { CONTACT_NOT_FOUND } from "../shared/contacts.ts";
import { recordIdSchema } from "../shared/schemas.ts";
import { truncate } from "../shared/text.ts";
import { listStages } from "../stages/service.ts";
import { isoDay, rhythmFacts, type RhythmFacts } from "./engagement.ts";
import { ConsentWithheldError } from "./views.ts";

/** How much of a contact's history an insight reads. */
export const INSIGHT_LIMITS = {
  interactions: 15,
  upcomingSessions: 3,
  notes: 5,
  tasks: 10,
  noteLength: 1_500,
  snippetLength: 300,
} as const;

export interface InsightInteraction {
  on: string;
  /** "email from them" | "email to them" | "session" | "cancelled session" */
  kind: string;
  subject: string | null;
  snippet: string | null;
}

/** What is sent to the model about one contact. */
export interface InsightInput {
  contact: {
    name: string;
    stage: string;
    source: string | null;
    addedOn: string;
    tags: string[];
    customFields: { field: string; value: string | number }[];
  };
  rhythm: RhythmFacts;
  /** Newest first. */
  recentInteractions: InsightInteraction[];
  /** Soonest first. */
  upcomingSessions: InsightInteraction[];
  /** Newest first. */
  recentNotes: { on: string; text: string }[];
  /** Soonest due first. */
  openTasks: { title: string; dueOn: string | null; overdue: boolean }[];
}

/** The records (besides the contact) whose data is in the input, for the audit log. */
export interface InsightRecords {
  notes: string[];
  interactions: string[];
  tasks: string[];
}

export interface ContactInsightInputs {
  contactId: string;
  input: InsightInput;
  records: InsightRecords;
}

function interactionKind(row: { kind: string; direction: string | null; status: string | null }) {
  if (row.kind === "session") return row.status === "cancelled" ? "cancelled session" : "session";
  return row.direction === "outbound" ? "email to them" : "email from them";
}

const interactionSelect = {
  id: true,
  kind: true,
  direction: true,
  status: true,
  subject: true,
  snippet: true,
  occurredAt: true,
} as const;

function toInteraction(row: {
  kind: string;
  direction: string | null;
  status: string | null;
  subject: string | null;
  snippet: string | null;
  occurredAt: Date;
}): InsightInteraction {
  return {
    on: isoDay(row.occurredAt),
    kind: interactionKind(row),
    subject: row.subject?.trim() || null,
    snippet: row.snippet?.trim()
      ? truncate(row.snippet.trim(), INSIGHT_LIMITS.snippetLength)
      : null,
  };
}

/**
 * One contact's insight input and the records it names. NotFoundError for a contact that is
 * not the actor's (or was deleted); ConsentWithheldError when they have not consented.
 */
export async function contactInsightInputs(
  db: Db,
  actor: Actor,
  contactId: string,
  now: Date = new Date(),
): Promise<ContactInsightInputs> {
  const id = recordIdSchema.parse(contactId);
  const row = await db.contact.findFirst({
    where: { id, userId: actor.userId, deletedAt: null },
    select: {
      id: true,
      name: true,
      stage: true,
      source: true,
      createdAt: true,
      lastInteractionAt: true,
      aiConsent: true,
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  if (!row) throw new NotFoundError(CONTACT_NOT_FOUND);
  if (!row.aiConsent) throw new ConsentWithheldError();

  const linked = { contacts: { some: { contactId: id } } };
  const [stages, fields, past, upcoming, rhythm, notes, tasks] = await Promise.all([
    listStages(db, actor),
    getFieldValues(db, actor, { contactId: id }),
    db.interaction.findMany({
      where: { userId: actor.userId, occurredAt: { lte: now }, ...linked },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: INSIGHT_LIMITS.interactions,
      select: interactionSelect,
    }),
    db.interaction.findMany({
      where: { userId: actor.userId, kind: "session", occurredAt: { gt: now }, ...linked },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: INSIGHT_LIMITS.upcomingSessions,
      select: interactionSelect,
    }),
    db.$queryRaw<
      {
        past: number;
        first_at: Date | null;
        last_at: Date | null;
        last30: number;
        next_at: Date | null;
      }[]
    >`
      SELECT
        count(*) FILTER (WHERE i.occurred_at <= ${now})::int AS past,
        min(i.occurred_at) FILTER (WHERE i.occurred_at <= ${now}) AS first_at,
        max(i.occurred_at) FILTER (WHERE i.occurred_at <= ${now}) AS last_at,
        count(*) FILTER (WHERE i.occurred_at <= ${now}
          AND i.occurred_at > ${now}::timestamptz - interval '30 days')::int AS last30,
        min(i.occurred_at) FILTER (WHERE i.occurred_at > ${now} AND i.kind = 'session') AS next_at
      FROM interaction_contacts ic
      JOIN interactions i ON i.id = ic.interaction_id AND i.user_id = ic.user_id
      WHERE ic.contact_id = ${id}::uuid AND ic.user_id = ${actor.userId}::uuid
        AND i.status IS DISTINCT FROM 'cancelled'`,
    db.note.findMany({
      where: { contactId: id, userId: actor.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: INSIGHT_LIMITS.notes,
      select: { id: true, createdAt: true, body: true },
    }),
    db.task.findMany({
      where: { contactId: id, userId: actor.userId, completedAt: null },
      orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }],
      take: INSIGHT_LIMITS.tasks,
      select: { id: true, title: true, dueAt: true },
    }),
  ]);
  const stats = rhythm[0];
  const stageLabel = stages.find((s) => s.key === row.stage)?.label ?? row.stage;

  const input: InsightInput = {
    contact: {
      name: row.name,
      stage: stageLabel,
      source: row.source,
      addedOn: isoDay(row.createdAt),
      tags: row.tags.map((t) => t.tag.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      customFields: fields.flatMap((f) =>
        f.value === null || f.value === "" ? [] : [{ field: f.label, value: f.value }],
      ),
    },
    rhythm: rhythmFacts({
      now,
      createdAt: row.createdAt,
      stage: row.stage,
      pastCount: stats?.past ?? 0,
      firstAt: stats?.first_at ?? null,
      lastAt: stats?.last_at ?? null,
      recordedLastAt: row.lastInteractionAt,
      last30Count: stats?.last30 ?? 0,
      nextSessionAt: stats?.next_at ?? null,
    }),
    recentInteractions: past.map(toInteraction),
    upcomingSessions: upcoming.map(toInteraction),
    recentNotes: notes.map((n) => ({
      on: isoDay(n.createdAt),
      text: truncate(n.body.trim(), INSIGHT_LIMITS.noteLength),
    })),
    openTasks: tasks.map((t) => ({
      title: t.title,
      dueOn: t.dueAt ? isoDay(t.dueAt) : null,
      overdue: t.dueAt ? t.dueAt < now : false,
    })),
  };
  return {
    contactId: id,
    input,
    records: {
      notes: notes.map((n) => n.id),
      interactions: [...past, ...upcoming].map((i) => i.id),
      tasks: tasks.map((t) => t.id),
    },
  };
}
