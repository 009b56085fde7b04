import { DAY_MS, HOUR_MS } from "./clock.ts";
import type { Mailbox, StoredMessage } from "./mailbox.ts";

/**
 * Gmail's search syntax, the part sync code uses: after:/before: (YYYY/MM/DD, dates in UTC,
 * or epoch seconds), newer_than:/older_than: (Nd, Nm, Ny, Nh), label:, in:, is:, category:,
 * from:/to:/cc:/bcc:/subject:/list:/deliveredto:, has:attachment, "-" negation, quoted
 * phrases and free text. Unknown operators are searched as text, as Gmail does.
 */
export interface CompiledQuery {
  test(message: StoredMessage): boolean;
  /** in:anywhere / in:spam / in:trash / label:spam|trash lift the default spam/trash filter. */
  includesSpamTrash: boolean;
}

type Predicate = (m: StoredMessage) => boolean;

const IN_LABELS: Record<string, string> = {
  inbox: "INBOX",
  sent: "SENT",
  spam: "SPAM",
  trash: "TRASH",
  drafts: "DRAFT",
  draft: "DRAFT",
  chats: "CHAT",
  chat: "CHAT",
  starred: "STARRED",
  important: "IMPORTANT",
  unread: "UNREAD",
};

const CATEGORIES: Record<string, string> = {
  primary: "CATEGORY_PERSONAL",
  personal: "CATEGORY_PERSONAL",
  social: "CATEGORY_SOCIAL",
  promotions: "CATEGORY_PROMOTIONS",
  updates: "CATEGORY_UPDATES",
  forums: "CATEGORY_FORUMS",
};

/** Splits on spaces, keeping "quoted phrases" and key:"quoted values" together. */
function tokenize(q: string): string[] {
  return q.match(/-?(?:[\w]+:)?"[^"]*"|\S+/g) ?? [];
}

function parseDate(value: string): number | undefined {
  if (/^\d{9,}$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function parseAge(value: string): number | undefined {
  const m = /^(\d+)([dmyh])$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]?.toLowerCase()) {
    case "h":
      return n * HOUR_MS;
    case "d":
      return n * DAY_MS;
    case "m":
      return n * 30 * DAY_MS;
    default:
      return n * 365 * DAY_MS;
  }
}

const unquote = (v: string): string => v.replace(/^"(.*)"$/, "$1").toLowerCase();

export function compileQuery(q: string, mailbox: Mailbox, now: number): CompiledQuery {
  const predicates: Predicate[] = [];
  let includesSpamTrash = false;
  const hasLabel =
    (id: string): Predicate =>
    (m) =>
      m.labelIds.includes(id);
  const text =
    (needle: string): Predicate =>
    (m) => {
      const s = m.search;
      return [s.subject, s.from, s.to, s.cc, s.text, m.snippet.toLowerCase()].some((field) =>
        field.includes(needle),
      );
    };
  for (const raw of tokenize(q)) {
    if (raw === "OR" || raw === "AND") continue;
    const negated = raw.startsWith("-") && raw.length > 1;
    const tokenText = negated ? raw.slice(1) : raw;
    const colon = tokenText.indexOf(":");
    const key =
      colon > 0 && !tokenText.startsWith('"') ? tokenText.slice(0, colon).toLowerCase() : "";
    const value = key ? unquote(tokenText.slice(colon + 1)) : unquote(tokenText);
    let predicate: Predicate | undefined;
    let lifts = false;
    switch (key) {
      case "after":
      case "before": {
        const t = parseDate(value);
        if (t !== undefined)
          predicate = key === "after" ? (m) => m.internalDate >= t : (m) => m.internalDate < t;
        break;
      }
      case "newer_than":
      case "older_than": {
        const age = parseAge(value);
        if (age !== undefined) {
          const cutoff = now - age;
          predicate =
            key === "newer_than" ? (m) => m.internalDate > cutoff : (m) => m.internalDate < cutoff;
        }
        break;
      }
      case "label": {
        const label = mailbox.labelByName(value);
        predicate = label ? hasLabel(label.id) : () => false;
        lifts = label?.id === "SPAM" || label?.id === "TRASH";
        break;
      }
      case "in":
      case "is": {
        if (value === "anywhere") {
          lifts = true;
          predicate = () => true;
        } else if (value === "read") predicate = (m) => !m.labelIds.includes("UNREAD");
        else {
          const id = IN_LABELS[value];
          if (id) {
            predicate = hasLabel(id);
            lifts = id === "SPAM" || id === "TRASH";
          }
        }
        break;
      }
      case "category": {
        const id = CATEGORIES[value];
        predicate = id ? hasLabel(id) : () => false;
        break;
      }
      case "from":
      case "to":
      case "cc":
      case "bcc":
      case "subject":
        predicate = (m) => m.search[key].includes(value);
        break;
      case "list":
        predicate = (m) => m.search.listId.includes(value);
        break;
      case "deliveredto":
        predicate = (m) => m.search.deliveredTo.includes(value);
        break;
      case "has":
        if (value === "attachment") predicate = (m) => m.search.hasAttachment;
        break;
      case "rfc822msgid":
        predicate = (m) =>
          m.headers.some(
            ([n, v]) => n.toLowerCase() === "message-id" && v.toLowerCase().includes(value),
          );
        break;
      default:
        break;
    }
    if (lifts && !negated) includesSpamTrash = true;
    predicate ??= text(key ? tokenText.toLowerCase() : value);
    const p = predicate;
    predicates.push(negated ? (m) => !p(m) : p);
  }
  return { test: (m) => predicates.every((p) => p(m)), includesSpamTrash };
}
