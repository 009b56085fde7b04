import { uuidv7 } from "../shared/ids.ts";
import type { Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { buildSearchText, nameSortKey } from "../contacts/service.ts";
import { builtInStages, phoneDigits } from "../schemas.ts";
import { lockUserScope, type Tx } from "../shared/db.ts";
import { truncate } from "../shared/text.ts";
import {
  mapRow,
  nameForNewContact,
  quote,
  rowKeys,
  type CompiledMapping,
  type ImportField,
  type MappedRow,
  type MappingContext,
  type StagedCells,
  type StoredFieldValue,
} from "./mapping.ts";
import type { ImportOptions, ImportRowOutcome } from "./schemas.ts";

/**
 * The one code path of preview and run: a chunk of staged rows is read through the mapping,
 * matched against the actor's contacts with one query, and planned (create, update, duplicate,
 * invalid, skipped). The preview stops there and stores the outcomes; the run also turns the
 * plan into rows (buildWrites) and writes them in one statement (writeChunk), in the
 * transaction that advances the import's progress.
 */

export interface StagedRow {
  rowNumber: number;
  data: Prisma.JsonValue;
  /** What is stored on the row now (a previous preview's), so unchanged rows are not rewritten. */
  outcome?: string;
  message?: string | null;
}

export function cellsOf(data: Prisma.JsonValue): StagedCells {
  return data && typeof data === "object" && !Array.isArray(data) ? (data as StagedCells) : {};
}

// ---------------------------------------------------------------------------------------------
// What the actor has: stages, custom fields, and the contacts rows may match

export async function loadMappingContext(
  tx: Tx,
  actor: Actor,
  mapping: CompiledMapping,
): Promise<MappingContext> {
  const own = await tx.contactStage.findMany({
    where: { userId: actor.userId },
    select: { key: true, label: true },
  });
  const stages = new Map<string, string>();
  for (const stage of [...builtInStages, ...own]) {
    stages.set(nameSortKey(stage.key), stage.key);
    stages.set(nameSortKey(stage.label), stage.key);
  }
  const rows = await tx.customField.findMany({
    where: { userId: actor.userId },
    select: { id: true, label: true, type: true, options: true },
  });
  const fields = new Map<string, ImportField>(rows.map((f) => [f.id, f]));
  return { mapping, stages, fields };
}

interface FieldValueRow {
  fieldId: string;
  textValue: string | null;
  numberValue: string | null;
  dateValue: string | null;
}

/** A contact a row matched, with everything an update merges into and undo restores. */
export interface MatchedContact {
  id: string;
  name: string;
  deleted: boolean;
  nameSort: string;
  email: string | null;
  phone: string | null;
  stage: string;
  source: string | null;
  searchText: string;
  updatedAt: Date;
  /** `e:<email>` and `p:<digits>` keys of the chunk that found it. */
  keys: string[];
  emails: { id: string; email: string; isPrimary: boolean }[];
  phones: { id: string; phone: string; digits: string; isPrimary: boolean }[];
  tagIds: string[];
  fields: FieldValueRow[];
}

/** The one lookup of a chunk: the actor's contacts owning any of its emails or phone digits. */
export async function lookupContacts(
  tx: Tx,
  actor: Actor,
  emails: string[],
  digits: string[],
): Promise<Map<string, MatchedContact>> {
  if (emails.length === 0 && digits.length === 0) return new Map();
  const rows = await tx.$queryRaw<MatchedContact[]>`
    -- The plan is spelled out (materialized steps, OFFSET 0 fences against flattening) so it
    -- stays one index probe per key and per matched contact even before PostgreSQL has
    -- statistics on these tables (a new user, a first import).
    WITH hits AS MATERIALIZED (
      SELECT 'e:' || e.email AS key, e.contact_id
      FROM unnest(${emails}::text[]) AS k(email)
      CROSS JOIN LATERAL (SELECT x.email, x.contact_id FROM contact_emails x
        WHERE x.user_id = ${actor.userId}::uuid AND x.email = k.email OFFSET 0) AS e
      UNION ALL
      SELECT 'p:' || p.digits, p.contact_id
      FROM unnest(${digits}::text[]) AS k(digits)
      CROSS JOIN LATERAL (SELECT x.digits, x.contact_id FROM contact_phones x
        WHERE x.user_id = ${actor.userId}::uuid AND x.digits = k.digits OFFSET 0) AS p
    ), matched AS MATERIALIZED (
      SELECT contact_id, array_agg(DISTINCT key) AS keys FROM hits GROUP BY contact_id
    )
    SELECT c.id, c.name, c.deleted_at IS NOT NULL AS deleted, c.name_sort AS "nameSort",
      c.email, c.phone, c.stage, c.source, c.search_text AS "searchText",
      c.updated_at AS "updatedAt", m.keys,
      (SELECT coalesce(json_agg(json_build_object('id', e.id, 'email', e.email,
          'isPrimary', e.is_primary) ORDER BY e.is_primary DESC, e.created_at, e.id), '[]')
        FROM contact_emails e WHERE e.contact_id = c.id) AS emails,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'phone', p.phone,
          'digits', p.digits, 'isPrimary', p.is_primary) ORDER BY p.is_primary DESC,
          p.created_at, p.id), '[]')
        FROM contact_phones p WHERE p.contact_id = c.id) AS phones,
      (SELECT coalesce(array_agg(ct.tag_id::text ORDER BY ct.tag_id), '{}')
        FROM contact_tags ct WHERE ct.contact_id = c.id) AS "tagIds",
      (SELECT coalesce(json_agg(json_build_object('fieldId', v.field_id,
          'textValue', v.text_value, 'numberValue', v.number_value::text,
          'dateValue', to_char(v.date_value, 'YYYY-MM-DD')) ORDER BY v.field_id), '[]')
        FROM contact_field_values v WHERE v.contact_id = c.id) AS fields
    FROM matched m
    CROSS JOIN LATERAL (SELECT * FROM contacts x WHERE x.id = m.contact_id OFFSET 0) AS c
    WHERE c.user_id = ${actor.userId}::uuid`;
  return new Map(rows.map((row) => [row.id, row]));
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * What earlier rows of the file did, so a later row about the same person is a duplicate.
 * `keys`: emails and phone digits of the rows that create or update (-> their row number);
 * `touched`: contacts this import updates or has updated (-> the row, when known).
 */
export interface PlanState {
  keys: Map<string, number>;
  touched: Map<string, number | null>;
}

export interface PlannedRow {
  rowNumber: number;
  outcome: Exclude<ImportRowOutcome, "pending">;
  messages: string[];
  mapped: MappedRow | null;
  /** The contact an update or skip is about. */
  contact: MatchedContact | null;
}

export interface ChunkPlan {
  rows: PlannedRow[];
  /** To add to the state once the chunk is committed (or, in a preview, stored). */
  newKeys: [string, number][];
  newTouched: [string, number][];
}

const MAX_VALUES = 20;

/** Decides every row of a chunk, in file order. Pure once the lookup is done. */
export function planChunk(
  rows: { rowNumber: number; mapped: MappedRow }[],
  contacts: Map<string, MatchedContact>,
  options: ImportOptions,
  state: PlanState,
): ChunkPlan {
  const byPhone = options.matchBy !== "email";
  const owners = new Map<string, MatchedContact[]>();
  for (const contact of contacts.values()) {
    for (const key of contact.keys) {
      const list = owners.get(key) ?? [];
      list.push(contact);
      owners.set(key, list);
    }
  }
  const chunkKeys = new Map<string, number>();
  const chunkTouched = new Map<string, number>();
  const seenKey = (key: string) => chunkKeys.get(key) ?? state.keys.get(key);
  const touchedBy = (id: string): number | null | undefined =>
    chunkTouched.has(id) ? chunkTouched.get(id) : state.touched.get(id);

  const planned: PlannedRow[] = [];
  for (const { rowNumber: n, mapped: m } of rows) {
    planRow(n, m);
  }
  function planRow(n: number, m: MappedRow): void {
    const result = (
      outcome: PlannedRow["outcome"],
      message: string | null,
      contact: MatchedContact | null = null,
    ) => {
      planned.push({
        rowNumber: n,
        outcome,
        messages: message === null ? [] : [`Row ${n}: ${message}`],
        mapped: m,
        contact,
      });
    };
    if (m.problems.length > 0) {
      planned.push({
        rowNumber: n,
        outcome: "invalid",
        messages: m.problems,
        mapped: m,
        contact: null,
      });
      return;
    }
    const keys = rowKeys(m, byPhone);
    for (const { key, shown } of keys) {
      const first = seenKey(key);
      if (first !== undefined) return result("duplicate", `same ${shown} as row ${first}`);
    }

    const duplicateOf = (contact: MatchedContact) => {
      const by = touchedBy(contact.id);
      return by === undefined
        ? null
        : by === null
          ? `matches ${quote(contact.name)}, already imported by an earlier row`
          : `matches ${quote(contact.name)}, like row ${by}`;
    };

    const emailOwners = new Map<string, MatchedContact>();
    for (const email of m.emails) {
      for (const owner of owners.get(`e:${email}`) ?? []) {
        if (owner.deleted) {
          return result(
            "invalid",
            `${quote(email)} belongs to ${quote(owner.name)}, deleted recently: restore that contact or remove this email`,
          );
        }
        emailOwners.set(owner.id, owner);
      }
    }
    for (const owner of emailOwners.values()) {
      const duplicate = duplicateOf(owner);
      if (duplicate) return result("duplicate", duplicate, owner);
    }
    if (emailOwners.size > 1) {
      const names = [...emailOwners.values()].map((c) => quote(c.name)).join(" and ");
      return result("invalid", `its emails belong to different contacts (${names})`);
    }
    const emailOwner = [...emailOwners.values()][0] ?? null;

    let target: MatchedContact | null = options.matchBy === "phone" ? null : emailOwner;
    if (byPhone && !target) {
      const phoneOwners = new Map<string, MatchedContact>();
      for (const phone of m.phones) {
        for (const owner of owners.get(`p:${phoneDigits(phone)}`) ?? []) {
          if (!owner.deleted) phoneOwners.set(owner.id, owner);
        }
      }
      for (const owner of phoneOwners.values()) {
        const duplicate = duplicateOf(owner);
        if (duplicate) return result("duplicate", duplicate, owner);
      }
      if (phoneOwners.size > 1) {
        const names = [...phoneOwners.values()].map((c) => quote(c.name)).join(" and ");
        return result("invalid", `its phone matches several contacts (${names})`);
      }
      target = [...phoneOwners.values()][0] ?? null;
      if (emailOwner && target?.id !== emailOwner.id) {
        const email = m.emails.find((e) => emailOwner.keys.includes(`e:${e}`)) ?? "";
        return result(
          "invalid",
          `${quote(email)} is already the email of ${quote(emailOwner.name)}`,
        );
      }
    }

    if (target) {
      if (options.onMatch === "skip") {
        return result("skipped", `matches ${quote(target.name)}, left as it is`, target);
      }
      const emails = new Set([...target.emails.map((e) => e.email), ...m.emails]);
      const digits = new Set([...target.phones.map((p) => p.digits), ...m.phones.map(phoneDigits)]);
      if (emails.size > MAX_VALUES) {
        return result("invalid", `${quote(target.name)} would have more than ${MAX_VALUES} emails`);
      }
      if (digits.size > MAX_VALUES) {
        return result(
          "invalid",
          `${quote(target.name)} would have more than ${MAX_VALUES} phone numbers`,
        );
      }
      for (const { key } of keys) chunkKeys.set(key, n);
      chunkTouched.set(target.id, n);
      return result("update", `updates ${quote(target.name)}`, target);
    }
    for (const { key } of keys) chunkKeys.set(key, n);
    result("create", null);
  }
  return { rows: planned, newKeys: [...chunkKeys], newTouched: [...chunkTouched] };
}

export function commitPlan(state: PlanState, plan: ChunkPlan): void {
  for (const [key, row] of plan.newKeys) state.keys.set(key, row);
  for (const [id, row] of plan.newTouched) state.touched.set(id, row);
}

/** Takes back commitPlan (the chunk was not written). Its keys were all new to the state. */
export function revertPlan(state: PlanState, plan: ChunkPlan): void {
  for (const [key] of plan.newKeys) state.keys.delete(key);
  for (const [id] of plan.newTouched) state.touched.delete(id);
}

/** The emails and phone digits a chunk looks up. */
export function lookupKeys(mapped: MappedRow[], options: ImportOptions) {
  const emails = new Set<string>();
  const digits = new Set<string>();
  for (const m of mapped) {
    for (const email of m.emails) emails.add(email);
    if (options.matchBy !== "email") for (const phone of m.phones) digits.add(phoneDigits(phone));
  }
  return { emails: [...emails], digits: [...digits] };
}

/** Plans a chunk, doing its one lookup query first. */
export async function planChunkWithLookup(
  tx: Tx,
  actor: Actor,
  rows: StagedRow[],
  ctx: MappingContext,
  options: ImportOptions,
  state: PlanState,
): Promise<ChunkPlan> {
  const mapped = rows.map((row) => ({
    rowNumber: row.rowNumber,
    mapped: mapRow(row.rowNumber, cellsOf(row.data), ctx),
  }));
  const { emails, digits } = lookupKeys(
    mapped.map((r) => r.mapped).filter((m) => m.problems.length === 0),
    options,
  );
  const contacts = await lookupContacts(tx, actor, emails, digits);
  return planChunk(mapped, contacts, options, state);
}

// ---------------------------------------------------------------------------------------------
// Outcomes

const MESSAGE_MAX = 1000;

export function rowMessage(row: PlannedRow): string | null {
  return row.messages.length === 0 ? null : truncate(row.messages.join("\n"), MESSAGE_MAX);
}

/**
 * Stores the outcome and message of the planned rows, in one statement; rows that already hold
 * them (a run after its preview, usually all of them) are left alone.
 */
export async function writeOutcomes(
  tx: Tx,
  importId: string,
  planned: PlannedRow[],
  staged: StagedRow[] = [],
): Promise<void> {
  const stored = new Map(staged.map((row) => [row.rowNumber, row]));
  const rows = planned.filter((row) => {
    const before = stored.get(row.rowNumber);
    return !before || before.outcome !== row.outcome || before.message !== rowMessage(row);
  });
  if (rows.length === 0) return;
  const numbers = rows.map((r) => r.rowNumber);
  // The range keeps the scan to the chunk's rows whatever plan PostgreSQL picks (a freshly
  // staged file has no statistics yet; a join over every row of the import would be quadratic).
  await tx.$executeRaw`
    UPDATE contact_import_rows AS r SET outcome = v.outcome, message = v.message
    FROM unnest(${numbers}::int[], ${rows.map((r) => r.outcome)}::text[],
      ${rows.map(rowMessage)}::text[]) AS v(n, outcome, message)
    WHERE r.import_id = ${importId}::uuid AND r.row_number = v.n
      AND r.row_number BETWEEN ${Math.min(...numbers)}::int AND ${Math.max(...numbers)}::int`;
}

export interface OutcomeCounts {
  new: number;
  updated: number;
  duplicates: number;
  invalid: number;
  skipped: number;
}

export function countOutcomes(rows: PlannedRow[]): OutcomeCounts {
  const counts: OutcomeCounts = { new: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
  for (const row of rows) {
    if (row.outcome === "create") counts.new += 1;
    else if (row.outcome === "update") counts.updated += 1;
    else if (row.outcome === "duplicate") counts.duplicates += 1;
    else if (row.outcome === "invalid") counts.invalid += 1;
    else counts.skipped += 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Applying (the run)

/** What undo needs of an updated contact: how it was, and what the import set and added. */
export interface BeforeSnapshot {
  contact: {
    name: string;
    nameSort: string;
    email: string | null;
    phone: string | null;
    stage: string;
    source: string | null;
    searchText: string;
    updatedAt: string;
  };
  emails: { id: string; email: string; isPrimary: boolean }[];
  phones: { id: string; phone: string; isPrimary: boolean }[];
  tagIds: string[];
  fields: FieldValueRow[];
  /** The values the import wrote over the contact's own (name, stage, source). */
  set: { name: string; stage: string; source: string | null };
  /** What the import added, so undo takes exactly that away. */
  added: {
    emailIds: string[];
    phoneIds: string[];
    tagIds: string[];
    fields: FieldValueRow[];
  };
  /** When the import wrote it (also the contact's updatedAt then). */
  importedAt: string;
}

const sameTag = (name: string) => name.normalize("NFC").toLowerCase();

function fieldRow(fieldId: string, value: StoredFieldValue): FieldValueRow {
  return {
    fieldId,
    textValue: "textValue" in value ? value.textValue : null,
    numberValue: "numberValue" in value ? String(value.numberValue) : null,
    dateValue: "dateValue" in value ? value.dateValue : null,
  };
}

interface ContactColumns {
  id: string;
  name: string;
  name_sort: string;
  email: string | null;
  phone: string | null;
  stage: string;
  source: string | null;
  search_text: string;
}

/**
 * A planned chunk turned into rows for every table, ready to send: built ahead, outside the
 * transaction (the run prepares the next chunk while the database writes this one). Only the
 * tags are left by name: they are resolved (and created) inside the transaction.
 */
export interface ChunkWrites {
  now: Date;
  contacts: ContactColumns[];
  /** Matched contacts, with the `updated_at` they had when read: a contact changed since is not overwritten. */
  updates: (ContactColumns & { expected: string })[];
  emails: { id: string; contact_id: string; email: string; is_primary: boolean }[];
  phones: { id: string; contact_id: string; phone: string; digits: string; is_primary: boolean }[];
  /** The tags of new contacts, by name. */
  tagNames: { contact_id: string; name: string }[];
  /** Updated contacts and the tag names they get, when those tags turn out to be new to them. */
  updateTagNames: { contact_id: string; name: string; before: BeforeSnapshot }[];
  /** Filled by linkTags once the tags exist. */
  tagRows: { contact_id: string; tag_id: string }[];
  values: {
    contact_id: string;
    field_id: string;
    t: string | null;
    n: string | null;
    d: string | null;
  }[];
  changes: {
    id: string;
    contact_id: string;
    kind: "created" | "updated";
    before: BeforeSnapshot | null;
  }[];
  events: { id: string; contact_id: string; summary: string; data: Record<string, unknown> }[];
}

/** The rows a planned chunk writes: new contacts, merges into matched ones, changes, events. */
export function buildWrites(
  plan: ChunkPlan,
  importId: string,
  fileName: string,
  now: Date,
): ChunkWrites {
  const writes: ChunkWrites = {
    now,
    contacts: [],
    updates: [],
    emails: [],
    phones: [],
    tagNames: [],
    updateTagNames: [],
    tagRows: [],
    values: [],
    changes: [],
    events: [],
  };
  const summary = (text: string) => truncate(text, 500);
  const addValue = (contactId: string, fieldId: string, value: StoredFieldValue) => {
    const row = fieldRow(fieldId, value);
    writes.values.push({
      contact_id: contactId,
      field_id: fieldId,
      t: row.textValue,
      n: row.numberValue,
      d: row.dateValue,
    });
  };

  for (const row of plan.rows) {
    const m = row.mapped;
    if (!m) continue;
    if (row.outcome === "create") {
      const id = uuidv7();
      const name = nameForNewContact(m);
      writes.contacts.push({
        id,
        name,
        name_sort: nameSortKey(name),
        email: m.emails[0] ?? null,
        phone: m.phones[0] ?? null,
        stage: m.stage ?? "lead",
        source: m.source,
        search_text: buildSearchText(name, m.emails, m.phones),
      });
      m.emails.forEach((email, i) =>
        writes.emails.push({ id: uuidv7(), contact_id: id, email, is_primary: i === 0 }),
      );
      m.phones.forEach((phone, i) =>
        writes.phones.push({
          id: uuidv7(),
          contact_id: id,
          phone,
          digits: phoneDigits(phone),
          is_primary: i === 0,
        }),
      );
      for (const name of m.tags) writes.tagNames.push({ contact_id: id, name });
      for (const field of m.fields) addValue(id, field.fieldId, field.value);
      writes.changes.push({ id: uuidv7(), contact_id: id, kind: "created", before: null });
      writes.events.push({
        id: uuidv7(),
        contact_id: id,
        summary: summary(`Imported from ${fileName}`),
        data: { importId, rowNumber: row.rowNumber, action: "created" },
      });
    } else if (row.outcome === "update" && row.contact) {
      const c = row.contact;
      const knownEmails = new Set(c.emails.map((e) => e.email));
      const knownDigits = new Set(c.phones.map((p) => p.digits));
      const newEmails = m.emails.filter((e) => !knownEmails.has(e));
      const newPhones = m.phones.filter((p) => !knownDigits.has(phoneDigits(p)));
      const hasField = new Set(c.fields.map((f) => f.fieldId));
      const newFields = m.fields.filter((f) => !hasField.has(f.fieldId));

      const addedEmailIds = newEmails.map((email, i) => {
        const id = uuidv7();
        writes.emails.push({
          id,
          contact_id: c.id,
          email,
          is_primary: c.emails.length === 0 && i === 0,
        });
        return id;
      });
      const addedPhoneIds = newPhones.map((phone, i) => {
        const id = uuidv7();
        writes.phones.push({
          id,
          contact_id: c.id,
          phone,
          digits: phoneDigits(phone),
          is_primary: c.phones.length === 0 && i === 0,
        });
        return id;
      });
      for (const field of newFields) addValue(c.id, field.fieldId, field.value);

      const name = m.name ?? c.name;
      const stage = m.stage ?? c.stage;
      const source = m.source ?? c.source;
      const allEmails = [...c.emails.map((e) => e.email), ...newEmails];
      const allPhones = [...c.phones.map((p) => p.phone), ...newPhones];
      writes.updates.push({
        id: c.id,
        name,
        name_sort: nameSortKey(name),
        email: c.email ?? allEmails[0] ?? null,
        phone: c.phone ?? allPhones[0] ?? null,
        stage,
        source,
        search_text: buildSearchText(name, allEmails, allPhones),
        expected: c.updatedAt.toISOString(),
      });
      const before: BeforeSnapshot = {
        contact: {
          name: c.name,
          nameSort: c.nameSort,
          email: c.email,
          phone: c.phone,
          stage: c.stage,
          source: c.source,
          searchText: c.searchText,
          updatedAt: c.updatedAt.toISOString(),
        },
        emails: c.emails,
        phones: c.phones.map((p) => ({ id: p.id, phone: p.phone, isPrimary: p.isPrimary })),
        tagIds: c.tagIds,
        fields: c.fields,
        set: { name, stage, source },
        // Tag ids are filled in when the tags are resolved, inside the transaction.
        added: {
          emailIds: addedEmailIds,
          phoneIds: addedPhoneIds,
          tagIds: [],
          fields: newFields.map((f) => fieldRow(f.fieldId, f.value)),
        },
        importedAt: now.toISOString(),
      };
      for (const name of m.tags) writes.updateTagNames.push({ contact_id: c.id, name, before });
      writes.changes.push({ id: uuidv7(), contact_id: c.id, kind: "updated", before });
      writes.events.push({
        id: uuidv7(),
        contact_id: c.id,
        summary: summary(`Updated from the import of ${fileName}`),
        data: { importId, rowNumber: row.rowNumber, action: "updated" },
      });
    }
  }
  return writes;
}

/** The actor's tags by folded name, creating the missing ones (ids returned as `created`). */
export async function resolveTags(
  tx: Tx,
  actor: Actor,
  names: string[],
  now: Date,
): Promise<{ ids: Map<string, string>; created: string[] }> {
  const ids = new Map<string, string>();
  if (names.length === 0) return { ids, created: [] };
  const read = async () => {
    for (const tag of await tx.tag.findMany({
      where: { userId: actor.userId },
      select: { id: true, name: true },
    })) {
      if (!ids.has(sameTag(tag.name))) ids.set(sameTag(tag.name), tag.id);
    }
  };
  await read();
  if (names.every((name) => ids.has(sameTag(name)))) return { ids, created: [] };
  // Like createTag: serialized with the user's other tag writes, so no twin can appear.
  await lockUserScope(tx, actor, "tags");
  await read();
  const missing = new Map<string, { id: string; name: string }>();
  for (const name of names) {
    const key = sameTag(name);
    if (!ids.has(key) && !missing.has(key)) missing.set(key, { id: uuidv7(), name });
  }
  await tx.tag.createMany({
    data: [...missing.values()].map((tag) => ({
      id: tag.id,
      userId: actor.userId,
      name: tag.name,
      createdAt: now,
    })),
  });
  for (const [key, tag] of missing) ids.set(key, tag.id);
  return { ids, created: [...missing.values()].map((t) => t.id) };
}

/** The tag names of a chunk (to resolve, creating the missing tags, before it is written). */
export function tagNamesOf(writes: ChunkWrites): string[] {
  return [...writes.tagNames, ...writes.updateTagNames].map((t) => t.name);
}

/** Turns the chunk's tag names into contact-tag rows, and notes the added ones for undo. */
export function linkTags(writes: ChunkWrites, tagIds: Map<string, string>): void {
  const seen = new Set<string>();
  const link = (contactId: string, name: string): string | null => {
    const tagId = tagIds.get(sameTag(name));
    if (!tagId) throw new Error(`Tag “${name}” was not resolved.`);
    const key = `${contactId}:${tagId}`;
    if (seen.has(key)) return null;
    seen.add(key);
    writes.tagRows.push({ contact_id: contactId, tag_id: tagId });
    return tagId;
  };
  for (const t of writes.tagNames) link(t.contact_id, t.name);
  for (const t of writes.updateTagNames) {
    if (t.before.tagIds.includes(tagIds.get(sameTag(t.name)) ?? "")) continue;
    const added = link(t.contact_id, t.name);
    if (added) t.before.added.tagIds.push(added);
  }
}

/** A matched contact changed between the lookup and the write: the chunk is planned again. */
export class StaleChunkError extends Error {
  constructor() {
    super("A contact changed while the import was writing it; the chunk is read again.");
  }
}

/**
 * Writes a chunk in one statement: one INSERT or UPDATE per table, fed by JSON. Foreign keys
 * are checked at the end of the statement, so the emails of a contact created in it are
 * accepted. The chunk's tags must exist (linkTags). Refuses (StaleChunkError) when a matched
 * contact changed since it was read.
 */
export async function writeChunk(
  tx: Tx,
  actor: Actor,
  importId: string,
  writes: ChunkWrites,
): Promise<void> {
  const { now } = writes;
  const tagRows = writes.tagRows;
  const json = (rows: unknown[]) => JSON.stringify(rows);
  // New contacts carry their tag ids from the start (sorted, as the contact_tags trigger keeps
  // them), so the trigger finds nothing to change for them.
  const tagIdsOf = new Map<string, string[]>();
  for (const row of tagRows)
    tagIdsOf.set(row.contact_id, [...(tagIdsOf.get(row.contact_id) ?? []), row.tag_id]);
  const newContacts = writes.contacts.map((c) => ({
    ...c,
    tag_ids: (tagIdsOf.get(c.id) ?? []).sort(),
  }));
  const result = await tx.$queryRaw<{ updated: number }[]>`
    WITH
    new_contacts AS (
      INSERT INTO contacts (id, user_id, name, name_sort, email, phone, stage, source,
        search_text, created_at, updated_at, tag_ids)
      SELECT v.id, ${actor.userId}::uuid, v.name, v.name_sort, v.email, v.phone, v.stage,
        v.source, v.search_text, ${now}, ${now}, v.tag_ids
      FROM json_to_recordset(${json(newContacts)}::json) AS v(id uuid, name text,
        name_sort text, email text, phone text, stage text, source text, search_text text,
        tag_ids uuid[])
    ),
    -- Matched contacts are found by primary key only, then updated by primary key, so the
    -- plan cannot scan the user's contacts (PostgreSQL may have no statistics on a table
    -- that grew by thousands of rows a minute ago).
    merge_targets AS MATERIALIZED (
      SELECT v.* FROM json_to_recordset(${json(writes.updates)}::json) AS v(id uuid, name text,
        name_sort text, email text, phone text, stage text, source text, search_text text,
        expected timestamptz)
      CROSS JOIN LATERAL (SELECT x.user_id, x.deleted_at, x.updated_at FROM contacts x
        WHERE x.id = v.id OFFSET 0) AS x
      WHERE x.user_id = ${actor.userId}::uuid AND x.deleted_at IS NULL
        AND x.updated_at = v.expected
    ),
    merged AS (
      UPDATE contacts AS c SET name = v.name, name_sort = v.name_sort, email = v.email,
        phone = v.phone, stage = v.stage, source = v.source, search_text = v.search_text,
        updated_at = ${now}
      FROM merge_targets AS v
      WHERE c.id = v.id AND c.id = ANY(${writes.updates.map((u) => u.id)}::uuid[])
      RETURNING 1
    ),
    new_emails AS (
      INSERT INTO contact_emails (id, user_id, contact_id, email, is_primary, created_at)
      SELECT v.id, ${actor.userId}::uuid, v.contact_id, v.email, v.is_primary, ${now}
      FROM json_to_recordset(${json(writes.emails)}::json)
        AS v(id uuid, contact_id uuid, email text, is_primary boolean)
    ),
    new_phones AS (
      INSERT INTO contact_phones (id, user_id, contact_id, phone, digits, is_primary, created_at)
      SELECT v.id, ${actor.userId}::uuid, v.contact_id, v.phone, v.digits, v.is_primary, ${now}
      FROM json_to_recordset(${json(writes.phones)}::json)
        AS v(id uuid, contact_id uuid, phone text, digits text, is_primary boolean)
    ),
    new_tags AS (
      INSERT INTO contact_tags (contact_id, tag_id, user_id, created_at)
      SELECT v.contact_id, v.tag_id, ${actor.userId}::uuid, ${now}
      FROM json_to_recordset(${json(tagRows)}::json) AS v(contact_id uuid, tag_id uuid)
    ),
    new_values AS (
      INSERT INTO contact_field_values (contact_id, field_id, user_id, text_value, number_value,
        date_value)
      SELECT v.contact_id, v.field_id, ${actor.userId}::uuid, v.t, v.n, v.d
      FROM json_to_recordset(${json(writes.values)}::json)
        AS v(contact_id uuid, field_id uuid, t text, n numeric, d date)
    ),
    new_changes AS (
      INSERT INTO contact_import_changes (id, import_id, contact_id, kind, before, created_at)
      SELECT v.id, ${importId}::uuid, v.contact_id, v.kind, v.before, ${now}
      FROM json_to_recordset(${json(writes.changes)}::json)
        AS v(id uuid, contact_id uuid, kind text, before jsonb)
    ),
    new_events AS (
      INSERT INTO timeline_events (id, user_id, contact_id, kind, occurred_at, summary, data)
      SELECT v.id, ${actor.userId}::uuid, v.contact_id, 'contact.imported', ${now}, v.summary,
        v.data
      FROM json_to_recordset(${json(writes.events)}::json)
        AS v(id uuid, contact_id uuid, summary text, data jsonb)
    )
    SELECT (SELECT count(*) FROM merged)::int AS updated`;
  if ((result[0]?.updated ?? 0) !== writes.updates.length) throw new StaleChunkError();
}
