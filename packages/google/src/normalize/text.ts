import { compile } from "html-to-text";
import libmime from "libmime";
import { TextDecoder } from "node:util";

export const SNIPPET_MAX_CHARS = 500;

const headingNoUppercase = { uppercase: false };

/** HTML → plain text: no link targets, no images, no head/style/script, no wrapping. */
const convertHtml = compile({
  wordwrap: false,
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "head", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "h1", options: headingNoUppercase },
    { selector: "h2", options: headingNoUppercase },
    { selector: "h3", options: headingNoUppercase },
    { selector: "h4", options: headingNoUppercase },
    { selector: "h5", options: headingNoUppercase },
    { selector: "h6", options: headingNoUppercase },
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
});

export function htmlToText(html: string): string {
  try {
    return convertHtml(html);
  } catch {
    // html-to-text is lenient, but never let one odd document fail a sync run.
    return decodeHtmlEntities(html.replace(/<[^>]*>/g, " "));
  }
}

/** Heuristic: does a free-text field (e.g. an event description) contain HTML markup? */
export function looksLikeHtml(value: string): boolean {
  return (
    /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(value) ||
    /&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(value)
  );
}

/** Decodes RFC 2047 encoded words (any charset, Q or B); never throws. */
export function decodeMimeWords(value: string): string {
  if (!value.includes("=?")) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Header values may arrive folded (CRLF + WSP); unfold them. */
export function unfold(value: string): string {
  return value.replace(/\r?\n[ \t]*/g, " ");
}

// C0 controls except TAB and LF, DEL, and lone CR; NUL in particular cannot be stored in Postgres text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Normalizes line endings and drops control characters (keeps TAB and LF). */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(CONTROL_CHARS, "");
}

/** Single-line form: every whitespace run (including line breaks) becomes one space. */
export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max);
  const code = value.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
  return value.slice(0, end);
}

/** Trimmed, cleaned, one line; null when nothing is left. */
export function cleanLine(value: string | null | undefined, max?: number): string | null {
  if (value == null) return null;
  let out = collapseWhitespace(cleanText(value));
  if (max !== undefined) out = truncate(out, max).trimEnd();
  return out === "" ? null : out;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ndash: "\u2013",
  mdash: "\u2014",
  lsquo: "\u2018",
  rsquo: "\u2019",
  ldquo: "\u201c",
  rdquo: "\u201d",
  hellip: "\u2026",
  bull: "\u2022",
  middot: "\u00b7",
  copy: "\u00a9",
  reg: "\u00ae",
  trade: "\u2122",
  euro: "\u20ac",
  pound: "\u00a3",
  eacute: "\u00e9",
  egrave: "\u00e8",
  aacute: "\u00e1",
  agrave: "\u00e0",
  iacute: "\u00ed",
  oacute: "\u00f3",
  uacute: "\u00fa",
  ntilde: "\u00f1",
  ccedil: "\u00e7",
  auml: "\u00e4",
  ouml: "\u00f6",
  uuml: "\u00fc",
  Auml: "\u00c4",
  Ouml: "\u00d6",
  Uuml: "\u00dc",
  szlig: "\u00df",
  zwnj: "\u200c",
  zwj: "\u200d",
};

/**
 * Decodes the HTML entities Gmail puts in `snippet` (`&#39;`, `&amp;`, `&quot;`, …): numeric
 * (decimal/hex) and the common named ones. Unknown entities are left as they are.
 */
export function decodeHtmlEntities(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(
    /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g,
    (match, body: string) => {
      if (body.startsWith("#")) {
        const code =
          body[1] === "x" || body[1] === "X"
            ? parseInt(body.slice(2), 16)
            : parseInt(body.slice(1), 10);
        if (
          !Number.isFinite(code) ||
          code <= 0 ||
          code > 0x10ffff ||
          (code >= 0xd800 && code <= 0xdfff)
        ) {
          return "\ufffd";
        }
        return String.fromCodePoint(code);
      }
      return NAMED_ENTITIES[body] ?? match;
    },
  );
}

const decoders = new Map<string, TextDecoder>();

/** Decodes bytes in `charset` (any WHATWG label); unknown charsets fall back to UTF-8. */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  const label =
    (charset ?? "utf-8")
      .trim()
      .toLowerCase()
      .replace(/^["']|["']$/g, "") || "utf-8";
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = decoders.get("utf-8") ?? new TextDecoder("utf-8");
    }
    if (decoders.size < 64) decoders.set(label, decoder);
  }
  return decoder.decode(bytes);
}
