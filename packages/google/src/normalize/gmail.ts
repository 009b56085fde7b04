import { Buffer } from "node:buffer";
import type { gmail_v1 } from "@googleapis/gmail";
import { parseAddressHeaders, type ParsedAddress } from "./addresses.ts";
import { parseDateHeader, parseEpochMillis } from "./dates.ts";
import { compileRules, type CompiledRules } from "./rules.ts";
import { collectPeople, skip } from "./result.ts";
import {
  SNIPPET_MAX_CHARS,
  cleanLine,
  cleanText,
  decodeBytes,
  decodeHtmlEntities,
  decodeMimeWords,
  htmlToText,
  truncate,
  unfold,
} from "./text.ts";
import type {
  AddressClass,
  NormalizeResult,
  NormalizeRules,
  NormalizedEmail,
  Participant,
  ParticipantRole,
  SkipReason,
} from "./types.ts";

type Message = gmail_v1.Schema$Message;
type MessagePart = gmail_v1.Schema$MessagePart;
type Header = gmail_v1.Schema$MessagePartHeader;

/**
 * Headers the normalizer reads. A `format: "metadata"` fetch must ask for these
 * (`metadataHeaders`), otherwise bulk detection cannot see List-Unsubscribe & co.
 */
export const GMAIL_METADATA_HEADERS = [
  "From",
  "To",
  "Cc",
  "Bcc",
  "Reply-To",
  "Subject",
  "Date",
  "List-Unsubscribe",
  "List-Id",
  "Precedence",
  "Auto-Submitted",
] as const;

const MAX_SUBJECT_CHARS = 998;
/** Raw (still encoded) subject text looked at; encoded words take up to ~4x the decoded length. */
const MAX_RAW_SUBJECT_CHARS = 8_000;
const MAX_PART_DEPTH = 32;

/**
 * Role order for participants and for `people`: an address keeps the first role it appears
 * in. Reply-To comes right after From because web forms send `From: noreply@site` with
 * `Reply-To: client@…`; that client is the person the message is really from.
 */
const ADDRESS_HEADERS: readonly [ParticipantRole, string][] = [
  ["from", "from"],
  ["reply_to", "reply-to"],
  ["to", "to"],
  ["cc", "cc"],
  ["bcc", "bcc"],
];

/**
 * Normalizes one Gmail message (`format: "full"` or `"metadata"`). Pure and deterministic.
 *
 * Checks, in order (the first that applies is the reason):
 * 1. `invalid` — not an object or no id;
 * 2. `draft` (DRAFT label), `spam_or_trash` (SPAM or TRASH label);
 * 3. `never_log` — any non-self participant (from, reply-to, to, cc, bcc) matches a never-log
 *    entry: privacy first, before anything else about the message is judged;
 * 4. `bulk` (when `skipBulk`) — List-Unsubscribe, List-Id, Precedence: bulk|list|junk, or
 *    Auto-Submitted other than "no";
 * 5. `invalid` — neither a usable `internalDate` nor a parsable Date header;
 * 6. `too_many_recipients` — more than `maxRecipients` distinct non-self to+cc+bcc addresses;
 * 7. `no_participants` — no non-self participant at all (no From and nobody else, note to self);
 *    `no_reply` — non-self participants exist but every one is a no-reply address (typically an
 *    inbound notification addressed only to the user). A no-reply sender next to real people is
 *    kept: it stays in `participants` but not in `people`.
 *
 * Direction is outbound when a From address is one of the user's or the message has the SENT
 * label; with SENT the From address counts as self even when it is an alias missing from
 * `selfAddresses`.
 */
export function normalizeGmailMessage(
  message: Message,
  rules: NormalizeRules | CompiledRules,
): NormalizeResult<NormalizedEmail> {
  if (!message || typeof message !== "object") return skip("invalid", "not a message object");
  const id = typeof message.id === "string" ? message.id.trim() : "";
  if (!id) return skip("invalid", "message has no id");
  const compiled = compileRules(rules);

  const labels = new Set(message.labelIds ?? []);
  if (labels.has("DRAFT")) return skip("draft");
  if (labels.has("SPAM") || labels.has("TRASH")) return skip("spam_or_trash");

  const headers = indexHeaders(message.payload?.headers);
  const sent = labels.has("SENT");

  const parsed = new Map<ParticipantRole, ParsedAddress[]>();
  for (const [role, name] of ADDRESS_HEADERS) {
    parsed.set(role, parseAddressHeaders(headers.get(name) ?? []));
  }
  const from = parsed.get("from") ?? [];
  const fromSelf = from.some((address) => compiled.isSelf(address.email));
  const direction = sent || fromSelf ? "outbound" : "inbound";

  const participants: Participant[] = [];
  for (const [role] of ADDRESS_HEADERS) {
    for (const { email, name } of parsed.get(role) ?? []) {
      const self = compiled.isSelf(email) || (role === "from" && sent);
      participants.push({ email, name, role, self });
    }
  }

  const nonSelf = participants.filter((p) => !p.self);
  const classes = new Map<string, AddressClass>();
  for (const participant of nonSelf) {
    if (classes.has(participant.email)) continue;
    const kind = compiled.classify(participant.email);
    classes.set(participant.email, kind);
    if (kind === "never_log") {
      return skip("never_log", `a ${participant.role} address matches a never-log entry`);
    }
  }

  if (compiled.skipBulk) {
    const bulk = bulkHeader(headers);
    if (bulk) return skip("bulk", bulk);
  }

  const occurredAt = messageDate(message.internalDate, headers.get("date"));
  if (!occurredAt) return skip("invalid", "no usable internalDate or Date header");

  const recipients = new Set<string>();
  for (const p of nonSelf) {
    if (p.role === "to" || p.role === "cc" || p.role === "bcc") recipients.add(p.email);
  }
  if (recipients.size > compiled.maxRecipients) {
    return skip("too_many_recipients", `${recipients.size} recipients > ${compiled.maxRecipients}`);
  }

  if (nonSelf.length === 0) return skip("no_participants");
  const people = collectPeople(nonSelf.filter((p) => classes.get(p.email) === "person"));
  if (people.length === 0) return skip("no_reply");

  const subjectHeader = headers.get("subject")?.[0];
  const subject =
    subjectHeader === undefined
      ? null
      : cleanLine(
          decodeMimeWords(unfold(subjectHeader.slice(0, MAX_RAW_SUBJECT_CHARS))),
          MAX_SUBJECT_CHARS,
        );
  const snippet =
    typeof message.snippet === "string"
      ? cleanLine(decodeHtmlEntities(message.snippet), SNIPPET_MAX_CHARS)
      : null;
  const body =
    compiled.includeBodies && message.payload
      ? extractBody(message.payload, compiled.maxBodyChars)
      : null;

  return {
    ok: true,
    value: {
      kind: "email",
      externalId: id,
      threadId: typeof message.threadId === "string" && message.threadId ? message.threadId : null,
      direction,
      subject,
      snippet,
      body,
      occurredAt,
      participants,
      people,
    },
  };
}

export interface GmailBatchResult {
  emails: NormalizedEmail[];
  skipped: { id: string | null; reason: SkipReason; detail?: string }[];
}

/**
 * Normalizes a batch: compiles the rules once, and a message id seen before in the batch is
 * ignored (the first copy wins), so re-delivered pages do not produce duplicates.
 */
export function normalizeGmailMessages(
  messages: Iterable<Message>,
  rules: NormalizeRules | CompiledRules,
): GmailBatchResult {
  const compiled = compileRules(rules);
  const seen = new Set<string>();
  const result: GmailBatchResult = { emails: [], skipped: [] };
  for (const message of messages) {
    const id = typeof message?.id === "string" ? message.id.trim() : null;
    if (id) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const normalized = normalizeGmailMessage(message, compiled);
    if (normalized.ok) result.emails.push(normalized.value);
    else {
      const { reason, detail } = normalized;
      result.skipped.push(
        detail === undefined ? { id: id || null, reason } : { id: id || null, reason, detail },
      );
    }
  }
  return result;
}

/** Header names are case-insensitive and may repeat: lower-cased name → values in order. */
function indexHeaders(headers: readonly Header[] | null | undefined): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const header of headers ?? []) {
    if (!header || typeof header.name !== "string") continue;
    const name = header.name.trim().toLowerCase();
    const value = typeof header.value === "string" ? header.value : "";
    const values = index.get(name);
    if (values) values.push(value);
    else index.set(name, [value]);
  }
  return index;
}

function bulkHeader(headers: Map<string, string[]>): string | null {
  if (headers.get("list-unsubscribe")?.some((v) => v.trim() !== "")) return "List-Unsubscribe";
  if (headers.get("list-id")?.some((v) => v.trim() !== "")) return "List-Id";
  if (headers.get("precedence")?.some((v) => /^\s*(?:bulk|list|junk)\b/i.test(v)))
    return "Precedence";
  const autoSubmitted = headers.get("auto-submitted");
  if (
    autoSubmitted?.some((v) => {
      const token = v.split(";")[0]?.trim().toLowerCase() ?? "";
      return token !== "" && token !== "no";
    })
  ) {
    return "Auto-Submitted";
  }
  return null;
}

function messageDate(
  internalDate: string | null | undefined,
  dateHeaders: string[] | undefined,
): Date | null {
  const internal = parseEpochMillis(internalDate);
  if (internal) return internal;
  for (const value of dateHeaders ?? []) {
    const date = parseDateHeader(unfold(value));
    if (date) return date;
  }
  return null;
}

/**
 * The message text: the first inline text/plain part (depth first through nested multiparts),
 * else the first inline text/html part converted to text. Attachments (a filename or
 * Content-Disposition: attachment) and parts whose data is only an attachmentId are skipped.
 */
function extractBody(payload: MessagePart, maxChars: number): string | null {
  const found: { plain?: MessagePart; html?: MessagePart } = {};
  const walk = (part: MessagePart, depth: number): void => {
    if (found.plain || depth > MAX_PART_DEPTH) return;
    const mimeType = (part.mimeType ?? "").trim().toLowerCase();
    if (mimeType.startsWith("multipart/") || (!mimeType && part.parts?.length)) {
      for (const child of part.parts ?? []) walk(child, depth + 1);
      return;
    }
    if (!part.body?.data || isAttachment(part)) return;
    if (mimeType === "text/plain" || (!mimeType && depth === 0)) found.plain = part;
    else if (mimeType === "text/html") found.html ??= part;
  };
  walk(payload, 0);
  let text: string;
  if (found.plain) text = decodePartText(found.plain);
  else if (found.html) text = htmlToText(decodePartText(found.html));
  else return null;
  text = cleanText(text)
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  text = truncate(text, maxChars).trimEnd();
  return text === "" ? null : text;
}

function isAttachment(part: MessagePart): boolean {
  if (part.filename && part.filename.trim() !== "") return true;
  const disposition = part.headers?.find(
    (h) => h.name?.toLowerCase() === "content-disposition",
  )?.value;
  return typeof disposition === "string" && /^\s*attachment\b/i.test(disposition);
}

/** Gmail sends part data as URL-safe base64 without padding, in the part's own charset. */
function decodePartText(part: MessagePart): string {
  const bytes = Buffer.from(part.body?.data ?? "", "base64url");
  const contentType =
    part.headers?.find((h) => h.name?.toLowerCase() === "content-type")?.value ?? "";
  const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1] ?? null;
  return decodeBytes(bytes, charset);
}
