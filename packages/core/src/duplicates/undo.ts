import { Prisma, type Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { buildSearchText } from "../contacts/service.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { builtInStages } from "../schemas.ts";
import { cursorDate, decodeKeyset, encodeKeyset } from "../shared/cursor.ts";
import type { Tx } from "../shared/db.ts";
import { resolveStage } from "../stages/service.ts";
import {
  mergeIdInputSchema,
  mergeListInputSchema,
  type MergeIdInput,
  type MergeListInput,
} from "./schemas.ts";
import {
  dateOrNull,
  fieldsOf,
  isoOrNull,
  lockContacts,
  mergeSnapshotSchema,
  moveNotesAndTasks,
  ordered,
  storedColumns,
  valueKey,
  writeValue,
  type ContactState,
  type MergeSnapshot,
} from "./snapshot.ts";

/**
 * Undoing a merge (see merge.ts for what a merge does and keeps), and the list of recent
 * merges the undo buttons live in.
 */

const MERGE_NOT_FOUND = "This merge does not exist.";
const LIST = "merges";

// ---------------------------------------------------------------------------------------------
// Undo

export interface UndoMergeResult {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  undoneAt: Date;
}

/** Writes a contact's scalar columns back from its snapshot (creating it if purged since). */
async function restoreContactRow(
  tx: Tx,
  actor: Actor,
  state: ContactState,
  exists: boolean,
): Promise<void> {
  const c = state.contact;
  // A stage deleted since falls back to the first built-in one, as deleted contacts do.
  const stage = (await resolveStage(tx, actor, c.stage)) ? c.stage : builtInStages[0].key;
  const data = {
    name: c.name,
    nameSort: c.nameSort,
    email: c.email,
    phone: c.phone,
    stage,
    source: c.source,
    searchText: c.searchText,
    lastInteractionAt: dateOrNull(c.lastInteractionAt),
    nextInteractionAt: dateOrNull(c.nextInteractionAt),
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
    deletedAt: dateOrNull(c.deletedAt),
    deletionId: c.deletionId,
  };
  if (exists) await tx.contact.update({ where: { id: c.id }, data });
  else await tx.contact.create({ data: { id: c.id, userId: actor.userId, ...data } });
}

/** Makes `primaryKey`'s row the contact's only primary one (or the first, if it is gone). */
async function restorePrimary(
  rows: { id: string; key: string; isPrimary: boolean }[],
  primaryKey: string | undefined,
  set: (id: string, isPrimary: boolean) => Promise<unknown>,
): Promise<void> {
  const target = rows.find((r) => r.key === primaryKey) ?? rows.find((r) => r.isPrimary) ?? rows[0];
  for (const row of rows) {
    const want = row.id === target?.id;
    if (row.isPrimary !== want) await set(row.id, want);
  }
}

/** Why a merge whose survivor is no longer live cannot be undone, and what to do. */
async function survivorRefusal(
  tx: Tx,
  actor: Actor,
  snapshot: MergeSnapshot,
  current: { name: string } | null,
): Promise<ConflictError> {
  const name = current?.name ?? snapshot.survivor.contact.name;
  if (!current) {
    return new ConflictError(
      `${name} was deleted for good after this merge, so it can no longer be undone.`,
    );
  }
  const later = await tx.contactMerge.findFirst({
    where: { userId: actor.userId, mergedId: snapshot.survivor.contact.id, undoneAt: null },
    orderBy: { createdAt: "desc" },
    select: { survivorId: true },
  });
  const into =
    later &&
    (await tx.contact.findFirst({
      where: { id: later.survivorId, userId: actor.userId },
      select: { name: true },
    }));
  if (into) {
    return new ConflictError(
      `${name} was merged into ${into.name} after this merge. Undo that merge first.`,
    );
  }
  return new ConflictError(
    `${name} was deleted after this merge. Restore ${name} first, then undo the merge.`,
  );
}

/**
 * Splits a merge: both contacts get back what they had (fields, emails, phones, tags, custom
 * values), the merged contact's notes, tasks and timeline events go back to it, and it is live
 * again. Refused when already undone, or when the survivor has been deleted since.
 */
export async function undoMerge(
  db: Db,
  actor: Actor,
  input: MergeIdInput,
): Promise<UndoMergeResult> {
  const { mergeId } = mergeIdInputSchema.parse(input);
  return db.$transaction(
    async (tx) => {
      // One undo at a time per merge: a second call waits, then finds it undone.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM contact_merges
        WHERE id = ${mergeId}::uuid AND user_id = ${actor.userId}::uuid
        FOR UPDATE`;
      if (locked.length === 0) throw new NotFoundError(MERGE_NOT_FOUND);
      const merge = await tx.contactMerge.findUniqueOrThrow({ where: { id: mergeId } });
      if (merge.undoneAt) throw new ConflictError("This merge was already undone.");
      const parsed = mergeSnapshotSchema.safeParse(merge.snapshot);
      if (!parsed.success) throw new Error(`Merge ${mergeId} has an unreadable snapshot.`);
      const snapshot = parsed.data;
      const { survivorId, mergedId } = merge;
      const userId = actor.userId;

      await lockContacts(tx, actor, [survivorId, mergedId]);
      const current = await tx.contact.findFirst({
        where: { id: survivorId, userId },
        select: { name: true, deletedAt: true },
      });
      if (!current || current.deletedAt) {
        throw await survivorRefusal(tx, actor, snapshot, current);
      }
      const mergedNow = await tx.contact.findFirst({
        where: { id: mergedId, userId },
        select: { deletedAt: true, deletionId: true },
      });
      if (mergedNow?.deletedAt && mergedNow.deletionId !== mergeId) {
        const name = snapshot.merged.contact.name;
        throw new ConflictError(
          `${name} was deleted again after this merge. Restore ${name} first, then undo the merge.`,
        );
      }

      // The merged contact, as it was.
      await restoreContactRow(tx, actor, snapshot.merged, mergedNow !== null);

      // Emails: the merged contact's addresses go back to it.
      const addresses = snapshot.merged.emails.map((e) => e.email);
      if (addresses.length > 0) {
        const elsewhere = await tx.contactEmail.findFirst({
          where: { userId, email: { in: addresses }, contactId: { notIn: [survivorId, mergedId] } },
          select: { email: true, contact: { select: { name: true } } },
        });
        if (elsewhere) {
          throw new ConflictError(
            `${elsewhere.email} now belongs to ${elsewhere.contact.name}. Remove it there first, then undo the merge.`,
          );
        }
      }
      await tx.contactEmail.deleteMany({
        where: {
          userId,
          OR: [
            { contactId: mergedId },
            { email: { in: addresses } },
            { id: { in: snapshot.merged.emails.map((e) => e.id) } },
          ],
        },
      });
      await tx.contactEmail.createMany({
        data: snapshot.merged.emails.map((e) => ({
          ...e,
          userId,
          contactId: mergedId,
          createdAt: new Date(e.createdAt),
        })),
      });

      // Phones: the merged contact's numbers go back to it, those dropped as duplicates too.
      const ownDigits = new Set(snapshot.survivor.phones.map((p) => p.digits));
      const theirDigits = snapshot.merged.phones
        .map((p) => p.digits)
        .filter((d) => !ownDigits.has(d));
      await tx.contactPhone.deleteMany({
        where: {
          userId,
          OR: [
            { contactId: mergedId },
            { id: { in: snapshot.merged.phones.map((p) => p.id) } },
            { contactId: survivorId, digits: { in: theirDigits } },
          ],
        },
      });
      await tx.contactPhone.createMany({
        data: snapshot.merged.phones.map((p) => ({
          ...p,
          userId,
          contactId: mergedId,
          createdAt: new Date(p.createdAt),
        })),
      });

      // Tags: the survivor loses those it got; the merged contact has its own again.
      if (snapshot.addedTagIds.length > 0) {
        await tx.contactTag.deleteMany({
          where: { contactId: survivorId, userId, tagId: { in: snapshot.addedTagIds } },
        });
      }
      await tx.contactTag.deleteMany({ where: { contactId: mergedId, userId } });
      const liveTags = new Set(
        (
          await tx.tag.findMany({
            where: { userId, id: { in: snapshot.merged.tags.map((t) => t.tagId) } },
            select: { id: true },
          })
        ).map((t) => t.id),
      );
      await tx.contactTag.createMany({
        data: snapshot.merged.tags
          .filter((t) => liveTags.has(t.tagId))
          .map((t) => ({
            contactId: mergedId,
            tagId: t.tagId,
            userId,
            createdAt: new Date(t.createdAt),
          })),
      });

      // Custom values: the survivor's revert where they still hold the merge's value.
      const liveFields = new Set((await fieldsOf(tx, actor)).map((f) => f.id));
      const before = new Map(snapshot.survivor.values.map((v) => [v.fieldId, v]));
      for (const { fieldId, value } of snapshot.after.values) {
        if (!liveFields.has(fieldId)) continue;
        const now = await tx.contactFieldValue.findUnique({
          where: { contactId_fieldId: { contactId: survivorId, fieldId } },
          select: { fieldId: true, textValue: true, numberValue: true, dateValue: true },
        });
        const nowRow = now && {
          fieldId,
          textValue: now.textValue,
          numberValue: now.numberValue === null ? null : now.numberValue.toString(),
          dateValue: now.dateValue === null ? null : now.dateValue.toISOString().slice(0, 10),
        };
        if (valueKey(nowRow) !== valueKey(value)) continue;
        await writeValue(tx, actor, survivorId, fieldId, before.get(fieldId) ?? null);
      }
      await tx.contactFieldValue.deleteMany({ where: { contactId: mergedId, userId } });
      await tx.contactFieldValue.createMany({
        data: snapshot.merged.values
          .filter((v) => liveFields.has(v.fieldId))
          .map((v) => ({ contactId: mergedId, fieldId: v.fieldId, userId, ...storedColumns(v) })),
      });

      // Notes, tasks and events go back; the merge's own event goes away.
      const { noteIds, taskIds, eventIds, interactionIds } = snapshot.moved;
      await moveNotesAndTasks(tx, actor, noteIds, taskIds, survivorId, mergedId);
      if (interactionIds.length > 0) {
        await tx.interactionContact.updateMany({
          where: { contactId: survivorId, interactionId: { in: interactionIds }, userId },
          data: { contactId: mergedId },
        });
      }
      if (eventIds.length > 0) {
        await tx.timelineEvent.updateMany({
          where: { id: { in: eventIds }, contactId: survivorId, userId },
          data: { contactId: mergedId },
        });
      }
      await tx.timelineEvent.deleteMany({
        where: {
          userId,
          contactId: survivorId,
          kind: "contact.merged",
          data: { path: ["mergeId"], equals: mergeId },
        },
      });

      // The survivor: primary email and phone, then its own fields where the merge set them.
      const was = snapshot.survivor.contact;
      const emailRows = await tx.contactEmail.findMany({
        where: { contactId: survivorId, userId },
        orderBy: [...ordered],
        select: { id: true, email: true, isPrimary: true },
      });
      await restorePrimary(
        emailRows.map((r) => ({ ...r, key: r.email })),
        snapshot.survivor.emails.find((e) => e.isPrimary)?.email,
        (id, isPrimary) => tx.contactEmail.update({ where: { id }, data: { isPrimary } }),
      );
      const phoneRows = await tx.contactPhone.findMany({
        where: { contactId: survivorId, userId },
        orderBy: [...ordered],
        select: { id: true, phone: true, digits: true, isPrimary: true },
      });
      await restorePrimary(
        phoneRows.map((r) => ({ ...r, key: r.digits })),
        snapshot.survivor.phones.find((p) => p.isPrimary)?.digits,
        (id, isPrimary) => tx.contactPhone.update({ where: { id }, data: { isPrimary } }),
      );
      // Primary first, then by age: the order the contact form shows them in.
      const emails = (
        await tx.contactEmail.findMany({
          where: { contactId: survivorId, userId },
          orderBy: [...ordered],
          select: { email: true },
        })
      ).map((r) => r.email);
      const phones = (
        await tx.contactPhone.findMany({
          where: { contactId: survivorId, userId },
          orderBy: [...ordered],
          select: { phone: true },
        })
      ).map((r) => r.phone);

      const row = await tx.contact.findUniqueOrThrow({
        where: { id: survivorId },
        select: {
          name: true,
          nameSort: true,
          stage: true,
          source: true,
          lastInteractionAt: true,
          nextInteractionAt: true,
        },
      });
      const after = snapshot.after;
      const revert = <T>(now: T, merged: T, was: T): T => (now === merged ? was : now);
      const nameBack = row.name === after.name;
      const name = nameBack ? was.name : row.name;
      const scalars = {
        name,
        nameSort: nameBack ? was.nameSort : row.nameSort,
        stage: revert(row.stage, after.stage, was.stage),
        source: revert(row.source, after.source, was.source),
        lastInteractionAt: dateOrNull(
          revert(isoOrNull(row.lastInteractionAt), after.lastInteractionAt, was.lastInteractionAt),
        ),
        nextInteractionAt: dateOrNull(
          revert(isoOrNull(row.nextInteractionAt), after.nextInteractionAt, was.nextInteractionAt),
        ),
      };
      const sameAsBefore = (list: string[], rows: { email?: string; phone?: string }[]) =>
        JSON.stringify(list) === JSON.stringify(rows.map((r) => r.email ?? r.phone));
      const untouched =
        name === was.name &&
        sameAsBefore(emails, snapshot.survivor.emails) &&
        sameAsBefore(phones, snapshot.survivor.phones);
      const derived = untouched
        ? { email: was.email, phone: was.phone, searchText: was.searchText }
        : {
            email: emails[0] ?? null,
            phone: phones[0] ?? null,
            searchText: buildSearchText(name, emails, phones),
          };
      const exactlyBefore =
        untouched &&
        scalars.stage === was.stage &&
        scalars.source === was.source &&
        isoOrNull(scalars.lastInteractionAt) === was.lastInteractionAt &&
        isoOrNull(scalars.nextInteractionAt) === was.nextInteractionAt;
      await tx.contact.update({
        where: { id: survivorId },
        data: {
          ...scalars,
          ...derived,
          // Nothing of the survivor differs from before the merge: neither does its date.
          ...(exactlyBefore ? { updatedAt: new Date(was.updatedAt) } : {}),
        },
      });

      const undone = await tx.contactMerge.update({
        where: { id: mergeId },
        data: { undoneAt: new Date() },
        select: { undoneAt: true },
      });
      return { mergeId, survivorId, mergedId, undoneAt: undone.undoneAt! };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
// ---------------------------------------------------------------------------------------------
// Recent merges

export interface MergeListItem {
  id: string;
  createdAt: Date;
  undoneAt: Date | null;
  survivor: { id: string; name: string; deleted: boolean };
  /** The merged contact as it was. */
  merged: { id: string; name: string };
  /** Not undone yet and the survivor is live. */
  canUndo: boolean;
}

export interface MergePage {
  items: MergeListItem[];
  nextCursor: string | null;
}

/** The actor's merges, newest first, for an "undo" list. */
export async function listMerges(
  db: Db,
  actor: Actor,
  input: MergeListInput = {},
): Promise<MergePage> {
  const { limit, cursor: rawCursor } = mergeListInputSchema.parse(input);
  let after = Prisma.sql`TRUE`;
  if (rawCursor) {
    const cursor = decodeKeyset(rawCursor, LIST, 1);
    after = Prisma.sql`(m.created_at, m.id) < (${cursorDate(cursor.values[0])}::timestamptz, ${cursor.id}::uuid)`;
  }
  const rows = await db.$queryRaw<
    {
      id: string;
      createdAt: Date;
      undoneAt: Date | null;
      survivorId: string;
      mergedId: string;
      mergedName: string | null;
      survivorWas: string | null;
      survivorName: string | null;
      survivorLive: boolean;
    }[]
  >`
    SELECT m.id, m.created_at AS "createdAt", m.undone_at AS "undoneAt",
      m.survivor_id AS "survivorId", m.merged_id AS "mergedId",
      m.snapshot #>> '{merged,contact,name}' AS "mergedName",
      m.snapshot #>> '{survivor,contact,name}' AS "survivorWas",
      s.name AS "survivorName", (s.id IS NOT NULL AND s.deleted_at IS NULL) AS "survivorLive"
    FROM contact_merges m
    LEFT JOIN contacts s ON s.id = m.survivor_id AND s.user_id = m.user_id
    WHERE m.user_id = ${actor.userId}::uuid AND ${after}
    ORDER BY m.created_at DESC, m.id DESC
    LIMIT ${limit + 1}::int`;
  const items = rows.slice(0, limit).map((row): MergeListItem => ({
    id: row.id,
    createdAt: row.createdAt,
    undoneAt: row.undoneAt,
    survivor: {
      id: row.survivorId,
      name: row.survivorName ?? row.survivorWas ?? "",
      deleted: !row.survivorLive,
    },
    merged: { id: row.mergedId, name: row.mergedName ?? "" },
    canUndo: row.undoneAt === null && row.survivorLive,
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last
        ? encodeKeyset(LIST, [last.createdAt.toISOString()], last.id)
        : null,
  };
}
