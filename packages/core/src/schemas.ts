import { z } from "zod";
import { timeZoneSchema } from "./shared/schemas.ts";

/**
 * Input schemas shared by forms in the browser and by the API procedures, so both report the
 * same field errors. Pure zod: safe to import from client components.
 */

/** An optional text field: blank means "not given" and is stored as null. */
const optionalText = <T extends z.ZodType<string, string>>(schema: T) =>
  z
    .string({ error: "Must be text." })
    .trim()
    .transform((value) => (value === "" ? null : value))
    .pipe(schema.nullable())
    .nullish()
    .transform((value) => value ?? null);

export const idSchema = z.uuid({ error: "Not a valid id." });

export const contactNameSchema = z
  .string({ error: "Name is required." })
  .trim()
  .min(1, "Name is required.")
  .max(200, "Name must be at most 200 characters.");

export const contactEmailSchema = z
  .string()
  .trim()
  .max(320, "Email must be at most 320 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }))
  .transform((email) => email.toLowerCase());

export const contactPhoneSchema = z
  .string()
  .trim()
  .min(3, "Phone must have at least 3 characters.")
  .max(40, "Phone must be at most 40 characters.")
  .regex(/^\+?[0-9 ().\-/]+$/, "Phone may contain digits, spaces, + ( ) . - and /.")
  .refine((phone) => /[0-9].*[0-9]/.test(phone), "Phone must contain digits.");

/** The lifecycle stages every practice has; users may add their own (see stages). */
export const builtInStages = [
  { key: "lead", label: "Lead" },
  { key: "active", label: "Active client" },
  { key: "past", label: "Past client" },
] as const;

export const stageKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Not a valid stage.");

const uniqueBy =
  (key: (value: string) => string, message: string) => (values: string[], ctx: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    values.forEach((value, index) => {
      const k = key(value);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [index], message });
      seen.set(k, index);
    });
  };

export const phoneDigits = (phone: string) => phone.replace(/[^0-9]/g, "");

/** The first email and the first phone are the primary ones. */
const contactFields = {
  name: contactNameSchema,
  emails: z
    .array(contactEmailSchema)
    .max(20, "At most 20 emails.")
    .superRefine(uniqueBy((email) => email, "This email is already in the list.")),
  phones: z
    .array(contactPhoneSchema)
    .max(20, "At most 20 phone numbers.")
    .superRefine(uniqueBy(phoneDigits, "This number is already in the list.")),
  stage: stageKeySchema,
  source: optionalText(z.string().max(100, "Source must be at most 100 characters.")),
};

export const contactInputSchema = z.strictObject({
  name: contactFields.name,
  emails: contactFields.emails.default([]),
  phones: contactFields.phones.default([]),
  stage: contactFields.stage.default("lead"),
  source: contactFields.source,
});
export type ContactInput = z.input<typeof contactInputSchema>;
export type ContactData = z.output<typeof contactInputSchema>;

/** Only the fields given change; `emails` and `phones` replace the whole list. */
export const contactPatchSchema = z.strictObject({
  name: contactFields.name.optional(),
  emails: contactFields.emails.optional(),
  phones: contactFields.phones.optional(),
  stage: contactFields.stage.optional(),
  source: contactFields.source.optional(),
});

export const contactUpdateSchema = z.strictObject({
  id: idSchema,
  data: contactPatchSchema,
});
export type ContactUpdateInput = z.input<typeof contactUpdateSchema>;

export const contactIdInputSchema = z.strictObject({ id: idSchema });

export const contactIdsSchema = z
  .array(idSchema)
  .min(1, "Select at least one contact.")
  .max(1000, "At most 1000 contacts at a time.");

export const contactBulkDeleteSchema = z.strictObject({ ids: contactIdsSchema });
export const contactRestoreSchema = z.strictObject({ deletionId: idSchema });
export const contactBulkStageSchema = z.strictObject({
  ids: contactIdsSchema,
  stage: stageKeySchema,
});

export const contactSortFields = [
  "name",
  "stage",
  "email",
  "phone",
  "createdAt",
  "lastInteractionAt",
] as const;
export type ContactSortField = (typeof contactSortFields)[number];

export const datePresets = [
  "today",
  "this_week",
  "this_month",
  "this_quarter",
  "this_year",
  "last_7_days",
  "last_30_days",
  "last_90_days",
] as const;
export type DatePreset = (typeof datePresets)[number];

export const dateRangeSchema = z.union([
  z.strictObject({ preset: z.enum(datePresets) }),
  z
    .strictObject({ from: z.coerce.date().optional(), to: z.coerce.date().optional() })
    .refine((r) => !r.from || !r.to || r.from <= r.to, {
      message: "The start must be before the end.",
      path: ["to"],
    }),
]);
export type DateRangeInput = z.input<typeof dateRangeSchema>;
export type DateRangeValue = z.output<typeof dateRangeSchema>;

export const customFieldConditionSchema = z.discriminatedUnion("op", [
  z.strictObject({ fieldId: idSchema, op: z.literal("is"), value: z.string().max(2000) }),
  z.strictObject({
    fieldId: idSchema,
    op: z.literal("contains"),
    value: z.string().min(1).max(200),
  }),
  z.strictObject({
    fieldId: idSchema,
    op: z.enum(["gt", "lt"]),
    value: z.union([z.number(), z.iso.date()]),
  }),
  z.strictObject({ fieldId: idSchema, op: z.enum(["empty", "not_empty"]) }),
]);
export type CustomFieldCondition = z.infer<typeof customFieldConditionSchema>;

export const contactFiltersSchema = z.strictObject({
  tagIds: z.array(idSchema).max(20, "At most 20 tags.").optional(),
  /** any: contacts with at least one of the tags; all: with every one of them. */
  tagMode: z.enum(["any", "all"]).default("any"),
  stages: z.array(stageKeySchema).max(20).optional(),
  createdAt: dateRangeSchema.optional(),
  lastInteractionAt: dateRangeSchema.optional(),
  /** Contacts never interacted with. */
  noInteraction: z.boolean().optional(),
  /** Conditions on the user's custom fields, all of which must hold. */
  custom: z.array(customFieldConditionSchema).max(10, "At most 10 field conditions.").optional(),
});
export type ContactFilters = z.input<typeof contactFiltersSchema>;

export const contactListInputSchema = z.strictObject({
  limit: z.number().int().min(1).max(200).default(50),
  sort: z
    .strictObject({
      field: z.enum(contactSortFields),
      direction: z.enum(["asc", "desc"]),
    })
    .default({ field: "createdAt", direction: "desc" }),
  search: z.string().trim().max(200, "Search must be at most 200 characters.").optional(),
  filters: contactFiltersSchema.default({ tagMode: "any" }),
  /** IANA time zone the date presets are resolved in ("this week" is the user's week). */
  timeZone: timeZoneSchema.default("UTC"),
  /** Opaque keyset cursor from a previous page's `nextCursor` or `prevCursor`. */
  cursor: z.string().max(1000).nullish(),
});
export type ContactListInput = z.input<typeof contactListInputSchema>;
