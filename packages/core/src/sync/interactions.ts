import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { buildSearchText, nameSortKey } from "../contacts/service.ts";
import { lockUserScope, type Tx } from "../shared/db.ts";
import { uuidv7 } from "../shared/ids.ts";
import type { SyncProvider } from "./records.ts";

/** Someone an interaction involves, who is or may become a contact. */
export interface InteractionPerson {
  email: string;
  name: string | null;
  role: string;
}

/**
 * A normalized provider record (packages/google's normalizers produce these): an email or a
 * calendar session, with the people in it other than the user.
 */
export interface InteractionInput {
  kind: "email" | "session";
  externalId: string;
  direction?: "inbound" | "outbound" | null;
  subject: string | null;
  snippet: string | null;
  body?: string | null;
  threadId?: string | null;
  occurredAt: Date;
  endsAt?: Date | null;
  status?: string | null;
  location?: string | null;
  /** Everyone (the user included), as shown on the interaction. */
  participants: unknown[];
  people: InteractionPerson[];
}

export interface ApplyResult {
  /** Interactions that were new or changed. */
  interactions: number;
  contactsCreated: number;
  /** Contact links made (new). */
  linked: number;
  /**
   * The contacts whose interactions were added or changed (a new or changed interaction, or a
   * new link to one): what their insights are made from changed.
   */
  contactIds: string[];
}

const sourceLabel: Record<SyncProvider, string> = { gmail: "Gmail", calendar: "Google Calendar" };

/** "maya.lin@example.com" -> "Maya Lin": a readable name when the address has none. */
export function nameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  const words = local
    .replace(/\+.*$/, "")
    .split(/[._-]+/)
    .filter((word) => word.length > 0 && !/^\d+$/.test(word));
  if (words.length === 0) return email;
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(" ");
}

function timelineKind(item: InteractionInput): string {
  if (item.kind === "session") return item.status === "cancelled" ? "session.cancelled" : "session";
  return item.direction === "outbound" ? "email.sent" : "email.received";
}

function timelineSummary(item: InteractionInput): string {
  const subject = item.subject?.trim() || (item.kind === "session" ? "Session" : "(no subject)");
  return subject.slice(0, 500);
}

/**
 * Writes normalized interactions idempotently: each is upserted by (user, provider, external
 * id); its people are matched to the user's contacts by any of their addresses, and the ones
 * not found become contacts when `createContacts` is set; each contact gets one timeline entry
 * per interaction; last and next interaction dates follow. Running it twice with the same
 * input changes nothing the second time. All or nothing.
 */
export async function applyInteractions(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
  input: InteractionInput[],
  options: { createContacts: boolean; now?: Date },
): Promise<ApplyResult> {
  const items = [...new Map(input.map((item) => [item.externalId, item])).values()];
  if (items.length === 0) return { interactions: 0, contactsCreated: 0, linked: 0, contactIds: [] };
  const now = options.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      // Gmail and Calendar runs of one user may create the same person at once.
      await lockUserScope(tx, actor, "sync-contacts");
      const contactOf = await matchContacts(tx, actor, items);
      const contactsCreated = options.createContacts
        ? await createMissingContacts(tx, actor, provider, items, contactOf, now)
        : 0;

      const rows = items.map((item) => ({
        id: uuidv7(),
        kind: item.kind,
        external_id: item.externalId,
        direction: item.direction ?? null,
        subject: item.subject?.slice(0, 1000) ?? null,
        snippet: item.snippet?.slice(0, 1000) ?? null,
        body: item.body ?? null,
        thread_id: item.threadId?.slice(0, 200) ?? null,
        occurred_at: item.occurredAt.toISOString(),
        ends_at: item.endsAt?.toISOString() ?? null,
        status: item.status ?? null,
        location: item.location?.slice(0, 500) ?? null,
        participants: item.participants,
      }));
      const changed = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO interactions AS i (id, user_id, kind, provider, external_id, direction, subject,
          snippet, body, thread_id, occurred_at, ends_at, status, location, participants,
          created_at, updated_at)
        SELECT v.id, ${actor.userId}::uuid, v.kind, ${provider}, v.external_id, v.direction,
          v.subject, v.snippet, v.body, v.thread_id, v.occurred_at, v.ends_at, v.status,
          v.location, v.participants, ${now}, ${now}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, kind text,
          external_id text, direction text, subject text, snippet text, body text,
          thread_id text, occurred_at timestamptz, ends_at timestamptz, status text,
          location text, participants jsonb)
        ON CONFLICT (user_id, provider, external_id) DO UPDATE SET
          kind = EXCLUDED.kind, direction = EXCLUDED.direction, subject = EXCLUDED.subject,
          snippet = EXCLUDED.snippet, body = EXCLUDED.body, thread_id = EXCLUDED.thread_id,
          occurred_at = EXCLUDED.occurred_at, ends_at = EXCLUDED.ends_at,
          status = EXCLUDED.status, location = EXCLUDED.location,
          participants = EXCLUDED.participants, updated_at = EXCLUDED.updated_at
        WHERE (i.kind, i.direction, i.subject, i.snippet, i.body, i.thread_id, i.occurred_at,
               i.ends_at, i.status, i.location, i.participants)
          IS DISTINCT FROM
              (EXCLUDED.kind, EXCLUDED.direction, EXCLUDED.subject, EXCLUDED.snippet,
               EXCLUDED.body, EXCLUDED.thread_id, EXCLUDED.occurred_at, EXCLUDED.ends_at,
               EXCLUDED.status, EXCLUDED.location, EXCLUDED.participants)
        RETURNING i.id`;

      const stored = await tx.interaction.findMany({
        where: {
          userId: actor.userId,
          provider,
          externalId: { in: items.map((item) => item.externalId) },
        },
        select: { id: true, externalId: true },
      });
      const idOf = new Map(stored.map((row) => [row.externalId, row.id]));

      // Who each interaction involves, and what each of them sees on their timeline.
      const links: {
        interaction_id: string;
        contact_id: string;
        role: string;
        kind: string;
        occurred_at: string;
        summary: string;
        data: unknown;
      }[] = [];
      for (const item of items) {
        const interactionId = idOf.get(item.externalId)!;
        const seen = new Set<string>();
        for (const person of item.people) {
          const contactId = contactOf.get(person.email.toLowerCase());
          if (!contactId || seen.has(contactId)) continue;
          seen.add(contactId);
          links.push({
            interaction_id: interactionId,
            contact_id: contactId,
            role: person.role.slice(0, 20),
            kind: timelineKind(item),
            occurred_at: item.occurredAt.toISOString(),
            summary: timelineSummary(item),
            data: {
              provider,
              direction: item.direction ?? null,
              snippet: item.snippet?.slice(0, 300) ?? null,
            },
          });
        }
      }
      const interactionIds = [...idOf.values()];
      const linksJson = JSON.stringify(links);
      const linkChanges = await tx.$queryRaw<{ contact_id: string; added: boolean }[]>`
        WITH wanted AS (
          SELECT * FROM jsonb_to_recordset(${linksJson}::jsonb)
            AS w(interaction_id uuid, contact_id uuid, role text)
        ),
        gone AS (
          DELETE FROM interaction_contacts ic
          WHERE ic.interaction_id = ANY(${interactionIds}::uuid[])
            AND ic.user_id = ${actor.userId}::uuid
            AND NOT EXISTS (SELECT 1 FROM wanted w
              WHERE w.interaction_id = ic.interaction_id AND w.contact_id = ic.contact_id)
          RETURNING ic.contact_id
        ),
        added AS (
          INSERT INTO interaction_contacts (interaction_id, contact_id, user_id, role)
          SELECT w.interaction_id, w.contact_id, ${actor.userId}::uuid, w.role FROM wanted w
          ON CONFLICT (interaction_id, contact_id) DO UPDATE SET role = EXCLUDED.role
            WHERE interaction_contacts.role IS DISTINCT FROM EXCLUDED.role
          RETURNING contact_id
        )
        SELECT contact_id, true AS added FROM added
        UNION ALL SELECT contact_id, false AS added FROM gone`;

      await tx.$executeRaw`
        DELETE FROM timeline_events te
        WHERE te.interaction_id = ANY(${interactionIds}::uuid[])
          AND te.user_id = ${actor.userId}::uuid
          AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(${linksJson}::jsonb)
              AS w(interaction_id uuid, contact_id uuid)
            WHERE w.interaction_id = te.interaction_id AND w.contact_id = te.contact_id)`;
      await tx.$executeRaw`
        UPDATE timeline_events te
        SET kind = w.kind, occurred_at = w.occurred_at, summary = w.summary, data = w.data
        FROM jsonb_to_recordset(${linksJson}::jsonb) AS w(interaction_id uuid, contact_id uuid,
          kind text, occurred_at timestamptz, summary text, data jsonb)
        WHERE te.interaction_id = w.interaction_id AND te.contact_id = w.contact_id
          AND te.user_id = ${actor.userId}::uuid
          AND (te.kind, te.occurred_at, te.summary, te.data::jsonb)
            IS DISTINCT FROM (w.kind, w.occurred_at, w.summary, w.data)`;
      await tx.$executeRaw`
        INSERT INTO timeline_events (id, user_id, contact_id, kind, occurred_at, summary, data,
          interaction_id)
        SELECT gen_random_uuid(), ${actor.userId}::uuid, w.contact_id, w.kind, w.occurred_at,
          w.summary, w.data, w.interaction_id
        FROM jsonb_to_recordset(${linksJson}::jsonb) AS w(interaction_id uuid, contact_id uuid,
          kind text, occurred_at timestamptz, summary text, data jsonb)
        WHERE NOT EXISTS (SELECT 1 FROM timeline_events te
          WHERE te.contact_id = w.contact_id AND te.interaction_id = w.interaction_id)`;

      const affected = [...new Set(links.map((link) => link.contact_id))];
      await refreshInteractionDates(tx, actor, affected, now);
      const changedIds = new Set(changed.map((row) => row.id));
      const touched = new Set(linkChanges.map((row) => row.contact_id));
      for (const link of links) {
        if (changedIds.has(link.interaction_id)) touched.add(link.contact_id);
      }
      return {
        interactions: changed.length,
        contactsCreated,
        linked: linkChanges.filter((row) => row.added).length,
        contactIds: [...touched].sort(),
      };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** email -> contact id, for every person's address the user already has on a contact. */
async function matchContacts(
  tx: Tx,
  actor: Actor,
  items: InteractionInput[],
): Promise<Map<string, string>> {
  const emails = [
    ...new Set(items.flatMap((item) => item.people.map((p) => p.email.toLowerCase()))),
  ];
  if (emails.length === 0) return new Map();
  const rows = await tx.contactEmail.findMany({
    where: { userId: actor.userId, email: { in: emails } },
    select: { email: true, contactId: true },
  });
  return new Map(rows.map((row) => [row.email, row.contactId]));
}

/** New contacts for the people no contact has; returns how many were created. */
async function createMissingContacts(
  tx: Tx,
  actor: Actor,
  provider: SyncProvider,
  items: InteractionInput[],
  contactOf: Map<string, string>,
  now: Date,
): Promise<number> {
  const missing = new Map<string, { id: string; name: string; email: string }>();
  for (const item of items) {
    for (const person of item.people) {
      const email = person.email.toLowerCase();
      if (contactOf.has(email) || missing.has(email)) continue;
      const name = (person.name?.trim() || nameFromEmail(email)).slice(0, 200);
      missing.set(email, { id: uuidv7(), name, email });
    }
  }
  if (missing.size === 0) return 0;
  const contacts = [...missing.values()].map((c) => ({
    ...c,
    name_sort: nameSortKey(c.name),
    search_text: buildSearchText(c.name, [c.email], []),
  }));
  const json = JSON.stringify(contacts);
  await tx.$executeRaw`
    INSERT INTO contacts (id, user_id, name, name_sort, email, stage, source, search_text,
      created_at, updated_at)
    SELECT v.id, ${actor.userId}::uuid, v.name, v.name_sort, v.email, 'lead', ${provider},
      v.search_text, ${now}, ${now}
    FROM jsonb_to_recordset(${json}::jsonb) AS v(id uuid, name text, name_sort text,
      email text, search_text text)`;
  const claimed = await tx.$queryRaw<{ email: string }[]>`
    INSERT INTO contact_emails (id, user_id, contact_id, email, label, is_primary, created_at)
    SELECT gen_random_uuid(), ${actor.userId}::uuid, v.id, v.email, 'other', true, ${now}
    FROM jsonb_to_recordset(${json}::jsonb) AS v(id uuid, email text)
    ON CONFLICT (user_id, email) DO NOTHING
    RETURNING email`;
  const won = new Set(claimed.map((row) => row.email));
  // An address someone else (an import, the user) took meanwhile: use their contact.
  const lost = contacts.filter((c) => !won.has(c.email));
  if (lost.length > 0) {
    await tx.contact.deleteMany({ where: { id: { in: lost.map((c) => c.id) } } });
    const rows = await tx.contactEmail.findMany({
      where: { userId: actor.userId, email: { in: lost.map((c) => c.email) } },
      select: { email: true, contactId: true },
    });
    for (const row of rows) contactOf.set(row.email, row.contactId);
  }
  const created = contacts.filter((c) => won.has(c.email));
  for (const c of created) contactOf.set(c.email, c.id);
  await tx.timelineEvent.createMany({
    data: created.map((c) => ({
      userId: actor.userId,
      contactId: c.id,
      kind: "contact.created",
      summary: `Added from ${sourceLabel[provider]}`,
      occurredAt: now,
    })),
  });
  return created.length;
}

/**
 * Last interaction: the latest past interaction that was not cancelled (never earlier than
 * what the contact had). Next interaction: the earliest upcoming session not cancelled.
 */
async function refreshInteractionDates(
  tx: Tx,
  actor: Actor,
  contactIds: string[],
  now: Date,
): Promise<void> {
  if (contactIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE contacts c
    SET last_interaction_at = GREATEST(c.last_interaction_at, x.last_at),
        next_interaction_at = x.next_at
    FROM (
      SELECT ic.contact_id,
        max(i.occurred_at) FILTER (WHERE i.occurred_at <= ${now}
          AND i.status IS DISTINCT FROM 'cancelled') AS last_at,
        min(i.occurred_at) FILTER (WHERE i.kind = 'session' AND i.occurred_at > ${now}
          AND i.status IS DISTINCT FROM 'cancelled') AS next_at
      FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
      WHERE ic.contact_id = ANY(${contactIds}::uuid[]) AND ic.user_id = ${actor.userId}::uuid
      GROUP BY ic.contact_id
    ) x
    WHERE c.id = x.contact_id AND c.user_id = ${actor.userId}::uuid
      AND (c.last_interaction_at IS DISTINCT FROM GREATEST(c.last_interaction_at, x.last_at)
        OR c.next_interaction_at IS DISTINCT FROM x.next_at)`;
}

export interface UpcomingSession {
  id: string;
  subject: string | null;
  startsAt: Date;
  endsAt: Date | null;
  location: string | null;
  status: string | null;
  contacts: { id: string; name: string }[];
}

/** The user's next sessions (not cancelled), soonest first, with the contacts attending. */
export async function upcomingSessions(
  db: Db,
  actor: Actor,
  input: { limit?: number; now?: Date } = {},
): Promise<UpcomingSession[]> {
  const rows = await db.interaction.findMany({
    where: {
      userId: actor.userId,
      kind: "session",
      occurredAt: { gt: input.now ?? new Date() },
      NOT: { status: "cancelled" },
    },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    take: input.limit ?? 10,
    select: {
      id: true,
      subject: true,
      occurredAt: true,
      endsAt: true,
      location: true,
      status: true,
      contacts: {
        where: { contact: { deletedAt: null } },
        select: { contact: { select: { id: true, name: true } } },
      },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    subject: row.subject,
    startsAt: row.occurredAt,
    endsAt: row.endsAt,
    location: row.location,
    status: row.status,
    contacts: row.contacts.map((link) => link.contact),
  }));
}

/** How many interactions of a provider the user has (for previews and reconciliation). */
export async function countInteractions(
  db: Db,
  actor: Actor,
  provider: SyncProvider,
): Promise<number> {
  return db.interaction.count({ where: { userId: actor.userId, provider } });
}

/** Which people would become new contacts: the preview's "new contacts", without writing. */
export async function contactsThatWouldBeCreated(
  db: Db,
  actor: Actor,
  people: InteractionPerson[],
): Promise<{ email: string; name: string }[]> {
  const byEmail = new Map<string, InteractionPerson>();
  for (const person of people) {
    const email = person.email.toLowerCase();
    if (!byEmail.has(email) || (!byEmail.get(email)!.name && person.name)) {
      byEmail.set(email, person);
    }
  }
  if (byEmail.size === 0) return [];
  const known = await db.contactEmail.findMany({
    where: { userId: actor.userId, email: { in: [...byEmail.keys()] } },
    select: { email: true },
  });
  const knownSet = new Set(known.map((row) => row.email));
  return [...byEmail.entries()]
    .filter(([email]) => !knownSet.has(email))
    .map(([email, person]) => ({ email, name: person.name?.trim() || nameFromEmail(email) }));
}
