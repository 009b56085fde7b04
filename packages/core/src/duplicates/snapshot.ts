import { createHash } from "node:crypto";
import { Prisma } from "@omnicrm/db";
import { z } from "zod";
import type { Actor } from "../actor.ts";
import type { CustomFieldType } from "../custom-fields/schemas.ts";
import { NotFoundError } from "../errors.ts";
import { CONTACT_NOT_FOUND } from "../shared/contacts.ts";
import type { Tx } from "../shared/db.ts";
import type { MergeChoice } from "./schemas.ts";

/**
 * What a merge keeps to be undone (ContactMerge.snapshot) and the reads and writes the merge
 * and its undo share.
 */

const iso = z.string();
const contactRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  nameSort: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  stage: z.string(),
  source: z.string().nullable(),
  searchText: z.string(),
  lastInteractionAt: iso.nullable(),
  nextInteractionAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
  deletedAt: iso.nullable(),
  deletionId: z.string().nullable(),
});
const emailRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  label: z.string().nullable(),
  isPrimary: z.boolean(),
  createdAt: iso,
});
const phoneRowSchema = z.object({
  id: z.string(),
  phone: z.string(),
  digits: z.string(),
  label: z.string().nullable(),
  isPrimary: z.boolean(),
  createdAt: iso,
});
const tagRowSchema = z.object({ tagId: z.string(), createdAt: iso });
const valueRowSchema = z.object({
  fieldId: z.string(),
  textValue: z.string().nullable(),
  /** Decimal as text. */
  numberValue: z.string().nullable(),
  /** YYYY-MM-DD. */
  dateValue: z.string().nullable(),
});
export const contactStateSchema = z.object({
  contact: contactRowSchema,
  emails: z.array(emailRowSchema),
  phones: z.array(phoneRowSchema),
  tags: z.array(tagRowSchema),
  values: z.array(valueRowSchema),
});
const idList = z.array(z.string());
export const mergeSnapshotSchema = z.object({
  version: z.literal(1),
  survivor: contactStateSchema,
  merged: contactStateSchema,
  /** The survivor's values right after the merge, for the fields the merge may change. */
  after: z.object({
    name: z.string(),
    stage: z.string(),
    source: z.string().nullable(),
    lastInteractionAt: iso.nullable(),
    nextInteractionAt: iso.nullable(),
    /** Custom values the merge changed; `value: null` when it cleared one. */
    values: z.array(z.object({ fieldId: z.string(), value: valueRowSchema.nullable() })),
  }),
  moved: z.object({
    emailIds: idList,
    phoneIds: idList,
    noteIds: idList,
    taskIds: idList,
    eventIds: idList,
    /** Synced interactions the merged contact took part in and the survivor did not. */
    interactionIds: idList.default([]),
  }),
  /** The merged contact's phones not moved because the survivor had the same digits. */
  droppedPhoneIds: idList,
  /** Tags the survivor got from the merged contact. */
  addedTagIds: idList,
});

export type ContactState = z.infer<typeof contactStateSchema>;
export type ValueRow = z.infer<typeof valueRowSchema>;
export type MergeSnapshot = z.infer<typeof mergeSnapshotSchema>;

export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
export const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

export const ordered = [{ isPrimary: "desc" }, { createdAt: "asc" }, { id: "asc" }] as const;

const stateSelect = {
  id: true,
  name: true,
  nameSort: true,
  email: true,
  phone: true,
  stage: true,
  source: true,
  searchText: true,
  lastInteractionAt: true,
  nextInteractionAt: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  deletionId: true,
  emails: {
    select: { id: true, email: true, label: true, isPrimary: true, createdAt: true },
    orderBy: [...ordered],
  },
  phones: {
    select: { id: true, phone: true, digits: true, label: true, isPrimary: true, createdAt: true },
    orderBy: [...ordered],
  },
  tags: { select: { tagId: true, createdAt: true }, orderBy: { tagId: "asc" } },
  fieldValues: {
    select: { fieldId: true, textValue: true, numberValue: true, dateValue: true },
    orderBy: { fieldId: "asc" },
  },
} satisfies Prisma.ContactSelect;

/** One of the actor's contacts (live or not) as snapshot JSON, or null. */
export async function readState(tx: Tx, actor: Actor, id: string): Promise<ContactState | null> {
  const row = await tx.contact.findFirst({
    where: { id, userId: actor.userId },
    select: stateSelect,
  });
  if (!row) return null;
  const { emails, phones, tags, fieldValues, ...contact } = row;
  return {
    contact: {
      ...contact,
      lastInteractionAt: isoOrNull(contact.lastInteractionAt),
      nextInteractionAt: isoOrNull(contact.nextInteractionAt),
      createdAt: contact.createdAt.toISOString(),
      updatedAt: contact.updatedAt.toISOString(),
      deletedAt: isoOrNull(contact.deletedAt),
    },
    emails: emails.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    phones: phones.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
    tags: tags.map((t) => ({ tagId: t.tagId, createdAt: t.createdAt.toISOString() })),
    values: fieldValues.map((v) => ({
      fieldId: v.fieldId,
      textValue: v.textValue,
      numberValue: v.numberValue === null ? null : v.numberValue.toString(),
      dateValue: v.dateValue === null ? null : v.dateValue.toISOString().slice(0, 10),
    })),
  };
}

/** Identifies both contacts' current state: any edit to either changes it. */
export function fingerprint(survivor: ContactState, merged: ContactState): string {
  return createHash("sha256")
    .update(JSON.stringify([survivor, merged]))
    .digest("hex");
}

/** Locks both contact rows (in id order, so two merges cannot deadlock). */
export async function lockContacts(tx: Tx, actor: Actor, ids: string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT id FROM contacts
    WHERE id = ANY(${ids}::uuid[]) AND user_id = ${actor.userId}::uuid
    ORDER BY id
    FOR UPDATE`;
}

/** Both contacts, live and the actor's, or NotFoundError. */
export async function requireBoth(tx: Tx, actor: Actor, survivorId: string, mergedId: string) {
  const survivor = await readState(tx, actor, survivorId);
  const merged = await readState(tx, actor, mergedId);
  if (!survivor || survivor.contact.deletedAt || !merged || merged.contact.deletedAt) {
    throw new NotFoundError(CONTACT_NOT_FOUND);
  }
  return { survivor, merged };
}

export const valueKey = (value: ValueRow | null | undefined) =>
  value ? JSON.stringify([value.textValue, value.numberValue, value.dateValue]) : "null";

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "");

/** The survivor's value, unless it is empty and the merged contact's is not. */
export function defaultChoice(survivorValue: unknown, mergedValue: unknown): MergeChoice {
  return isEmpty(survivorValue) && !isEmpty(mergedValue) ? "merged" : "survivor";
}

export interface FieldMeta {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
}

export async function fieldsOf(tx: Tx, actor: Actor): Promise<FieldMeta[]> {
  return tx.customField.findMany({
    where: { userId: actor.userId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: { id: true, key: true, label: true, type: true },
  });
}

export function displayValue(
  type: CustomFieldType,
  value: ValueRow | undefined,
): string | number | null {
  if (!value) return null;
  if (type === "number") return value.numberValue === null ? null : Number(value.numberValue);
  if (type === "date") return value.dateValue;
  return value.textValue;
}

/** Emails in the order the survivor will have them: its own (primary first), then the others. */
export function unionEmails(survivor: ContactState, merged: ContactState) {
  return [...survivor.emails, ...merged.emails];
}

/** The merged contact's phones split into those that move and those the survivor has. */
export function splitPhones(survivor: ContactState, merged: ContactState) {
  const digits = new Set(survivor.phones.map((p) => p.digits));
  return {
    moved: merged.phones.filter((p) => !digits.has(p.digits)),
    dropped: merged.phones.filter((p) => digits.has(p.digits)),
  };
}

export async function moveNotesAndTasks(
  tx: Tx,
  actor: Actor,
  noteIds: string[],
  taskIds: string[],
  from: string,
  to: string,
): Promise<void> {
  if (noteIds.length > 0) {
    await tx.$executeRaw`
      UPDATE notes SET contact_id = ${to}::uuid
      WHERE id = ANY(${noteIds}::uuid[]) AND contact_id = ${from}::uuid
        AND user_id = ${actor.userId}::uuid`;
  }
  if (taskIds.length > 0) {
    await tx.$executeRaw`
      UPDATE tasks SET contact_id = ${to}::uuid
      WHERE id = ANY(${taskIds}::uuid[]) AND contact_id = ${from}::uuid
        AND user_id = ${actor.userId}::uuid`;
  }
}

export function storedColumns(value: ValueRow) {
  return {
    textValue: value.textValue,
    numberValue: value.numberValue === null ? null : new Prisma.Decimal(value.numberValue),
    dateValue: value.dateValue === null ? null : new Date(`${value.dateValue}T00:00:00.000Z`),
  };
}

export async function writeValue(
  tx: Tx,
  actor: Actor,
  contactId: string,
  fieldId: string,
  value: ValueRow | null,
): Promise<void> {
  if (value === null) {
    await tx.contactFieldValue.deleteMany({ where: { contactId, fieldId, userId: actor.userId } });
    return;
  }
  const columns = storedColumns(value);
  await tx.contactFieldValue.upsert({
    where: { contactId_fieldId: { contactId, fieldId } },
    create: { contactId, fieldId, userId: actor.userId, ...columns },
    update: columns,
  });
}
