import type { Db, Prisma } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.ts";
import { requireContact } from "../shared/contacts.ts";
import { isUniqueViolation, lockUserScope, type Tx } from "../shared/db.ts";
import { deriveKey } from "../shared/keys.ts";
import { checkFieldValue, type StoredFieldValue } from "./values.ts";
import { sameName } from "../shared/text.ts";
import {
  contactFieldValuesInputSchema,
  CUSTOM_FIELD_KEY_MAX_LENGTH,
  customFieldCreateSchema,
  customFieldIdInputSchema,
  customFieldReorderSchema,
  customFieldUpdateSchema,
  setFieldValuesSchema,
  type CustomFieldCreateInput,
  type CustomFieldReorderInput,
  type CustomFieldType,
  type CustomFieldUpdateInput,
  type CustomFieldValue,
  type SetFieldValuesInput,
} from "./schemas.ts";

export interface CustomFieldRecord {
  id: string;
  /** Derived from the label at creation; stable across renames. */
  key: string;
  label: string;
  type: CustomFieldType;
  /** The choices of a select field; empty for the other types. */
  options: string[];
  position: number;
}

/** One field of a contact: text, a number, a date as "YYYY-MM-DD", an option; null when unset. */
export interface ContactFieldValueRecord {
  fieldId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  value: string | number | null;
}

const FIELD_NOT_FOUND = "This field does not exist or was deleted.";

const select = {
  id: true,
  key: true,
  label: true,
  type: true,
  options: true,
  position: true,
} satisfies Prisma.CustomFieldSelect;

const ordered = [
  { position: "asc" },
  { createdAt: "asc" },
  { id: "asc" },
] satisfies Prisma.CustomFieldOrderByWithRelationInput[];

function labelConflict(message: string): ConflictError {
  return new ConflictError(message, { label: [message] });
}

async function fieldsOf(tx: Tx, actor: Actor): Promise<CustomFieldRecord[]> {
  return tx.customField.findMany({ where: { userId: actor.userId }, orderBy: ordered, select });
}

async function requireField(tx: Tx, actor: Actor, id: string): Promise<CustomFieldRecord> {
  const field = await tx.customField.findFirst({ where: { id, userId: actor.userId }, select });
  if (!field) throw new NotFoundError(FIELD_NOT_FOUND);
  return field;
}

async function assertLabelFree(
  tx: Tx,
  actor: Actor,
  label: string,
  key: string | null,
  exceptId?: string,
) {
  const others = (await fieldsOf(tx, actor)).filter((f) => f.id !== exceptId);
  const sameLabel = others.find((f) => sameName(f.label, label));
  if (sameLabel) throw labelConflict(`You already have a field named “${sameLabel.label}”.`);
  const sameKey = others.find((f) => f.key === key);
  if (sameKey) {
    throw labelConflict(
      `This name is too close to your field “${sameKey.label}”; choose another one.`,
    );
  }
}

/** The actor's fields, in their order. */
export async function listFields(db: Db, actor: Actor): Promise<CustomFieldRecord[]> {
  return fieldsOf(db, actor);
}

/** Defines a field after the others; its key is derived from the label. */
export async function createField(
  db: Db,
  actor: Actor,
  input: CustomFieldCreateInput,
): Promise<CustomFieldRecord> {
  const { label, type, options } = customFieldCreateSchema.parse(input);
  const key = deriveKey(label, CUSTOM_FIELD_KEY_MAX_LENGTH, "field");
  try {
    return await db.$transaction(async (tx) => {
      await lockUserScope(tx, actor, "custom-fields");
      await assertLabelFree(tx, actor, label, key);
      const last = await tx.customField.aggregate({
        where: { userId: actor.userId },
        _max: { position: true },
      });
      return tx.customField.create({
        data: {
          userId: actor.userId,
          key,
          label,
          type,
          options,
          position: (last._max.position ?? -1) + 1,
        },
        select,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw labelConflict("You already have a field with this name.");
    throw error;
  }
}

/**
 * Renames a field and/or replaces a select field's options. Removing an option that contacts
 * have is refused, saying how many.
 */
export async function updateField(
  db: Db,
  actor: Actor,
  input: CustomFieldUpdateInput,
): Promise<CustomFieldRecord> {
  const { id, label, options } = customFieldUpdateSchema.parse(input);
  return db.$transaction(async (tx) => {
    await lockUserScope(tx, actor, "custom-fields");
    const field = await requireField(tx, actor, id);
    if (label !== undefined) await assertLabelFree(tx, actor, label, null, id);
    if (options !== undefined) {
      if (field.type !== "select") {
        throw new InvalidInputError("Only select fields have options.", {
          options: ["Only select fields have options."],
        });
      }
      const removed = field.options.filter((option) => !options.includes(option));
      if (removed.length > 0) {
        const used = await tx.contactFieldValue.groupBy({
          by: ["textValue"],
          where: {
            fieldId: id,
            userId: actor.userId,
            textValue: { in: removed },
            contact: { deletedAt: null },
          },
          _count: { _all: true },
          orderBy: { textValue: "asc" },
        });
        const first = used[0];
        if (first) {
          const n = first._count._all;
          const message = `${n === 1 ? "1 contact has" : `${n} contacts have`} “${first.textValue}” in this field; change ${n === 1 ? "it" : "them"} first.`;
          throw new ConflictError(message, { options: [message] });
        }
        // Deleted contacts waiting for undo lose the removed option instead.
        await tx.contactFieldValue.deleteMany({
          where: { fieldId: id, userId: actor.userId, textValue: { in: removed } },
        });
      }
    }
    return tx.customField.update({ where: { id }, data: { label, options }, select });
  });
}

/** Puts the listed fields first, in that order; the others follow in their current order. */
export async function reorderFields(
  db: Db,
  actor: Actor,
  input: CustomFieldReorderInput,
): Promise<CustomFieldRecord[]> {
  const { ids } = customFieldReorderSchema.parse(input);
  return db.$transaction(async (tx) => {
    await lockUserScope(tx, actor, "custom-fields");
    const fields = await fieldsOf(tx, actor);
    const byId = new Map(fields.map((f) => [f.id, f]));
    if (ids.some((id) => !byId.has(id))) {
      throw new NotFoundError(
        ids.length === 1 ? FIELD_NOT_FOUND : "Some of these fields do not exist or were deleted.",
      );
    }
    const listed = new Set(ids);
    const order = [...ids, ...fields.filter((f) => !listed.has(f.id)).map((f) => f.id)];
    for (const [position, id] of order.entries()) {
      if (byId.get(id)?.position !== position) {
        await tx.customField.update({ where: { id }, data: { position } });
      }
    }
    return fieldsOf(tx, actor);
  });
}

/** Deletes a field and every contact's value of it. */
export async function deleteField(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = customFieldIdInputSchema.parse(input);
  const { count } = await db.customField.deleteMany({ where: { id, userId: actor.userId } });
  if (count === 0) throw new NotFoundError(FIELD_NOT_FOUND);
  return { id };
}

type Checked = { ok: true; stored: StoredFieldValue | null } | { ok: false; message: string };

/** Checks a value against its field's type; `stored: null` clears the value. */
function checkValue(field: CustomFieldRecord, raw: CustomFieldValue): Checked {
  if (raw === null) return { ok: true, stored: null };
  if (typeof raw === "string" && raw.trim() === "") return { ok: true, stored: null };
  const checked = checkFieldValue(field, raw);
  if (checked.ok) return checked;
  return { ok: false, message: `${checked.problem[0]!.toUpperCase()}${checked.problem.slice(1)}.` };
}

function readValue(
  type: CustomFieldType,
  row: { textValue: string | null; numberValue: Prisma.Decimal | null; dateValue: Date | null },
): string | number | null {
  switch (type) {
    case "number":
      return row.numberValue === null ? null : row.numberValue.toNumber();
    case "date":
      return row.dateValue === null ? null : row.dateValue.toISOString().slice(0, 10);
    default:
      return row.textValue;
  }
}

async function valuesOf(tx: Tx, actor: Actor, contactId: string) {
  const [fields, rows] = await Promise.all([
    fieldsOf(tx, actor),
    tx.contactFieldValue.findMany({
      where: { contactId, userId: actor.userId },
      select: { fieldId: true, textValue: true, numberValue: true, dateValue: true },
    }),
  ]);
  const byField = new Map(rows.map((row) => [row.fieldId, row]));
  return fields.map((field): ContactFieldValueRecord => {
    const row = byField.get(field.id);
    return {
      fieldId: field.id,
      key: field.key,
      label: field.label,
      type: field.type,
      value: row ? readValue(field.type, row) : null,
    };
  });
}

/** Every field of the actor, in order, with this contact's value (null when unset). */
export async function getFieldValues(
  db: Db,
  actor: Actor,
  input: { contactId: string },
): Promise<ContactFieldValueRecord[]> {
  const { contactId } = contactFieldValuesInputSchema.parse(input);
  await requireContact(db, actor, contactId);
  return valuesOf(db, actor, contactId);
}

/**
 * Sets (or, with null, clears) a contact's values, all or nothing. Each value is checked
 * against its field's type; what is wrong is reported under the field's id.
 */
export async function setFieldValues(
  db: Db,
  actor: Actor,
  input: SetFieldValuesInput,
): Promise<ContactFieldValueRecord[]> {
  const { contactId, values } = setFieldValuesSchema.parse(input);
  const fieldIds = Object.keys(values);
  return db.$transaction(async (tx) => {
    await requireContact(tx, actor, contactId);
    const fields = await tx.customField.findMany({
      where: { id: { in: fieldIds }, userId: actor.userId },
      select,
    });
    if (fields.length !== fieldIds.length) {
      throw new NotFoundError(
        fieldIds.length === 1
          ? FIELD_NOT_FOUND
          : "Some of these fields do not exist or were deleted.",
      );
    }
    const fieldErrors: Record<string, string[]> = {};
    const changes: { field: CustomFieldRecord; stored: StoredFieldValue | null }[] = [];
    for (const field of fields) {
      const checked = checkValue(field, values[field.id] ?? null);
      if (checked.ok) changes.push({ field, stored: checked.stored });
      else fieldErrors[field.id] = [checked.message];
    }
    if (Object.keys(fieldErrors).length > 0) {
      throw new InvalidInputError("Some values are not valid.", fieldErrors);
    }
    const before = new Map(
      (await valuesOf(tx, actor, contactId)).map((value) => [value.fieldId, value.value]),
    );
    for (const { field, stored } of changes) {
      if (stored === null) {
        await tx.contactFieldValue.deleteMany({
          where: { contactId, fieldId: field.id, userId: actor.userId },
        });
        continue;
      }
      const columns = { textValue: null, numberValue: null, dateValue: null, ...stored };
      await tx.contactFieldValue.upsert({
        where: { contactId_fieldId: { contactId, fieldId: field.id } },
        create: { contactId, fieldId: field.id, userId: actor.userId, ...columns },
        update: columns,
      });
    }
    const after = await valuesOf(tx, actor, contactId);
    const changed = after.filter(
      (value) => fieldIds.includes(value.fieldId) && before.get(value.fieldId) !== value.value,
    );
    await tx.timelineEvent.createMany({
      data: changed.map((value) => ({
        userId: actor.userId,
        contactId,
        kind: "contact.field_changed",
        summary: (value.value === null
          ? `${value.label} cleared`
          : `${value.label} set to ${String(value.value)}`
        ).slice(0, 500),
        data: { fieldId: value.fieldId, from: before.get(value.fieldId) ?? null, to: value.value },
      })),
    });
    return after;
  });
}
