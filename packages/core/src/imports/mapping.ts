import { createHash } from "node:crypto";
import { nameSortKey } from "../contacts/service.ts";
import { checkFieldValue, type StoredFieldValue as FieldColumns } from "../custom-fields/values.ts";
import { contactEmailSchema, contactPhoneSchema, phoneDigits } from "../schemas.ts";
import { truncate } from "../shared/text.ts";
import {
  singleColumnTargets,
  type BuiltInImportPreset,
  type ImportMapping,
  type ImportTarget,
} from "./schemas.ts";

/**
 * From CSV cells to contact fields: header normalization, the built-in presets, the best guess,
 * and the checking of one row against a mapping. Pure functions, no database.
 */

/** Where a staged row keeps the cells found beyond the header (headers are never blank). */
export const EXTRA_CELLS_KEY = "";

/** A staged row: cells by header, plus the extra cells (if any) under EXTRA_CELLS_KEY. */
export type StagedCells = Record<string, string | string[]>;

/** "E-mail 1 - Value" -> "email1value": lower case, no accents, letters and digits only. */
export function normalizeHeader(header: string): string {
  return nameSortKey(header).replace(/[^a-z0-9]+/g, "");
}

/**
 * The key a saved mapping is found again by: the headers normalized, sorted and joined; a
 * digest when that would not fit the column.
 */
export function headerSignature(headers: string[]): string {
  const joined = headers
    .map((h) => h.trim().toLowerCase().replace(/\s+/g, " "))
    .sort()
    .join(" | ");
  if (joined.length <= 2000) return joined;
  return `sha256:${createHash("sha256").update(joined).digest("hex")}`;
}

// ---------------------------------------------------------------------------------------------
// Presets and guesses

const GOOGLE_EMAIL = /^e-?mail \d+ - value$/i;
const GOOGLE_PHONE = /^phone \d+ - value$/i;

/** Which built-in preset a file's headers come from, if any. */
export function detectPreset(headers: string[]): BuiltInImportPreset | null {
  if (headers.some((h) => GOOGLE_EMAIL.test(h) || GOOGLE_PHONE.test(h))) return "googleContacts";
  const set = new Set(headers.map((h) => h.toLowerCase()));
  if (
    set.has("e-mail address") &&
    (set.has("first name") || set.has("last name")) &&
    (set.has("mobile phone") ||
      set.has("business phone") ||
      set.has("home phone") ||
      set.has("categories"))
  ) {
    return "outlook";
  }
  return null;
}

function googleTarget(header: string): ImportTarget {
  const h = header.toLowerCase();
  if (h === "name") return "name";
  if (h === "first name" || h === "given name") return "firstName";
  if (h === "last name" || h === "family name") return "lastName";
  if (GOOGLE_EMAIL.test(header)) return "email";
  if (GOOGLE_PHONE.test(header)) return "phone";
  if (h === "labels" || h === "group membership") return "tags";
  return "ignore";
}

const OUTLOOK: Record<string, ImportTarget> = {
  "first name": "firstName",
  "last name": "lastName",
  "e-mail address": "email",
  "e-mail 2 address": "email",
  "e-mail 3 address": "email",
  "mobile phone": "phone",
  "business phone": "phone",
  "home phone": "phone",
  categories: "tags",
};

/** A built-in preset applied to a file's headers. */
export function presetMapping(preset: BuiltInImportPreset, headers: string[]): ImportMapping {
  const mapping: ImportMapping = {};
  for (const header of headers) {
    mapping[header] =
      preset === "googleContacts"
        ? googleTarget(header)
        : (OUTLOOK[header.toLowerCase()] ?? "ignore");
  }
  return mapping;
}

/** Header spellings (normalized) of each contact field. */
const SYNONYMS: [RegExp, ImportTarget][] = [
  [
    /^(name|fullname|contact|contactname|displayname|client|clientname|customer|customername|nom|nomcomplet|nombrecompleto)$/,
    "name",
  ],
  [/^(firstname|first|givenname|forename|prenom|vorname|nombre)$/, "firstName"],
  [/^(lastname|last|surname|familyname|nomdefamille|nachname|apellido|apellidos)$/, "lastName"],
  [
    /^(primary|secondary|alternate|alt|additional|second|work|home|personal|private|other|business)?(e?mail|courriel|correo)(address|adresse)?\d*(address|value)?$/,
    "email",
  ],
  [
    /^(primary|secondary|alternate|alt|additional|second|mobile|cell|home|work|business|other|main|private)?(phone|telephone|tel|telefon|telefono|mobile|mobil|cell|cellphone|portable|handy|whatsapp)(number|no|nr|numero)?\d*(value)?$/,
    "phone",
  ],
  [/^(stage|status|lifecyclestage|clientstage|pipelinestage|statut)$/, "stage"],
  [
    /^(source|leadsource|referral|referralsource|referredby|origin|howdidyouhearaboutus|channel)$/,
    "source",
  ],
  [/^(tags?|labels?|categories|category|groups?|groupmembership|etiquettes?)$/, "tags"],
];

export interface MappableField {
  id: string;
  key: string;
  label: string;
}

/**
 * The best guess from header names: synonyms of the contact fields (case, accents, spaces and
 * punctuation do not count), then the user's custom fields by label or key. A single-column
 * field goes to the first column that looks like it.
 */
export function guessMapping(headers: string[], fields: MappableField[]): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<ImportTarget>();
  const fieldByName = new Map<string, string>();
  for (const field of fields) {
    fieldByName.set(normalizeHeader(field.key), field.id);
    fieldByName.set(normalizeHeader(field.label), field.id);
  }
  for (const header of headers) {
    const normalized = normalizeHeader(header);
    let target: ImportTarget = "ignore";
    const fieldId = fieldByName.get(normalized);
    if (fieldId) target = `custom:${fieldId}`;
    else {
      for (const [pattern, candidate] of SYNONYMS) {
        if (pattern.test(normalized)) {
          target = candidate;
          break;
        }
      }
    }
    const single = singleColumnTargets.includes(target) || target.startsWith("custom:");
    if (single && taken.has(target)) target = "ignore";
    if (target !== "ignore") taken.add(target);
    mapping[header] = target;
  }
  return mapping;
}

// ---------------------------------------------------------------------------------------------
// Checking a row

export type CustomFieldKind = "text" | "number" | "date" | "select";

export interface ImportField {
  id: string;
  label: string;
  type: CustomFieldKind;
  options: string[];
}

/** A custom-field value as an import stages it (JSON: a date as "YYYY-MM-DD"). */
export type StoredFieldValue =
  { textValue: string } | { numberValue: number } | { dateValue: string };

function forImport(value: FieldColumns): StoredFieldValue {
  return "dateValue" in value ? { dateValue: value.dateValue.toISOString().slice(0, 10) } : value;
}

/** A mapping resolved against the file's column order. */
export interface CompiledMapping {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  stage: string | null;
  source: string | null;
  tags: string[];
  fields: { header: string; fieldId: string }[];
}

/** Columns in file order; a validated mapping (see the service) only names the file's headers. */
export function compileMapping(headers: string[], mapping: ImportMapping): CompiledMapping {
  const compiled: CompiledMapping = {
    name: null,
    firstName: null,
    lastName: null,
    emails: [],
    phones: [],
    stage: null,
    source: null,
    tags: [],
    fields: [],
  };
  for (const header of headers) {
    const target = mapping[header] ?? "ignore";
    switch (target) {
      case "ignore":
        break;
      case "name":
      case "firstName":
      case "lastName":
      case "stage":
      case "source":
        compiled[target] ??= header;
        break;
      case "email":
        compiled.emails.push(header);
        break;
      case "phone":
        compiled.phones.push(header);
        break;
      case "tags":
        compiled.tags.push(header);
        break;
      default:
        compiled.fields.push({ header, fieldId: target.slice("custom:".length) });
    }
  }
  return compiled;
}

/** A row once read through the mapping. */
export interface MappedRow {
  /** The name the row gives (name column, or first + last name), if any. */
  name: string | null;
  /** Lower-cased, without repeats; the first is the primary one. */
  emails: string[];
  /** As written, without repeats by digits; the first is the primary one. */
  phones: string[];
  stage: string | null;
  source: string | null;
  tags: string[];
  fields: { fieldId: string; value: StoredFieldValue }[];
  /** One sentence per problem; a row with problems is not imported. */
  problems: string[];
}

export interface MappingContext {
  mapping: CompiledMapping;
  /** Stage keys by folded key and label ("active", "active client" -> "active"). */
  stages: Map<string, string>;
  fields: Map<string, ImportField>;
}

const MAX_VALUES = 20;
const SPLIT_LIST = /\s*(?::::|;|,)\s*/;
const SPLIT_PHONES = /\s*(?::::|;)\s*/;

/** Shows a value in a message: quoted, cut to 60 characters. */
export const quote = (value: string) => `“${truncate(value, 60)}”`;

/**
 * OmniCRM's own export writes cells that start with = + - @ with a leading apostrophe (so
 * spreadsheets do not run them); importing that file again takes the apostrophe off.
 */
function cellText(value: string | string[] | undefined): string {
  if (typeof value !== "string") return "";
  const text = value.trim();
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

/** An email cell may hold several addresses, or "Name <address>". */
function emailsOfCell(cell: string): string[] {
  return cell
    .split(SPLIT_LIST)
    .map((part) => {
      const angled = /<([^<>]+)>\s*$/.exec(part);
      return (angled?.[1] ?? part).replace(/^mailto:/i, "").trim();
    })
    .filter(Boolean);
}

/** Tags of a cell: separated by ";", "," or Google's " ::: "; Google's system groups dropped. */
function tagsOfCell(cell: string): string[] {
  return cell
    .split(SPLIT_LIST)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "" && tag.toLowerCase() !== "* mycontacts")
    .map((tag) => tag.replace(/^\*\s+/, ""));
}

/** Reads and checks one staged row. Never throws: what is wrong goes to `problems`. */
export function mapRow(rowNumber: number, cells: StagedCells, ctx: MappingContext): MappedRow {
  const { mapping } = ctx;
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`Row ${rowNumber}: ${text}`);

  let name: string | null = mapping.name ? cellText(cells[mapping.name]) : "";
  if (!name) {
    const parts = [mapping.firstName, mapping.lastName].map((h) => (h ? cellText(cells[h]) : ""));
    name = parts.filter(Boolean).join(" ");
  }
  name = name.replace(/\s+/g, " ").trim() || null;
  if (name && Array.from(name).length > 200) problem("the name is longer than 200 characters");

  const emails: string[] = [];
  for (const header of mapping.emails) {
    for (const raw of emailsOfCell(cellText(cells[header]))) {
      const parsed = contactEmailSchema.safeParse(raw);
      if (!parsed.success) problem(`${quote(raw)} is not a valid email`);
      else if (!emails.includes(parsed.data)) emails.push(parsed.data);
    }
  }
  if (emails.length > MAX_VALUES) problem(`more than ${MAX_VALUES} emails`);

  const phones: string[] = [];
  const digits = new Set<string>();
  for (const header of mapping.phones) {
    for (const raw of cellText(cells[header]).split(SPLIT_PHONES).filter(Boolean)) {
      const parsed = contactPhoneSchema.safeParse(raw);
      if (!parsed.success) {
        problem(`${quote(raw)} is not a valid phone number`);
      } else if (!digits.has(phoneDigits(parsed.data))) {
        digits.add(phoneDigits(parsed.data));
        phones.push(parsed.data);
      }
    }
  }
  if (phones.length > MAX_VALUES) problem(`more than ${MAX_VALUES} phone numbers`);

  let stage: string | null = null;
  const stageCell = mapping.stage ? cellText(cells[mapping.stage]) : "";
  if (stageCell) {
    stage = ctx.stages.get(nameSortKey(stageCell)) ?? null;
    if (!stage) problem(`${quote(stageCell)} is not one of your stages`);
  }

  const source = (mapping.source ? cellText(cells[mapping.source]) : "") || null;
  if (source && Array.from(source).length > 100) {
    problem("the source is longer than 100 characters");
  }

  const tags: string[] = [];
  for (const header of mapping.tags) {
    for (const tag of tagsOfCell(cellText(cells[header]))) {
      if (Array.from(tag).length > 60)
        problem(`the tag ${quote(tag)} is longer than 60 characters`);
      else if (
        !tags.some((t) => t.normalize("NFC").toLowerCase() === tag.normalize("NFC").toLowerCase())
      ) {
        tags.push(tag);
      }
    }
  }
  if (tags.length > 50) problem("more than 50 tags");

  const fields: MappedRow["fields"] = [];
  for (const { header, fieldId } of mapping.fields) {
    const raw = cellText(cells[header]);
    const field = ctx.fields.get(fieldId);
    if (!raw || !field) continue;
    const checked = checkFieldValue(field, raw, { anyCase: true });
    if (!checked.ok) problem(`${field.label}: ${quote(raw)} ${checked.problem}`);
    else fields.push({ fieldId, value: forImport(checked.stored) });
  }

  if (!name && emails.length === 0 && phones.length === 0 && problems.length === 0) {
    problem("no name, email or phone");
  }
  return { name, emails, phones, stage, source, tags, fields, problems };
}

/** The name a new contact gets when the row has none: its email, else its phone. */
export function nameForNewContact(row: MappedRow): string {
  return row.name ?? row.emails[0] ?? row.phones[0] ?? "";
}

/** The keys two rows of one file may not share: emails always, phone digits when matching by phone. */
export function rowKeys(row: MappedRow, byPhone: boolean): { key: string; shown: string }[] {
  const keys = row.emails.map((email) => ({ key: `e:${email}`, shown: `email ${quote(email)}` }));
  if (byPhone) {
    for (const phone of row.phones) {
      keys.push({ key: `p:${phoneDigits(phone)}`, shown: `phone ${quote(phone)}` });
    }
  }
  return keys;
}
