// What the assistant may read: the practice's data as its tools see it. Every function here is
// scoped to the actor and leaves out contacts without AI consent (saying how many it left out),
// so nothing about them can reach a model through a tool.
import type { Db, Prisma } from "@omnicrm/db";
import { z } from "zod";
import type { Actor } from "../actor.ts";
import { searchKey } from "../contacts/service.ts";
import { getFieldValues } from "../custom-fields/service.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { homeOverview } from "../home/service.ts";
import { CONTACT_NOT_FOUND } from "../shared/contacts.ts";
import { recordIdSchema } from "../shared/schemas.ts";
import { truncate } from "../shared/text.ts";
import { listStages } from "../stages/service.ts";
import { upcomingSessions } from "../sync/interactions.ts";
import { CONSENT_WITHHELD, consentingContactIds } from "./consent.ts";

/** A contact's record could not be shared: it has no AI consent. */
export class ConsentWithheldError extends ForbiddenError {
  constructor() {
    super(CONSENT_WITHHELD);
  }
}

export interface AssistantContactSummary {
  id: string;
  name: string;
  stage: string;
  email: string | null;
  phone: string | null;
  tags: string[];
  lastInteractionAt: Date | null;
  nextInteractionAt: Date | null;
}

export const assistantContactSearchSchema = z.strictObject({
  query: z.string().trim().max(200).optional(),
  stage: z.string().trim().max(40).optional(),
  limit: z.number().int().min(1).max(25).default(10),
});
export type AssistantContactSearch = z.input<typeof assistantContactSearchSchema>;

const summarySelect = {
  id: true,
  name: true,
  stage: true,
  email: true,
  phone: true,
  lastInteractionAt: true,
  nextInteractionAt: true,
  tags: { select: { tag: { select: { name: true } } } },
} satisfies Prisma.ContactSelect;

type SummaryRow = Prisma.ContactGetPayload<{ select: typeof summarySelect }>;

async function stageLabels(db: Db, actor: Actor): Promise<Map<string, string>> {
  return new Map((await listStages(db, actor)).map((s) => [s.key, s.label]));
}

function toSummary(row: SummaryRow, stages: Map<string, string>): AssistantContactSummary {
  return {
    id: row.id,
    name: row.name,
    stage: stages.get(row.stage) ?? row.stage,
    email: row.email,
    phone: row.phone,
    tags: row.tags.map((t) => t.tag.name).sort((a, b) => a.localeCompare(b)),
    lastInteractionAt: row.lastInteractionAt,
    nextInteractionAt: row.nextInteractionAt,
  };
}

/** Contacts matching a name, email or phone (and a stage), the most recently seen first. */
export async function searchContactsForAssistant(
  db: Db,
  actor: Actor,
  input: AssistantContactSearch,
): Promise<{ contacts: AssistantContactSummary[]; withheld: number }> {
  const { query, stage, limit } = assistantContactSearchSchema.parse(input);
  const stages = await stageLabels(db, actor);
  const stageKey = stage
    ? ([...stages].find(
        ([key, label]) =>
          key === stage.toLowerCase() || label.toLowerCase() === stage.toLowerCase(),
      )?.[0] ?? stage)
    : undefined;
  const where: Prisma.ContactWhereInput = {
    userId: actor.userId,
    deletedAt: null,
    ...(query ? { searchText: { contains: searchKey(query) } } : {}),
    ...(stageKey ? { stage: stageKey } : {}),
  };
  const [rows, withheld] = await Promise.all([
    db.contact.findMany({
      where: { ...where, aiConsent: true },
      orderBy: [{ lastInteractionAt: { sort: "desc", nulls: "last" } }, { id: "asc" }],
      take: limit,
      select: summarySelect,
    }),
    db.contact.count({ where: { ...where, aiConsent: false } }),
  ]);
  return { contacts: rows.map((row) => toSummary(row, stages)), withheld };
}

export interface AssistantContactRecord extends AssistantContactSummary {
  emails: string[];
  phones: string[];
  source: string | null;
  createdAt: Date;
  customFields: { label: string; value: string | number }[];
  timeline: { kind: string; occurredAt: Date; summary: string }[];
  notes: { id: string; createdAt: Date; body: string }[];
  openTasks: { id: string; title: string; dueAt: Date | null }[];
}

/** What the assistant reads about one contact, and the records that went into it. */
export interface AssistantContactDossier {
  contact: AssistantContactRecord;
  records: { notes: string[]; interactions: string[]; tasks: string[] };
}

const NOTE_LENGTH = 1_500;

/** One contact with their recent timeline, notes and open tasks; refused without consent. */
export async function contactForAssistant(
  db: Db,
  actor: Actor,
  input: { contactId: string; timelineLimit?: number; notesLimit?: number },
): Promise<AssistantContactDossier> {
  const contactId = recordIdSchema.parse(input.contactId);
  const row = await db.contact.findFirst({
    where: { id: contactId, userId: actor.userId, deletedAt: null },
    select: {
      ...summarySelect,
      aiConsent: true,
      source: true,
      createdAt: true,
      emails: { select: { email: true }, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] },
      phones: { select: { phone: true }, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] },
    },
  });
  if (!row) throw new NotFoundError(CONTACT_NOT_FOUND);
  if (!row.aiConsent) throw new ConsentWithheldError();
  const [stages, fields, events, notes, tasks] = await Promise.all([
    stageLabels(db, actor),
    getFieldValues(db, actor, { contactId }),
    db.timelineEvent.findMany({
      where: { contactId, userId: actor.userId },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: input.timelineLimit ?? 15,
      select: { kind: true, occurredAt: true, summary: true, interactionId: true },
    }),
    db.note.findMany({
      where: { contactId, userId: actor.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.notesLimit ?? 5,
      select: { id: true, createdAt: true, body: true },
    }),
    db.task.findMany({
      where: { contactId, userId: actor.userId, completedAt: null },
      orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
      take: 10,
      select: { id: true, title: true, dueAt: true },
    }),
  ]);
  return {
    contact: {
      ...toSummary(row, stages),
      emails: row.emails.map((e) => e.email),
      phones: row.phones.map((p) => p.phone),
      source: row.source,
      createdAt: row.createdAt,
      customFields: fields.flatMap((f) =>
        f.value === null ? [] : [{ label: f.label, value: f.value }],
      ),
      timeline: events.map((e) => ({ kind: e.kind, occurredAt: e.occurredAt, summary: e.summary })),
      notes: notes.map((n) => ({ ...n, body: truncate(n.body, NOTE_LENGTH) })),
      openTasks: tasks,
    },
    records: {
      notes: notes.map((n) => n.id),
      interactions: [...new Set(events.flatMap((e) => (e.interactionId ? [e.interactionId] : [])))],
      tasks: tasks.map((t) => t.id),
    },
  };
}

export interface AssistantAttention {
  needsAttention: { id: string; name: string; lastInteractionAt: Date | null; reason: string }[];
  overdueTasks: {
    id: string;
    title: string;
    dueAt: Date;
    contact: { id: string; name: string } | null;
  }[];
  withheld: number;
}

/** Clients overdue for contact and overdue tasks, as the home page shows them. */
export async function attentionForAssistant(
  db: Db,
  actor: Actor,
  now = new Date(),
): Promise<AssistantAttention> {
  const overview = await homeOverview(db, actor, now);
  const allowed = await consentingContactIds(db, actor, [
    ...overview.needsAttention.map((c) => c.id),
    ...overview.overdueTasks.flatMap((t) => (t.contact ? [t.contact.id] : [])),
  ]);
  const needsAttention = overview.needsAttention
    .filter((c) => allowed.has(c.id))
    .map(({ id, name, lastInteractionAt, reason }) => ({ id, name, lastInteractionAt, reason }));
  const overdueTasks = overview.overdueTasks.filter((t) => !t.contact || allowed.has(t.contact.id));
  return {
    needsAttention,
    overdueTasks,
    withheld:
      overview.needsAttention.length -
      needsAttention.length +
      (overview.overdueTasks.length - overdueTasks.length),
  };
}

export interface AssistantSession {
  id: string;
  subject: string | null;
  startsAt: Date;
  endsAt: Date | null;
  location: string | null;
  contacts: { id: string; name: string }[];
}

/**
 * The synced sessions of the next `days` days. A session with a client who has not consented
 * is left out whole: its title usually names them.
 */
export async function upcomingForAssistant(
  db: Db,
  actor: Actor,
  input: { days?: number; limit?: number; now?: Date } = {},
): Promise<{ sessions: AssistantSession[]; withheld: number }> {
  const now = input.now ?? new Date();
  const until = new Date(now.getTime() + (input.days ?? 7) * 86_400_000);
  const sessions = (await upcomingSessions(db, actor, { limit: input.limit ?? 20, now })).filter(
    (s) => s.startsAt <= until,
  );
  const allowed = await consentingContactIds(
    db,
    actor,
    sessions.flatMap((s) => s.contacts.map((c) => c.id)),
  );
  const shown = sessions.filter((s) => s.contacts.every((c) => allowed.has(c.id)));
  return {
    sessions: shown.map(({ id, subject, startsAt, endsAt, location, contacts }) => ({
      id,
      subject,
      startsAt,
      endsAt,
      location,
      contacts,
    })),
    withheld: sessions.length - shown.length,
  };
}

/** The contact a write action targets, refused without consent (the model never saw them). */
export async function requireConsentingContact(
  db: Db,
  actor: Actor,
  contactId: string,
): Promise<{ id: string; name: string }> {
  const row = await db.contact.findFirst({
    where: { id: recordIdSchema.parse(contactId), userId: actor.userId, deletedAt: null },
    select: { id: true, name: true, aiConsent: true },
  });
  if (!row) throw new NotFoundError(CONTACT_NOT_FOUND);
  if (!row.aiConsent) throw new ConsentWithheldError();
  return { id: row.id, name: row.name };
}
