import { badRequest, googleError, insufficientScopes, notFound } from "./errors.ts";
import { compileQuery } from "./gmail-query.ts";
import { boolParam, decodeToken, encodeToken, intParam } from "./http.ts";
import type { HistoryRecord, HistoryType, Mailbox, StoredMessage } from "./mailbox.ts";
import { base64UrlPadded, contentHeaders, type Header, type MimeNode } from "./mime.ts";
import { SCOPES } from "./oauth.ts";
import { route, type AuthInfo, type Route, type RouteContext } from "./router.ts";

/** Gmail's per-method quota units. */
export const GMAIL_COSTS: Record<string, number> = {
  "gmail.getProfile": 1,
  "gmail.labels.list": 1,
  "gmail.labels.get": 1,
  "gmail.messages.list": 5,
  "gmail.messages.get": 5,
  "gmail.messages.attachments.get": 5,
  "gmail.history.list": 2,
};

const FULL_READ = [SCOPES.mail, SCOPES.gmailModify, SCOPES.gmailReadonly];
const HISTORY_TYPES = new Set<HistoryType>([
  "messageAdded",
  "messageDeleted",
  "labelAdded",
  "labelRemoved",
]);
const FORMATS = new Set(["full", "metadata", "minimal", "raw"]);

interface Access {
  mailbox: Mailbox;
  /** Only gmail.metadata was granted: no bodies, no q. */
  metadataOnly: boolean;
}

function access(ctx: RouteContext, options: { labels?: boolean } = {}): Access {
  const auth = ctx.auth as AuthInfo;
  const userId = ctx.params.userId ?? "me";
  if (userId !== "me" && userId.toLowerCase() !== auth.account.email.toLowerCase())
    throw googleError(403, "forbidden", `Delegation denied for ${auth.account.email}`);
  const full = FULL_READ.some((s) => auth.scopes.includes(s));
  const metadata = auth.scopes.includes(SCOPES.gmailMetadata);
  const labels = options.labels === true && auth.scopes.includes(SCOPES.gmailLabels);
  if (ctx.enforceScopes && !full && !metadata && !labels) throw insufficientScopes();
  return { mailbox: auth.account.mailbox, metadataOnly: ctx.enforceScopes && !full };
}

function checkId(id: string): void {
  if (!/^[0-9a-f]{1,32}$/i.test(id)) throw badRequest("Invalid id value");
}

function payloadOf(node: MimeNode, partId: string, headers: Header[]): Record<string, unknown> {
  const base: Record<string, unknown> = {
    partId,
    mimeType: node.mimeType,
    filename: node.kind === "leaf" ? (node.filename ?? "") : "",
    headers: headers.map(([name, value]) => ({ name, value })),
  };
  if (node.kind === "multipart") {
    base.body = { size: 0 };
    base.parts = node.parts.map((child, i) =>
      payloadOf(child, partId === "" ? String(i) : `${partId}.${i}`, contentHeaders(child)),
    );
  } else if (node.attachmentId) {
    base.body = { attachmentId: node.attachmentId, size: node.content.length };
  } else {
    base.body = node.content.length
      ? { size: node.content.length, data: base64UrlPadded(node.content) }
      : { size: 0 };
  }
  return base;
}

/** A message as messages.get returns it in the given format. */
export function renderMessage(
  message: StoredMessage,
  format: string,
  metadataHeaders: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: message.id, threadId: message.threadId };
  if (message.labelIds.length) out.labelIds = [...message.labelIds];
  out.snippet = message.snippet;
  if (format === "full") out.payload = payloadOf(message.body, "", message.headers);
  if (format === "metadata") {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    const headers = wanted.length
      ? message.headers.filter(([name]) => wanted.includes(name.toLowerCase()))
      : message.headers;
    out.payload = {
      mimeType: message.body.mimeType,
      headers: headers.map(([name, value]) => ({ name, value })),
    };
  }
  if (format === "raw") out.raw = base64UrlPadded(message.raw);
  out.sizeEstimate = message.sizeEstimate;
  out.historyId = String(message.historyId);
  out.internalDate = String(message.internalDate);
  return out;
}

const multi = (query: URLSearchParams, name: string): string[] =>
  query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

function listMessages(ctx: RouteContext): Record<string, unknown> {
  const { mailbox, metadataOnly } = access(ctx);
  const query = ctx.query;
  const maxResults = intParam(query, "maxResults", 100, { min: 0, max: 500 }) || 100;
  const labelIds = multi(query, "labelIds");
  for (const id of labelIds) if (!mailbox.label(id)) throw badRequest(`Invalid label: ${id}`);
  const q = query.get("q") ?? "";
  if (q && metadataOnly)
    throw googleError(403, "forbidden", "Metadata scope does not support 'q' parameter");
  const compiled = compileQuery(q, mailbox, ctx.now);
  const includeSpamTrash =
    boolParam(query, "includeSpamTrash", false) ||
    compiled.includesSpamTrash ||
    labelIds.includes("SPAM") ||
    labelIds.includes("TRASH");
  const fingerprint = `${labelIds.join(",")}|${q}|${includeSpamTrash}`;
  let cursor: { d: number; i: string } | undefined;
  const pageToken = query.get("pageToken");
  if (pageToken) {
    const decoded = decodeToken("gm-list", pageToken);
    if (
      !decoded ||
      decoded.f !== fingerprint ||
      typeof decoded.d !== "number" ||
      typeof decoded.i !== "string"
    )
      throw badRequest("Invalid pageToken");
    cursor = { d: decoded.d, i: decoded.i };
  }
  const matches = (m: StoredMessage): boolean =>
    (includeSpamTrash || !(m.labelIds.includes("SPAM") || m.labelIds.includes("TRASH"))) &&
    labelIds.every((l) => m.labelIds.includes(l)) &&
    compiled.test(m);
  const all = mailbox.list();
  const page: StoredMessage[] = [];
  let total = 0;
  let more = false;
  for (const m of all) {
    if (!matches(m)) continue;
    total += 1;
    // newest first: after the cursor means older, or same time with a smaller id
    if (cursor && (m.internalDate > cursor.d || (m.internalDate === cursor.d && m.id >= cursor.i)))
      continue;
    if (page.length < maxResults) page.push(m);
    else more = true;
  }
  const out: Record<string, unknown> = {};
  if (page.length) out.messages = page.map((m) => ({ id: m.id, threadId: m.threadId }));
  const last = page[page.length - 1];
  if (more && last)
    out.nextPageToken = encodeToken("gm-list", {
      d: last.internalDate,
      i: last.id,
      f: fingerprint,
    });
  out.resultSizeEstimate = total;
  return out;
}

function getMessage(ctx: RouteContext): Record<string, unknown> {
  const { mailbox, metadataOnly } = access(ctx);
  const id = ctx.params.id ?? "";
  checkId(id);
  const format = (ctx.query.get("format") ?? "full").toLowerCase();
  if (!FORMATS.has(format)) throw badRequest(`Invalid value at 'format': ${format}`);
  if (metadataOnly && (format === "full" || format === "raw"))
    throw googleError(
      403,
      "forbidden",
      `Metadata scope doesn't allow format ${format.toUpperCase()}`,
    );
  const message = mailbox.getMessage(id);
  if (!message) throw notFound();
  return renderMessage(message, format, multi(ctx.query, "metadataHeaders"));
}

function getAttachment(ctx: RouteContext): Record<string, unknown> {
  const { mailbox, metadataOnly } = access(ctx);
  if (metadataOnly) throw insufficientScopes();
  const messageId = ctx.params.messageId ?? "";
  checkId(messageId);
  const message = mailbox.getMessage(messageId);
  const data = message?.attachments.get(ctx.params.id ?? "");
  if (!data) throw notFound();
  return { size: data.length, data: base64UrlPadded(data) };
}

function renderHistory(record: HistoryRecord): Record<string, unknown> {
  const ref = { id: record.messageId, threadId: record.threadId };
  const message = { ...ref, labelIds: record.messageLabelIds };
  const out: Record<string, unknown> = { id: String(record.id), messages: [ref] };
  switch (record.type) {
    case "messageAdded":
      out.messagesAdded = [{ message }];
      break;
    case "messageDeleted":
      out.messagesDeleted = [{ message: ref }];
      break;
    case "labelAdded":
      out.labelsAdded = [{ message, labelIds: record.labelIds }];
      break;
    case "labelRemoved":
      out.labelsRemoved = [{ message, labelIds: record.labelIds }];
      break;
  }
  return out;
}

function listHistory(ctx: RouteContext): Record<string, unknown> {
  const { mailbox } = access(ctx);
  const query = ctx.query;
  const start = query.get("startHistoryId");
  if (!start) throw badRequest("Missing required parameter: startHistoryId");
  if (!/^\d+$/.test(start)) throw badRequest("Invalid startHistoryId");
  const startId = Number(start);
  if (startId < mailbox.oldestHistoryId) throw notFound();
  const maxResults = intParam(query, "maxResults", 100, { min: 0, max: 500 }) || 100;
  const types = multi(query, "historyTypes");
  for (const t of types)
    if (!HISTORY_TYPES.has(t as HistoryType))
      throw badRequest(`Invalid value at 'history_types': ${t}`);
  const labelId = query.get("labelId");
  if (labelId && !mailbox.label(labelId)) throw badRequest(`Invalid label: ${labelId}`);
  let after = startId;
  const pageToken = query.get("pageToken");
  if (pageToken) {
    const decoded = decodeToken("gm-hist", pageToken);
    if (!decoded || typeof decoded.a !== "number" || decoded.s !== startId)
      throw badRequest("Invalid pageToken");
    after = decoded.a;
  }
  const records = mailbox
    .historyAfter(after)
    .filter(
      (r) =>
        (types.length === 0 || types.includes(r.type)) &&
        (!labelId || r.messageLabelIds.includes(labelId) || r.labelIds.includes(labelId)),
    );
  const page = records.slice(0, maxResults);
  const out: Record<string, unknown> = {};
  if (page.length) out.history = page.map(renderHistory);
  const last = page[page.length - 1];
  if (records.length > maxResults && last)
    out.nextPageToken = encodeToken("gm-hist", { a: last.id, s: startId });
  out.historyId = String(mailbox.historyId);
  return out;
}

function getProfile(ctx: RouteContext): Record<string, unknown> {
  const { mailbox } = access(ctx);
  return {
    emailAddress: (ctx.auth as AuthInfo).account.email,
    messagesTotal: mailbox.size,
    threadsTotal: mailbox.threadCount,
    historyId: String(mailbox.historyId),
  };
}

function listLabels(ctx: RouteContext): Record<string, unknown> {
  const { mailbox } = access(ctx, { labels: true });
  return { labels: mailbox.labelList().map((l) => ({ ...l })) };
}

function getLabel(ctx: RouteContext): Record<string, unknown> {
  const { mailbox } = access(ctx, { labels: true });
  const label = mailbox.label(ctx.params.id ?? "");
  if (!label) throw notFound();
  const messages = mailbox.list().filter((m) => m.labelIds.includes(label.id));
  const unread = messages.filter((m) => m.labelIds.includes("UNREAD"));
  return {
    ...label,
    messagesTotal: messages.length,
    messagesUnread: unread.length,
    threadsTotal: new Set(messages.map((m) => m.threadId)).size,
    threadsUnread: new Set(unread.map((m) => m.threadId)).size,
  };
}

export function gmailRoutes(): Route[] {
  const get = (
    path: string,
    endpoint: Parameters<typeof route>[0]["endpoint"],
    handler: (ctx: RouteContext) => unknown,
  ): Route =>
    route({
      method: "GET",
      path: `/gmail/v1/users/:userId${path}`,
      endpoint,
      bearer: true,
      api: "gmail",
      handle: (ctx) => ({ body: handler(ctx) }),
    });
  return [
    get("/profile", "gmail.getProfile", getProfile),
    get("/labels", "gmail.labels.list", listLabels),
    get("/labels/:id", "gmail.labels.get", getLabel),
    get("/messages", "gmail.messages.list", listMessages),
    get("/messages/:messageId/attachments/:id", "gmail.messages.attachments.get", getAttachment),
    get("/messages/:id", "gmail.messages.get", getMessage),
    get("/history", "gmail.history.list", listHistory),
  ];
}
