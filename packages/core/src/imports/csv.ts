import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { InvalidInputError } from "../errors.ts";

/**
 * Streaming CSV reading for imports: bytes in, records out, with memory bounded by one record
 * whatever the size of the file. Decodes UTF-8 (with or without a byte-order mark), falling
 * back to Windows-1252 (what Excel and Outlook write on Windows) when the start of the file is
 * not valid UTF-8; refuses binary files; picks "," or ";" from the header line.
 */

export type CsvSource = string | AsyncIterable<string | Buffer | Uint8Array>;

export interface CsvRecord {
  /** The record's row as a spreadsheet shows it: the header is row 1. Blank rows count. */
  rowNumber: number;
  cells: string[];
}

/** A record longer than this is refused (a binary file, or a quote never closed). */
export const CSV_MAX_RECORD_BYTES = 1024 * 1024;
/** How much of the start of the file is examined for its encoding and delimiter. */
const SNIFF_BYTES = 64 * 1024;

const NOT_CSV =
  "This file is not a CSV text file. Export your contacts as CSV (in Excel: Save as › CSV UTF-8) and upload that file.";

/** Windows-1252 differs from Latin-1 in 0x80–0x9F (Node decodes the label as Latin-1). */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeCp1252(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, i + 8192);
    text += String.fromCharCode(...part);
  }
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function looksBinary(head: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) {
    return "This is an Excel workbook, not a CSV file. In Excel, choose File › Save as › CSV UTF-8, then upload that file.";
  }
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) {
    return "This file is saved as UTF-16 (“Unicode text”). Save it as CSV UTF-8 and upload it again.";
  }
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return NOT_CSV;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) {
      control += 1;
    }
  }
  return control > Math.max(8, head.length / 100) ? NOT_CSV : null;
}

function textLooksBinary(text: string): boolean {
  let control = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) {
      control += 1;
    }
  }
  return control > Math.max(8, text.length / 100);
}

const toBytes = (chunk: Buffer | Uint8Array) =>
  chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);

/** The file as text, chunk by chunk; the encoding is decided from its first 64 KB. */
async function* decodeText(source: CsvSource): AsyncGenerator<string> {
  if (typeof source === "string") {
    if (textLooksBinary(source.slice(0, SNIFF_BYTES))) throw new InvalidInputError(NOT_CSV);
    yield source;
    return;
  }
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let decode: ((bytes: Uint8Array | undefined) => string) | null = null;

  const decideOn = (bytes: Uint8Array) => {
    const binary = looksBinary(bytes);
    if (binary) throw new InvalidInputError(binary);
    try {
      // Valid UTF-8 so far (a character cut at the end is fine in stream mode).
      new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
      const utf8 = new TextDecoder("utf-8");
      return (chunk: Uint8Array | undefined) =>
        chunk ? utf8.decode(chunk, { stream: true }) : utf8.decode();
    } catch {
      return (chunk: Uint8Array | undefined) => (chunk ? decodeCp1252(chunk) : "");
    }
  };

  let sawText = false;
  for await (const chunk of source) {
    if (typeof chunk === "string") {
      if (decode === null && head.length === 0) {
        if (!sawText && textLooksBinary(chunk.slice(0, SNIFF_BYTES))) {
          throw new InvalidInputError(NOT_CSV);
        }
        sawText = true;
        yield chunk;
        continue;
      }
      throw new InvalidInputError("A file is either text or bytes, not both.");
    }
    if (sawText) throw new InvalidInputError("A file is either text or bytes, not both.");
    const bytes = toBytes(chunk);
    if (decode) {
      yield decode(bytes);
      continue;
    }
    head.push(bytes);
    headBytes += bytes.length;
    if (headBytes >= SNIFF_BYTES) {
      const all = Buffer.concat(head);
      head = [];
      decode = decideOn(all);
      yield decode(all);
    }
  }
  if (!decode) {
    if (head.length === 0) return;
    const all = Buffer.concat(head);
    decode = decideOn(all);
    yield decode(all);
  }
  const rest = decode(undefined);
  if (rest) yield rest;
}

/**
 * Finds the delimiter from the first non-blank line: ";" when it has more semicolons than
 * commas outside quotes (a European Excel export), "," otherwise. Yields the text unchanged.
 */
async function sniffDelimiter(
  text: AsyncIterable<string>,
): Promise<{ delimiter: "," | ";"; chunks: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  const buffered: string[] = [];
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  let lineHasText = false;
  let scanned = 0;
  let found = false;
  while (!found) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = next.value;
    buffered.push(chunk);
    for (let i = 0; i < chunk.length && !found; i += 1) {
      const c = chunk[i];
      if (c === '"') inQuotes = !inQuotes;
      else if (!inQuotes && (c === "\n" || c === "\r")) {
        if (lineHasText) found = true;
      } else if (!inQuotes && c === ",") {
        commas += 1;
        lineHasText = true;
      } else if (!inQuotes && c === ";") {
        semicolons += 1;
        lineHasText = true;
      } else if (c !== " " && c !== "\t" && c !== "\uFEFF") lineHasText = true;
    }
    scanned += chunk.length;
    if (!found && scanned > CSV_MAX_RECORD_BYTES) {
      throw new InvalidInputError(
        "The first line of the file is longer than 1 MB: this does not look like a CSV file with a header.",
      );
    }
  }
  async function* replay(): AsyncGenerator<string> {
    yield* buffered;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { delimiter: semicolons > commas ? ";" : ",", chunks: replay() };
}

function friendlyCsvError(error: CsvError & { lines?: number }): InvalidInputError {
  const line = error.lines ?? 0;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new InvalidInputError(
        `A quoted cell is never closed (the file ends inside quotes that open on or before line ${line}). Check the quotes (") in the file.`,
      );
    case "CSV_INVALID_CLOSING_QUOTE":
      return new InvalidInputError(
        `Line ${line}: a closing quote (") is followed by more text in the same cell. Check the quotes on that line.`,
      );
    case "CSV_MAX_RECORD_SIZE":
      return new InvalidInputError(
        `Line ${line}: a row longer than 1 MB. Is this really a CSV file? Check for a quote (") that is never closed.`,
      );
    default:
      return new InvalidInputError(
        `Line ${line}: this line cannot be read as CSV (${error.message}).`,
      );
  }
}

/**
 * The records of a CSV file, header first, one at a time: the next one is read only when the
 * caller asks for it, so a slow consumer (a database) holds the file back instead of
 * buffering it.
 */
export async function* readCsvRecords(source: CsvSource): AsyncGenerator<CsvRecord> {
  const { delimiter, chunks } = await sniffDelimiter(decodeText(source));
  const parser = parse({
    bom: true,
    delimiter,
    quote: '"',
    relax_column_count: true,
    relax_quotes: true,
    trim: true,
    skip_empty_lines: false,
    max_record_size: CSV_MAX_RECORD_BYTES,
  });
  const feeding = pipeline(Readable.from(chunks), parser).then(
    () => null,
    (error: unknown) => error,
  );
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw friendlyCsvError(error);
    throw error;
  } finally {
    parser.destroy();
  }
  const failure = await feeding;
  if (failure instanceof CsvError) throw friendlyCsvError(failure);
  if (failure instanceof Error) throw failure;
  if (failure) throw new Error("The file could not be read.", { cause: failure });
}
