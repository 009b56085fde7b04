import emailAddresses from "email-addresses";
import { cleanLine, decodeMimeWords, unfold } from "./text.ts";

export interface ParsedAddress {
  /** Lower-cased, trimmed. */
  email: string;
  /** Decoded display name, or null. */
  name: string | null;
}

const MAX_EMAIL_LENGTH = 320;
const MAX_NAME_LENGTH = 200;

/** Lower-cases and trims an address; null when it does not look like `local@domain`. */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (!value) return null;
  let email = value.trim();
  if (email.startsWith("<") && email.endsWith(">")) email = email.slice(1, -1).trim();
  if (email.toLowerCase().startsWith("mailto:")) email = email.slice(7);
  email = email.toLowerCase();
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return null;
  if (email.length > MAX_EMAIL_LENGTH || /[\s<>,;]/.test(email)) return null;
  return email;
}

/**
 * No-reply / machine senders, judged on the local part only (lower-cased, "+tag" dropped):
 *
 * - a "no reply" token anywhere, delimited by `.`, `_`, `-`, `+` or the ends: noreply, no-reply,
 *   no_reply, no.reply, donotreply, do-not-reply, do_not_reply, dont-reply, noreply2, …
 *   (e.g. `noreply@`, `accounts-noreply@`, `noreply-dmarc-support@`);
 * - a "notification(s)" token anywhere (`notifications@`, `calendar-notification@`);
 * - exact system names: mailer-daemon, postmaster, bounce(s), notify, nobody, daemon,
 *   autoreply/auto-reply, auto-confirm, autoresponder;
 * - a bounce prefix: `bounce-…`, `bounces+…`, `bounces.…` (VERP return paths).
 *
 * Real people are safe because every rule needs a whole token: `noreen@`, `nora.reply@`,
 * `notley@`, `bouncer@` stay people, and so do role addresses such as `info@`, `hello@` and
 * `support@` (small practices and clients' businesses use them).
 */
export function isNoReplyAddress(email: string): boolean {
  const at = email.lastIndexOf("@");
  let local = (at >= 0 ? email.slice(0, at) : email).toLowerCase();
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (NO_REPLY_EXACT.has(local)) return true;
  return NO_REPLY_TOKEN.test(local) || NOTIFICATION_TOKEN.test(local) || BOUNCE_PREFIX.test(local);
}

const NO_REPLY_EXACT = new Set([
  "mailer-daemon",
  "mailer_daemon",
  "mailerdaemon",
  "postmaster",
  "bounce",
  "bounces",
  "notify",
  "nobody",
  "daemon",
  "autoreply",
  "auto-reply",
  "auto_reply",
  "auto-confirm",
  "autoconfirm",
  "autoresponder",
  "auto-responder",
]);
const NO_REPLY_TOKEN = /(?:^|[._+-])(?:no|do[._-]?not|dont|do[._-]?no)[._-]?reply\d*(?=$|[._+-])/;
const NOTIFICATION_TOKEN = /(?:^|[._+-])notifications?\d*(?=$|[._+-])/;
const BOUNCE_PREFIX = /^bounces?[._+=-]/;

const PARSE_OPTIONS = { rfc6532: true, atInDisplayName: true } as const;

/**
 * The parser's cost grows faster than linearly on some malformed input (a few hundred
 * characters of `(((` or `"""` can take tens of ms), so it only sees bounded, well-formed
 * text; anything else goes through the linear fallback.
 */
const MAX_LIST_PARSE_CHARS = 1_000;
const MAX_CHUNK_PARSE_CHARS = 256;

type Mailbox = emailAddresses.ParsedMailbox;
type Group = emailAddresses.ParsedGroup;
type RawAddress = { email: string; name: string | null };

/**
 * Parses address header values (From/To/Cc/Bcc/Reply-To; a header may repeat, so this takes
 * all of its values) into addresses in header order, without duplicates.
 *
 * Uses `email-addresses` `parseAddressList` (RFC 5322, groups such as
 * `Undisclosed recipients:;` included). A list the parser rejects as a whole (or one too long
 * or malformed to hand it safely) is split at top-level commas/semicolons, group names are
 * dropped, and each piece is parsed alone; a piece that still fails is searched for `<addr>`
 * or a bare `local@domain`. What parses is kept, the rest is dropped; this never throws and
 * stays linear in the input size.
 */
export function parseAddressHeaders(
  values: readonly string[],
  options: { fastPath?: boolean } = {},
): ParsedAddress[] {
  const fastPath = options.fastPath ?? true;
  const out: ParsedAddress[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const input = unfold(value).trim();
    if (!input.includes("@")) continue; // nothing addressable, e.g. "Undisclosed recipients:;"
    const raws = (fastPath ? fastParseList(input) : null) ?? parseList(input);
    for (const raw of raws) {
      const email = normalizeEmail(raw.email);
      if (!email || seen.has(email)) continue;
      seen.add(email);
      out.push({ email, name: cleanName(raw.name, email) });
    }
  }
  return out;
}

// Fast path for the plain shapes nearly every header has: `addr` and `Name <addr>` or
// `"Name" <addr>`, ASCII dot-atom addresses, comma separated, no groups, comments or escapes.
// For these the result is what email-addresses returns (a unit test holds the two paths to
// the same output); anything else goes to the parser. The library builds a full syntax tree
// per character and costs ~40 µs per address, which dominated normalization time.
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const FAST_ADDRESS = `[${ATEXT}]+(?:\\.[${ATEXT}]+)*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*`;
const FAST_BARE = new RegExp(`^(${FAST_ADDRESS})$`);
const FAST_NAMED = new RegExp(
  `^(?:"([^"\\\\\\x00-\\x1f\\x7f]*)"|([^"\\\\<>()[\\]:;@,\\x00-\\x1f\\x7f]*?))\\s*<(${FAST_ADDRESS})>$`,
);
const FAST_MAX_CHUNK_CHARS = 400;

function fastParseList(input: string): RawAddress[] | null {
  if (/[:;()\\]/.test(input)) return null;
  const result: RawAddress[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i <= input.length; i++) {
    const ch = input[i];
    if (ch === '"') inQuote = !inQuote;
    else if ((ch === "," && !inQuote) || i === input.length) {
      if (inQuote || i - start > FAST_MAX_CHUNK_CHARS) return null;
      const chunk = input.slice(start, i).trim(); // the patterns are anchored on trimmed text
      const bare = FAST_BARE.exec(chunk);
      if (bare) {
        result.push({ email: bare[1] ?? "", name: null });
      } else {
        const named = FAST_NAMED.exec(chunk);
        if (!named) return null;
        result.push({ email: named[3] ?? "", name: named[1] ?? named[2] ?? null });
      }
      start = i + 1;
    }
  }
  return result;
}

function parseList(input: string): RawAddress[] {
  if (input.length <= MAX_LIST_PARSE_CHARS && isBalanced(input)) {
    const parsed = safeParse(() => emailAddresses.parseAddressList({ input, ...PARSE_OPTIONS }));
    if (parsed) return flatten(parsed);
  }
  const result: RawAddress[] = [];
  for (const chunk of splitTopLevel(input)) {
    const piece = chunk.trim();
    if (!piece.includes("@")) continue;
    if (piece.length <= MAX_CHUNK_PARSE_CHARS && isBalanced(piece)) {
      const one = safeParse(() =>
        emailAddresses.parseOneAddress({ input: piece, ...PARSE_OPTIONS }),
      );
      if (one) {
        result.push(...flatten([one]));
        continue;
      }
    }
    result.push(...rescue(piece));
  }
  return result;
}

function safeParse<T>(parse: () => T | null): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

function flatten(items: readonly (Mailbox | Group)[]): RawAddress[] {
  const result: RawAddress[] = [];
  const addMailbox = (mailbox: Mailbox) => {
    let name = mailbox.name;
    if (!name) {
      // Old style `jane@example.com (Jane Doe)`: the comment is the name.
      const comment = mailbox.parts.comments[0]?.tokens;
      if (comment) name = comment.trim().replace(/^\(|\)$/g, "");
    }
    result.push({ email: mailbox.address, name });
  };
  for (const item of items) {
    if (item.type === "group") item.addresses.forEach(addMailbox);
    else addMailbox(item);
  }
  return result;
}

/** Quotes closed, comments nested at most 3 deep and closed, angle brackets not nested and closed. */
function isBalanced(input: string): boolean {
  let inQuote = false;
  let paren = 0;
  let angle = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === "\\") i++;
    else if (inQuote) inQuote = ch !== '"';
    else if (ch === '"') inQuote = true;
    else if (ch === "(") {
      if (++paren > 3) return false;
    } else if (ch === ")") {
      if (--paren < 0) return false;
    } else if (paren === 0 && ch === "<") {
      if (++angle > 1) return false;
    } else if (paren === 0 && ch === ">") {
      if (--angle < 0) return false;
    }
  }
  return !inQuote && paren === 0 && angle === 0;
}

/**
 * Splits at commas/semicolons outside quotes, angle brackets and comments, dropping group
 * names (`Team: a@x, b@y;` gives `a@x` and `b@y`).
 */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let angle = 0;
  let paren = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === "\\") {
      i++;
    } else if (inQuote) {
      if (ch === '"') inQuote = false;
    } else if (ch === '"') {
      inQuote = true;
    } else if (ch === "(") {
      paren++;
    } else if (ch === ")") {
      paren = Math.max(0, paren - 1);
    } else if (ch === "<") {
      angle++;
    } else if (ch === ">") {
      angle = Math.max(0, angle - 1);
    } else if (angle === 0 && paren === 0) {
      if (ch === "," || ch === ";") {
        parts.push(input.slice(start, i));
        start = i + 1;
      } else if (ch === ":") {
        start = i + 1; // a group name ends here
      }
    }
  }
  parts.push(input.slice(start));
  return parts;
}

// Characters that cannot be part of an address found by the fallback scan.
const STOP_CHARS = new Set([..." \t\r\n<>()[],;:\"'\\"]);

/**
 * Last resort for a piece the parser rejects, in linear time: `<addr>` (the text before it is
 * the name) or else bare `local@domain` runs.
 */
function rescue(piece: string): RawAddress[] {
  const found: RawAddress[] = [];
  let from = 0;
  let nameStart = 0;
  for (;;) {
    const open = piece.indexOf("<", from);
    if (open < 0) break;
    const close = piece.indexOf(">", open + 1);
    if (close < 0) break;
    const innerOpen = piece.lastIndexOf("<", close); // innermost "<" before this ">"
    const inner = piece.slice(innerOpen + 1, close).trim();
    if (inner.includes("@") && !/[\s<>]/.test(inner)) {
      const name = piece.slice(nameStart, innerOpen).replace(/[<>"]/g, " ").trim();
      found.push({ email: inner, name: name || null });
      nameStart = close + 1;
    }
    from = close + 1;
  }
  if (found.length > 0) return found;
  let at = piece.indexOf("@");
  while (at >= 0) {
    let left = at;
    while (left > 0 && !STOP_CHARS.has(piece[left - 1] ?? " ")) left--;
    let right = at + 1;
    while (right < piece.length && !STOP_CHARS.has(piece[right] ?? " ")) right++;
    const candidate = piece.slice(left, right);
    if (left < at && right > at + 1 && candidate.indexOf("@") === candidate.lastIndexOf("@")) {
      found.push({ email: candidate, name: null });
    }
    at = piece.indexOf("@", right);
  }
  return found;
}

/** Decodes encoded words; drops names that are blank or just repeat the address. */
function cleanName(raw: string | null | undefined, email: string): string | null {
  if (!raw) return null;
  let name = cleanLine(decodeMimeWords(raw), MAX_NAME_LENGTH);
  if (!name) return null;
  if (name.length >= 2 && name.startsWith("'") && name.endsWith("'"))
    name = name.slice(1, -1).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"'))
    name = name.slice(1, -1).trim();
  if (!name || normalizeEmail(name) === email) return null;
  return name;
}
