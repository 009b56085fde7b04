import { Prisma, type Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import type { SearchKind } from "./schemas.ts";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  keywordQuery,
  snippetParts,
  type SnippetPart,
} from "./text.ts";
import type { VectorSpace } from "./vectors.ts";

/**
 * Search documents (prisma SearchDocument): one per contact, note and synced interaction, kept
 * by triggers. Every query here is scoped to the actor and leaves out documents whose contact
 * is deleted (`visible`).
 */

/**
 * AI consent of a document's contacts, in SQL over `d` (search_documents): a contact's and a
 * note's document carry their contact; an interaction needs every participant's consent. The
 * same rule as the migration's search_forget_unconsented().
 */
export const consentedSql = Prisma.sql`(CASE WHEN d.kind IN ('email', 'session')
    THEN NOT EXISTS (SELECT 1 FROM interaction_contacts ic WHERE ic.interaction_id = d.record_id
                     AND NOT (SELECT c.ai_consent FROM contacts c WHERE c.id = ic.contact_id))
    ELSE coalesce((SELECT c.ai_consent FROM contacts c WHERE c.id = d.contact_id), false) END)`;

export interface KeywordHit {
  recordId: string;
  rank: number;
}

const kindsFilter = (kinds: readonly SearchKind[] | undefined) =>
  kinds && kinds.length > 0 ? Prisma.sql`AND d.kind = ANY(${[...kinds]}::text[])` : Prisma.empty;

/** The best keyword matches, most relevant first (title matches weigh more than body ones). */
export async function keywordSearch(
  db: Db,
  actor: Actor,
  input: { query: string; kinds?: readonly SearchKind[]; limit: number },
): Promise<KeywordHit[]> {
  const q = keywordQuery(input.query);
  if (!q) return [];
  const rows = await db.$queryRaw<{ record_id: string; rank: number }[]>`
    SELECT d.record_id, ts_rank_cd(d.tsv, q.query, 1) AS rank
    FROM search_documents d,
         (SELECT plainto_tsquery('english', ${q.words}) && to_tsquery('english', ${q.prefix}) AS query) q
    WHERE d.user_id = ${actor.userId}::uuid AND d.visible AND d.tsv @@ q.query ${kindsFilter(input.kinds)}
    ORDER BY rank DESC, d.occurred_at DESC, d.record_id
    LIMIT ${input.limit}`;
  return rows.map((r) => ({ recordId: r.record_id, rank: Number(r.rank) }));
}

/**
 * Of these nearest neighbours (in their order), the ones the actor may see as results of a
 * search by meaning: their own, visible, of the wanted kinds, and with AI consent (checked
 * again here, whatever the vector store still holds).
 */
export async function visibleConsented(
  db: Db,
  actor: Actor,
  recordIds: string[],
  kinds?: readonly SearchKind[],
): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const rows = await db.$queryRaw<{ record_id: string }[]>`
    SELECT d.record_id FROM search_documents d
    WHERE d.record_id = ANY(${recordIds}::uuid[]) AND d.user_id = ${actor.userId}::uuid
      AND d.visible ${kindsFilter(kinds)} AND ${consentedSql}`;
  return new Set(rows.map((r) => r.record_id));
}

export interface SearchDocumentView {
  recordId: string;
  kind: SearchKind;
  title: string;
  /** The matched words highlighted (keyword matches), or the start of the text. */
  snippet: SnippetPart[];
  contact: { id: string; name: string } | null;
  occurredAt: Date;
}

const SNIPPET_CHARS = 220;

/**
 * The documents to show, in the given order: title, contact, and a snippet (with the query's
 * words highlighted for the ones in `highlightIds`).
 */
export async function documentsForResults(
  db: Db,
  actor: Actor,
  recordIds: string[],
  options: { query: string; highlightIds: string[] },
): Promise<SearchDocumentView[]> {
  if (recordIds.length === 0) return [];
  const q = keywordQuery(options.query) ?? { words: "", prefix: "" };
  const rows = await db.$queryRaw<
    {
      record_id: string;
      kind: string;
      title: string;
      snippet: string;
      contact_id: string | null;
      contact_name: string | null;
      occurred_at: Date;
    }[]
  >`
    SELECT d.record_id, d.kind, d.title, d.contact_id, c.name AS contact_name, d.occurred_at,
      CASE WHEN d.record_id = ANY(${options.highlightIds}::uuid[]) AND d.body <> '' THEN
        ts_headline('english', d.body,
          plainto_tsquery('english', ${q.words}) && to_tsquery('english', ${q.prefix}),
          ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`})
      ELSE left(d.body, ${SNIPPET_CHARS}) END AS snippet
    FROM search_documents d
    LEFT JOIN contacts c ON c.id = d.contact_id AND c.user_id = d.user_id AND c.deleted_at IS NULL
    WHERE d.record_id = ANY(${recordIds}::uuid[]) AND d.user_id = ${actor.userId}::uuid AND d.visible`;
  const byId = new Map(rows.map((r) => [r.record_id, r]));
  return recordIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const highlighted = row.snippet.includes(HIGHLIGHT_START);
    const plain = (highlighted ? row.snippet : withoutTitleLine(row.snippet, row.title))
      .replace(/\s+/g, " ")
      .trim();
    const cut =
      plain.length > SNIPPET_CHARS ? `${plain.slice(0, SNIPPET_CHARS - 1).trimEnd()}…` : plain;
    return [
      {
        recordId: row.record_id,
        kind: row.kind as SearchKind,
        title: row.title,
        snippet: snippetParts(highlighted ? plain : cut),
        contact:
          row.contact_id && row.contact_name !== null
            ? { id: row.contact_id, name: row.contact_name }
            : null,
        occurredAt: row.occurred_at,
      },
    ];
  });
}

/** A note's text starts with the line its title was made from: the snippet need not repeat it. */
function withoutTitleLine(body: string, title: string): string {
  const match = /^\s*[#>*\s-]*([^\n]*)\n?/.exec(body);
  const line = match?.[1]?.trim() ?? "";
  const head = title.replace(/…$/, "");
  return match && head && line.startsWith(head) ? body.slice(match[0].length) : body;
}

/** A document waiting for its embedding: the exact text to embed and its hash. */
export interface PendingDocument {
  recordId: string;
  kind: SearchKind;
  contactIds: string[];
  contentHash: string;
  text: string;
}

/**
 * The hash a document's embedding of this model and size was made from (null: none). A scalar
 * subquery, so it is always one primary-key lookup: as a join, statistics taken while the index
 * was still empty once made PostgreSQL compare every document with every embedding.
 */
const embeddedHashSql = (space: VectorSpace) => Prisma.sql`(SELECT e.content_hash
  FROM search_embeddings e WHERE e.record_id = d.record_id AND e.model = ${space.model}
  AND e.dimensions = ${space.dimensions})`;

/** Documents that may be embedded (visible, with AI consent) and have no current embedding. */
const pendingWhere = (actor: Actor | null, space: VectorSpace) => Prisma.sql`
  d.visible ${actor ? Prisma.sql`AND d.user_id = ${actor.userId}::uuid` : Prisma.empty}
  AND ${embeddedHashSql(space)} IS DISTINCT FROM d.content_hash
  AND ${consentedSql}`;

/** The next documents to embed, in a stable order. */
export async function pendingDocuments(
  db: Db,
  actor: Actor,
  space: VectorSpace,
  limit: number,
): Promise<PendingDocument[]> {
  const rows = await db.$queryRaw<
    {
      record_id: string;
      kind: string;
      content_hash: string;
      title: string;
      body: string;
      contact_ids: string[];
    }[]
  >`
    SELECT d.record_id, d.kind, d.content_hash, d.title, d.body,
      CASE d.kind
        WHEN 'contact' THEN ARRAY[d.record_id]
        WHEN 'note' THEN ARRAY[d.contact_id]
        ELSE ARRAY(SELECT ic.contact_id FROM interaction_contacts ic WHERE ic.interaction_id = d.record_id)
      END AS contact_ids
    FROM search_documents d
    WHERE ${pendingWhere(actor, space)}
    ORDER BY d.record_id
    LIMIT ${limit}`;
  return rows.map((r) => ({
    recordId: r.record_id,
    kind: r.kind as SearchKind,
    contentHash: r.content_hash,
    contactIds: r.contact_ids.filter((id): id is string => id !== null),
    text: embeddingText(r.kind as SearchKind, r.title, r.body),
  }));
}

const KIND_LABEL: Record<SearchKind, string> = {
  contact: "Client",
  note: "Note",
  email: "Email",
  session: "Session",
};

/** What is sent to the embedding model for a document (its hash covers title and body). */
export function embeddingText(kind: SearchKind, title: string, body: string): string {
  return body ? `${KIND_LABEL[kind]}: ${title}\n${body}` : `${KIND_LABEL[kind]}: ${title}`;
}

export interface IndexCounts {
  /** Documents the user can find (their contacts are not deleted). */
  total: number;
  /** Of those, found by meaning too: embedded from their current text with the current model. */
  indexed: number;
  /** Waiting for the index job. */
  waiting: number;
  /** Left out of search by meaning: a contact has not consented to AI use. */
  withoutConsent: number;
}

/** How much of the actor's data search by meaning covers. */
export async function indexCounts(db: Db, actor: Actor, space: VectorSpace): Promise<IndexCounts> {
  const [row] = await db.$queryRaw<{ total: bigint; indexed: bigint; without_consent: bigint }[]>`
    SELECT count(*) AS total,
      count(*) FILTER (WHERE consented AND ${embeddedHashSql(space)} = d.content_hash) AS indexed,
      count(*) FILTER (WHERE NOT consented) AS without_consent
    FROM search_documents d
    CROSS JOIN LATERAL (SELECT ${consentedSql} AS consented OFFSET 0) c
    WHERE d.user_id = ${actor.userId}::uuid AND d.visible`;
  const total = Number(row?.total ?? 0);
  const indexed = Number(row?.indexed ?? 0);
  const withoutConsent = Number(row?.without_consent ?? 0);
  return { total, indexed, withoutConsent, waiting: Math.max(0, total - indexed - withoutConsent) };
}

/** Users with documents waiting for an embedding (the index scheduler's question). */
export async function usersWithPendingDocuments(db: Db, space: VectorSpace): Promise<string[]> {
  const rows = await db.$queryRaw<{ user_id: string }[]>`
    SELECT DISTINCT d.user_id FROM search_documents d WHERE ${pendingWhere(null, space)}`;
  return rows.map((r) => r.user_id);
}
