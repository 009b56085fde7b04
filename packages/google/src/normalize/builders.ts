/**
 * Tiny builders for raw Google records, used by the unit tests and the benchmark. They build
 * plain `Schema$Message` / `Schema$Event` literals exactly as the Google APIs return them.
 */
import { Buffer } from "node:buffer";
import type { calendar_v3 } from "@googleapis/calendar";
import type { gmail_v1 } from "@googleapis/gmail";

export type Headers = [name: string, value: string][];

/** Gmail's part encoding: URL-safe base64 without padding. */
export function b64url(content: string | Uint8Array): string {
  return Buffer.from(content).toString("base64url");
}

export interface PartOptions {
  charset?: string;
  filename?: string;
  disposition?: string;
}

/** A leaf part; `content` strings are UTF-8 encoded unless bytes are given. */
export function leaf(
  mimeType: string,
  content: string | Uint8Array,
  options: PartOptions = {},
): gmail_v1.Schema$MessagePart {
  const headers: gmail_v1.Schema$MessagePartHeader[] = [
    {
      name: "Content-Type",
      value: `${mimeType}${options.charset ? `; charset="${options.charset}"` : ""}`,
    },
  ];
  if (options.disposition)
    headers.push({ name: "Content-Disposition", value: options.disposition });
  const data = b64url(content);
  return {
    partId: "",
    mimeType,
    filename: options.filename ?? "",
    headers,
    body: { size: Buffer.from(content).length, data },
  };
}

export function multipart(
  subtype: "mixed" | "alternative" | "related",
  ...parts: gmail_v1.Schema$MessagePart[]
): gmail_v1.Schema$MessagePart {
  return {
    partId: "",
    mimeType: `multipart/${subtype}`,
    filename: "",
    headers: [{ name: "Content-Type", value: `multipart/${subtype}; boundary="b"` }],
    body: { size: 0 },
    parts,
  };
}

export const SELF = "me@practice.com";

export const DEFAULT_HEADERS: Headers = [
  ["From", "Client Person <client@example.com>"],
  ["To", `Me <${SELF}>`],
  ["Subject", "Hello"],
  ["Date", "Mon, 3 Jun 2024 10:00:00 +0000"],
];

export interface MessageSpec {
  id?: string;
  threadId?: string | null;
  labelIds?: string[];
  /** Epoch ms string; null leaves it out. Default 2024-06-03T10:00:00Z. */
  internalDate?: string | null;
  snippet?: string | null;
  /** Replaces DEFAULT_HEADERS entirely, in order (use `withHeaders` to tweak the defaults). */
  headers?: Headers;
  /** Body structure; the message headers are put on it. Default: no body (metadata shape). */
  body?: gmail_v1.Schema$MessagePart;
}

/** A Gmail message literal; renumbers partIds like Gmail does ("", "0", "0.1", …). */
export function gmailMessage(spec: MessageSpec = {}): gmail_v1.Schema$Message {
  const headers = (spec.headers ?? DEFAULT_HEADERS).map(([name, value]) => ({ name, value }));
  const payload: gmail_v1.Schema$MessagePart = spec.body
    ? { ...spec.body, headers: [...headers, ...(spec.body.headers ?? [])] }
    : { partId: "", mimeType: "text/plain", filename: "", headers, body: { size: 0 } };
  renumber(payload, "");
  const message: gmail_v1.Schema$Message = {
    id: spec.id ?? "18f0000000000001",
    threadId: spec.threadId === undefined ? "18f0000000000001" : spec.threadId,
    labelIds: spec.labelIds ?? ["INBOX", "UNREAD"],
    snippet: spec.snippet === undefined ? "Hi there" : spec.snippet,
    sizeEstimate: 1234,
    historyId: "1000",
    payload,
  };
  const internalDate = spec.internalDate === undefined ? "1717408800000" : spec.internalDate;
  if (internalDate !== null) message.internalDate = internalDate;
  if (message.snippet === null) delete message.snippet;
  return message;
}

/** DEFAULT_HEADERS with some replaced (same name, case-insensitive), removed (value null) or added. */
export function withHeaders(
  changes: Record<string, string | null>,
  base: Headers = DEFAULT_HEADERS,
): Headers {
  const lower = new Map(Object.entries(changes).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Headers = [];
  for (const [name, value] of base) {
    const key = name.toLowerCase();
    if (!lower.has(key)) out.push([name, value]);
  }
  for (const [name, value] of Object.entries(changes)) if (value !== null) out.push([name, value]);
  return out;
}

function renumber(part: gmail_v1.Schema$MessagePart, id: string): void {
  part.partId = id;
  (part.parts ?? []).forEach((child, i) => renumber(child, id === "" ? String(i) : `${id}.${i}`));
}

export type EventSpec = Partial<calendar_v3.Schema$Event>;

/** A Calendar event literal (defaults: a confirmed 1-hour session with one client). */
export function calendarEvent(spec: EventSpec = {}): calendar_v3.Schema$Event {
  return {
    kind: "calendar#event",
    etag: '"3400000000000000"',
    id: "evt001",
    status: "confirmed",
    htmlLink: "https://www.google.com/calendar/event?eid=ZXZ0MDAx",
    created: "2024-05-01T09:00:00.000Z",
    updated: "2024-05-01T09:00:00.000Z",
    summary: "Session",
    creator: { email: SELF, self: true },
    organizer: { email: SELF, self: true },
    start: { dateTime: "2024-06-03T10:00:00+02:00", timeZone: "Europe/Berlin" },
    end: { dateTime: "2024-06-03T11:00:00+02:00", timeZone: "Europe/Berlin" },
    iCalUID: "evt001@google.com",
    sequence: 0,
    attendees: [
      { email: SELF, self: true, organizer: true, responseStatus: "accepted" },
      { email: "client@example.com", displayName: "Client Person", responseStatus: "needsAction" },
    ],
    eventType: "default",
    ...spec,
  };
}
