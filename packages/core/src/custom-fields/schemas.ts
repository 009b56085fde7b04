import { z } from "zod";
import { distinctBy, recordIdSchema } from "../shared/schemas.ts";

export const customFieldTypes = ["text", "number", "date", "select"] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** Limits of the values (the contact_field_values columns). */
export const CUSTOM_TEXT_MAX_LENGTH = 2000;
export const CUSTOM_NUMBER_LIMIT = 1e14;
export const CUSTOM_FIELD_KEY_MAX_LENGTH = 60;

export const customFieldLabelSchema = z
  .string({ error: "Label must be text." })
  .trim()
  .min(1, "Label is required.")
  .max(80, "Label must be at most 80 characters.");

export const customFieldOptionSchema = z
  .string({ error: "Options must be text." })
  .trim()
  .min(1, "Options cannot be blank.")
  .max(100, "Options must be at most 100 characters.");

/** The choices of a select field: 1 to 50, no two alike (whatever their case). */
export const customFieldOptionsSchema = z
  .array(customFieldOptionSchema, { error: "Options must be a list." })
  .min(1, "Add at least one option.")
  .max(50, "At most 50 options.")
  .superRefine(distinctBy((option) => option.toLowerCase(), "This option is already in the list."));

export const customFieldCreateSchema = z
  .strictObject({
    label: customFieldLabelSchema,
    type: z.enum(customFieldTypes, { error: "Type is text, number, date or select." }),
    options: z
      .array(customFieldOptionSchema, { error: "Options must be a list." })
      .max(50, "At most 50 options.")
      .superRefine(
        distinctBy((option) => option.toLowerCase(), "This option is already in the list."),
      )
      .optional(),
  })
  .superRefine((field, ctx) => {
    const count = field.options?.length ?? 0;
    if (field.type === "select" && count === 0) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "Add at least one option." });
    }
    if (field.type !== "select" && count > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "Only select fields have options.",
      });
    }
  })
  .transform((field) => ({
    label: field.label,
    type: field.type,
    options: field.type === "select" ? (field.options ?? []) : [],
  }));
export type CustomFieldCreateInput = z.input<typeof customFieldCreateSchema>;

/** Renames a field and, for a select field, replaces its options. */
export const customFieldUpdateSchema = z
  .strictObject({
    id: recordIdSchema,
    label: customFieldLabelSchema.optional(),
    options: customFieldOptionsSchema.optional(),
  })
  .refine((input) => input.label !== undefined || input.options !== undefined, {
    message: "Nothing to change: give a label or options.",
  });
export type CustomFieldUpdateInput = z.input<typeof customFieldUpdateSchema>;

/** The fields in their new order; fields left out keep their order after these. */
export const customFieldReorderSchema = z.strictObject({
  ids: z
    .array(recordIdSchema, { error: "Give the fields in their new order." })
    .min(1, "Give the fields in their new order.")
    .max(200, "At most 200 fields.")
    .superRefine(distinctBy((id) => id, "This field is already in the list.")),
});
export type CustomFieldReorderInput = z.input<typeof customFieldReorderSchema>;

export const customFieldIdInputSchema = z.strictObject({ id: recordIdSchema });

export const contactFieldValuesInputSchema = z.strictObject({ contactId: recordIdSchema });

/** A value as a form sends it; null (or blank text) clears it. Checked per type by the service. */
export const customFieldValueSchema = z.union(
  [z.string().max(10_000, "This value is far too long."), z.number(), z.null()],
  { error: "A value is text, a finite number or null." },
);
export type CustomFieldValue = z.output<typeof customFieldValueSchema>;

export const setFieldValuesSchema = z.strictObject({
  contactId: recordIdSchema,
  /** Keyed by field id. */
  values: z
    .record(recordIdSchema, customFieldValueSchema, { error: "Values must be an object." })
    .refine((values) => Object.keys(values).length >= 1, "Give at least one value.")
    .refine((values) => Object.keys(values).length <= 100, "At most 100 values at a time."),
});
export type SetFieldValuesInput = z.input<typeof setFieldValuesSchema>;
