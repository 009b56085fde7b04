import { randomUUID } from "node:crypto";
import pg from "pg";
import {
  emailLocalPart,
  FIRST_NAMES,
  LAST_NAMES,
  NOTE_BODIES,
  RARE_LAST_NAMES,
  TAG_NAMES,
  nameSortKey,
} from "./names.ts";

export const USERS = 100;
/** Every tenth contact belongs to the bench user, the rest to the 99 others, interleaved. */
export const BENCH_SHARE = 10;
const BATCH = 50_000;
/** Expected contacts per rare surname for each user. */
const RARE_PER_USER = 5;

/** The tables the seed fills, whose secondary indexes and foreign keys are rebuilt after it. */
const SEEDED_TABLES = [
  "contacts",
  "contact_emails",
  "contact_phones",
  "tags",
  "contact_tags",
  "notes",
];

export interface SeedResult {
  benchUser: { id: string; email: string; name: string };
  /** tag name -> id, the bench user's tags. */
  benchTags: Map<string, string>;
  counts: Record<string, number>;
  /** Seconds per phase. */
  timings: { phase: string; seconds: number }[];
}

/** Seeded tables whose own triggers stay off while seeding (see seed()). */
const TRIGGERED_TABLES = ["contact_tags", "contacts", "notes"];

/** SQL for a phone number formatted one of five ways from a 10-digit string. */
function phoneSql(format: string, digits: string): string {
  const d = (from: number, length: number) => `substr(${digits}, ${from}, ${length})`;
  return `CASE ${format}
    WHEN 0 THEN '+1 (' || (2 + ${d(1, 1)}::int % 8) || ${d(2, 2)} || ') ' || ${d(4, 3)} || '-' || ${d(7, 4)}
    WHEN 1 THEN '+44 7' || ${d(1, 3)} || ' ' || ${d(4, 6)}
    WHEN 2 THEN '+49 15' || ${d(1, 1)} || ' ' || ${d(2, 8)}
    WHEN 3 THEN '+33 6 ' || ${d(1, 2)} || ' ' || ${d(3, 2)} || ' ' || ${d(5, 2)} || ' ' || ${d(7, 2)}
    ELSE ${d(1, 3)} || '.' || ${d(4, 3)} || '.' || ${d(7, 4)}
  END`;
}

/**
 * One batch of contacts, generated in the database from generate_series: the contact row
 * (with its primary email and phone copies, name_sort and search_text), its 1-2 emails, 0-2
 * phones, 0-3 tags, and for the bench user's contacts a note for ~30% of them.
 * $1..$2: the batch's range of contact numbers; $3: user ids (the bench user first); $4: tag
 * ids, 20 per user in user order; $5: the probability of a rare surname; $6: first names;
 * $7: common surnames; $8: rare surnames (numbered after the common ones); $9: note bodies.
 */
const BATCH_SQL = `
WITH r AS MATERIALIZED (
  SELECT
    g,
    gen_random_uuid() AS id,
    CASE WHEN g % ${BENCH_SHARE} = 0 THEN 1 ELSE 2 + g % ${USERS - 1} END AS ui,
    1 + floor(power(random(), 1.6) * $6::int)::int AS fi,
    CASE WHEN random() < $5::float8
      THEN $7::int + 1 + floor(random() * $8::int)::int
      ELSE 1 + floor(power(random(), 1.4) * $7::int)::int
    END AS li,
    floor(random() * 5)::int AS pattern,
    random() AS r_domain,
    random() < 0.35 AS two_emails,
    floor(random() * 4)::int AS domain2,
    random() AS r_phones,
    floor(random() * 5)::int AS format1,
    floor(random() * 5)::int AS format2,
    lpad(floor(random() * 1e10)::bigint::text, 10, '0') AS digits1,
    lpad(floor(random() * 1e10)::bigint::text, 10, '0') AS digits2,
    random() AS r_stage,
    random() AS r_source,
    now() - random() * interval '1095 days' AS created_at,
    random() AS r_interaction,
    random() AS r_interaction_at,
    random() AS r_updated,
    random() AS r_tags,
    floor(power(random(), 1.5) * 20)::int AS tag0,
    1 + floor(random() * 6)::int AS tag_step,
    random() AS r_note,
    random() AS r_note_at,
    1 + floor(random() * $9::int)::int AS note_i,
    random() AS r_deleted
  FROM generate_series($1::int, $2::int) AS g
),
c AS (
  SELECT
    r.*,
    ($3::uuid[])[r.ui] AS user_id,
    f.name || ' ' || l.name AS name,
    f.sort || ' ' || l.sort AS name_sort,
    f.lower || ' ' || l.lower AS name_lower,
    CASE r.pattern
      WHEN 0 THEN f.local || '.' || l.local
      WHEN 1 THEN f.local || l.local
      WHEN 2 THEN f.local || '_' || l.local
      WHEN 3 THEN left(f.local, 1) || l.local
      ELSE l.local || '.' || f.local
    END || r.g || '@' || CASE
      WHEN r.r_domain < 0.45 THEN 'gmail.com'
      WHEN r.r_domain < 0.65 THEN 'yahoo.com'
      WHEN r.r_domain < 0.85 THEN 'outlook.com'
      WHEN r.r_domain < 0.90 THEN 'hotmail.com'
      WHEN r.r_domain < 0.95 THEN 'icloud.com'
      ELSE 'protonmail.com'
    END AS email1,
    CASE WHEN r.two_emails
      THEN f.local || r.g || '@' || (ARRAY['gmail.com', 'outlook.com', 'yahoo.com', 'mac.com'])[r.domain2 + 1]
    END AS email2,
    CASE WHEN r.r_phones >= 0.25 THEN ${phoneSql("r.format1", "r.digits1")} END AS phone1,
    CASE WHEN r.r_phones >= 0.80 THEN ${phoneSql("r.format2", "r.digits2")} END AS phone2
  FROM r
  JOIN bench_first f ON f.i = r.fi
  JOIN bench_last l ON l.i = r.li
),
p AS MATERIALIZED (
  SELECT
    c.*,
    regexp_replace(c.phone1, '[^0-9]', '', 'g') AS phone1_digits,
    regexp_replace(c.phone2, '[^0-9]', '', 'g') AS phone2_digits,
    CASE WHEN c.r_tags < 0.35 THEN 0 WHEN c.r_tags < 0.65 THEN 1 WHEN c.r_tags < 0.85 THEN 2 ELSE 3 END AS tag_count,
    CASE WHEN c.r_interaction < 0.6 THEN c.created_at + (now() - c.created_at) * c.r_interaction_at END AS last_interaction_at,
    CASE WHEN c.r_deleted < 0.01 THEN now() - c.r_deleted * 100 * interval '30 days' END AS deleted_at
  FROM c
),
pt AS MATERIALIZED (
  SELECT p.*,
    ARRAY(SELECT ($4::uuid[])[(p.ui - 1) * ${TAG_NAMES.length} + (p.tag0 + k * p.tag_step) % ${TAG_NAMES.length} + 1] AS tag_id
      FROM generate_series(0, 2) AS k WHERE k < p.tag_count ORDER BY tag_id) AS tag_ids
  FROM p
),
contacts_in AS (
  INSERT INTO contacts (id, user_id, name, name_sort, email, phone, stage, source, search_text,
    last_interaction_at, created_at, updated_at, deleted_at, deletion_id, tag_ids)
  SELECT id, user_id, name, name_sort, email1, phone1,
    CASE WHEN r_stage < 0.30 THEN 'lead' WHEN r_stage < 0.75 THEN 'active' ELSE 'past' END,
    CASE WHEN r_source < 0.4 THEN NULL WHEN r_source < 0.6 THEN 'referral'
      WHEN r_source < 0.75 THEN 'instagram' WHEN r_source < 0.9 THEN 'website' ELSE 'walk-in' END,
    -- as the app's buildSearchText: name, its fold when different, emails, each phone and its digits
    concat_ws(' ', name_lower, NULLIF(name_sort, name_lower), email1, email2,
      phone1, phone1_digits, phone2, phone2_digits),
    last_interaction_at, created_at,
    greatest(created_at + (now() - created_at) * r_updated, last_interaction_at),
    deleted_at,
    CASE WHEN deleted_at IS NOT NULL THEN gen_random_uuid() END,
    tag_ids
  FROM pt
),
emails_in AS (
  INSERT INTO contact_emails (id, user_id, contact_id, email, label, is_primary, created_at)
  SELECT gen_random_uuid(), user_id, id, email1, 'personal', true, created_at FROM p
  UNION ALL
  SELECT gen_random_uuid(), user_id, id, email2, 'other', false, created_at FROM p
  WHERE email2 IS NOT NULL
),
phones_in AS (
  INSERT INTO contact_phones (id, user_id, contact_id, phone, digits, label, is_primary, created_at)
  SELECT gen_random_uuid(), user_id, id, phone1, phone1_digits, 'mobile', true, created_at FROM p
  WHERE phone1 IS NOT NULL
  UNION ALL
  SELECT gen_random_uuid(), user_id, id, phone2, phone2_digits, 'work', false, created_at FROM p
  WHERE phone2 IS NOT NULL
),
tags_in AS (
  INSERT INTO contact_tags (contact_id, tag_id, user_id, created_at)
  SELECT pt.id, t.tag_id, pt.user_id, pt.created_at FROM pt CROSS JOIN unnest(pt.tag_ids) AS t(tag_id)
)
INSERT INTO notes (id, user_id, contact_id, body, created_at, updated_at)
SELECT gen_random_uuid(), p.user_id, p.id, n.body,
  p.created_at + (now() - p.created_at) * p.r_note_at, p.created_at + (now() - p.created_at) * p.r_note_at
FROM p JOIN bench_notes n ON n.i = p.note_i
WHERE p.ui = 1 AND p.r_note < 0.3
`;

interface IndexDef {
  name: string;
  def: string;
}
interface ConstraintDef {
  table: string;
  name: string;
  def: string;
}

/**
 * What a bulk load is faster without: the seeded tables' indexes that back no constraint,
 * their primary keys and unique constraints, and every foreign key from or to them.
 */
async function readIndexesAndConstraints(client: pg.Client) {
  const indexes = await client.query<IndexDef>(
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY ic.relname`,
    [SEEDED_TABLES],
  );
  const constraints = (types: string[]) =>
    client.query<ConstraintDef>(
      `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       LEFT JOIN pg_class r ON r.oid = c.confrelid
       WHERE c.contype = ANY($2) AND t.relnamespace = 'public'::regnamespace
         AND (t.relname = ANY($1) OR r.relname = ANY($1))
       ORDER BY t.relname, c.conname`,
      [SEEDED_TABLES, types],
    );
  const keys = await constraints(["p", "u"]);
  const foreignKeys = await constraints(["f"]);
  return { indexes: indexes.rows, keys: keys.rows, foreignKeys: foreignKeys.rows };
}

/**
 * Seeds `scale` x 1,000,000 contacts for 100 users, a tenth of them for the bench user. Bulk
 * load the usual way: the seeded tables' indexes, keys and foreign keys are dropped first and
 * recreated from their exact definitions (read from the migrated catalog) afterwards, then
 * everything is vacuumed and analyzed, as a long-lived database would be.
 */
export async function seed(
  url: string,
  scale: number,
  log: (line: string) => void,
): Promise<SeedResult> {
  const total = Math.max(BENCH_SHARE * 100, Math.round(1_000_000 * scale));
  const benchContacts = Math.floor(total / BENCH_SHARE);
  const timings: SeedResult["timings"] = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const seconds = (performance.now() - phaseStart) / 1000;
    timings.push({ phase: name, seconds });
    phaseStart = performance.now();
    log(`  ${name}: ${seconds.toFixed(1)} s`);
  };

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '1GB'");
    await client.query("SET work_mem = '256MB'");
    // Reproducible data for a given scale.
    await client.query("SELECT setseed(0.4242)");

    const { indexes, keys, foreignKeys } = await readIndexesAndConstraints(client);
    const table = (name: string) => client.escapeIdentifier(name);
    for (const constraint of [...foreignKeys, ...keys]) {
      await client.query(
        `ALTER TABLE ${table(constraint.table)} DROP CONSTRAINT ${table(constraint.name)}`,
      );
    }
    for (const index of indexes) {
      await client.query(`DROP INDEX ${table(index.name)}`);
    }

    const userIds = Array.from({ length: USERS }, () => randomUUID());
    const benchUser = {
      id: userIds[0]!,
      email: "bench@omnicrm.test",
      name: "Bench Practitioner",
    };
    await client.query(
      `INSERT INTO users (id, email, name, created_at, updated_at)
       SELECT id, CASE WHEN n = 1 THEN $2 ELSE 'practitioner-' || n || '@omnicrm.test' END,
         CASE WHEN n = 1 THEN $3 ELSE 'Practitioner ' || n END, now(), now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
      [userIds, benchUser.email, benchUser.name],
    );
    const tagIds = userIds.flatMap(() => TAG_NAMES.map(() => randomUUID()));
    await client.query(
      `INSERT INTO tags (id, user_id, name, color, created_at)
       SELECT t.id, ($2::uuid[])[(t.n - 1) / $4 + 1], ($3::text[])[(t.n - 1) % $4 + 1],
         (ARRAY['teal', 'amber', 'rose', 'indigo', 'lime'])[(t.n - 1) % 5 + 1], now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [tagIds, userIds, TAG_NAMES, TAG_NAMES.length],
    );

    const nameColumns = (list: readonly string[]) => [
      list,
      list.map((name) => name.toLowerCase()),
      list.map(nameSortKey),
      list.map(emailLocalPart),
    ];
    await client.query(
      `CREATE TEMP TABLE bench_first AS
       SELECT n::int AS i, name, lower, sort, local
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(name, lower, sort, local, n)`,
      nameColumns(FIRST_NAMES),
    );
    const lastNames = [...LAST_NAMES, ...RARE_LAST_NAMES];
    await client.query(
      `CREATE TEMP TABLE bench_last AS
       SELECT n::int AS i, name, lower, sort, local, n > $5 AS rare
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(name, lower, sort, local, n)`,
      [...nameColumns(lastNames), LAST_NAMES.length],
    );
    await client.query(
      `CREATE TEMP TABLE bench_notes AS
       SELECT n::int AS i, body FROM unnest($1::text[]) WITH ORDINALITY AS t(body, n)`,
      [NOTE_BODIES],
    );
    await client.query("ANALYZE bench_first, bench_last, bench_notes");
    // The contacts' copies of their tag ids are written with them (the triggers that keep
    // them would re-read contact_tags, unindexed while seeding, for every batch). The search
    // index's triggers on contacts and notes look contacts up by their key, dropped while
    // seeding: every batch would scan all the rows before it. The list never reads that
    // index, so this database has none (bench:search seeds its own).
    for (const name of TRIGGERED_TABLES) {
      await client.query(`ALTER TABLE ${table(name)} DISABLE TRIGGER USER`);
    }
    phase("users, tags; dropped indexes, keys and foreign keys of the seeded tables");

    const rareProbability = (RARE_PER_USER * RARE_LAST_NAMES.length) / benchContacts;
    for (let from = 1; from <= total; from += BATCH) {
      const to = Math.min(total, from + BATCH - 1);
      await client.query(BATCH_SQL, [
        from,
        to,
        userIds,
        tagIds,
        rareProbability,
        FIRST_NAMES.length,
        LAST_NAMES.length,
        RARE_LAST_NAMES.length,
        NOTE_BODIES.length,
      ]);
      if (to === total || (to / BATCH) % 4 === 0) {
        log(`    ${to.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} contacts`);
      }
    }
    for (const name of TRIGGERED_TABLES) {
      await client.query(`ALTER TABLE ${table(name)} ENABLE TRIGGER USER`);
    }
    phase("contacts, emails, phones, tags and notes");

    const built: string[] = [];
    const timed = async (name: string, sql: string) => {
      const started = performance.now();
      await client.query(sql);
      built.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)}`);
    };
    for (const key of keys) {
      await timed(
        key.name,
        `ALTER TABLE ${table(key.table)} ADD CONSTRAINT ${table(key.name)} ${key.def}`,
      );
    }
    for (const index of indexes) await timed(index.name, index.def);
    phase(`rebuilt ${keys.length} keys and ${indexes.length} indexes`);
    log(`    seconds each: ${built.join(", ")}`);
    for (const fk of foreignKeys) {
      await client.query(
        `ALTER TABLE ${table(fk.table)} ADD CONSTRAINT ${table(fk.name)} ${fk.def}`,
      );
    }
    phase(`re-added ${foreignKeys.length} foreign keys`);

    await client.query(`VACUUM (ANALYZE) users, ${SEEDED_TABLES.join(", ")}`);
    phase("VACUUM ANALYZE");
    // The seed leaves gigabytes of dirty pages: written now, not by the checkpointer in the
    // background of the measurements.
    await client.query("CHECKPOINT");
    phase("CHECKPOINT");

    const counts: Record<string, number> = {};
    for (const table of SEEDED_TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      counts[table] = Number(rows[0]!.n);
    }
    const bench = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM contacts WHERE user_id = $1",
      [benchUser.id],
    );
    counts["contacts of the bench user"] = Number(bench.rows[0]!.n);
    const benchTags = new Map(TAG_NAMES.map((name, i) => [name, tagIds[i]!]));
    return { benchUser, benchTags, counts, timings };
  } finally {
    await client.end();
  }
}
