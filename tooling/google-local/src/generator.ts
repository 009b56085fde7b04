import { DAY_MS, HOUR_MS, MINUTE_MS } from "./clock.ts";
import type { MessageInput } from "./mailbox.ts";
import type { Address } from "./mime.ts";
import {
  CLIENT_BODIES,
  CLIENT_SUBJECTS,
  OWNER_BODIES,
  OWNER_SUBJECTS,
  type Practice,
  WEEKDAY_NAMES,
} from "./practice.ts";
import { hashString, Prng, type Seed } from "./prng.ts";

/**
 * Deterministic mailbox generation: the same seed, size and anchor always give the same
 * messages (ids, headers, bodies, labels, dates). Every mailbox of 16+ messages contains
 * each awkward case in {@link SPECIAL_CASES}.
 */
export interface MailGenerationOptions {
  seed: Seed;
  practice: Practice;
  /** The mailbox owner's address (the account email). */
  email: string;
  count: number;
  /** The newest message is a little before this instant. */
  anchor: number;
  /** How far back the mail goes. Default 365 days. */
  days?: number;
}

export const SPECIAL_CASES = [
  "no-from",
  "no-date",
  "encoded-word-b",
  "encoded-word-q",
  "reply-to",
  "newsletter",
  "no-reply",
  "many-recipients",
  "attachment",
  "html-only",
  "quoted-name-cc",
  "thread",
] as const;

export type SpecialCase = (typeof SPECIAL_CASES)[number];

const CLIENT_OFFSETS = [-480, -420, -360, -300, -240, 0, 60, 120, 330, 540, 600];

interface Ctx {
  prng: Prng;
  practice: Practice;
  owner: Address;
  ids: Set<string>;
}

const fill = (template: string, vars: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (all, key: string) => vars[key] ?? all);

const firstName = (a: Address): string =>
  a.name
    ? a.name.includes(",")
      ? (a.name.split(",")[1] ?? a.name).trim()
      : (a.name.split(" ")[0] ?? a.name)
    : "there";

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const toHtml = (text: string): string =>
  `<div dir="ltr">${text
    .split("\n\n")
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("")}</div>`;

function newId(ctx: Ctx, internalDate: number): string {
  for (;;) {
    const id = internalDate.toString(16).padStart(11, "0").slice(-11) + ctx.prng.hex(5);
    if (!ctx.ids.has(id)) {
      ctx.ids.add(id);
      return id;
    }
  }
}

const messageIdFor = (ctx: Ctx, from: Address | null): string =>
  `<CA${ctx.prng.hex(24)}@${from?.email.split("@")[1] ?? "mail.example"}>`;

const clientOffset = (client: Address): number =>
  CLIENT_OFFSETS[hashString(client.email) % CLIENT_OFFSETS.length] ?? 0;

/** Body parts: mostly text + HTML alternatives, some text-only, a few HTML-only. */
function bodies(prng: Prng, text: string): Pick<MessageInput, "text" | "html"> {
  const style = prng.weighted([
    ["both", 70],
    ["text", 25],
    ["html", 5],
  ] as const);
  if (style === "text") return { text };
  if (style === "html") return { html: toHtml(text) };
  return { text, html: toHtml(text) };
}

function clientLabels(prng: Prng, internalDate: number, anchor: number): string[] {
  const labels: string[] = [];
  if (prng.chance(0.85)) labels.push("INBOX");
  const recent = anchor - internalDate < 3 * DAY_MS;
  if (prng.chance(recent ? 0.7 : 0.08)) labels.push("UNREAD");
  if (prng.chance(0.4)) labels.push("IMPORTANT");
  if (prng.chance(0.05)) labels.push("STARRED");
  labels.push("CATEGORY_PERSONAL");
  if (prng.chance(0.5)) labels.push("Label_1");
  return labels;
}

function clientMail(
  ctx: Ctx,
  client: Address,
  internalDate: number,
  extra: Partial<MessageInput> = {},
  anchor = internalDate,
): MessageInput {
  const { prng, owner, practice } = ctx;
  const text = fill(prng.pick(CLIENT_BODIES), {
    owner: firstName(owner),
    client: client.name ? firstName(client) : "",
    practice: practice.practiceName,
  });
  return {
    id: newId(ctx, internalDate),
    from: client,
    to: [owner],
    subject: prng.pick(CLIENT_SUBJECTS),
    date: internalDate - prng.int(1, 40) * 1000,
    dateOffsetMinutes: clientOffset(client),
    internalDate,
    labelIds: clientLabels(prng, internalDate, anchor),
    messageId: messageIdFor(ctx, client),
    ...bodies(prng, text),
    ...extra,
  };
}

function ownerMail(
  ctx: Ctx,
  client: Address,
  internalDate: number,
  extra: Partial<MessageInput> = {},
): MessageInput {
  const { prng, owner, practice } = ctx;
  const day = WEEKDAY_NAMES[new Date(internalDate + 2 * DAY_MS).getUTCDay()] ?? "Monday";
  const text = fill(prng.pick(OWNER_BODIES), {
    owner: firstName(owner),
    client: firstName(client),
    practice: practice.practiceName,
    day,
  });
  const labels = ["SENT"];
  if (prng.chance(0.3)) labels.push("Label_1");
  return {
    id: newId(ctx, internalDate),
    from: owner,
    to: [client],
    subject: fill(prng.pick(OWNER_SUBJECTS), { day }),
    internalDate,
    labelIds: labels,
    messageId: messageIdFor(ctx, owner),
    ...bodies(prng, text),
    ...extra,
  };
}

function newsletterMail(ctx: Ctx, internalDate: number, htmlOnly = false): MessageInput {
  const { prng } = ctx;
  const letter = prng.pick(ctx.practice.newsletters);
  const subject = prng.pick(letter.subjects);
  const token = prng.hex(16);
  const domain = letter.from.email.split("@")[1] ?? "news.example";
  const text = `${subject}\n\nRead this issue online: https://${domain}/issues/${token}\n\nYou are receiving this because you subscribed at ${domain}.\nUnsubscribe: https://${domain}/u/${token}`;
  const labels: string[] = [letter.category];
  if (prng.chance(0.01)) labels.push("SPAM");
  else {
    if (prng.chance(0.6)) labels.push("INBOX");
    if (prng.chance(0.5)) labels.push("UNREAD");
  }
  return {
    id: newId(ctx, internalDate),
    from: letter.from,
    to: [ctx.owner],
    subject,
    date: internalDate - prng.int(60, 600) * 1000,
    dateOffsetMinutes: 0,
    internalDate,
    labelIds: labels,
    messageId: `<${token}.${prng.hex(6)}@mailer.${domain}>`,
    headers: [
      [
        "List-Unsubscribe",
        `<mailto:unsubscribe@${domain}?subject=unsubscribe-${token}>, <https://${domain}/u/${token}>`,
      ],
      ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
      ["List-Id", `${letter.from.name ?? domain} ${letter.listId}`],
      ["Precedence", "bulk"],
    ],
    ...(htmlOnly
      ? {
          html: `<html><body><h1>${escapeHtml(subject)}</h1><p>Read this issue online.</p><a href="https://${domain}/u/${token}">Unsubscribe</a></body></html>`,
        }
      : { text, html: toHtml(text) }),
  };
}

function automatedMail(ctx: Ctx, internalDate: number, forceReplyTo = false): MessageInput {
  const { prng, practice } = ctx;
  const sender = forceReplyTo
    ? (practice.automated.find((a) => a.replyTo) ?? prng.pick(practice.automated))
    : prng.pick(practice.automated);
  const client = prng.pick(practice.clients);
  const subject = fill(prng.pick(sender.subjects), {
    client: client.name ?? client.email,
    n: String(prng.int(10000, 99999)),
  });
  const labels: string[] = ["INBOX", sender.category];
  if (prng.chance(0.4)) labels.push("UNREAD");
  if (sender.from.email.startsWith("noreply@")) labels.push("Label_2");
  return {
    id: newId(ctx, internalDate),
    from: sender.from,
    to: [ctx.owner],
    ...(sender.replyTo === "client" ? { replyTo: [client] } : {}),
    subject,
    date: internalDate - prng.int(1, 20) * 1000,
    dateOffsetMinutes: 0,
    internalDate,
    labelIds: labels,
    messageId: messageIdFor(ctx, sender.from),
    headers: [["Auto-Submitted", "auto-generated"]],
    text: `${subject}\n\nThis is an automated message. Please do not reply to this email.`,
  };
}

function clientThread(ctx: Ctx, start: number, anchor: number, length: number): MessageInput[] {
  const { prng, practice, owner } = ctx;
  const client = prng.pick(practice.clients);
  const out: MessageInput[] = [];
  let time = start;
  const clientFirst = prng.chance(0.75);
  const first = clientFirst
    ? clientMail(ctx, client, time, {}, anchor)
    : ownerMail(ctx, client, time);
  out.push(first);
  const threadId = first.id ?? "";
  first.threadId = threadId;
  const subject = first.subject ?? "";
  const references: string[] = [first.messageId ?? ""];
  for (let i = 1; i < length; i++) {
    time += prng.int(20, 48 * 60) * MINUTE_MS;
    if (time >= anchor - MINUTE_MS) break;
    const fromClient = clientFirst ? i % 2 === 0 : i % 2 === 1;
    const extra: Partial<MessageInput> = {
      threadId,
      subject: `Re: ${subject}`,
      inReplyTo: references[references.length - 1],
      references: [...references],
    };
    const message = fromClient
      ? clientMail(ctx, client, time, extra, anchor)
      : ownerMail(ctx, client, time, extra);
    if (fromClient && message.text)
      message.text += `\n\nOn a previous day, ${owner.name ?? owner.email} wrote:\n> ...`;
    references.push(message.messageId ?? "");
    out.push(message);
  }
  return out;
}

function special(ctx: Ctx, kind: SpecialCase, time: number, anchor: number): MessageInput[] {
  const { prng, practice, owner } = ctx;
  const clients = practice.clients;
  const client = (i: number): Address =>
    clients[i % clients.length] ?? { email: "client@example.com" };
  switch (kind) {
    case "no-from":
      return [
        {
          id: newId(ctx, time),
          from: null,
          to: [owner],
          subject: "Session notes export",
          internalDate: time,
          labelIds: ["INBOX", "CATEGORY_UPDATES"],
          messageId: `<export.${prng.hex(10)}@notes-app.example>`,
          text: "Your weekly session notes export is ready.",
        },
      ];
    case "no-date":
      return [
        clientMail(
          ctx,
          client(3),
          time,
          {
            date: null,
            subject: "Question about parking",
            text: "Is there parking near the studio? Thanks!",
          },
          anchor,
        ),
      ];
    case "encoded-word-b": {
      const zoe =
        clients.find((c) => c.encoding === "B" && c.name && /[^\x20-\x7e]/.test(c.name)) ??
        client(0);
      return [clientMail(ctx, zoe, time, { subject: "Looking forward to Saturday" }, anchor)];
    }
    case "encoded-word-q": {
      const jose = clients.find((c) => c.encoding === "Q") ?? client(1);
      return [
        clientMail(
          ctx,
          jose,
          time,
          {
            subject: "Sesión de mañana — ¿podemos cambiar la hora?",
            subjectEncoding: "Q",
            text: "Hola Maya,\n\n¿Podemos cambiar la sesión de mañana a las 5? Gracias,\nJosé",
          },
          anchor,
        ),
      ];
    }
    case "reply-to":
      return [automatedMail(ctx, time, true)];
    case "newsletter":
      return [newsletterMail(ctx, time)];
    case "no-reply": {
      const sender =
        practice.automated.find((a) => /no-?reply/.test(a.from.email)) ?? practice.automated[0];
      const message = automatedMail(ctx, time);
      if (sender) message.from = sender.from;
      return [message];
    }
    case "many-recipients": {
      const to = prng.sample(clients, Math.min(30, clients.length));
      const cc = [...practice.colleagues];
      return [
        {
          id: newId(ctx, time),
          from: owner,
          to,
          cc,
          bcc: [{ name: "Maya (archive)", email: "archive@serenity-wellness.example" }],
          subject: "Spring workshop: Breath & Movement (save the date)",
          internalDate: time,
          labelIds: ["SENT"],
          messageId: messageIdFor(ctx, owner),
          text: "Hi everyone,\n\nOur spring workshop is on the 22nd, 10am–1pm. Bring a mat and water.\n\nMaya",
          html: toHtml(
            "Hi everyone,\n\nOur spring workshop is on the 22nd, 10am–1pm. Bring a mat and water.\n\nMaya",
          ),
        },
      ];
    }
    case "attachment":
      return [
        clientMail(
          ctx,
          client(5),
          time,
          {
            subject: "Intake form (signed)",
            text: "Hi, attached is my signed intake form.",
            html: toHtml("Hi, attached is my signed intake form."),
            attachments: [
              {
                filename: "Intake form - signed.pdf",
                mimeType: "application/pdf",
                content: Buffer.from(`%PDF-1.4\n% intake form for ${client(5).email}\n%%EOF\n`),
              },
            ],
          },
          anchor,
        ),
      ];
    case "html-only":
      return [newsletterMail(ctx, time, true)];
    case "quoted-name-cc": {
      const quoted = clients.find((c) => c.name?.includes(",")) ?? {
        name: "Nguyen, Thi",
        email: "thi.nguyen@gmail.example",
      };
      return [
        clientMail(ctx, quoted, time, { cc: [client(7)], subject: "Couples session?" }, anchor),
      ];
    }
    case "thread":
      return clientThread(ctx, time, anchor, 3);
  }
}

/** The generated mailbox, oldest first. */
export function generateMessages(options: MailGenerationOptions): MessageInput[] {
  const { count, anchor, practice } = options;
  const days = options.days ?? 365;
  const prng = new Prng(`${options.seed}/mail`);
  const ctx: Ctx = {
    prng,
    practice,
    owner: { ...practice.owner, email: options.email },
    ids: new Set(),
  };
  const out: MessageInput[] = [];
  const span = days * DAY_MS;
  const earliest = anchor - span;

  const specials = count >= 16 ? SPECIAL_CASES : SPECIAL_CASES.slice(0, Math.max(0, count - 4));
  specials.forEach((kind, i) => {
    // spread over the last 60 days so date-bounded queries find them too
    const time =
      anchor -
      Math.floor(((i + 1) / (specials.length + 1)) * Math.min(span, 60 * DAY_MS)) -
      HOUR_MS;
    for (const message of special(ctx, kind, time, anchor))
      if (out.length < count) out.push(message);
  });

  while (out.length < count) {
    const start = earliest + Math.floor(prng.next() * (span - 2 * HOUR_MS));
    const kind = prng.weighted([
      ["thread", 45],
      ["newsletter", 25],
      ["automated", 15],
      ["outbound", 10],
      ["group", 5],
    ] as const);
    let batch: MessageInput[];
    switch (kind) {
      case "thread":
        batch = clientThread(
          ctx,
          start,
          anchor,
          prng.weighted([
            [1, 40],
            [2, 30],
            [3, 15],
            [4, 10],
            [6, 5],
          ] as const),
        );
        break;
      case "newsletter":
        batch = [newsletterMail(ctx, start)];
        break;
      case "automated":
        batch = [automatedMail(ctx, start)];
        break;
      case "outbound": {
        const client = prng.pick(practice.clients);
        batch = [
          ownerMail(
            ctx,
            client,
            start,
            prng.chance(0.3) ? { cc: [prng.pick(practice.colleagues)] } : {},
          ),
        ];
        break;
      }
      case "group": {
        const to = prng.sample(practice.clients, prng.int(6, 15));
        batch = [
          ownerMail(ctx, to[0] ?? practice.clients[0] ?? ctx.owner, start, {
            to,
            subject: "Class update for this week",
          }),
        ];
        break;
      }
    }
    for (const message of batch) if (out.length < count) out.push(message);
  }
  return out.sort(
    (a, b) =>
      (a.internalDate ?? 0) - (b.internalDate ?? 0) || ((a.id ?? "") < (b.id ?? "") ? -1 : 1),
  );
}

/** One realistic new inbound message at `now` (used by Mailbox.addMessages). */
export function generateIncoming(prng: Prng, practice: Practice, now: number): MessageInput {
  const ctx: Ctx = { prng, practice, owner: practice.owner, ids: new Set() };
  const kind = prng.weighted([
    ["client", 60],
    ["newsletter", 25],
    ["automated", 15],
  ] as const);
  const message =
    kind === "client"
      ? clientMail(ctx, prng.pick(practice.clients), now, {
          labelIds: ["INBOX", "UNREAD", "CATEGORY_PERSONAL"],
        })
      : kind === "newsletter"
        ? newsletterMail(ctx, now)
        : automatedMail(ctx, now);
  // the mailbox assigns ids; drop the generator's so it can check for clashes
  delete message.id;
  return message;
}
