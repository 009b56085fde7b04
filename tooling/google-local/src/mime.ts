/** Just enough RFC 5322 / MIME to build messages and Gmail's `payload` view of them. */

export interface Address {
  name?: string;
  email: string;
  /** How a non-ASCII display name is written: RFC 2047 B (base64) or Q encoding. */
  encoding?: "B" | "Q";
}

export type Header = [name: string, value: string];

export interface MimeLeaf {
  kind: "leaf";
  mimeType: string;
  charset?: string;
  filename?: string;
  disposition?: "attachment" | "inline";
  transferEncoding: "7bit" | "quoted-printable" | "base64";
  content: Buffer;
  /** Set for attachments: Gmail serves their bytes from attachments.get, not inline. */
  attachmentId?: string;
}

export interface MimeMultipart {
  kind: "multipart";
  mimeType: string;
  boundary: string;
  parts: MimeNode[];
}

export type MimeNode = MimeLeaf | MimeMultipart;

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export const isAscii = (text: string): boolean => ASCII.test(text);

/** An RFC 2047 encoded-word, e.g. =?UTF-8?B?Wm/DqyBNw7xsbGVy?= */
export function encodeWord(text: string, encoding: "B" | "Q" = "B", charset = "UTF-8"): string {
  const bytes = Buffer.from(text, charset.toUpperCase() === "UTF-8" ? "utf8" : "latin1");
  if (encoding === "B") return `=?${charset}?B?${bytes.toString("base64")}?=`;
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x20) out += "_";
    else if (
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a)
    )
      out += String.fromCharCode(byte);
    else out += `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `=?${charset}?Q?${out}?=`;
}

/** Decodes RFC 2047 encoded-words in a header value (for search; the API returns headers raw). */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_all, charset: string, enc: string, text: string) => {
        const encoding = charset.toLowerCase() === "utf-8" ? "utf8" : "latin1";
        if (enc.toUpperCase() === "B") return Buffer.from(text, "base64").toString(encoding);
        const bytes: number[] = [];
        for (let i = 0; i < text.length; i++) {
          const ch = text[i];
          if (ch === "_") bytes.push(0x20);
          else if (ch === "=" && i + 2 < text.length) {
            bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
            i += 2;
          } else bytes.push(text.charCodeAt(i));
        }
        return Buffer.from(bytes).toString(encoding);
      },
    );
}

const NEEDS_QUOTES = /[()<>[\]:;@\\,."]/;

export function formatAddress(address: Address): string {
  const { name, email } = address;
  if (!name) return email;
  if (!isAscii(name)) return `${encodeWord(name, address.encoding ?? "B")} <${email}>`;
  if (NEEDS_QUOTES.test(name)) return `"${name.replace(/(["\\])/g, "\\$1")}" <${email}>`;
  return `${name} <${email}>`;
}

export const formatAddressList = (addresses: readonly Address[]): string =>
  addresses.map(formatAddress).join(", ");

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** An RFC 5322 date in a fixed UTC offset: "Tue, 14 Jan 2025 09:12:33 -0800". */
export function formatRfc5322Date(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${DAY_NAMES[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTH_NAMES[local.getUTCMonth()]} ` +
    `${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:` +
    `${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

export function encodeQuotedPrintable(content: Buffer): string {
  const lines: string[] = [];
  for (const rawLine of content.toString("binary").split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    let encoded = "";
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      const last = i === line.length - 1;
      const char =
        (code >= 33 && code <= 126 && code !== 61) || ((code === 32 || code === 9) && !last)
          ? line[i]
          : `=${code.toString(16).toUpperCase().padStart(2, "0")}`;
      encoded += char;
    }
    // soft line breaks at 76 columns, never splitting an =XX escape
    let rest = encoded;
    while (rest.length > 76) {
      let cut = 75;
      const escape = rest.lastIndexOf("=", cut);
      if (escape > cut - 3) cut = escape;
      lines.push(`${rest.slice(0, cut)}=`);
      rest = rest.slice(cut);
    }
    lines.push(rest);
  }
  return lines.join("\r\n");
}

function base64Lines(content: Buffer): string {
  return (content.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

/** Gmail's body.data / raw: URL-safe base64, padded. */
export function base64UrlPadded(content: Buffer | string): string {
  return Buffer.from(content).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The headers a MIME node carries about itself (Content-Type and friends). */
export function contentHeaders(node: MimeNode): Header[] {
  if (node.kind === "multipart")
    return [["Content-Type", `${node.mimeType}; boundary="${node.boundary}"`]];
  const params: string[] = [];
  if (node.charset) params.push(`charset="${node.charset}"`);
  if (node.filename) params.push(`name="${node.filename}"`);
  const headers: Header[] = [["Content-Type", [node.mimeType, ...params].join("; ")]];
  if (node.disposition)
    headers.push([
      "Content-Disposition",
      node.filename ? `${node.disposition}; filename="${node.filename}"` : node.disposition,
    ]);
  headers.push(["Content-Transfer-Encoding", node.transferEncoding]);
  return headers;
}

function renderBody(node: MimeNode): string {
  if (node.kind === "leaf") {
    switch (node.transferEncoding) {
      case "base64":
        return base64Lines(node.content);
      case "quoted-printable":
        return encodeQuotedPrintable(node.content);
      default:
        return node.content.toString("utf8").replace(/\r?\n/g, "\r\n");
    }
  }
  const parts = node.parts.map(
    (part) =>
      `--${node.boundary}\r\n${renderHeaders(contentHeaders(part))}\r\n${renderBody(part)}\r\n`,
  );
  return `${parts.join("")}--${node.boundary}--`;
}

const renderHeaders = (headers: readonly Header[]): string =>
  headers.map(([name, value]) => `${name}: ${value}\r\n`).join("");

/** The whole message as RFC 5322 text with CRLF line ends (what format=raw returns). */
export function renderMessage(headers: readonly Header[], body: MimeNode): string {
  return `${renderHeaders(headers)}\r\n${renderBody(body)}\r\n`;
}

export function textLeaf(mimeType: "text/plain" | "text/html", text: string): MimeLeaf {
  return {
    kind: "leaf",
    mimeType,
    charset: "UTF-8",
    transferEncoding:
      isAscii(text) && text.split("\n").every((line) => line.length < 998)
        ? "7bit"
        : "quoted-printable",
    content: Buffer.from(text, "utf8"),
  };
}

/** The first text/plain (or, failing that, text/html) part. */
export function findTextPart(node: MimeNode): MimeLeaf | undefined {
  const leaves: MimeLeaf[] = [];
  const walk = (n: MimeNode): void => {
    if (n.kind === "leaf") leaves.push(n);
    else n.parts.forEach(walk);
  };
  walk(node);
  const body = leaves.filter((l) => l.disposition !== "attachment");
  return (
    body.find((l) => l.mimeType === "text/plain") ?? body.find((l) => l.mimeType === "text/html")
  );
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Gmail-style snippet: text squashed to one line, about 200 characters, HTML-escaped. */
export function makeSnippet(body: MimeNode): string {
  const part = findTextPart(body);
  if (!part) return "";
  let text = part.content.toString("utf8");
  if (part.mimeType === "text/html") text = text.replace(/<[^>]*>/g, " ");
  text = text.replace(/\s+/g, " ").trim();
  if (text.length > 200) text = text.slice(0, 200).replace(/\s+\S*$/, "");
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
