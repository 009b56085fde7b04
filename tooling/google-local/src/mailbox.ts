import type { Clock } from "./clock.ts";
import { generateIncoming } from "./generator.ts";
import {
  type Address,
  contentHeaders,
  decodeWords,
  encodeWord,
  findTextPart,
  formatAddress,
  formatAddressList,
  formatRfc5322Date,
  type Header,
  isAscii,
  makeSnippet,
  type MimeLeaf,
  type MimeNode,
  renderMessage,
  textLeaf,
} from "./mime.ts";
import type { Practice } from "./practice.ts";
import { Prng, type Seed } from "./prng.ts";
import { offsetMinutes } from "./timezone.ts";

/** What a test (or the generator) says about a new message; everything is optional. */
export interface MessageInput {
  id?: string;
  /** Defaults to the thread of the message named by `inReplyTo`, else a new thread. */
  threadId?: string;
  /** `null` leaves the From header out. Defaults to a client of the practice. */
  from?: Address | null;
  /** Defaults to the mailbox owner. */
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  replyTo?: Address[];
  subject?: string;
  subjectEncoding?: "B" | "Q";
  /** The Date header's instant; `null` leaves the header out. Defaults to `internalDate`. */
  date?: number | null;
  /** The UTC offset the Date header is written in; defaults to the practice's zone. */
  dateOffsetMinutes?: number;
  /** When Gmail received it; defaults to the server clock. */
  internalDate?: number;
  text?: string;
  html?: string;
  attachments?: { filename: string; mimeType: string; content: Buffer | string }[];
  /** Extra top-level headers, e.g. List-Unsubscribe. */
  headers?: Header[];
  /** Defaults to INBOX + UNREAD for mail to the owner, SENT for mail from them. */
  labelIds?: string[];
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  headers: Header[];
  body: MimeNode;
  raw: string;
  sizeEstimate: number;
  snippet: string;
  attachments: Map<string, Buffer>;
  /** Lower-cased, decoded text for `q` searches. */
  search: {
    from: string;
    to: string;
    cc: string;
    bcc: string;
    subject: string;
    text: string;
    listId: string;
    deliveredTo: string;
    hasAttachment: boolean;
  };
}

export interface LabelInfo {
  id: string;
  name: string;
  type: "system" | "user";
  messageListVisibility?: "show" | "hide";
  labelListVisibility?: "labelShow" | "labelHide" | "labelShowIfUnread";
  color?: { textColor: string; backgroundColor: string };
}

export type HistoryType = "messageAdded" | "messageDeleted" | "labelAdded" | "labelRemoved";

export interface HistoryRecord {
  id: number;
  type: HistoryType;
  messageId: string;
  threadId: string;
  /** For label records: the labels added or removed. */
  labelIds: string[];
  /** The message's labels right after the change. */
  messageLabelIds: string[];
}

const SYSTEM_LABELS: LabelInfo[] = [
  {
    id: "CHAT",
    name: "CHAT",
    type: "system",
    messageListVisibility: "hide",
    labelListVisibility: "labelHide",
  },
  { id: "SENT", name: "SENT", type: "system" },
  { id: "INBOX", name: "INBOX", type: "system" },
  {
    id: "IMPORTANT",
    name: "IMPORTANT",
    type: "system",
    messageListVisibility: "hide",
    labelListVisibility: "labelHide",
  },
  {
    id: "TRASH",
    name: "TRASH",
    type: "system",
    messageListVisibility: "hide",
    labelListVisibility: "labelHide",
  },
  { id: "DRAFT", name: "DRAFT", type: "system" },
  {
    id: "SPAM",
    name: "SPAM",
    type: "system",
    messageListVisibility: "hide",
    labelListVisibility: "labelHide",
  },
  { id: "CATEGORY_FORUMS", name: "CATEGORY_FORUMS", type: "system" },
  { id: "CATEGORY_UPDATES", name: "CATEGORY_UPDATES", type: "system" },
  { id: "CATEGORY_PERSONAL", name: "CATEGORY_PERSONAL", type: "system" },
  { id: "CATEGORY_PROMOTIONS", name: "CATEGORY_PROMOTIONS", type: "system" },
  { id: "CATEGORY_SOCIAL", name: "CATEGORY_SOCIAL", type: "system" },
  { id: "STARRED", name: "STARRED", type: "system" },
  { id: "UNREAD", name: "UNREAD", type: "system" },
];

/** The user labels every generated mailbox has. */
export const USER_LABELS: LabelInfo[] = [
  {
    id: "Label_1",
    name: "Clients",
    type: "user",
    messageListVisibility: "show",
    labelListVisibility: "labelShow",
    color: { textColor: "#ffffff", backgroundColor: "#16a766" },
  },
  {
    id: "Label_2",
    name: "Receipts",
    type: "user",
    messageListVisibility: "show",
    labelListVisibility: "labelShow",
  },
];

export interface MailboxOptions {
  email: string;
  clock: Clock;
  seed: Seed;
  practice: Practice;
}

const byNewest = (a: StoredMessage, b: StoredMessage): number =>
  b.internalDate - a.internalDate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** One account's mail: messages, labels and the history log, with helpers tests mutate it through. */
export class Mailbox {
  readonly email: string;
  private readonly clock: Clock;
  private readonly prng: Prng;
  private readonly practice: Practice;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly byMessageIdHeader = new Map<string, StoredMessage>();
  /** Newest first (internalDate desc, then id desc), the order messages.list returns. */
  private readonly ordered: StoredMessage[] = [];
  private readonly labels = new Map<string, LabelInfo>();
  private history: HistoryRecord[] = [];
  private current: number;
  private oldest: number;
  private nextUserLabel = 1;
  private attachmentCounter = 0;

  constructor(options: MailboxOptions) {
    this.email = options.email;
    this.clock = options.clock;
    this.practice = options.practice;
    this.prng = new Prng(`${options.seed}/mailbox`);
    for (const label of [...SYSTEM_LABELS, ...USER_LABELS]) this.labels.set(label.id, { ...label });
    this.nextUserLabel = USER_LABELS.length + 1;
    this.current = 1_000_000 + this.prng.int(0, 899_999);
    this.oldest = this.current;
  }

  /** The mailbox's current history id (what getProfile and history.list report). */
  get historyId(): number {
    return this.current;
  }

  /** The smallest startHistoryId history.list still accepts; older ones get 404. */
  get oldestHistoryId(): number {
    return this.oldest;
  }

  get size(): number {
    return this.messages.size;
  }

  get threadCount(): number {
    return new Set(this.ordered.map((m) => m.threadId)).size;
  }

  labelList(): LabelInfo[] {
    return [...this.labels.values()];
  }

  label(id: string): LabelInfo | undefined {
    return this.labels.get(id);
  }

  labelByName(name: string): LabelInfo | undefined {
    const wanted = name.toLowerCase().replace(/[-\s/]+/g, "-");
    for (const label of this.labels.values()) {
      if (label.id.toLowerCase() === wanted) return label;
      if (label.name.toLowerCase().replace(/[-\s/]+/g, "-") === wanted) return label;
    }
    return undefined;
  }

  createLabel(name: string): LabelInfo {
    const existing = [...this.labels.values()].find((l) => l.name === name);
    if (existing) return existing;
    const label: LabelInfo = {
      id: `Label_${this.nextUserLabel++}`,
      name,
      type: "user",
      messageListVisibility: "show",
      labelListVisibility: "labelShow",
    };
    this.labels.set(label.id, label);
    return label;
  }

  getMessage(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** All messages, newest first. Do not mutate. */
  list(): readonly StoredMessage[] {
    return this.ordered;
  }

  /** Loads generated messages without history (as if they predate the history window). */
  load(inputs: readonly MessageInput[]): void {
    for (const input of inputs) this.ordered.push(this.insert(input, false, false));
    this.ordered.sort(byNewest);
    this.oldest = this.current;
  }

  /** Delivers a message now: a new history record (messagesAdded) and a new historyId. */
  addMessage(input: MessageInput = {}): StoredMessage {
    return this.insert(input, true);
  }

  /** Delivers `count` realistic generated messages (client mail, newsletters, notifications). */
  addMessages(count: number, input: Omit<MessageInput, "id"> = {}): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (let i = 0; i < count; i++) {
      const generated = generateIncoming(this.prng, this.practice, this.clock());
      out.push(this.addMessage({ ...generated, ...input }));
    }
    return out;
  }

  modifyLabels(id: string, change: { add?: string[]; remove?: string[] }): StoredMessage {
    const message = this.requireMessage(id);
    for (const labelId of [...(change.add ?? []), ...(change.remove ?? [])])
      if (!this.labels.has(labelId)) throw new Error(`Unknown label ${labelId}`);
    const added = (change.add ?? []).filter((l) => !message.labelIds.includes(l));
    const removed = (change.remove ?? []).filter((l) => message.labelIds.includes(l));
    if (added.length > 0) {
      message.labelIds = [...message.labelIds, ...added];
      this.record(message, "labelAdded", added);
    }
    if (removed.length > 0) {
      message.labelIds = message.labelIds.filter((l) => !removed.includes(l));
      this.record(message, "labelRemoved", removed);
    }
    return message;
  }

  markRead(id: string): StoredMessage {
    return this.modifyLabels(id, { remove: ["UNREAD"] });
  }

  trash(id: string): StoredMessage {
    return this.modifyLabels(id, { add: ["TRASH"], remove: ["INBOX"] });
  }

  /** Permanently deletes a message (a messagesDeleted history record). */
  deleteMessage(id: string): void {
    const message = this.requireMessage(id);
    this.messages.delete(id);
    const index = this.ordered.indexOf(message);
    if (index >= 0) this.ordered.splice(index, 1);
    this.record(message, "messageDeleted", []);
  }

  /** Drops all history: any startHistoryId older than now gets 404 from history.list. */
  expireHistory(): void {
    this.history = [];
    this.oldest = this.current;
  }

  /** History records newer than `startHistoryId`, oldest first. */
  historyAfter(startHistoryId: number): readonly HistoryRecord[] {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.history[mid]?.id ?? 0) <= startHistoryId) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  private requireMessage(id: string): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw new Error(`No message ${id} in ${this.email}`);
    return message;
  }

  private record(message: StoredMessage, type: HistoryType, labelIds: string[]): void {
    this.current += 1;
    message.historyId = this.current;
    this.history.push({
      id: this.current,
      type,
      messageId: message.id,
      threadId: message.threadId,
      labelIds,
      messageLabelIds: [...message.labelIds],
    });
  }

  private newId(internalDate: number): string {
    for (;;) {
      const id =
        Math.max(0, internalDate).toString(16).padStart(11, "0").slice(-11) + this.prng.hex(5);
      if (!this.messages.has(id)) return id;
    }
  }

  private insert(input: MessageInput, recordHistory: boolean, ordered = true): StoredMessage {
    const internalDate = input.internalDate ?? this.clock();
    const id = input.id ?? this.newId(internalDate);
    if (this.messages.has(id)) throw new Error(`Message ${id} already exists`);
    const owner = this.practice.owner;
    const from = input.from === undefined ? this.prng.pick(this.practice.clients) : input.from;
    const fromOwner = from?.email.toLowerCase() === this.email.toLowerCase();
    const to = input.to ?? [
      fromOwner ? this.prng.pick(this.practice.clients) : { ...owner, email: this.email },
    ];
    const parent = input.inReplyTo ? this.byMessageIdHeader.get(input.inReplyTo) : undefined;
    const threadId = input.threadId ?? parent?.threadId ?? id;
    const labelIds =
      input.labelIds ?? (fromOwner ? ["SENT"] : ["INBOX", "UNREAD", "CATEGORY_PERSONAL"]);
    for (const labelId of labelIds)
      if (!this.labels.has(labelId)) throw new Error(`Unknown label ${labelId}`);

    const date = input.date === undefined ? internalDate : input.date;
    const senderDomain = (from?.email ?? this.email).split("@")[1] ?? "mail.example";
    const messageIdHeader = input.messageId ?? `<${id}.${this.prng.hex(8)}@${senderDomain}>`;
    const subject = input.subject ?? "(no subject)";

    const headers: Header[] = [];
    if (!fromOwner) headers.push(["Delivered-To", this.email]);
    headers.push(["MIME-Version", "1.0"]);
    if (date !== null)
      headers.push([
        "Date",
        formatRfc5322Date(
          date,
          input.dateOffsetMinutes ?? offsetMinutes(date, this.practice.timeZone),
        ),
      ]);
    headers.push(["Message-ID", messageIdHeader]);
    if (input.inReplyTo) headers.push(["In-Reply-To", input.inReplyTo]);
    if (input.references?.length) headers.push(["References", input.references.join(" ")]);
    headers.push([
      "Subject",
      isAscii(subject) ? subject : encodeWord(subject, input.subjectEncoding ?? "B"),
    ]);
    if (from) headers.push(["From", formatAddress(from)]);
    if (to.length > 0) headers.push(["To", formatAddressList(to)]);
    if (input.cc?.length) headers.push(["Cc", formatAddressList(input.cc)]);
    if (input.bcc?.length) headers.push(["Bcc", formatAddressList(input.bcc)]);
    if (input.replyTo?.length) headers.push(["Reply-To", formatAddressList(input.replyTo)]);
    headers.push(...(input.headers ?? []));

    const attachments = new Map<string, Buffer>();
    const body = this.buildBody(id, input, attachments);
    headers.push(...contentHeaders(body));
    const raw = renderMessage(headers, body);
    const textPart = findTextPart(body);
    const headerText = (name: string): string =>
      decodeWords(headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? "").toLowerCase();

    const message: StoredMessage = {
      id,
      threadId,
      labelIds: [...labelIds],
      internalDate,
      historyId: 0,
      headers,
      body,
      raw,
      sizeEstimate: Buffer.byteLength(raw),
      snippet: makeSnippet(body),
      attachments,
      search: {
        from: headerText("from"),
        to: headerText("to"),
        cc: headerText("cc"),
        bcc: headerText("bcc"),
        subject: headerText("subject"),
        text: (textPart?.content.toString("utf8") ?? "").slice(0, 4000).toLowerCase(),
        listId: headerText("list-id"),
        deliveredTo: headerText("delivered-to"),
        hasAttachment: attachments.size > 0,
      },
    };
    this.messages.set(id, message);
    this.byMessageIdHeader.set(messageIdHeader, message);
    if (ordered) this.insertOrdered(message);
    if (recordHistory) this.record(message, "messageAdded", []);
    else {
      this.current += 1;
      message.historyId = this.current;
    }
    return message;
  }

  private insertOrdered(message: StoredMessage): void {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.ordered[mid];
      if (other && byNewest(other, message) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.ordered.splice(lo, 0, message);
  }

  private buildBody(id: string, input: MessageInput, attachments: Map<string, Buffer>): MimeNode {
    const text = input.text ?? (input.html === undefined ? "" : undefined);
    const alternatives: MimeNode[] = [];
    if (text !== undefined) alternatives.push(textLeaf("text/plain", text));
    if (input.html !== undefined) alternatives.push(textLeaf("text/html", input.html));
    const main: MimeNode =
      alternatives.length === 1 && alternatives[0]
        ? alternatives[0]
        : {
            kind: "multipart",
            mimeType: "multipart/alternative",
            boundary: `000000000000${id}a`,
            parts: alternatives,
          };
    if (!input.attachments?.length) return main;
    const files = input.attachments.map((file): MimeLeaf => {
      const attachmentId = `ANGjdJ${Buffer.from(`${id}:${++this.attachmentCounter}`).toString("base64url")}`;
      const content = Buffer.from(file.content);
      attachments.set(attachmentId, content);
      return {
        kind: "leaf",
        mimeType: file.mimeType,
        filename: file.filename,
        disposition: "attachment",
        transferEncoding: "base64",
        content,
        attachmentId,
      };
    });
    return {
      kind: "multipart",
      mimeType: "multipart/mixed",
      boundary: `000000000000${id}m`,
      parts: [main, ...files],
    };
  }
}
