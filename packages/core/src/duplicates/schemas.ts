import { z } from "zod";
import { pageCursorSchema, pageLimitSchema, recordIdSchema } from "../shared/schemas.ts";

/**
 * Inputs of duplicate suggestions, merges and their undo. Pure zod: safe to import from client
 * components (the merge page builds its `fields` with these names).
 */

/** Why two contacts look like the same person, strongest evidence first. */
export const duplicateReasons = ["same gmail address", "same phone", "similar name"] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export const duplicateListInputSchema = z.strictObject({
  limit: pageLimitSchema(25),
  cursor: pageCursorSchema,
});
export type DuplicateListInput = z.input<typeof duplicateListInputSchema>;

/** Two different contacts, in any order. */
export const contactPairSchema = z.strictObject({
  contactIds: z
    .tuple([recordIdSchema, recordIdSchema], { error: "Give exactly two contacts." })
    .refine(([a, b]) => a.toLowerCase() !== b.toLowerCase(), "Choose two different contacts."),
});
export type ContactPairInput = z.input<typeof contactPairSchema>;

const differentContacts = {
  message: "A contact cannot be merged with itself.",
  path: ["mergedId"],
};

export const mergePreviewInputSchema = z
  .strictObject({ survivorId: recordIdSchema, mergedId: recordIdSchema })
  .refine(
    (input) => input.survivorId.toLowerCase() !== input.mergedId.toLowerCase(),
    differentContacts,
  );
export type MergePreviewInput = z.input<typeof mergePreviewInputSchema>;

/** Whose value the merged contact keeps for one field. */
export const mergeChoices = ["survivor", "merged"] as const;
export type MergeChoice = (typeof mergeChoices)[number];

/** The contact's own fields a merge lets the user choose; custom fields go by their id. */
export const mergeScalarFields = ["name", "stage", "source"] as const;
export type MergeScalarField = (typeof mergeScalarFields)[number];

/** At most this many choices: the three own fields and the custom fields (at most 200). */
export const MERGE_MAX_FIELD_CHOICES = 203;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `key` names a field a merge can choose for: name, stage, source or a field id. */
export function isMergeFieldKey(key: string): boolean {
  return (mergeScalarFields as readonly string[]).includes(key) || UUID.test(key);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `{ name: "merged", [customFieldId]: "survivor", … }`. Fields left out take the preview's
 * default: the survivor's value, unless it is empty and the merged contact's is not.
 */
export const mergeFieldChoicesSchema = z
  .custom<Partial<Record<string, MergeChoice>>>(isPlainObject, "Fields must be an object.")
  .superRefine((fields, ctx) => {
    const keys = Object.keys(fields);
    if (keys.length > MERGE_MAX_FIELD_CHOICES) {
      ctx.addIssue({ code: "custom", message: `At most ${MERGE_MAX_FIELD_CHOICES} fields.` });
      return;
    }
    for (const key of keys) {
      if (!isMergeFieldKey(key)) {
        const shown = key.length > 40 ? `${key.slice(0, 39)}…` : key;
        ctx.addIssue({
          code: "custom",
          message: `Unknown field “${shown}”: choose name, stage, source or a custom field.`,
        });
      } else if (!(mergeChoices as readonly unknown[]).includes(fields[key])) {
        ctx.addIssue({ code: "custom", path: [key], message: 'Choose "survivor" or "merged".' });
      }
    }
  });

export const mergeInputSchema = z
  .strictObject({
    survivorId: recordIdSchema,
    mergedId: recordIdSchema,
    fields: mergeFieldChoicesSchema.optional(),
    /**
     * The `previewToken` of the preview the user decided on: when given, the merge is refused
     * if either contact changed since.
     */
    previewToken: z
      .string({ error: "Not a valid preview token." })
      .regex(/^[0-9a-f]{64}$/, "Not a valid preview token.")
      .optional(),
  })
  .refine(
    (input) => input.survivorId.toLowerCase() !== input.mergedId.toLowerCase(),
    differentContacts,
  );
export type MergeInput = z.input<typeof mergeInputSchema>;

export const mergeIdInputSchema = z.strictObject({ mergeId: recordIdSchema });
export type MergeIdInput = z.input<typeof mergeIdInputSchema>;

export const mergeListInputSchema = z.strictObject({
  limit: pageLimitSchema(20),
  cursor: pageCursorSchema,
});
export type MergeListInput = z.input<typeof mergeListInputSchema>;
