import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { buildSearchText, nameSortKey } from "../contacts/service.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { Tx } from "../shared/db.ts";
import { truncate } from "../shared/text.ts";
import { resolveStage } from "../stages/service.ts";
import { recordTimelineEvent } from "../timeline/service.ts";
import type { CustomFieldType } from "../custom-fields/schemas.ts";
import {
  mergeInputSchema,
  mergePreviewInputSchema,
  mergeScalarFields,
  type MergeChoice,
  type MergeInput,
  type MergePreviewInput,
  type MergeScalarField,
} from "./schemas.ts";
import {
  dateOrNull,
  defaultChoice,
  displayValue,
  fieldsOf,
  fingerprint,
  lockContacts,
  moveNotesAndTasks,
  requireBoth,
  splitPhones,
  unionEmails,
  valueKey,
  writeValue,
  type ContactState,
  type FieldMeta,
  type MergeSnapshot,
  type ValueRow,
} from "./snapshot.ts";

/**
 * Merging two contacts into one, and undoing it.
 *
 * The survivor keeps its id and gets: the chosen name, stage, source and custom values; the
 * union of both contacts' emails (the merged contact's address rows move over) and phones (a
 * number whose digits the survivor already has is dropped); the union of their tags; the
 * merged contact's notes, tasks and timeline events; the later last interaction and the
 * earlier next one. The survivor's primary email and phone stay primary; when the survivor
 * has none, the merged contact's primary becomes the survivor's. The merged contact is
 * soft-deleted with `deletionId` = the merge's id.
 *
 * The ContactMerge row keeps a snapshot of both contacts as they were (every column, email and
 * phone rows with their ids and primary flags, tag ids, custom values), the ids of what moved
 * and the survivor's values right after the merge. Undo puts everything back; on the survivor
 * it only reverts what still has the value the merge gave it, so edits made since the merge
 * (a new email, a renamed contact, a note written later) are kept.
 */

/** Emails (and phones) a contact can have, as in the contact form. */
const MAX_EMAILS = 20;
const MAX_PHONES = 20;
const FIELD_NOT_FOUND = "This field does not exist or was deleted.";

// ---------------------------------------------------------------------------------------------
// Preview

export interface MergeSideTag {
  id: string;
  name: string;
  color: string | null;
}

export interface MergeSideFieldValue {
  fieldId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  /** Text, a number, a date as YYYY-MM-DD, an option; null when unset. */
  value: string | number | null;
}

/** One contact, in full, for the side-by-side merge page. */
export interface MergeSide {
  id: string;
  name: string;
  /** Primary email and phone. */
  email: string | null;
  phone: string | null;
  emails: { email: string; label: string | null; isPrimary: boolean }[];
  phones: { phone: string; label: string | null; isPrimary: boolean }[];
  stage: { key: string; label: string };
  source: string | null;
  tags: MergeSideTag[];
  /** Every custom field of the actor, in order, with this contact's value. */
  customValues: MergeSideFieldValue[];
  counts: { notes: number; tasks: number; timelineEvents: number };
  lastInteractionAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One choice of the merge page: a field whose two values may differ. */
export interface MergeFieldOption {
  /** "name", "stage", "source", or a custom field's id: the key of `fields` in mergeContacts. */
  key: string;
  label: string;
  /** "text" for name and source, "stage", or the custom field's type. */
  type: "text" | "stage" | CustomFieldType;
  /** The two values as shown (a stage's label). */
  survivor: string | number | null;
  merged: string | number | null;
  /** What mergeContacts does when `fields` leaves this key out. */
  default: MergeChoice;
  differs: boolean;
}

export interface MergePreview {
  survivor: MergeSide;
  merged: MergeSide;
  /** Name, stage, source, then every custom field either contact has a value for. */
  fields: MergeFieldOption[];
  /** What the survivor gets whatever the choices. */
  combined: {
    emails: string[];
    phones: string[];
    tags: MergeSideTag[];
    counts: { notes: number; tasks: number; timelineEvents: number };
  };
  /** Pass to mergeContacts: the merge is refused if either contact changed in between. */
  previewToken: string;
}

async function countsOf(tx: Tx, actor: Actor, contactId: string) {
  const where = { contactId, userId: actor.userId };
  const [notes, tasks, timelineEvents] = [
    await tx.note.count({ where }),
    await tx.task.count({ where }),
    await tx.timelineEvent.count({ where }),
  ];
  return { notes, tasks, timelineEvents };
}

async function sideOf(
  tx: Tx,
  actor: Actor,
  state: ContactState,
  fields: FieldMeta[],
  tags: MergeSideTag[],
): Promise<MergeSide> {
  const { contact } = state;
  const stage = await resolveStage(tx, actor, contact.stage);
  const values = new Map(state.values.map((v) => [v.fieldId, v]));
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    emails: state.emails.map(({ email, label, isPrimary }) => ({ email, label, isPrimary })),
    phones: state.phones.map(({ phone, label, isPrimary }) => ({ phone, label, isPrimary })),
    stage: { key: contact.stage, label: stage?.label ?? contact.stage },
    source: contact.source,
    tags: tags.filter((t) => state.tags.some((own) => own.tagId === t.id)),
    customValues: fields.map((field) => ({
      fieldId: field.id,
      key: field.key,
      label: field.label,
      type: field.type,
      value: displayValue(field.type, values.get(field.id)),
    })),
    counts: await countsOf(tx, actor, contact.id),
    lastInteractionAt: dateOrNull(contact.lastInteractionAt),
    createdAt: new Date(contact.createdAt),
    updatedAt: new Date(contact.updatedAt),
  };
}

/**
 * Both contacts side by side, the default choice for every field that can differ, and what the
 * survivor gets in any case (emails, phones, tags, notes, tasks, timeline).
 */
export async function mergePreview(
  db: Db,
  actor: Actor,
  input: MergePreviewInput,
): Promise<MergePreview> {
  const { survivorId, mergedId } = mergePreviewInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    const { survivor, merged } = await requireBoth(tx, actor, survivorId, mergedId);
    const fields = await fieldsOf(tx, actor);
    const tagIds = [...new Set([...survivor.tags, ...merged.tags].map((t) => t.tagId))];
    const tagRows = await tx.tag.findMany({
      where: { id: { in: tagIds }, userId: actor.userId },
      select: { id: true, name: true, color: true },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
    const s = await sideOf(tx, actor, survivor, fields, tagRows);
    const m = await sideOf(tx, actor, merged, fields, tagRows);

    const option = (
      key: string,
      label: string,
      type: MergeFieldOption["type"],
      survivorValue: string | number | null,
      mergedValue: string | number | null,
      differs: boolean,
    ): MergeFieldOption => ({
      key,
      label,
      type,
      survivor: survivorValue,
      merged: mergedValue,
      default: defaultChoice(survivorValue, mergedValue),
      differs,
    });
    const options: MergeFieldOption[] = [
      option("name", "Name", "text", s.name, m.name, s.name !== m.name),
      option("stage", "Stage", "stage", s.stage.label, m.stage.label, s.stage.key !== m.stage.key),
      option("source", "Source", "text", s.source, m.source, s.source !== m.source),
    ];
    const survivorValues = new Map(survivor.values.map((v) => [v.fieldId, v]));
    const mergedValues = new Map(merged.values.map((v) => [v.fieldId, v]));
    fields.forEach((field, i) => {
      const sv = s.customValues[i]?.value ?? null;
      const mv = m.customValues[i]?.value ?? null;
      if (sv === null && mv === null) return;
      const differs =
        valueKey(survivorValues.get(field.id)) !== valueKey(mergedValues.get(field.id));
      options.push(option(field.id, field.label, field.type, sv, mv, differs));
    });

    const { moved } = splitPhones(survivor, merged);
    const survivorPrimaryless = survivor.emails.length === 0;
    return {
      survivor: s,
      merged: m,
      fields: options,
      combined: {
        emails: (survivorPrimaryless ? merged.emails : unionEmails(survivor, merged)).map(
          (e) => e.email,
        ),
        phones: [...survivor.phones, ...moved].map((p) => p.phone),
        tags: tagRows,
        counts: {
          notes: s.counts.notes + m.counts.notes,
          tasks: s.counts.tasks + m.counts.tasks,
          timelineEvents: s.counts.timelineEvents + m.counts.timelineEvents,
        },
      },
      previewToken: fingerprint(survivor, merged),
    };
  });
}
// ---------------------------------------------------------------------------------------------
// Merge

export interface MergeResult {
  /** Pass to undoMerge. */
  mergeId: string;
  survivorId: string;
  mergedId: string;
  createdAt: Date;
}

/** Lower-cases custom field ids, so "ABC…" and "abc…" are the same choice. */
function normalizeChoices(fields: Partial<Record<string, MergeChoice>>) {
  const choices = new Map<string, MergeChoice>();
  for (const [key, choice] of Object.entries(fields)) {
    if (choice) choices.set(key.toLowerCase(), choice);
  }
  return choices;
}

/** Moves rows to another contact without touching their `updated_at`. */
const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * Merges `mergedId` into `survivorId` in one transaction (see the top of this file), records
 * how to undo it, and adds "Merged with …" to the survivor's timeline.
 */
export async function mergeContacts(db: Db, actor: Actor, input: MergeInput): Promise<MergeResult> {
  const { survivorId, mergedId, fields, previewToken } = mergeInputSchema.parse(input);
  const choices = normalizeChoices(fields ?? {});
  return db.$transaction(
    async (tx) => {
      await lockContacts(tx, actor, [survivorId, mergedId]);
      const { survivor, merged } = await requireBoth(tx, actor, survivorId, mergedId);
      const s = survivor.contact;
      const m = merged.contact;

      const customFields = await fieldsOf(tx, actor);
      const known = new Set<string>([...mergeScalarFields, ...customFields.map((f) => f.id)]);
      const unknown = [...choices.keys()].filter((key) => !known.has(key));
      if (unknown.length > 0) {
        throw new NotFoundError(
          unknown.length === 1
            ? FIELD_NOT_FOUND
            : "Some of these fields do not exist or were deleted.",
        );
      }
      if (previewToken !== undefined && previewToken !== fingerprint(survivor, merged)) {
        throw new ConflictError(
          "One of these contacts changed since the merge was prepared. Review the merge again.",
        );
      }

      const emails = unionEmails(survivor, merged);
      const { moved: movedPhones, dropped: droppedPhones } = splitPhones(survivor, merged);
      if (emails.length > MAX_EMAILS) {
        throw new ConflictError(
          `Together these contacts have ${emails.length} emails; a contact can have at most ${MAX_EMAILS}. Remove some first.`,
        );
      }
      if (survivor.phones.length + movedPhones.length > MAX_PHONES) {
        throw new ConflictError(
          `Together these contacts have ${survivor.phones.length + movedPhones.length} phone numbers; a contact can have at most ${MAX_PHONES}. Remove some first.`,
        );
      }

      // Chosen scalar fields.
      const pick = <T>(key: MergeScalarField, ours: T, theirs: T): T =>
        (choices.get(key) ?? defaultChoice(ours, theirs)) === "merged" ? theirs : ours;
      const name = pick("name", s.name, m.name);
      const stage = pick("stage", s.stage, m.stage);
      const source = pick("source", s.source, m.source);

      // Emails: the merged contact's rows move; its primary stays primary only when the
      // survivor has no email.
      const survivorHasEmail = survivor.emails.length > 0;
      const emailIds = merged.emails.map((e) => e.id);
      if (emailIds.length > 0) {
        await tx.contactEmail.updateMany({
          where: { id: { in: emailIds }, userId: actor.userId },
          data: { contactId: survivorId, isPrimary: false },
        });
        const primary = merged.emails.find((e) => e.isPrimary) ?? merged.emails[0];
        if (!survivorHasEmail && primary) {
          await tx.contactEmail.update({ where: { id: primary.id }, data: { isPrimary: true } });
        }
      }
      const finalEmails = survivorHasEmail ? emails : merged.emails;

      // Phones: the same, except numbers the survivor already has.
      const survivorHasPhone = survivor.phones.length > 0;
      const phoneIds = movedPhones.map((p) => p.id);
      if (droppedPhones.length > 0) {
        await tx.contactPhone.deleteMany({
          where: { id: { in: droppedPhones.map((p) => p.id) }, userId: actor.userId },
        });
      }
      if (phoneIds.length > 0) {
        await tx.contactPhone.updateMany({
          where: { id: { in: phoneIds }, userId: actor.userId },
          data: { contactId: survivorId, isPrimary: false },
        });
        const primary = movedPhones.find((p) => p.isPrimary) ?? movedPhones[0];
        if (!survivorHasPhone && primary) {
          await tx.contactPhone.update({ where: { id: primary.id }, data: { isPrimary: true } });
        }
      }
      const finalPhones = survivorHasPhone ? [...survivor.phones, ...movedPhones] : movedPhones;

      // Tags: the survivor gets the ones it lacks; the merged contact keeps its own.
      const survivorTags = new Set(survivor.tags.map((t) => t.tagId));
      const addedTagIds = merged.tags.map((t) => t.tagId).filter((id) => !survivorTags.has(id));
      if (addedTagIds.length > 0) {
        await tx.contactTag.createMany({
          data: addedTagIds.map((tagId) => ({
            contactId: survivorId,
            tagId,
            userId: actor.userId,
          })),
          skipDuplicates: true,
        });
      }

      // Custom values: the chosen ones.
      const survivorValues = new Map(survivor.values.map((v) => [v.fieldId, v]));
      const mergedValues = new Map(merged.values.map((v) => [v.fieldId, v]));
      const changedValues: { fieldId: string; value: ValueRow | null }[] = [];
      for (const field of customFields) {
        const ours = survivorValues.get(field.id) ?? null;
        const theirs = mergedValues.get(field.id) ?? null;
        const choice = choices.get(field.id) ?? defaultChoice(ours, theirs);
        const chosen = choice === "merged" ? theirs : ours;
        if (valueKey(chosen) === valueKey(ours)) continue;
        const value = chosen ? { ...chosen, fieldId: field.id } : null;
        await writeValue(tx, actor, survivorId, field.id, value);
        changedValues.push({ fieldId: field.id, value });
      }

      // Notes, tasks and the timeline follow the person.
      const where = { contactId: mergedId, userId: actor.userId };
      const noteIds = (await tx.note.findMany({ where, select: { id: true } })).map((n) => n.id);
      const taskIds = (await tx.task.findMany({ where, select: { id: true } })).map((t) => t.id);
      // Synced interactions follow too, except those the survivor took part in already (its
      // own timeline entry for them stays the only one).
      const links = await tx.interactionContact.findMany({
        where: { contactId: { in: [mergedId, survivorId] }, userId: actor.userId },
        select: { contactId: true, interactionId: true },
      });
      const survivorHas = new Set(
        links.filter((l) => l.contactId === survivorId).map((l) => l.interactionId),
      );
      const interactionIds = links
        .filter((l) => l.contactId === mergedId && !survivorHas.has(l.interactionId))
        .map((l) => l.interactionId);
      const eventIds = (
        await tx.timelineEvent.findMany({ where, select: { id: true, interactionId: true } })
      )
        .filter((e) => e.interactionId === null || !survivorHas.has(e.interactionId))
        .map((e) => e.id);
      await moveNotesAndTasks(tx, actor, noteIds, taskIds, mergedId, survivorId);
      if (interactionIds.length > 0) {
        await tx.interactionContact.updateMany({
          where: {
            contactId: mergedId,
            interactionId: { in: interactionIds },
            userId: actor.userId,
          },
          data: { contactId: survivorId },
        });
      }
      if (eventIds.length > 0) {
        await tx.timelineEvent.updateMany({
          where: { id: { in: eventIds }, ...where },
          data: { contactId: survivorId },
        });
      }

      const lastInteractionAt = later(s.lastInteractionAt, m.lastInteractionAt);
      const nextInteractionAt = earlier(s.nextInteractionAt, m.nextInteractionAt);
      await tx.contact.update({
        where: { id: survivorId },
        data: {
          name,
          nameSort: nameSortKey(name),
          stage,
          source,
          email: finalEmails[0]?.email ?? null,
          phone: finalPhones[0]?.phone ?? null,
          searchText: buildSearchText(
            name,
            finalEmails.map((e) => e.email),
            finalPhones.map((p) => p.phone),
          ),
          lastInteractionAt: dateOrNull(lastInteractionAt),
          nextInteractionAt: dateOrNull(nextInteractionAt),
        },
      });

      const snapshot: MergeSnapshot = {
        version: 1,
        survivor,
        merged,
        after: { name, stage, source, lastInteractionAt, nextInteractionAt, values: changedValues },
        moved: { emailIds, phoneIds, noteIds, taskIds, eventIds, interactionIds },
        droppedPhoneIds: droppedPhones.map((p) => p.id),
        addedTagIds,
      };
      const merge = await tx.contactMerge.create({
        data: { userId: actor.userId, survivorId, mergedId, snapshot },
        select: { id: true, createdAt: true },
      });
      await tx.contact.update({
        where: { id: mergedId },
        data: { deletedAt: merge.createdAt, deletionId: merge.id },
      });
      await recordTimelineEvent(tx, actor, {
        contactId: survivorId,
        kind: "contact.merged",
        summary: `Merged with ${truncate(m.name, 200)}`,
        data: { mergeId: merge.id, mergedId, mergedName: m.name },
        occurredAt: merge.createdAt,
      });
      return { mergeId: merge.id, survivorId, mergedId, createdAt: merge.createdAt };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
