import { z } from "zod";
import { recordIdSchema } from "../shared/schemas.ts";

/**
 * Inputs of the CSV import (contacts from a spreadsheet, Google Contacts or Outlook). Pure zod:
 * safe to import from client components.
 */

/** What a CSV column can become. Several columns may map to email, phone and tags. */
export const importFieldTargets = [
  "name",
  "firstName",
  "lastName",
  "email",
  "phone",
  "stage",
  "source",
  "tags",
  "ignore",
] as const;
export type ImportFieldTarget = (typeof importFieldTargets)[number];

/** A custom field target: `custom:<fieldId>`. */
export type CustomFieldTarget = `custom:${string}`;
export type ImportTarget = ImportFieldTarget | CustomFieldTarget;

const CUSTOM_TARGET = /^custom:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const importTargetSchema = z
  .string({ error: "Choose what this column is." })
  .refine(
    (target) =>
      (importFieldTargets as readonly string[]).includes(target) || CUSTOM_TARGET.test(target),
    "Choose one of the contact fields, one of your custom fields, or “ignore”.",
  )
  .transform((target) => target as ImportTarget);

/** The targets one column at most may have. */
export const singleColumnTargets: readonly ImportTarget[] = [
  "name",
  "firstName",
  "lastName",
  "stage",
  "source",
];

export const IMPORT_MAX_COLUMNS = 500;
export const IMPORT_HEADER_MAX_LENGTH = 300;

/** CSV header -> target. Headers left out are ignored. */
export const importMappingSchema = z
  .record(
    z
      .string({ error: "Column names are text." })
      .min(1, "Column names cannot be blank.")
      .max(IMPORT_HEADER_MAX_LENGTH),
    importTargetSchema,
    { error: "The mapping must be an object: column name -> field." },
  )
  .refine(
    (mapping) => Object.keys(mapping).length <= IMPORT_MAX_COLUMNS,
    `At most ${IMPORT_MAX_COLUMNS} columns.`,
  );
export type ImportMapping = Record<string, ImportTarget>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export const importMatchByValues = ["email", "phone", "email_or_phone"] as const;
export type ImportMatchBy = (typeof importMatchByValues)[number];

/**
 * How rows find the contacts they are about: by email (any of the contact's, case-insensitive),
 * by phone digits, or both; and whether a match is updated (merged) or left alone.
 */
export const importOptionsSchema = z.strictObject({
  matchBy: z
    .enum(importMatchByValues, { error: "Match by email, phone, or email or phone." })
    .default("email"),
  onMatch: z
    .enum(["update", "skip"], { error: "Update or skip contacts you already have." })
    .default("update"),
});
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;
export type ImportOptions = z.output<typeof importOptionsSchema>;

export const importIdInputSchema = z.strictObject({ importId: recordIdSchema });
export type ImportIdInput = z.input<typeof importIdInputSchema>;

export const importPreviewSchema = z.strictObject({
  importId: recordIdSchema,
  mapping: importMappingSchema,
  options: importOptionsSchema.default({ matchBy: "email", onMatch: "update" }),
});
export type ImportPreviewInput = z.input<typeof importPreviewSchema>;

/**
 * Starts (or resumes) an import that was previewed. `mapping` and `options`, when given, must
 * be the ones of the last preview: a run never applies a mapping the user has not seen.
 */
export const importRunSchema = z.strictObject({
  importId: recordIdSchema,
  mapping: importMappingSchema.optional(),
  options: importOptionsSchema.optional(),
});
export type ImportRunInput = z.input<typeof importRunSchema>;

export const importPresetNameSchema = z
  .string({ error: "Name must be text." })
  .trim()
  .min(1, "Name is required.")
  .max(80, "Name must be at most 80 characters.");

/** Remembers a mapping for files with the same columns as this import's. */
export const importSaveMappingSchema = z.strictObject({
  importId: recordIdSchema,
  name: importPresetNameSchema,
  mapping: importMappingSchema,
});
export type ImportSaveMappingInput = z.input<typeof importSaveMappingSchema>;

export const importPresetsInputSchema = z
  .strictObject({ importId: recordIdSchema.optional() })
  .default({});
export type ImportPresetsInput = z.input<typeof importPresetsInputSchema>;

export const importListInputSchema = z
  .strictObject({
    limit: z
      .number({ error: "Limit must be a number." })
      .int("Limit must be a whole number.")
      .min(1, "Limit must be at least 1.")
      .max(100, "At most 100 imports.")
      .default(20),
  })
  .default({ limit: 20 });
export type ImportListInput = z.input<typeof importListInputSchema>;

/** The mapping presets OmniCRM knows. */
export const builtInImportPresets = [
  { key: "googleContacts", name: "Google Contacts" },
  { key: "outlook", name: "Outlook" },
] as const;
export type BuiltInImportPreset = (typeof builtInImportPresets)[number]["key"];

/** What a previewed or imported row became. */
export const importRowOutcomes = [
  "pending",
  "create",
  "update",
  "duplicate",
  "invalid",
  "skipped",
] as const;
export type ImportRowOutcome = (typeof importRowOutcomes)[number];

/** The states of an import, in their usual order. */
export const importStatuses = [
  "uploading",
  "staged",
  "previewed",
  "running",
  "completed",
  "failed",
  "undone",
] as const;
export type ImportStatus = (typeof importStatuses)[number];
