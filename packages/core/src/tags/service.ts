import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { requireContact, requireContacts } from "../shared/contacts.ts";
import { isUniqueViolation, lockUserScope, type Tx } from "../shared/db.ts";
import { compareNames, sameName } from "../shared/text.ts";
import {
  tagColors,
  tagContactsSchema,
  tagCreateSchema,
  tagIdInputSchema,
  tagsOfContactSchema,
  tagUpdateSchema,
  type TagColor,
  type TagContactsInput,
  type TagCreateInput,
  type TagUpdateInput,
} from "./schemas.ts";

export interface TagRecord {
  id: string;
  name: string;
  color: TagColor | null;
  createdAt: Date;
}

export interface TagWithCount extends TagRecord {
  /** How many of the user's (not deleted) contacts carry the tag. */
  contactCount: number;
}

const TAG_NOT_FOUND = "This tag does not exist or was deleted.";

const select = { id: true, name: true, color: true, createdAt: true } as const;

function toRecord(row: { id: string; name: string; color: string | null; createdAt: Date }) {
  const color = (tagColors as readonly string[]).includes(row.color ?? "")
    ? (row.color as TagColor)
    : null;
  return { id: row.id, name: row.name, color, createdAt: row.createdAt } satisfies TagRecord;
}

function duplicateName(name: string): ConflictError {
  const message = `You already have a tag named “${name}”.`;
  return new ConflictError(message, { name: [message] });
}

/** Refuses a name another of the actor's tags has, whatever its case. */
async function assertNameFree(tx: Tx, actor: Actor, name: string, exceptId?: string) {
  const tags = await tx.tag.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true },
  });
  const clash = tags.find((tag) => tag.id !== exceptId && sameName(tag.name, name));
  if (clash) throw duplicateName(clash.name);
}

/** The actor's tags, by name, with how many contacts carry each one. */
export async function listTags(db: Db, actor: Actor): Promise<TagWithCount[]> {
  const rows = await db.tag.findMany({
    where: { userId: actor.userId },
    select: {
      ...select,
      _count: { select: { contacts: { where: { contact: { deletedAt: null } } } } },
    },
  });
  return rows
    .map((row) => ({ ...toRecord(row), contactCount: row._count.contacts }))
    .sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
}

export async function createTag(db: Db, actor: Actor, input: TagCreateInput): Promise<TagRecord> {
  const data = tagCreateSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "tags");
      await assertNameFree(tx, actor, data.name);
      return toRecord(await tx.tag.create({ data: { ...data, userId: actor.userId }, select }));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(data.name);
    throw error;
  }
}

/** Renames and/or recolors one of the actor's tags. */
export async function updateTag(db: Db, actor: Actor, input: TagUpdateInput): Promise<TagRecord> {
  const { id, name, color } = tagUpdateSchema.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "tags");
      const current = await tx.tag.findFirst({ where: { id, userId: actor.userId }, select });
      if (!current) throw new NotFoundError(TAG_NOT_FOUND);
      if (name !== undefined) await assertNameFree(tx, actor, name, id);
      return toRecord(await tx.tag.update({ where: { id }, data: { name, color }, select }));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name ?? "");
    throw error;
  }
}

/** Deletes a tag; the contacts that carried it simply lose it. */
export async function deleteTag(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = tagIdInputSchema.parse(input);
  const { count } = await db.tag.deleteMany({ where: { id, userId: actor.userId } });
  if (count === 0) throw new NotFoundError(TAG_NOT_FOUND);
  return { id };
}

/** Checks that every id (de-duplicated) is one of the actor's tags. */
async function requireTags(tx: Tx, actor: Actor, tagIds: string[]): Promise<void> {
  const found = await tx.tag.count({ where: { id: { in: tagIds }, userId: actor.userId } });
  if (found !== tagIds.length) {
    throw new NotFoundError(
      tagIds.length === 1
        ? TAG_NOT_FOUND
        : "Some of the selected tags do not exist or were deleted.",
    );
  }
}

function parseBulk(input: TagContactsInput) {
  const { contactIds, tagIds } = tagContactsSchema.parse(input);
  return { contactIds: [...new Set(contactIds)], tagIds: [...new Set(tagIds)] };
}

/** One timeline entry per contact naming the tags it gained or lost, in one statement. */
async function recordTagEvents(
  tx: Tx,
  actor: Actor,
  kind: "contact.tagged" | "contact.untagged",
  pairs: { contactId: string; tagId: string }[],
) {
  if (pairs.length === 0) return;
  const tags = await tx.tag.findMany({
    where: { userId: actor.userId, id: { in: [...new Set(pairs.map((p) => p.tagId))] } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(tags.map((tag) => [tag.id, tag.name]));
  const byContact = new Map<string, string[]>();
  for (const { contactId, tagId } of pairs) {
    byContact.set(contactId, [...(byContact.get(contactId) ?? []), tagId]);
  }
  const verb = kind === "contact.tagged" ? "Tagged" : "Untagged";
  await tx.timelineEvent.createMany({
    data: [...byContact].map(([contactId, tagIds]) => {
      const names = tagIds.map((id) => nameOf.get(id) ?? "").sort(compareNames);
      return {
        userId: actor.userId,
        contactId,
        kind,
        summary: `${verb} ${names.map((name) => `“${name}”`).join(", ")}`.slice(0, 500),
        data: { tagIds, tags: names },
      };
    }),
  });
}

/**
 * Gives every tag to every contact, all or nothing. Pairs that already exist are left as they
 * are, so repeating the call changes nothing. Returns how many pairs were added; each contact
 * that gained a tag gets a timeline entry.
 */
export async function tagContacts(
  db: Db,
  actor: Actor,
  input: TagContactsInput,
): Promise<{ added: number }> {
  const { contactIds, tagIds } = parseBulk(input);
  return db.$transaction(async (tx) => {
    await requireContacts(tx, actor, contactIds);
    await requireTags(tx, actor, tagIds);
    // One statement whatever the number of pairs (1000 contacts × 50 tags).
    const added = await tx.$queryRaw<{ contactId: string; tagId: string }[]>`
      INSERT INTO contact_tags (contact_id, tag_id, user_id)
      SELECT c.id, t.id, ${actor.userId}::uuid
      FROM unnest(${contactIds}::uuid[]) AS c(id) CROSS JOIN unnest(${tagIds}::uuid[]) AS t(id)
      ON CONFLICT (contact_id, tag_id) DO NOTHING
      RETURNING contact_id AS "contactId", tag_id AS "tagId"`;
    await recordTagEvents(tx, actor, "contact.tagged", added);
    return { added: added.length };
  });
}

/** Takes every tag off every contact, all or nothing. Returns how many pairs were removed. */
export async function untagContacts(
  db: Db,
  actor: Actor,
  input: TagContactsInput,
): Promise<{ removed: number }> {
  const { contactIds, tagIds } = parseBulk(input);
  return db.$transaction(async (tx) => {
    await requireContacts(tx, actor, contactIds);
    await requireTags(tx, actor, tagIds);
    const removed = await tx.$queryRaw<{ contactId: string; tagId: string }[]>`
      DELETE FROM contact_tags
      WHERE user_id = ${actor.userId}::uuid
        AND contact_id = ANY(${contactIds}::uuid[]) AND tag_id = ANY(${tagIds}::uuid[])
      RETURNING contact_id AS "contactId", tag_id AS "tagId"`;
    await recordTagEvents(tx, actor, "contact.untagged", removed);
    return { removed: removed.length };
  });
}

/** The tags of one of the actor's contacts, by name. */
export async function tagsOfContact(
  db: Db,
  actor: Actor,
  input: { contactId: string },
): Promise<TagRecord[]> {
  const { contactId } = tagsOfContactSchema.parse(input);
  await requireContact(db, actor, contactId);
  const rows = await db.contactTag.findMany({
    where: { contactId, userId: actor.userId, tag: { userId: actor.userId } },
    select: { tag: { select } },
  });
  return rows
    .map((row) => toRecord(row.tag))
    .sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
}
