import type { RouterOutputs } from "@omnicrm/api";
import {
  singleColumnTargets,
  type BuiltInImportPreset,
  type ImportMapping,
  type ImportOptions,
  type ImportStatus,
  type ImportTarget,
} from "@omnicrm/api/schemas";

/**
 * What the CSV import screens share: the upload endpoint's answer, the labels of the fields a
 * column can become, and the same mapping checks the server makes (so most mistakes show
 * before a round trip; the server's answer still wins).
 */

export type ImportPreview = RouterOutputs["imports"]["preview"];
export type ImportStatusRecord = RouterOutputs["imports"]["status"];
export type ImportRowSample = ImportPreview["samples"]["new"][number];
export type CustomFieldRecord = RouterOutputs["customFields"]["list"][number];
export type { ImportMapping, ImportOptions, ImportTarget };

/** POST /api/contacts/import answers this (201) once the file is read and staged. */
export interface StagedUpload {
  importId: string;
  fileName: string;
  headers: string[];
  totalRows: number;
  sampleRows: { rowNumber: number; cells: Record<string, string>; extraCells: string[] }[];
  suggestedMapping: ImportMapping;
  detectedPreset: BuiltInImportPreset | null;
  matchedPreset: { id: string; name: string; mapping: ImportMapping } | null;
}

/** The largest file the server accepts (IMPORT_UPLOAD_LIMIT_BYTES). */
export const UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;
export const TOO_LARGE_MESSAGE =
  "This file is larger than 50 MB. Split it into smaller files (for example by year or by label) and import them one after the other.";

export const defaultImportOptions: ImportOptions = { matchBy: "email", onMatch: "update" };

export const presetNames: Record<BuiltInImportPreset, string> = {
  googleContacts: "Google Contacts",
  outlook: "Outlook",
};

/** The contact fields a column can become, in the order the select lists them. */
export const contactTargets: { value: ImportTarget; label: string }[] = [
  { value: "name", label: "Full name" },
  { value: "firstName", label: "First name" },
  { value: "lastName", label: "Last name" },
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "stage", label: "Stage" },
  { value: "source", label: "Source" },
  { value: "tags", label: "Tags" },
];

const targetPhrases: Record<string, string> = {
  name: "the full name",
  firstName: "the first name",
  lastName: "the last name",
  stage: "the stage",
  source: "the source",
};

export function targetLabel(target: ImportTarget, fields: CustomFieldRecord[]): string {
  if (target === "ignore") return "Don't import";
  if (target.startsWith("custom:")) {
    const id = target.slice("custom:".length);
    return fields.find((f) => f.id === id)?.label ?? "Deleted custom field";
  }
  return contactTargets.find((t) => t.value === target)?.label ?? target;
}

export interface MappingProblems {
  /** Per column: why its choice cannot be used. */
  columns: Record<string, string>;
  /** About the mapping as a whole. */
  general: string | null;
  /** About the way rows are matched to existing contacts. */
  matchBy: string | null;
}

/** The checks imports.preview makes on a mapping, worded the same way. */
export function checkMapping(
  headers: string[],
  mapping: ImportMapping,
  options: ImportOptions,
  fields: CustomFieldRecord[] | undefined,
): MappingProblems {
  const problems: MappingProblems = { columns: {}, general: null, matchBy: null };
  const used = new Map<ImportTarget, string>();
  for (const header of headers) {
    const target = mapping[header] ?? "ignore";
    if (target === "ignore") continue;
    if (
      fields &&
      target.startsWith("custom:") &&
      !fields.some((f) => `custom:${f.id}` === target)
    ) {
      problems.columns[header] = "This custom field does not exist or was deleted.";
      continue;
    }
    const single = singleColumnTargets.includes(target) || target.startsWith("custom:");
    const first = used.get(target);
    if (single && first !== undefined) {
      problems.columns[header] =
        `Only one column can be ${targetPhrases[target] ?? "this field"}: “${first}” already is.`;
    }
    if (first === undefined) used.set(target, header);
  }
  const has = (target: ImportTarget) => used.has(target);
  if (!has("name") && !has("firstName") && !has("lastName") && !has("email") && !has("phone")) {
    problems.general = "Choose the column with the name, the email or the phone.";
  }
  if (options.matchBy === "email" && !has("email")) {
    problems.matchBy = "Matching by email needs a column imported as Email.";
  } else if (options.matchBy === "phone" && !has("phone")) {
    problems.matchBy = "Matching by phone needs a column imported as Phone.";
  } else if (options.matchBy === "email_or_phone" && !has("email") && !has("phone")) {
    problems.matchBy = "Matching by email or phone needs an Email or a Phone column.";
  }
  return problems;
}

export const hasProblems = (p: MappingProblems) =>
  p.general !== null || p.matchBy !== null || Object.keys(p.columns).length > 0;

/** Every header mapped (unmapped ones ignored), in the file's order: comparable and sendable. */
export function fullMapping(headers: string[], mapping: ImportMapping): ImportMapping {
  const full: ImportMapping = {};
  for (const header of headers) full[header] = mapping[header] ?? "ignore";
  return full;
}

export function sameMapping(headers: string[], a: ImportMapping, b: ImportMapping): boolean {
  return headers.every((h) => (a[h] ?? "ignore") === (b[h] ?? "ignore"));
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number) => numberFormat.format(n);

/** "1 contact", "3 contacts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A row message without the "Row 12: " the server puts in front (the row is shown apart). */
export const withoutRowPrefix = (message: string) => message.replace(/^Row \d+: /, "");

export const statusLabels: Record<ImportStatus, string> = {
  uploading: "Uploading",
  staged: "Not imported",
  previewed: "Previewed, not imported",
  running: "Importing",
  completed: "Imported",
  failed: "Stopped",
  undone: "Undone",
};

/** Imports that changed contacts, so they can be undone (a running one stops first). */
export const canUndo = (status: ImportStatus) =>
  status === "completed" || status === "failed" || status === "running";

/** Invalid and duplicate rows are in the downloadable report once the import ran. */
export function hasReport(record: ImportStatusRecord): boolean {
  const ran = ["running", "completed", "failed", "undone"].includes(record.status);
  return ran && record.counts.invalid + record.counts.duplicates > 0;
}

export const reportHref = (importId: string) =>
  `/api/contacts/import/report?importId=${encodeURIComponent(importId)}`;

/** The summary a finished import shows: skipped = duplicates + rows left alone. */
export function summaryOf(counts: ImportStatusRecord["counts"]) {
  return {
    created: counts.new,
    updated: counts.updated,
    skipped: counts.duplicates + counts.skipped,
    failed: counts.invalid,
  };
}
