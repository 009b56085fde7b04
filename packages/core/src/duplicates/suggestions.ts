import { Prisma, type Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { InvalidInputError } from "../errors.ts";
import { requireContacts } from "../shared/contacts.ts";
import { decodeKeyset, encodeKeyset } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import {
  contactPairSchema,
  duplicateListInputSchema,
  duplicateReasons,
  type ContactPairInput,
  type DuplicateListInput,
  type DuplicateReason,
} from "./schemas.ts";

/**
 * Duplicate suggestions: pairs of the actor's live contacts that look like one person.
 *
 * Rules:
 * - same phone: numbers with at least 7 digits whose last 9 digits are equal, so
 *   "+44 20 7946 0000" and "020 7946 0000" match;
 * - same gmail address: gmail.com / googlemail.com addresses equal once dots and "+tags" are
 *   dropped from the local part (maya.lin+yoga@gmail.com = mayalin@gmail.com); other equal
 *   addresses cannot exist, ContactEmail being unique per user;
 * - similar name: equal `name_sort`, or pg_trgm `similarity(name_sort, name_sort) > 0.6`.
 *
 * Score (0-100): same gmail address 60, same phone 45, equal names 40, similar names
 * min(39, floor(40 × similarity)); summed, at most 100. So the pairs fall in three tiers that
 * never overlap: a shared phone or gmail address (45 and more), equal names only (40), similar
 * names only (24-39). Each tier is its own query, run only when the page reaches it: the first
 * pages never pay for the trigram comparison of every name.
 *
 * Bounded work on large books (100k contacts):
 * - contacts sharing a phone, a gmail address or a name form a block; each member is paired
 *   with at most the next BLOCK_WINDOW members in id order, so a number shared by a whole
 *   studio or 200 contacts named "John" cost O(n), not O(n²);
 * - similar names are compared between distinct names only, blocked by one whole word plus
 *   the first two letters of another word ("smith|jo" holds "john smith" and "jon smith"), or
 *   the first three letters of one-word names; within a block each name is compared with the
 *   next NAME_WINDOW names in order. Then each similar name pair stands for at most
 *   NAME_MEMBERS × NAME_MEMBERS contact pairs.
 * So the similar-name rule is a blocking heuristic: two names above 0.6 that share no whole
 * word, or whose other words start differently ("maya lin" / "maia lyn"), are not compared
 * (such pairs are rarely above 0.6 anyway). Pairs left out by the caps come up as the shown
 * ones are merged, since merged contacts leave their blocks. A pair sharing a phone or gmail
 * address is never shown as a name-only pair, even when the cap kept it out of the first tier.
 */

/** Members of a block each member is paired with (the next ones, in id order). */
const BLOCK_WINDOW = 10;
/** Names of a name block each name is compared with (the next ones, in order). */
const NAME_WINDOW = 5;
/** Contacts of one name that stand for it in similar-name pairs. */
const NAME_MEMBERS = 5;

const SCORE = { gmail: 60, phone: 45, sameName: 40, similarNameMax: 39 } as const;

const LIST = "duplicates";

export interface SuggestedContact {
  id: string;
  name: string;
  /** The primary email and phone. */
  email: string | null;
  phone: string | null;
  createdAt: Date;
}

export interface DuplicateSuggestion {
  /** The two contacts, in id order (uuid v7: usually creation order). */
  contacts: [SuggestedContact, SuggestedContact];
  /** Strongest first. */
  reasons: DuplicateReason[];
  /** 0-100; higher is more likely the same person. */
  score: number;
}

export interface DuplicateSuggestionPage {
  items: DuplicateSuggestion[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

interface PairRow {
  a: string;
  b: string;
  phone: boolean;
  gmail: boolean;
  /** Equal or similar names. */
  named: boolean;
  score: number;
}

interface PageCursor {
  score: number;
  a: string;
  b: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodePageCursor(raw: string): PageCursor {
  const { values, id } = decodeKeyset(raw, LIST, 2);
  const [score, a] = values;
  if (!score || !/^\d{1,3}$/.test(score) || !a || !UUID.test(a) || !UUID.test(id)) {
    throw new InvalidInputError("This page link is no longer valid; start from the first page.", {
      cursor: ["Invalid cursor."],
    });
  }
  return { score: Number(score), a, b: id };
}

/** A gmail address's local part without dots and "+tag": the same mailbox, the same key. */
const gmailKeySql = (column: Prisma.Sql) =>
  Prisma.sql`replace(split_part(split_part(${column}, '@', 1), '+', 1), '.', '')`;
const isGmailSql = (column: Prisma.Sql) =>
  Prisma.sql`(${column} LIKE '%@gmail.com' OR ${column} LIKE '%@googlemail.com')`;

/**
 * Whether contacts `alias.a` and `alias.b` share a phone or a gmail address: such pairs belong
 * to the first tier, never to the name-only ones. Evaluated row by row, on the rows a page
 * reads, not on every candidate.
 */
function sharesPhoneOrGmailSql(userId: string, alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`(
    EXISTS (
      SELECT 1 FROM contact_phones pa JOIN contact_phones pb
        ON right(pa.digits, 9) = right(pb.digits, 9)
      WHERE pa.contact_id = ${t}.a AND pb.contact_id = ${t}.b
        AND pa.user_id = ${userId}::uuid AND pb.user_id = ${userId}::uuid
        AND length(pa.digits) >= 7 AND length(pb.digits) >= 7
    ) OR EXISTS (
      SELECT 1 FROM contact_emails ea JOIN contact_emails eb
        ON ${gmailKeySql(Prisma.sql`ea.email`)} = ${gmailKeySql(Prisma.sql`eb.email`)}
      WHERE ea.contact_id = ${t}.a AND eb.contact_id = ${t}.b
        AND ea.user_id = ${userId}::uuid AND eb.user_id = ${userId}::uuid
        AND ${isGmailSql(Prisma.sql`ea.email`)} AND ${isGmailSql(Prisma.sql`eb.email`)}
        AND ${gmailKeySql(Prisma.sql`ea.email`)} <> ''
    )
  )`;
}

/**
 * The name-only tiers' last step: `candidates` (a, b, score) in page order, after the cursor
 * and not dismissed, less the pairs that share a phone or gmail address. The check runs on the
 * sorted rows as the LIMIT reads them, not on every candidate: the subquery is fenced (OFFSET
 * 0) and the outer query has no ORDER BY of its own, which would make PostgreSQL filter
 * everything before sorting again. (A subquery scan keeps its input's order; the caller still
 * sorts each tier's rows.)
 */
function nameOnlyPageSql(
  userId: string,
  cursor: PageCursor | null,
  take: number,
  candidates: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`
    SELECT a, b, false AS phone, false AS gmail, true AS named, score
    FROM (
      SELECT a, b, score FROM ${candidates} p
      WHERE ${notDismissedSql(userId, "p")} AND ${afterCursorSql(cursor)}
      ORDER BY score DESC, a, b
      OFFSET 0
    ) o
    WHERE NOT ${sharesPhoneOrGmailSql(userId, "o")}
    LIMIT ${take}::int`;
}

/** Pairs of live contacts sharing a phone (last 9 digits) or a gmail address: `strong`. */
function strongPairsSql(userId: string): Prisma.Sql {
  return Prisma.sql`
    keyed AS MATERIALIZED (
      SELECT 2 AS kind, right(p.digits, 9) COLLATE "C" AS k, p.contact_id AS id
      FROM contact_phones p
      WHERE p.user_id = ${userId}::uuid AND length(p.digits) >= 7
      UNION ALL
      SELECT 3, g.k, g.id FROM (
        SELECT ${gmailKeySql(Prisma.sql`e.email`)} COLLATE "C" AS k, e.contact_id AS id
        FROM contact_emails e
        WHERE e.user_id = ${userId}::uuid AND ${isGmailSql(Prisma.sql`e.email`)}
      ) g
      WHERE g.k <> ''
    ),
    shared AS (
      SELECT kind, k FROM keyed GROUP BY kind, k HAVING count(*) > 1
    ),
    blocks AS MATERIALIZED (
      SELECT kind, array_agg(DISTINCT keyed.id) AS ids
      FROM keyed JOIN shared USING (kind, k)
      WHERE EXISTS (
        SELECT 1 FROM contacts c
        WHERE c.id = keyed.id AND c.user_id = ${userId}::uuid AND c.deleted_at IS NULL
      )
      GROUP BY kind, k
      HAVING count(DISTINCT keyed.id) > 1
    ),
    strong AS MATERIALIZED (
      SELECT ids[i] AS a, ids[j] AS b, bool_or(kind = 2) AS phone, bool_or(kind = 3) AS gmail
      FROM blocks, generate_subscripts(ids, 1) AS i,
        generate_series(i + 1, least(cardinality(ids), i + ${BLOCK_WINDOW}::int)) AS j
      GROUP BY 1, 2
    )`;
}

function notDismissedSql(userId: string, alias: string): Prisma.Sql {
  const t = Prisma.raw(alias);
  return Prisma.sql`NOT EXISTS (
    SELECT 1 FROM duplicate_dismissals d
    WHERE d.user_id = ${userId}::uuid AND d.contact_a = ${t}.a AND d.contact_b = ${t}.b
  )`;
}

/** Rows after the cursor in the order `score DESC, a, b`. */
function afterCursorSql(cursor: PageCursor | null): Prisma.Sql {
  if (!cursor) return Prisma.sql`TRUE`;
  return Prisma.sql`(-score, a, b) > (${-cursor.score}::int, ${cursor.a}::uuid, ${cursor.b}::uuid)`;
}

/** Tier 1: a shared phone or gmail address, plus the names' similarity. */
function strongTier(tx: Tx, userId: string, cursor: PageCursor | null, take: number) {
  return tx.$queryRaw<PairRow[]>`
    WITH ${strongPairsSql(userId)},
    named AS MATERIALIZED (
      SELECT s.a, s.b, s.phone, s.gmail, n.eq, n.sim
      FROM strong s
      CROSS JOIN LATERAL (
        SELECT ca.name_sort = cb.name_sort AS eq, similarity(ca.name_sort, cb.name_sort) AS sim
        FROM contacts ca, contacts cb WHERE ca.id = s.a AND cb.id = s.b
      ) n
      WHERE ${notDismissedSql(userId, "s")}
    ),
    scored AS (
      SELECT a, b, phone, gmail, eq OR sim > 0.6 AS named, least(100,
        CASE WHEN gmail THEN ${SCORE.gmail}::int ELSE 0 END
        + CASE WHEN phone THEN ${SCORE.phone}::int ELSE 0 END
        + CASE WHEN eq THEN ${SCORE.sameName}::int
            WHEN sim > 0.6 THEN least(${SCORE.similarNameMax}::int, floor(40 * sim)::int)
            ELSE 0 END
      ) AS score
      FROM named
    )
    SELECT a, b, phone, gmail, named, score
    FROM scored
    WHERE ${afterCursorSql(cursor)}
    ORDER BY score DESC, a, b
    LIMIT ${take}::int`;
}

/** Tier 2: equal names, nothing shared. */
function sameNameTier(tx: Tx, userId: string, cursor: PageCursor | null, take: number) {
  return tx.$queryRaw<PairRow[]>`
    WITH groups AS MATERIALIZED (
      SELECT CASE WHEN cardinality(ids) > ${BLOCK_WINDOW + 1}::int
          THEN (SELECT array_agg(x ORDER BY x) FROM unnest(ids) AS x) ELSE ids END AS ids
      FROM (
        SELECT array_agg(id) AS ids FROM contacts
        WHERE user_id = ${userId}::uuid AND deleted_at IS NULL AND name_sort <> ''
        GROUP BY name_sort COLLATE "C"
        HAVING count(*) > 1
      ) g
    ),
    pairs AS (
      SELECT least(ids[i], ids[j]) AS a, greatest(ids[i], ids[j]) AS b, ${SCORE.sameName}::int AS score
      FROM groups, generate_subscripts(ids, 1) AS i,
        generate_series(i + 1, least(cardinality(ids), i + ${BLOCK_WINDOW}::int)) AS j
    )
    ${nameOnlyPageSql(userId, cursor, take, Prisma.sql`pairs`)}`;
}

/** Tier 3: similar, different names, nothing shared. */
function similarNameTier(tx: Tx, userId: string, cursor: PageCursor | null, take: number) {
  return tx.$queryRaw<PairRow[]>`
    WITH names AS MATERIALIZED (
      SELECT n, array_remove(string_to_array(translate(n, '-''.,', '    '), ' '), '') AS w
      FROM (
        SELECT DISTINCT name_sort COLLATE "C" AS n FROM contacts
        WHERE user_id = ${userId}::uuid AND deleted_at IS NULL AND name_sort <> ''
      ) d
    ),
    name_keys AS (
      SELECT n, (CASE WHEN cardinality(w) = 1 THEN '#' || left(w[1], 3)
        ELSE w[i] || '|' || left(CASE WHEN i = 1 THEN w[2] ELSE w[1] END, 2) END) COLLATE "C" AS k
      FROM names, generate_subscripts(w, 1) AS i
    ),
    name_blocks AS MATERIALIZED (
      SELECT CASE WHEN cardinality(ns) > ${NAME_WINDOW + 1}::int
          THEN (SELECT array_agg(x ORDER BY x) FROM unnest(ns) AS x) ELSE ns END AS ns
      FROM (SELECT array_agg(n) AS ns FROM name_keys GROUP BY k HAVING count(*) > 1) b
    ),
    name_pairs AS (
      SELECT DISTINCT ns[i] AS n1, ns[j] AS n2
      FROM name_blocks, generate_subscripts(ns, 1) AS i,
        generate_series(i + 1, least(cardinality(ns), i + ${NAME_WINDOW}::int)) AS j
    ),
    similar_names AS MATERIALIZED (
      SELECT n1, n2, s FROM (
        SELECT n1, n2, similarity(n1, n2) AS s FROM name_pairs OFFSET 0
      ) x
      WHERE s > 0.6
    ),
    members AS MATERIALIZED (
      SELECT n, (array_agg(id ORDER BY id))[1:${NAME_MEMBERS}::int] AS ids
      FROM (
        SELECT c.name_sort COLLATE "C" AS n, c.id FROM contacts c
        WHERE c.user_id = ${userId}::uuid AND c.deleted_at IS NULL
          AND c.name_sort COLLATE "C" IN (SELECT n1 FROM similar_names UNION SELECT n2 FROM similar_names)
      ) m
      GROUP BY n
    ),
    pairs AS (
      SELECT least(x, y) AS a, greatest(x, y) AS b, sn.s AS sim,
        least(${SCORE.similarNameMax}::int, floor(40 * sn.s)::int) AS score
      FROM similar_names sn
      JOIN members m1 ON m1.n = sn.n1
      JOIN members m2 ON m2.n = sn.n2,
      unnest(m1.ids) AS x, unnest(m2.ids) AS y
    )
    ${nameOnlyPageSql(userId, cursor, take, Prisma.sql`pairs`)}`;
}

/** The tiers in page order, with the lowest score each can have. */
const tiers = [
  { minScore: SCORE.phone, query: strongTier },
  { minScore: SCORE.sameName, query: sameNameTier },
  { minScore: 0, query: similarNameTier },
] as const;

/** `score DESC, a, b`; lower-case uuids compare as text the way PostgreSQL orders them. */
function pageOrder(x: PairRow, y: PairRow): number {
  if (x.score !== y.score) return y.score - x.score;
  if (x.a !== y.a) return x.a < y.a ? -1 : 1;
  return x.b < y.b ? -1 : x.b > y.b ? 1 : 0;
}

function reasonsOf(row: PairRow): DuplicateReason[] {
  const has: Record<DuplicateReason, boolean> = {
    "same gmail address": row.gmail,
    "same phone": row.phone,
    "similar name": row.named,
  };
  return duplicateReasons.filter((reason) => has[reason]);
}

/**
 * One page of duplicate suggestions, best first (score, then the contacts' ids), with a
 * keyset cursor. Dismissed pairs are left out. See the top of this file for the rules.
 */
export async function listDuplicateSuggestions(
  db: Db,
  actor: Actor,
  input: DuplicateListInput = {},
): Promise<DuplicateSuggestionPage> {
  const { limit, cursor: rawCursor } = duplicateListInputSchema.parse(input);
  const cursor = rawCursor ? decodePageCursor(rawCursor) : null;

  const rows = await db.$transaction(
    async (tx) => {
      // Room for the sorts and hashes of a large book, for this transaction only; and a bound.
      await tx.$queryRaw`SELECT set_config('work_mem', '64MB', true), set_config('statement_timeout', '60s', true)`;
      const found: PairRow[] = [];
      for (const tier of tiers) {
        if (found.length > limit) break;
        // A cursor past this tier's lowest score has left the whole tier behind.
        if (cursor && cursor.score < tier.minScore) continue;
        const rows = await tier.query(tx, actor.userId, cursor, limit + 1 - found.length);
        found.push(...rows.sort(pageOrder));
      }
      return found;
    },
    { timeout: 90_000, maxWait: 10_000 },
  );

  const page = rows.slice(0, limit);
  const ids = [...new Set(page.flatMap((row) => [row.a, row.b]))];
  const contacts = await db.contact.findMany({
    where: { id: { in: ids }, userId: actor.userId, deletedAt: null },
    select: { id: true, name: true, email: true, phone: true, createdAt: true },
  });
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const items: DuplicateSuggestion[] = [];
  for (const row of page) {
    const a = byId.get(row.a);
    const b = byId.get(row.b);
    // Deleted between the two reads: the pair is gone.
    if (a && b) items.push({ contacts: [a, b], reasons: reasonsOf(row), score: row.score });
  }
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeKeyset(LIST, [String(last.score), last.a], last.b) : null,
  };
}

/** The two ids of a pair the way DuplicateDismissal stores them: smaller first. */
function orderedPair(ids: readonly [string, string]): [string, string] {
  const [a, b] = ids.map((id) => id.toLowerCase()) as [string, string];
  return a < b ? [a, b] : [b, a];
}

/** "These two are different people": the pair is no longer suggested. Idempotent. */
export async function dismissSuggestion(
  db: Db,
  actor: Actor,
  input: ContactPairInput,
): Promise<{ contactIds: [string, string] }> {
  const { contactIds } = contactPairSchema.parse(input);
  const [contactA, contactB] = orderedPair(contactIds);
  await db.$transaction(async (tx) => {
    await requireContacts(tx, actor, [contactA, contactB]);
    await tx.duplicateDismissal.createMany({
      data: [{ userId: actor.userId, contactA, contactB }],
      skipDuplicates: true,
    });
  });
  return { contactIds: [contactA, contactB] };
}
