import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "@omnicrm/db";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Actor } from "../actor.ts";
import { buildSearchText, nameSortKey } from "../contacts/service.ts";
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from "../errors.ts";
import { neutralizeFormula } from "../exports/contacts-csv.ts";
import { contactEmailSchema } from "../schemas.ts";
import type { Tx } from "../shared/db.ts";
import { truncate } from "../shared/text.ts";
import { readCsvRecords } from "./csv.ts";
import {
  buildWrites,
  cellsOf,
  commitPlan,
  countOutcomes,
  loadMappingContext,
  linkTags,
  planChunkWithLookup,
  resolveTags,
  revertPlan,
  StaleChunkError,
  tagNamesOf,
  writeChunk,
  writeOutcomes,
  type BeforeSnapshot,
  type ChunkPlan,
  type ChunkWrites,
  type OutcomeCounts,
  type PlannedRow,
  type PlanState,
  type StagedRow,
} from "./engine.ts";
import {
  compileMapping,
  detectPreset,
  EXTRA_CELLS_KEY,
  guessMapping,
  headerSignature,
  presetMapping,
  type StagedCells,
} from "./mapping.ts";
import {
  builtInImportPresets,
  importIdInputSchema,
  importListInputSchema,
  importMappingSchema,
  importPresetsInputSchema,
  importPreviewSchema,
  importRunSchema,
  importSaveMappingSchema,
  IMPORT_HEADER_MAX_LENGTH,
  IMPORT_MAX_COLUMNS,
  singleColumnTargets,
  type BuiltInImportPreset,
  type ImportIdInput,
  type ImportListInput,
  type ImportMapping,
  type ImportOptions,
  type ImportPresetsInput,
  type ImportPreviewInput,
  type ImportRunInput,
  type ImportSaveMappingInput,
  type ImportStatus,
  type ImportTarget,
} from "./schemas.ts";

/** Rows per chunk of a preview or a run (each run chunk is one transaction). */
export const IMPORT_CHUNK_SIZE = 1000;
/** Staged rows written per statement while a file is read. */
const STAGE_BATCH_ROWS = 1000;
const STAGE_BATCH_CHARS = 4 * 1024 * 1024;
/** An upload that never finished (the server stopped during it) is removed after this. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;
const SAMPLE_SIZE = 5;

const IMPORT_NOT_FOUND = "This import does not exist or was deleted.";

/** Knobs for tests and the benchmark; the API never sets them. */
export interface ImportTuning {
  chunkSize?: number;
  /** Called inside each run chunk's transaction, after its writes: throwing rolls it back. */
  beforeCommit?: (chunk: { index: number; rowNumbers: number[] }) => void | Promise<void>;
  /** Called when a run chunk is planned, before its transaction starts. */
  afterPlan?: (chunk: { rowNumbers: number[] }) => void | Promise<void>;
  /** How many chunk transactions may write at once (they still commit in order). */
  writeDepth?: number;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** What the import row keeps besides the mapping: the file's headers and the chosen options. */
const storedOptionsSchema = z.object({
  headers: z.array(z.string()).default([]),
  matchBy: z.enum(["email", "phone", "email_or_phone"]).optional(),
  onMatch: z.enum(["update", "skip"]).optional(),
  /** Tags the run created, which undo removes when no contact carries them any more. */
  createdTagIds: z.array(z.string()).default([]),
});
type StoredOptions = z.output<typeof storedOptionsSchema>;

function readStoredOptions(value: Prisma.JsonValue): StoredOptions {
  const parsed = storedOptionsSchema.safeParse(value);
  return parsed.success ? parsed.data : { headers: [], createdTagIds: [] };
}

function readStoredMapping(value: Prisma.JsonValue): ImportMapping {
  const parsed = importMappingSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

const importSelect = {
  id: true,
  fileName: true,
  status: true,
  mapping: true,
  options: true,
  totalRows: true,
  processedRows: true,
  createdCount: true,
  updatedCount: true,
  skippedCount: true,
  invalidCount: true,
  lastError: true,
  createdAt: true,
  startedAt: true,
  completedAt: true,
  undoneAt: true,
} satisfies Prisma.ContactImportSelect;
type ImportRow = Prisma.ContactImportGetPayload<{ select: typeof importSelect }>;

async function requireImport(tx: Tx, actor: Actor, importId: string): Promise<ImportRow> {
  const found = await tx.contactImport.findFirst({
    where: { id: importId, userId: actor.userId, status: { not: "uploading" } },
    select: importSelect,
  });
  if (!found) throw new NotFoundError(IMPORT_NOT_FOUND);
  return found;
}

const statusConflict: Record<string, string> = {
  staged: "Preview this import before running it.",
  running: "This import is running; wait for it to finish.",
  completed: "This import has already run.",
  failed: "This import stopped before the end; run it again to resume it, or undo it.",
  undone: "This import was undone. Upload the file again to import it anew.",
};

/** The mapping with every header (unmapped -> ignore), in the file's column order. */
function canonicalMapping(headers: string[], mapping: ImportMapping): ImportMapping {
  const full: ImportMapping = {};
  for (const header of headers) full[header] = mapping[header] ?? "ignore";
  return full;
}

const sameMapping = (headers: string[], a: ImportMapping, b: ImportMapping) =>
  headers.every((h) => (a[h] ?? "ignore") === (b[h] ?? "ignore"));

const targetLabels: Record<string, string> = {
  name: "the name",
  firstName: "the first name",
  lastName: "the last name",
  stage: "the stage",
  source: "the source",
};

/**
 * Checks a mapping against the file's headers and the actor's custom fields: every column
 * named exists, a single-column field has one column, and the rows can be told apart.
 */
async function validateMapping(
  tx: Tx,
  actor: Actor,
  headers: string[],
  mapping: ImportMapping,
  options: ImportOptions | null,
): Promise<ImportMapping> {
  const fieldErrors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (fieldErrors[key] ??= []).push(message);
  const known = new Set(headers);
  for (const header of Object.keys(mapping)) {
    if (!known.has(header)) add(`mapping.${header}`, `This file has no column “${header}”.`);
  }
  const customIds = Object.values(mapping)
    .filter((t) => t.startsWith("custom:"))
    .map((t) => t.slice("custom:".length));
  const fields = new Set(
    (
      await tx.customField.findMany({
        where: { userId: actor.userId, id: { in: customIds } },
        select: { id: true },
      })
    ).map((f) => f.id),
  );
  const usedBy = new Map<ImportTarget, string>();
  for (const header of headers) {
    const target = mapping[header];
    if (!target || target === "ignore") continue;
    if (target.startsWith("custom:") && !fields.has(target.slice("custom:".length))) {
      add(`mapping.${header}`, "This custom field does not exist or was deleted.");
      continue;
    }
    const single = singleColumnTargets.includes(target) || target.startsWith("custom:");
    const first = usedBy.get(target);
    if (single && first !== undefined) {
      add(
        `mapping.${header}`,
        `Only one column can be ${targetLabels[target] ?? "this field"}: “${first}” already is.`,
      );
    }
    if (first === undefined) usedBy.set(target, header);
  }
  const has = (target: ImportTarget) => usedBy.has(target);
  if (!has("name") && !has("firstName") && !has("lastName") && !has("email") && !has("phone")) {
    add("mapping", "Choose the column with the name, the email or the phone.");
  }
  if (options) {
    if (options.matchBy === "email" && !has("email")) {
      add("options.matchBy", "Matching by email needs a column mapped to Email.");
    }
    if (options.matchBy === "phone" && !has("phone")) {
      add("options.matchBy", "Matching by phone needs a column mapped to Phone.");
    }
    if (options.matchBy === "email_or_phone" && !has("email") && !has("phone")) {
      add("options.matchBy", "Matching by email or phone needs an Email or a Phone column.");
    }
  }
  const messages = Object.values(fieldErrors).flat();
  if (messages.length > 0) {
    throw new InvalidInputError(messages[0] ?? "The column mapping is not valid.", fieldErrors);
  }
  return canonicalMapping(headers, mapping);
}

/** A saved mapping applied to a file: unknown columns and deleted fields become "ignore". */
function sanitizeMapping(
  headers: string[],
  saved: Prisma.JsonValue,
  fieldIds: Set<string>,
): ImportMapping {
  const mapping = readStoredMapping(saved);
  const clean: ImportMapping = {};
  for (const header of headers) {
    const target = mapping[header] ?? "ignore";
    clean[header] =
      target.startsWith("custom:") && !fieldIds.has(target.slice("custom:".length))
        ? "ignore"
        : target;
  }
  return clean;
}

// ---------------------------------------------------------------------------------------------
// 1. Staging a file

const stageInputSchema = z.strictObject({
  fileName: z
    .string({ error: "The file needs a name." })
    .trim()
    .min(1, "The file needs a name.")
    .max(255, "The file name must be at most 255 characters."),
  csv: z.union(
    [
      z.string(),
      z.custom<AsyncIterable<string | Buffer | Uint8Array>>(
        (value) =>
          typeof value === "object" &&
          value !== null &&
          typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function",
      ),
    ],
    { error: "The file must be text or a stream of bytes." },
  ),
});
export type StageImportInput = z.input<typeof stageInputSchema>;

export interface SampleRow {
  rowNumber: number;
  /** Cells by header, as read. */
  cells: Record<string, string>;
  /** Cells found beyond the header's columns. */
  extraCells: string[];
}

export interface StagedImport {
  importId: string;
  fileName: string;
  headers: string[];
  totalRows: number;
  sampleRows: SampleRow[];
  /** The remembered mapping for these columns, else a built-in preset's, else a guess. */
  suggestedMapping: ImportMapping;
  /** The built-in preset the headers come from (Google Contacts, Outlook), if any. */
  detectedPreset: BuiltInImportPreset | null;
  /** The mapping saved for files with these columns, if any. */
  matchedPreset: { id: string; name: string; mapping: ImportMapping } | null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SURROGATE = /[\uD800-\uDFFF]/;
const NUL = String.fromCharCode(0);

/** PostgreSQL text holds neither NUL nor half of a surrogate pair. */
function clean(cell: string): string {
  const text = cell.includes(NUL) ? cell.split(NUL).join("") : cell;
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, "") : text;
}

function checkHeader(cells: string[], rowNumber: number): string[] {
  const headers = cells.map(clean);
  if (headers.length > IMPORT_MAX_COLUMNS) {
    throw new InvalidInputError(
      `The file has ${headers.length} columns; at most ${IMPORT_MAX_COLUMNS} can be imported.`,
    );
  }
  const seen = new Map<string, number>();
  headers.forEach((header, i) => {
    if (header === "") {
      throw new InvalidInputError(
        `Column ${i + 1} of the header (line ${rowNumber}) has no name. Name every column, or delete the empty ones, and upload the file again.`,
      );
    }
    if (header.length > IMPORT_HEADER_MAX_LENGTH) {
      throw new InvalidInputError(
        `Column ${i + 1} of the header has a name longer than ${IMPORT_HEADER_MAX_LENGTH} characters: is the first line really the header?`,
      );
    }
    const first = seen.get(header);
    if (first !== undefined) {
      throw new InvalidInputError(
        `The header names “${truncate(header, 60)}” twice (columns ${first + 1} and ${i + 1}). Rename one of them and upload the file again.`,
      );
    }
    seen.set(header, i);
  });
  const dataLike = headers.find(
    (h) =>
      contactEmailSchema.safeParse(h).success ||
      (/^\+?[0-9 ().\-/]+$/.test(h) && h.replace(/[^0-9]/g, "").length >= 5),
  );
  if (dataLike !== undefined) {
    throw new InvalidInputError(
      `The first line should name the columns (Name, Email, Phone, …) but it holds data (“${truncate(dataLike, 60)}”). Add a header line and upload the file again.`,
    );
  }
  return headers;
}

function cellsByHeader(headers: string[], cells: string[]): StagedCells {
  const data: StagedCells = {};
  headers.forEach((header, i) => {
    const cell = cells[i];
    if (cell !== undefined) data[header] = clean(cell);
  });
  if (cells.length > headers.length) {
    const extra = cells.slice(headers.length).map(clean);
    while (extra.length > 0 && extra.at(-1) === "") extra.pop();
    if (extra.length > 0) data[EXTRA_CELLS_KEY] = extra;
  }
  return data;
}

function sampleOf(rowNumber: number, data: StagedCells): SampleRow {
  const cells: Record<string, string> = {};
  let extraCells: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === EXTRA_CELLS_KEY) extraCells = Array.isArray(value) ? value : [];
    else if (typeof value === "string") cells[key] = value;
  }
  return { rowNumber, cells, extraCells };
}

async function insertStagedRows(
  db: Db,
  importId: string,
  batch: { rowNumber: number; json: string }[],
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO contact_import_rows (import_id, row_number, data)
    SELECT ${importId}::uuid, r.n, r.d::jsonb
    FROM unnest(${batch.map((r) => r.rowNumber)}::int[], ${batch.map((r) => r.json)}::text[])
      AS r(n, d)`;
}

/**
 * Reads a CSV file (a string, or a stream of text or bytes) and stages every row of it for
 * preview, in batches, holding at most one batch in memory: no row cap. Returns the headers,
 * the first rows and a suggested mapping. A file that cannot be imported (empty, binary, no
 * header, blank or repeated column names, broken quoting) is refused with a message saying
 * what to fix, and nothing of it is kept.
 */
export async function stageImport(
  db: Db,
  actor: Actor,
  input: StageImportInput,
): Promise<StagedImport> {
  const { fileName, csv } = stageInputSchema.parse(input);
  await db.contactImport.deleteMany({
    where: {
      userId: actor.userId,
      status: "uploading",
      createdAt: { lt: new Date(Date.now() - STALE_UPLOAD_MS) },
    },
  });
  const { id: importId } = await db.contactImport.create({
    data: { userId: actor.userId, fileName, status: "uploading" },
    select: { id: true },
  });
  try {
    let headers: string[] | null = null;
    let totalRows = 0;
    const sampleRows: SampleRow[] = [];
    let batch: { rowNumber: number; json: string }[] = [];
    let batchChars = 0;
    for await (const record of readCsvRecords(csv)) {
      const blank = record.cells.every((cell) => cell === "");
      if (blank) continue;
      if (!headers) {
        headers = checkHeader(record.cells, record.rowNumber);
        continue;
      }
      const data = cellsByHeader(headers, record.cells);
      totalRows += 1;
      if (sampleRows.length < SAMPLE_SIZE) sampleRows.push(sampleOf(record.rowNumber, data));
      const json = JSON.stringify(data);
      batch.push({ rowNumber: record.rowNumber, json });
      batchChars += json.length;
      if (batch.length >= STAGE_BATCH_ROWS || batchChars >= STAGE_BATCH_CHARS) {
        await insertStagedRows(db, importId, batch);
        batch = [];
        batchChars = 0;
      }
    }
    if (batch.length > 0) await insertStagedRows(db, importId, batch);
    if (!headers) throw new InvalidInputError("The file is empty.");
    if (totalRows === 0) {
      throw new InvalidInputError("The file has a header but no rows below it: nothing to import.");
    }

    const fields = await db.customField.findMany({
      where: { userId: actor.userId },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      select: { id: true, key: true, label: true },
    });
    const saved = await db.importMappingPreset.findUnique({
      where: {
        userId_headerSignature: { userId: actor.userId, headerSignature: headerSignature(headers) },
      },
      select: { id: true, name: true, mapping: true },
    });
    const detectedPreset = detectPreset(headers);
    const matchedPreset = saved
      ? {
          id: saved.id,
          name: saved.name,
          mapping: sanitizeMapping(headers, saved.mapping, new Set(fields.map((f) => f.id))),
        }
      : null;
    const suggestedMapping =
      matchedPreset?.mapping ??
      (detectedPreset ? presetMapping(detectedPreset, headers) : guessMapping(headers, fields));

    await db.contactImport.update({
      where: { id: importId },
      data: {
        status: "staged",
        totalRows,
        mapping: suggestedMapping,
        options: { headers, createdTagIds: [] },
      },
    });
    return {
      importId,
      fileName,
      headers,
      totalRows,
      sampleRows,
      suggestedMapping,
      detectedPreset,
      matchedPreset,
    };
  } catch (error) {
    await db.contactImport.deleteMany({ where: { id: importId } }).catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Presets

export interface ImportPresets {
  builtIn: { key: BuiltInImportPreset; name: string; mapping: ImportMapping | null }[];
  saved: { id: string; name: string; mapping: ImportMapping; matches: boolean; updatedAt: Date }[];
}

/**
 * The built-in presets (applied to the import's headers when `importId` is given) and the
 * mappings the actor saved, newest first; `matches` marks the one saved for these columns.
 */
export async function listPresets(
  db: Db,
  actor: Actor,
  input: ImportPresetsInput = {},
): Promise<ImportPresets> {
  const { importId } = importPresetsInputSchema.parse(input);
  const headers = importId
    ? readStoredOptions((await requireImport(db, actor, importId)).options).headers
    : null;
  const signature = headers ? headerSignature(headers) : null;
  const saved = await db.importMappingPreset.findMany({
    where: { userId: actor.userId },
    orderBy: { updatedAt: "desc" },
    take: 100,
    select: { id: true, name: true, mapping: true, headerSignature: true, updatedAt: true },
  });
  return {
    builtIn: builtInImportPresets.map((preset) => ({
      key: preset.key,
      name: preset.name,
      mapping: headers ? presetMapping(preset.key, headers) : null,
    })),
    saved: saved.map((preset) => ({
      id: preset.id,
      name: preset.name,
      mapping: readStoredMapping(preset.mapping),
      matches: preset.headerSignature === signature,
      updatedAt: preset.updatedAt,
    })),
  };
}

/** Remembers a mapping for every file with this import's columns (one per set of columns). */
export async function saveMapping(
  db: Db,
  actor: Actor,
  input: ImportSaveMappingInput,
): Promise<{ id: string; name: string; mapping: ImportMapping }> {
  const { importId, name, mapping } = importSaveMappingSchema.parse(input);
  const found = await requireImport(db, actor, importId);
  const { headers } = readStoredOptions(found.options);
  const canonical = await validateMapping(db, actor, headers, mapping, null);
  const signature = headerSignature(headers);
  const preset = await db.importMappingPreset.upsert({
    where: { userId_headerSignature: { userId: actor.userId, headerSignature: signature } },
    create: { userId: actor.userId, name, headerSignature: signature, mapping: canonical },
    update: { name, mapping: canonical },
    select: { id: true, name: true },
  });
  return { ...preset, mapping: canonical };
}

// ---------------------------------------------------------------------------------------------
// 3. Preview

export interface RowSample {
  rowNumber: number;
  outcome: PlannedRow["outcome"];
  messages: string[];
  cells: Record<string, string>;
  /** The contact the row updates, skips or duplicates. */
  contact: { id: string; name: string } | null;
  /** What the row would write. */
  values: {
    name: string | null;
    emails: string[];
    phones: string[];
    stage: string | null;
    source: string | null;
    tags: string[];
  } | null;
}

export interface ImportPreview {
  importId: string;
  totalRows: number;
  counts: OutcomeCounts;
  samples: Record<keyof OutcomeCounts, RowSample[]>;
}

const sampleKind: Record<PlannedRow["outcome"], keyof OutcomeCounts> = {
  create: "new",
  update: "updated",
  duplicate: "duplicates",
  invalid: "invalid",
  skipped: "skipped",
};

function rowSample(row: PlannedRow, data: Prisma.JsonValue): RowSample {
  const m = row.mapped;
  return {
    rowNumber: row.rowNumber,
    outcome: row.outcome,
    messages: row.messages,
    cells: sampleOf(row.rowNumber, cellsOf(data)).cells,
    contact: row.contact ? { id: row.contact.id, name: row.contact.name } : null,
    values:
      m && row.outcome !== "invalid"
        ? {
            name: m.name,
            emails: m.emails,
            phones: m.phones,
            stage: m.stage,
            source: m.source,
            tags: m.tags,
          }
        : null,
  };
}

const addCounts = (a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts => ({
  new: a.new + b.new,
  updated: a.updated + b.updated,
  duplicates: a.duplicates + b.duplicates,
  invalid: a.invalid + b.invalid,
  skipped: a.skipped + b.skipped,
});

/**
 * The next rows after `afterRow`, in file order: the rows numbered up to `size` past it (fewer
 * when the file had blank lines there). A window of row numbers rather than ORDER BY … LIMIT,
 * so each read touches only its own rows whatever the table's statistics say.
 */
async function readChunk(
  tx: Tx,
  importId: string,
  afterRow: number,
  size: number,
): Promise<StagedRow[]> {
  if (afterRow < 0) {
    // The start: the window begins at the first row (the header is not always row 1).
    const first = await tx.contactImportRow.findFirst({
      where: { importId },
      orderBy: { rowNumber: "asc" },
      select: { rowNumber: true },
    });
    return first ? readChunk(tx, importId, first.rowNumber - 1, size) : [];
  }
  const select = { rowNumber: true, data: true, outcome: true, message: true } as const;
  const rows = await tx.contactImportRow.findMany({
    where: { importId, rowNumber: { gt: afterRow, lte: afterRow + size } },
    orderBy: { rowNumber: "asc" },
    select,
  });
  if (rows.length > 0) return rows;
  // A window of blank lines: jump to the next row, if any.
  const next = await tx.contactImportRow.findFirst({
    where: { importId, rowNumber: { gt: afterRow } },
    orderBy: { rowNumber: "asc" },
    select: { rowNumber: true },
  });
  return next ? readChunk(tx, importId, next.rowNumber - 1, size) : [];
}

/**
 * A dry run: every row goes through the same planning as the run (mapping, checks, matching
 * against the actor's contacts, duplicates within the file), and its outcome and messages are
 * stored on the staged row; no contact, email, phone, tag or field value is written. Returns
 * the counts and up to 5 sample rows of each kind. The import can then run with this mapping.
 */
export async function previewImport(
  db: Db,
  actor: Actor,
  input: ImportPreviewInput,
  tuning: ImportTuning = {},
): Promise<ImportPreview> {
  const { importId, mapping, options } = importPreviewSchema.parse(input);
  const found = await requireImport(db, actor, importId);
  if (found.status !== "staged" && found.status !== "previewed") {
    throw new ConflictError(statusConflict[found.status] ?? "This import cannot be previewed now.");
  }
  const stored = readStoredOptions(found.options);
  const canonical = await validateMapping(db, actor, stored.headers, mapping, options);
  // Back to "staged" until the preview is complete, so a run cannot start on half of one.
  const claimed = await db.contactImport.updateMany({
    where: { id: importId, userId: actor.userId, status: { in: ["staged", "previewed"] } },
    data: {
      status: "staged",
      mapping: canonical,
      options: { ...stored, ...options },
      processedRows: 0,
      createdCount: 0,
      updatedCount: 0,
      skippedCount: 0,
      invalidCount: 0,
      lastError: null,
    },
  });
  if (claimed.count === 0) throw new ConflictError("This import changed meanwhile; try again.");

  const ctx = await loadMappingContext(db, actor, compileMapping(stored.headers, canonical));
  const state: PlanState = { keys: new Map(), touched: new Map() };
  let counts: OutcomeCounts = { new: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
  const samples: ImportPreview["samples"] = {
    new: [],
    updated: [],
    duplicates: [],
    invalid: [],
    skipped: [],
  };
  const chunkSize = tuning.chunkSize ?? IMPORT_CHUNK_SIZE;
  let after = -1;
  for (;;) {
    const rows = await readChunk(db, importId, after, chunkSize);
    if (rows.length === 0) break;
    const plan = await planChunkWithLookup(db, actor, rows, ctx, options, state);
    await writeOutcomes(db, importId, plan.rows, rows);
    commitPlan(state, plan);
    counts = addCounts(counts, countOutcomes(plan.rows));
    plan.rows.forEach((row, i) => {
      const list = samples[sampleKind[row.outcome]];
      if (list.length < SAMPLE_SIZE) list.push(rowSample(row, rows[i]!.data));
    });
    after = rows.at(-1)!.rowNumber;
  }
  await db.contactImport.updateMany({
    where: { id: importId, status: "staged" },
    data: {
      status: "previewed",
      createdCount: counts.new,
      updatedCount: counts.updated,
      skippedCount: counts.skipped + counts.duplicates,
      invalidCount: counts.invalid,
    },
  });
  return { importId, totalRows: found.totalRows, counts, samples };
}

// ---------------------------------------------------------------------------------------------
// 4. Run

export interface ImportStatusRecord {
  importId: string;
  fileName: string;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  /** processedRows / totalRows, 0–100, for a progress bar. */
  percent: number;
  /** During and after a run: what it did so far; after a preview: what it found. */
  counts: OutcomeCounts;
  lastError: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  undoneAt: Date | null;
}

/** Rows marked duplicate among the ones a count covers (skippedCount holds both kinds). */
async function duplicateCount(tx: Tx, row: ImportRow): Promise<number> {
  if (row.status === "uploading" || row.status === "staged") return 0;
  const applied = ["running", "failed", "completed", "undone"].includes(row.status);
  if (applied && row.processedRows === 0) return 0;
  if (applied && row.processedRows < row.totalRows) {
    const last = await tx.contactImportRow.findMany({
      where: { importId: row.id },
      orderBy: { rowNumber: "asc" },
      skip: row.processedRows - 1,
      take: 1,
      select: { rowNumber: true },
    });
    return tx.contactImportRow.count({
      where: {
        importId: row.id,
        outcome: "duplicate",
        rowNumber: { lte: last[0]?.rowNumber ?? 0 },
      },
    });
  }
  return tx.contactImportRow.count({ where: { importId: row.id, outcome: "duplicate" } });
}

async function toStatus(tx: Tx, row: ImportRow): Promise<ImportStatusRecord> {
  const duplicates = await duplicateCount(tx, row);
  return {
    importId: row.id,
    fileName: row.fileName,
    status: row.status as ImportStatus,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    percent: row.totalRows === 0 ? 0 : Math.floor((row.processedRows / row.totalRows) * 1000) / 10,
    counts: {
      new: row.createdCount,
      updated: row.updatedCount,
      duplicates,
      invalid: row.invalidCount,
      skipped: Math.max(0, row.skippedCount - duplicates),
    },
    lastError: row.lastError,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    undoneAt: row.undoneAt,
  };
}

/** Where an import stands: status, progress, counts and the last error. */
export async function importStatus(
  db: Db,
  actor: Actor,
  input: ImportIdInput,
): Promise<ImportStatusRecord> {
  const { importId } = importIdInputSchema.parse(input);
  return toStatus(db, await requireImport(db, actor, importId));
}

/** The actor's recent imports, newest first. */
export async function listImports(
  db: Db,
  actor: Actor,
  input: ImportListInput = {},
): Promise<ImportStatusRecord[]> {
  const { limit } = importListInputSchema.parse(input);
  const rows = await db.contactImport.findMany({
    where: { userId: actor.userId, status: { not: "uploading" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: importSelect,
  });
  const result: ImportStatusRecord[] = [];
  for (const row of rows) result.push(await toStatus(db, row));
  return result;
}

/** What went wrong, in one short sentence (the database's own message when it has one). */
function errorReason(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  const meta = (
    error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } }
  ).meta;
  const original = meta?.driverAdapterError?.cause?.originalMessage;
  if (typeof original === "string") return truncate(original, 300);
  const text = error instanceof Error ? error.message : String(error);
  return truncate(text.trim().split("\n").at(-1) ?? "unknown error", 300);
}

/** A run that stopped: why, in words for the user. */
function describeFailure(error: unknown, rowNumber: number | null): string {
  const where = rowNumber === null ? "" : ` after row ${rowNumber}`;
  return `The import stopped${where}: ${errorReason(error)}. Run it again to resume where it stopped, or undo it.`;
}

/** A database error caused by the data of a row (SQLSTATE classes 22 and 23), not by the server. */
function isRowSpecific(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (["P2000", "P2002", "P2003", "P2004", "P2011", "P2012"].includes(error.code)) return true;
  const meta = error.meta as
    { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === "string" && /^2[23]/.test(code);
}

interface RunContext {
  importId: string;
  fileName: string;
  headers: string[];
  mapping: ImportMapping;
  options: ImportOptions;
  processedRows: number;
}

/** Chunk transactions writing at once: PostgreSQL can use both cores of a small server. */
const WRITE_DEPTH = 2;

/** The run's long transactions: a chunk of 1000 rows takes well under a second. */
const CHUNK_TX = { timeout: 120_000, maxWait: 30_000 } as const;

/**
 * Checks that the import can run and marks it running: from "previewed" (the counts of the
 * preview are reset), or from "running"/"failed" to resume after the last committed chunk.
 * Returns null when it already completed.
 */
async function claimRun(db: Db, actor: Actor, input: ImportRunInput): Promise<RunContext | null> {
  const { importId, mapping, options } = importRunSchema.parse(input);
  const found = await requireImport(db, actor, importId);
  if (found.status === "completed") return null;
  if (!["previewed", "running", "failed"].includes(found.status)) {
    throw new ConflictError(statusConflict[found.status] ?? "This import cannot run now.");
  }
  const stored = readStoredOptions(found.options);
  const storedMapping = readStoredMapping(found.mapping);
  const storedOptions: ImportOptions = {
    matchBy: stored.matchBy ?? "email",
    onMatch: stored.onMatch ?? "update",
  };
  if (
    (mapping && !sameMapping(stored.headers, mapping, storedMapping)) ||
    (options &&
      (options.matchBy !== storedOptions.matchBy || options.onMatch !== storedOptions.onMatch))
  ) {
    throw new ConflictError(
      "The mapping or the options changed since the preview: preview the import again first.",
    );
  }
  const fresh = found.status === "previewed";
  const claimed = await db.contactImport.updateMany({
    where: { id: importId, userId: actor.userId, status: found.status },
    data: {
      status: "running",
      lastError: null,
      startedAt: found.startedAt ?? new Date(),
      ...(fresh
        ? { processedRows: 0, createdCount: 0, updatedCount: 0, skippedCount: 0, invalidCount: 0 }
        : {}),
    },
  });
  if (claimed.count === 0) throw new ConflictError("This import changed meanwhile; try again.");
  return {
    importId,
    fileName: found.fileName,
    headers: stored.headers,
    mapping: storedMapping,
    options: storedOptions,
    processedRows: fresh ? 0 : found.processedRows,
  };
}

/** Thrown inside a chunk when another run (or an undo) got there first. */
class RunSuperseded extends Error {}

async function lockRunning(tx: Tx, importId: string, expected: number): Promise<void> {
  // NO KEY UPDATE: does not block the foreign-key checks (KEY SHARE) of the change log rows
  // another chunk is inserting meanwhile.
  const rows = await tx.$queryRaw<{ status: string; processed: number }[]>`
    SELECT status, processed_rows AS processed FROM contact_imports
    WHERE id = ${importId}::uuid FOR NO KEY UPDATE`;
  const row = rows[0];
  if (!row || row.status !== "running" || row.processed !== expected) throw new RunSuperseded();
}

async function advance(tx: Tx, importId: string, rows: PlannedRow[]): Promise<void> {
  const counts = countOutcomes(rows);
  await tx.$executeRaw`
    UPDATE contact_imports SET
      processed_rows = processed_rows + ${rows.length}::int,
      created_count = created_count + ${counts.new}::int,
      updated_count = updated_count + ${counts.updated}::int,
      skipped_count = skipped_count + ${counts.skipped + counts.duplicates}::int,
      invalid_count = invalid_count + ${counts.invalid}::int
    WHERE id = ${importId}::uuid`;
}

/**
 * Resolves a chunk's tags before its transaction, creating the missing ones in a small
 * transaction of their own that also records them on the import (undo removes them when no
 * contact carries them). So chunk transactions never wait for one another's tag lock.
 */
async function prepareTags(
  db: Db,
  actor: Actor,
  importId: string,
  names: string[],
): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  return db.$transaction(async (tx) => {
    // First the import row: an import undone meanwhile gets no new tag.
    const rows = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM contact_imports WHERE id = ${importId}::uuid FOR NO KEY UPDATE`;
    if (rows[0]?.status !== "running") throw new RunSuperseded();
    const { ids, created } = await resolveTags(tx, actor, names, new Date());
    if (created.length > 0) {
      await tx.$executeRaw`
        UPDATE contact_imports SET options = jsonb_set(options, '{createdTagIds}',
          coalesce(options->'createdTagIds', '[]'::jsonb) || to_jsonb(${created}::text[]))
        WHERE id = ${importId}::uuid`;
    }
    return ids;
  });
}

/** Thrown into a chunk's transaction when the chunk before it was not written. */
class PredecessorFailed extends Error {}

async function executeRun(
  db: Db,
  actor: Actor,
  run: RunContext,
  tuning: ImportTuning,
): Promise<void> {
  const chunkSize = tuning.chunkSize ?? IMPORT_CHUNK_SIZE;
  const compiled = compileMapping(run.headers, run.mapping);
  /** processedRows as committed so far. */
  let committed = run.processedRows;
  let after = -1;
  if (committed > 0) {
    const last = await db.contactImportRow.findMany({
      where: { importId: run.importId },
      orderBy: { rowNumber: "asc" },
      skip: committed - 1,
      take: 1,
      select: { rowNumber: true },
    });
    after = last[0]?.rowNumber ?? 0;
  }
  // Contacts earlier chunks created or updated: a later row about one of them is a duplicate.
  const changes = await db.contactImportChange.findMany({
    where: { importId: run.importId },
    select: { contactId: true },
  });
  const state: PlanState = {
    keys: new Map(),
    touched: new Map(changes.map((c) => [c.contactId, null])),
  };
  let chunkIndex = 0;

  interface Prepared {
    index: number;
    rows: StagedRow[];
    plan: ChunkPlan;
    writes: ChunkWrites;
  }

  /** Outside any transaction: read through the mapping, look up, plan, build the rows. */
  const prepare = async (rows: StagedRow[]): Promise<Prepared> => {
    const ctx = await loadMappingContext(db, actor, compiled);
    const plan = await planChunkWithLookup(db, actor, rows, ctx, run.options, state);
    await tuning.afterPlan?.({ rowNumbers: rows.map((r) => r.rowNumber) });
    const writes = buildWrites(plan, run.importId, run.fileName, new Date());
    linkTags(writes, await prepareTags(db, actor, run.importId, tagNamesOf(writes)));
    return { index: chunkIndex++, rows, plan, writes };
  };

  /**
   * One transaction: the chunk's writes and its rows' outcomes; then, once the chunk before
   * it is committed (`previous`), the progress and the counts, checked against what that
   * chunk left (`expected`). So chunks commit in file order, each whole or not at all.
   */
  const write = (prepared: Prepared, expected: number, previous: Promise<unknown>) =>
    db.$transaction(async (tx) => {
      // Each chunk is atomic and the run resumable: a chunk lost to a database crash right
      // after its commit is simply applied again, so the commit need not wait for the disk.
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      await writeChunk(tx, actor, run.importId, prepared.writes);
      await writeOutcomes(tx, run.importId, prepared.plan.rows, prepared.rows);
      try {
        await previous;
      } catch {
        throw new PredecessorFailed();
      }
      await lockRunning(tx, run.importId, expected);
      await advance(tx, run.importId, prepared.plan.rows);
      await tuning.beforeCommit?.({
        index: prepared.index,
        rowNumbers: prepared.rows.map((r) => r.rowNumber),
      });
    }, CHUNK_TX);

  /** A row the database refused although it passed the checks: recorded as invalid. */
  const refuseRow = async (row: StagedRow, error: unknown) => {
    const planned: PlannedRow = {
      rowNumber: row.rowNumber,
      outcome: "invalid",
      messages: [`Row ${row.rowNumber}: could not be saved (${errorReason(error)})`],
      mapped: null,
      contact: null,
    };
    await db.$transaction(async (tx) => {
      await lockRunning(tx, run.importId, committed);
      await writeOutcomes(tx, run.importId, [planned]);
      await advance(tx, run.importId, [planned]);
    }, CHUNK_TX);
    committed += 1;
  };

  /**
   * The careful way, one piece at a time: plan, write, commit. A contact changed meanwhile
   * means planning again; a row the database refuses is found by halving, so bad rows never
   * abort good ones.
   */
  const processRows = async (rows: StagedRow[], attempt = 0): Promise<void> => {
    const prepared = await prepare(rows);
    commitPlan(state, prepared.plan);
    try {
      await write(prepared, committed, Promise.resolve());
      committed += rows.length;
    } catch (error) {
      revertPlan(state, prepared.plan);
      if (error instanceof StaleChunkError && attempt < 3) return processRows(rows, attempt + 1);
      if (!isRowSpecific(error)) throw error;
      if (rows.length === 1) return refuseRow(rows[0]!, error);
      const half = Math.ceil(rows.length / 2);
      await processRows(rows.slice(0, half));
      await processRows(rows.slice(half));
    }
  };

  const prepareAfter = async (afterRow: number): Promise<Prepared | null> => {
    const rows = await readChunk(db, run.importId, afterRow, chunkSize);
    return rows.length === 0 ? null : prepare(rows);
  };

  interface Flight {
    prepared: Prepared;
    last: number;
    done: Promise<void>;
  }
  const depth = tuning.writeDepth ?? WRITE_DEPTH;
  let flights: Flight[] = [];
  /** The chunk being planned while others are written. */
  let next: Promise<Prepared | null> | null = null;

  /**
   * Waits for the oldest chunk being written. When it failed, everything behind it in the
   * pipeline is rolled back and its plans dropped (they assumed it), the failed chunk goes
   * the careful way, and false is returned: the pipeline starts again after it.
   */
  const land = async (pending: Prepared | null): Promise<boolean> => {
    const flight = flights.shift()!;
    try {
      await flight.done;
      committed += flight.prepared.rows.length;
      after = flight.last;
      return true;
    } catch (error) {
      for (const f of [flight, ...flights]) revertPlan(state, f.prepared.plan);
      if (pending) revertPlan(state, pending.plan);
      await Promise.allSettled([...flights.map((f) => f.done), next ?? Promise.resolve()]);
      flights = [];
      next = null;
      if (!(error instanceof StaleChunkError) && !isRowSpecific(error)) throw error;
      await processRows(flight.prepared.rows);
      after = flight.last;
      return false;
    }
  };

  try {
    // Pipelined: while the database writes (up to `depth` chunks at once, each in its own
    // transaction), the next chunk is read, looked up and planned, as if the ones before it
    // were written (their emails, phones and contacts are in the state). The transactions
    // commit in file order: each waits for the one before it before it advances the progress.
    let tail = after;
    let planned = committed;
    let previous: Promise<unknown> = Promise.resolve();
    const restart = () => {
      tail = after;
      planned = committed;
      previous = Promise.resolve();
    };
    for (;;) {
      next ??= prepareAfter(tail);
      const prepared = await next;
      next = null;
      if (!prepared) {
        if (flights.length === 0) break;
        if (!(await land(null))) restart();
        continue;
      }
      commitPlan(state, prepared.plan);
      tail = prepared.rows.at(-1)!.rowNumber;
      next = prepareAfter(tail);
      next.catch(() => undefined);
      let landed = true;
      while (landed && flights.length >= depth) landed = await land(prepared);
      if (!landed) {
        restart();
        continue;
      }
      const done = write(prepared, planned, previous);
      done.catch(() => undefined);
      planned += prepared.rows.length;
      previous = done;
      flights.push({ prepared, last: tail, done });
    }
    await db.contactImport.updateMany({
      where: { id: run.importId, status: "running", processedRows: committed },
      data: { status: "completed", completedAt: new Date() },
    });
  } catch (error) {
    // No transaction of this run may still be open when it is marked failed.
    await Promise.allSettled([...flights.map((f) => f.done), next ?? Promise.resolve()]);
    if (error instanceof RunSuperseded) return;
    await db.contactImport
      .updateMany({
        where: { id: run.importId, status: "running" },
        data: { status: "failed", lastError: describeFailure(error, after > 0 ? after : null) },
      })
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Applies a previewed import, chunk by chunk in file order. Each chunk is one transaction that
 * writes its contacts and advances the progress and counts together, so an interruption leaves
 * whole chunks only, and running the import again resumes after the last committed chunk
 * (a row is never applied twice). Rows the checks or the database refuse are recorded as
 * invalid; they never stop the others. Returns the final status.
 */
export async function runImport(
  db: Db,
  actor: Actor,
  input: ImportRunInput,
  tuning: ImportTuning = {},
): Promise<ImportStatusRecord> {
  const run = await claimRun(db, actor, input);
  if (run) await executeRun(db, actor, run, tuning);
  const { importId } = importRunSchema.parse(input);
  return toStatus(db, await requireImport(db, actor, importId));
}

/**
 * Like runImport, but returns as soon as the import is marked running and continues in the
 * background (the web app shows progress with importStatus). A failure is recorded on the
 * import (status "failed", lastError) and passed to `onError` for the logs.
 */
export async function startImport(
  db: Db,
  actor: Actor,
  input: ImportRunInput,
  onError: (error: unknown) => void,
  tuning: ImportTuning = {},
): Promise<ImportStatusRecord> {
  const run = await claimRun(db, actor, input);
  if (run) void executeRun(db, actor, run, tuning).catch(onError);
  const { importId } = importRunSchema.parse(input);
  return toStatus(db, await requireImport(db, actor, importId));
}

// ---------------------------------------------------------------------------------------------
// 5. Error report

/**
 * The invalid and duplicate rows as CSV: row number, the problems, then the row's cells as
 * they were in the file (formula-looking cells defused, as in the export). Streamed in
 * batches. Yields the header first.
 */
export async function* importErrorReportCsv(
  db: Db,
  actor: Actor,
  input: ImportIdInput,
): AsyncGenerator<string> {
  const { importId } = importIdInputSchema.parse(input);
  const found = await requireImport(db, actor, importId);
  const { headers } = readStoredOptions(found.options);
  const widest = await db.$queryRaw<{ extra: number | null }[]>`
    SELECT max(jsonb_array_length(data->'')) AS extra FROM contact_import_rows
    WHERE import_id = ${importId}::uuid AND outcome IN ('invalid', 'duplicate')
      AND jsonb_typeof(data->'') = 'array'`;
  const extra = widest[0]?.extra ?? 0;
  const extraHeaders = Array.from({ length: extra }, (_, i) => `(extra cell ${i + 1})`);
  yield (
    "\uFEFF" + stringify([["Row", "Problem", ...headers, ...extraHeaders].map(neutralizeFormula)])
  );
  const last = await db.contactImportRow.findFirst({
    where: { importId },
    orderBy: { rowNumber: "desc" },
    select: { rowNumber: true },
  });
  // Windows of row numbers (a range of the primary key each), whatever the statistics say.
  const WINDOW = 2000;
  for (let after = 0; after < (last?.rowNumber ?? 0); after += WINDOW) {
    const rows = await db.contactImportRow.findMany({
      where: {
        importId,
        rowNumber: { gt: after, lte: after + WINDOW },
        outcome: { in: ["invalid", "duplicate"] },
      },
      orderBy: { rowNumber: "asc" },
      select: { rowNumber: true, data: true, message: true },
    });
    if (rows.length === 0) continue;
    const records = rows.map((row) => {
      const cells = cellsOf(row.data);
      const extras = Array.isArray(cells[EXTRA_CELLS_KEY]) ? cells[EXTRA_CELLS_KEY] : [];
      const problem = (row.message ?? "")
        .split("\n")
        .map((line) => line.replace(/^Row \d+: /, ""))
        .join("; ");
      return [
        String(row.rowNumber),
        problem,
        ...headers.map((h) => {
          const cell = cells[h];
          return typeof cell === "string" ? cell : "";
        }),
        ...extraHeaders.map((_, i) => extras[i] ?? ""),
      ].map(neutralizeFormula);
    });
    yield stringify(records);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Undo

export interface UndoResult {
  importId: string;
  status: "undone";
  /** Contacts the import created, removed for good (nobody touched them since). */
  contactsDeleted: number;
  /** Contacts the import created that were changed since: moved to "recently deleted". */
  contactsMovedToBin: number;
  /** Restore those with contacts.restoreContacts({ deletionId }); null when there are none. */
  deletionId: string | null;
  /** Contacts the import updated, put back as they were. */
  contactsRestored: number;
  /** Tags the import created that no contact carries any more, deleted. */
  tagsDeleted: number;
  /** True when the import had already been undone: nothing was done this time. */
  alreadyUndone: boolean;
}

const UNDO_BATCH = 1000;
const UNDO_TX = { timeout: 600_000, maxWait: 30_000 } as const;

/**
 * Which of these contact ids are the actor's (live or in the bin). Probed one by one by
 * primary key: with statistics missing, a plain `id IN (…) AND user_id = …` may scan every
 * contact of the user instead. The statements that follow touch rows by these ids only.
 */
async function ownedContacts(tx: Tx, actor: Actor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT x.id FROM unnest(${ids}::uuid[]) AS k(id)
    CROSS JOIN LATERAL (SELECT c.id, c.user_id FROM contacts c WHERE c.id = k.id OFFSET 0) AS x
    WHERE x.user_id = ${actor.userId}::uuid`;
  return rows.map((r) => r.id);
}

async function undoCreated(
  tx: Tx,
  actor: Actor,
  importId: string,
  changes: { contactId: string; createdAt: Date }[],
  deletionId: string,
  now: Date,
): Promise<{ deleted: number; moved: number }> {
  const importedAt = new Map(changes.map((c) => [c.contactId, c.createdAt]));
  const owned = await ownedContacts(tx, actor, [...importedAt.keys()]);
  if (owned.length === 0) return { deleted: 0, moved: 0 };
  // Changed since the import: edited, or given a note, a task, another timeline event, or a
  // tag, email or phone. Those go to the bin (restorable); the others are deleted for good.
  const rows = await tx.$queryRaw<{ id: string; changed: boolean }[]>`
    SELECT c.id, (
      c.updated_at > v.t
      OR EXISTS (SELECT 1 FROM notes n WHERE n.contact_id = c.id)
      OR EXISTS (SELECT 1 FROM tasks k WHERE k.contact_id = c.id)
      OR EXISTS (SELECT 1 FROM timeline_events te WHERE te.contact_id = c.id
        AND NOT (te.kind = 'contact.imported' AND te.data->>'importId' = ${importId}))
      OR EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.created_at > v.t)
      OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.created_at > v.t)
      OR EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND p.created_at > v.t)
    ) AS changed
    FROM unnest(${owned}::uuid[], ${owned.map((id) => importedAt.get(id)!)}::timestamptz[])
      AS v(id, t)
    CROSS JOIN LATERAL (SELECT * FROM contacts x WHERE x.id = v.id OFFSET 0) AS c`;
  const untouched = rows.filter((r) => !r.changed).map((r) => r.id);
  const changed = rows.filter((r) => r.changed).map((r) => r.id);
  const deleted =
    untouched.length === 0
      ? 0
      : await tx.$executeRaw`DELETE FROM contacts WHERE id = ANY(${untouched}::uuid[])`;
  const moved =
    changed.length === 0
      ? 0
      : await tx.$executeRaw`
          UPDATE contacts SET deleted_at = ${now}, deletion_id = ${deletionId}::uuid
          WHERE id = ANY(${changed}::uuid[]) AND deleted_at IS NULL`;
  return { deleted, moved };
}

async function undoUpdated(
  tx: Tx,
  actor: Actor,
  importId: string,
  changes: { contactId: string; before: BeforeSnapshot }[],
  now: Date,
): Promise<number> {
  const owned = new Set(
    await ownedContacts(
      tx,
      actor,
      changes.map((c) => c.contactId),
    ),
  );
  const mine = changes.filter((c) => owned.has(c.contactId));
  if (mine.length === 0) return 0;
  const ids = mine.map((c) => c.contactId);
  const emailIds = mine.flatMap((c) => c.before.added.emailIds);
  const phoneIds = mine.flatMap((c) => c.before.added.phoneIds);
  if (emailIds.length > 0) {
    await tx.$executeRaw`
      DELETE FROM contact_emails
      WHERE id = ANY(${emailIds}::uuid[]) AND contact_id = ANY(${ids}::uuid[])`;
  }
  if (phoneIds.length > 0) {
    await tx.$executeRaw`
      DELETE FROM contact_phones
      WHERE id = ANY(${phoneIds}::uuid[]) AND contact_id = ANY(${ids}::uuid[])`;
  }
  const tagPairs = mine.flatMap((c) =>
    c.before.added.tagIds.map((tagId) => ({
      contactId: c.contactId,
      tagId,
      at: new Date(c.before.importedAt),
    })),
  );
  if (tagPairs.length > 0) {
    await tx.$executeRaw`
      DELETE FROM contact_tags ct
      USING unnest(${tagPairs.map((p) => p.contactId)}::uuid[],
        ${tagPairs.map((p) => p.tagId)}::uuid[], ${tagPairs.map((p) => p.at)}::timestamptz[])
        AS v(contact_id, tag_id, t)
      WHERE ct.contact_id = v.contact_id AND ct.tag_id = v.tag_id AND ct.created_at = v.t
        AND ct.contact_id = ANY(${ids}::uuid[])`;
  }
  // A value the import filled in goes, unless it was changed since.
  const values = mine.flatMap((c) =>
    c.before.added.fields.map((f) => ({ contactId: c.contactId, ...f })),
  );
  if (values.length > 0) {
    await tx.$executeRaw`
      DELETE FROM contact_field_values fv
      USING unnest(${values.map((v) => v.contactId)}::uuid[],
        ${values.map((v) => v.fieldId)}::uuid[], ${values.map((v) => v.textValue)}::text[],
        ${values.map((v) => v.numberValue)}::numeric[], ${values.map((v) => v.dateValue)}::date[])
        AS v(contact_id, field_id, t, n, d)
      WHERE fv.contact_id = v.contact_id AND fv.field_id = v.field_id
        AND fv.contact_id = ANY(${ids}::uuid[])
        AND fv.text_value IS NOT DISTINCT FROM v.t
        AND fv.number_value IS NOT DISTINCT FROM round(v.n, 6)
        AND fv.date_value IS NOT DISTINCT FROM v.d`;
  }
  await tx.$executeRaw`
    DELETE FROM timeline_events
    WHERE contact_id = ANY(${ids}::uuid[]) AND kind = 'contact.imported'
      AND data->>'importId' = ${importId}`;

  // The contacts' own columns: exactly as before when nobody touched them since; otherwise
  // only what still holds the imported value goes back, and the copies are recomputed.
  const current = await tx.$queryRaw<
    {
      id: string;
      name: string;
      stage: string;
      source: string | null;
      updatedAt: Date;
      emails: string[];
      phones: string[];
    }[]
  >`
    SELECT c.id, c.name, c.stage, c.source, c.updated_at AS "updatedAt",
      (SELECT coalesce(array_agg(e.email ORDER BY e.is_primary DESC, e.created_at, e.id), '{}')
        FROM contact_emails e WHERE e.contact_id = c.id) AS emails,
      (SELECT coalesce(array_agg(p.phone ORDER BY p.is_primary DESC, p.created_at, p.id), '{}')
        FROM contact_phones p WHERE p.contact_id = c.id) AS phones
    FROM unnest(${ids}::uuid[]) AS k(id)
    CROSS JOIN LATERAL (SELECT * FROM contacts x WHERE x.id = k.id OFFSET 0) AS c`;
  const byId = new Map(mine.map((c) => [c.contactId, c.before]));
  const restored = current.map((c) => {
    const before = byId.get(c.id)!;
    if (c.updatedAt.toISOString() === before.importedAt) {
      return { id: c.id, ...before.contact, updatedAt: new Date(before.contact.updatedAt) };
    }
    const name = c.name === before.set.name ? before.contact.name : c.name;
    const stage = c.stage === before.set.stage ? before.contact.stage : c.stage;
    const source = c.source === before.set.source ? before.contact.source : c.source;
    return {
      id: c.id,
      name,
      nameSort: nameSortKey(name),
      email: c.emails[0] ?? null,
      phone: c.phones[0] ?? null,
      stage,
      source,
      searchText: buildSearchText(name, c.emails, c.phones),
      updatedAt: now,
    };
  });
  if (restored.length > 0) {
    await tx.$executeRaw`
      UPDATE contacts AS c SET name = v.name, name_sort = v.name_sort, email = v.email,
        phone = v.phone, stage = v.stage, source = v.source, search_text = v.search_text,
        updated_at = v.updated_at
      FROM unnest(${restored.map((r) => r.id)}::uuid[], ${restored.map((r) => r.name)}::text[],
        ${restored.map((r) => r.nameSort)}::text[], ${restored.map((r) => r.email)}::text[],
        ${restored.map((r) => r.phone)}::text[], ${restored.map((r) => r.stage)}::text[],
        ${restored.map((r) => r.source)}::text[], ${restored.map((r) => r.searchText)}::text[],
        ${restored.map((r) => r.updatedAt)}::timestamptz[])
        AS v(id, name, name_sort, email, phone, stage, source, search_text, updated_at)
      WHERE c.id = v.id AND c.id = ANY(${ids}::uuid[])`;
  }
  return restored.length;
}

/**
 * Takes an import back, in one transaction: the contacts it created are deleted (or, when
 * changed since, moved to "recently deleted"), the contacts it updated get back what they had,
 * the tags it created and nobody uses go. Works on completed, failed and interrupted imports
 * (a run still going stops at its next chunk). Calling it again changes nothing.
 */
export async function undoImport(db: Db, actor: Actor, input: ImportIdInput): Promise<UndoResult> {
  const { importId } = importIdInputSchema.parse(input);
  const deletionId = randomUUID();
  const result = await db.$transaction(async (tx) => {
    await requireImport(tx, actor, importId);
    await tx.$queryRaw`SELECT 1 FROM contact_imports WHERE id = ${importId}::uuid FOR UPDATE`;
    const locked = await requireImport(tx, actor, importId);
    const none = {
      importId,
      status: "undone" as const,
      contactsDeleted: 0,
      contactsMovedToBin: 0,
      deletionId: null,
      contactsRestored: 0,
      tagsDeleted: 0,
    };
    const { createdTagIds } = readStoredOptions(locked.options);
    if (locked.status === "undone") return { ...none, alreadyUndone: true, createdTagIds };
    if (!["completed", "failed", "running"].includes(locked.status)) {
      throw new ConflictError("This import has not run: there is nothing to undo.");
    }
    const now = new Date();
    // The change log without the snapshots (small), then the snapshots batch by batch.
    const log = await tx.contactImportChange.findMany({
      where: { importId },
      orderBy: { id: "asc" },
      select: { id: true, contactId: true, kind: true, createdAt: true },
    });
    let deleted = 0;
    let moved = 0;
    let restored = 0;
    for (let i = 0; i < log.length; i += UNDO_BATCH) {
      const batch = log.slice(i, i + UNDO_BATCH);
      const created = await undoCreated(
        tx,
        actor,
        importId,
        batch.filter((c) => c.kind === "created"),
        deletionId,
        now,
      );
      deleted += created.deleted;
      moved += created.moved;
      const updatedIds = batch.filter((c) => c.kind === "updated").map((c) => c.id);
      if (updatedIds.length === 0) continue;
      const snapshots = await tx.contactImportChange.findMany({
        where: { id: { in: updatedIds } },
        select: { contactId: true, before: true },
      });
      restored += await undoUpdated(
        tx,
        actor,
        importId,
        snapshots
          .filter((c) => c.before !== null)
          .map((c) => ({ contactId: c.contactId, before: c.before as unknown as BeforeSnapshot })),
        now,
      );
    }
    const tagsDeleted =
      createdTagIds.length === 0
        ? 0
        : // SKIP LOCKED: a tag a chunk still being written refers to (a run that is being
          // stopped by this undo) is left alone rather than waited for.
          await tx.$executeRaw`
          DELETE FROM tags WHERE id IN (
            SELECT t.id FROM tags t WHERE t.id = ANY(${createdTagIds}::uuid[])
              AND t.user_id = ${actor.userId}::uuid
              AND NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = t.id)
            FOR UPDATE SKIP LOCKED)`;
    await tx.contactImport.update({
      where: { id: importId },
      data: { status: "undone", undoneAt: now },
    });
    return {
      ...none,
      contactsDeleted: deleted,
      contactsMovedToBin: moved,
      deletionId: moved > 0 ? deletionId : null,
      contactsRestored: restored,
      tagsDeleted,
      alreadyUndone: false,
      createdTagIds,
    };
  }, UNDO_TX);
  // Tags skipped above because a chunk of a run being stopped still referred to them: that
  // chunk rolls back now that the import is undone, so waiting for it is safe here.
  const { createdTagIds, ...undone } = result;
  const leftover =
    createdTagIds.length === 0
      ? 0
      : await db.$executeRaw`
          DELETE FROM tags t WHERE t.id = ANY(${createdTagIds}::uuid[])
            AND t.user_id = ${actor.userId}::uuid
            AND NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = t.id)`;
  return { ...undone, tagsDeleted: undone.tagsDeleted + leftover };
}
