/**
 * Throughput of the Gmail normalizer over 10,000 generated messages of mixed shapes.
 * Not a test. Run: `npx tsx src/normalize/bench.ts` (from packages/google). Target ≥ 2,000/s.
 */
import type { gmail_v1 } from "@googleapis/gmail";
import { SELF, gmailMessage, leaf, multipart, withHeaders, type Headers } from "./builders.ts";
import { normalizeGmailMessage } from "./gmail.ts";
import { compileRules } from "./rules.ts";
import type { NormalizeRules } from "./types.ts";

const COUNT = 10_000;

/** Small deterministic PRNG (mulberry32) so every run measures the same messages. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Ann",
  "Bob",
  "Chloé",
  "Dmitri",
  "Eva",
  "Fatima",
  "Günter",
  "Hana",
  "Ines",
  "Jürgen",
];
const LAST = ["Smith", "Müller", "O'Brien", "Nakamura", "García", "Ivanova", "Dubois", "Rossi"];
const PARAGRAPH =
  "Thanks so much for today's session. My shoulder feels a lot better, but I still notice some tension in the evening. Could we look at that next time? ";

function generate(count: number): gmail_v1.Schema$Message[] {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const person = (i: number) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      name: `${first} ${last}`,
      email: `${first
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z]/g, "")}${i}@gmail.com`,
    };
  };
  const messages: gmail_v1.Schema$Message[] = [];
  for (let i = 0; i < count; i++) {
    const p = person(i);
    const date = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000);
    const base: Headers = withHeaders({
      From: `"${p.name}" <${p.email}>`,
      To: `Me <${SELF}>`,
      Subject: `Re: Session ${i}`,
      Date: date.toUTCString().replace("GMT", "+0000"),
    });
    const id = `18f${i.toString(16).padStart(13, "0")}`;
    const common = {
      id,
      threadId: id,
      internalDate: String(date.getTime()),
      snippet: `${PARAGRAPH.slice(0, 120)}&#39;`,
    };
    const shape = i % 10;
    let message: gmail_v1.Schema$Message;
    switch (shape) {
      case 0: // metadata only
        message = gmailMessage({ ...common, headers: base });
        break;
      case 1: // plain + html alternative
        message = gmailMessage({
          ...common,
          headers: base,
          body: multipart(
            "alternative",
            leaf("text/plain", PARAGRAPH.repeat(3)),
            leaf("text/html", `<p>${PARAGRAPH.repeat(3)}</p>`),
          ),
        });
        break;
      case 2: // html only
        message = gmailMessage({
          ...common,
          headers: base,
          body: leaf(
            "text/html",
            `<html><body><div>${`<p>${PARAGRAPH}<a href="https://x.example">link</a></p>`.repeat(4)}</div></body></html>`,
          ),
        });
        break;
      case 3: // newsletter (bulk)
        message = gmailMessage({
          ...common,
          headers: withHeaders(
            {
              From: "Wellness Weekly <news@wellness-weekly.com>",
              "List-Unsubscribe": "<mailto:u@wellness-weekly.com>",
            },
            base,
          ),
          body: leaf("text/html", `<table><tr><td>${PARAGRAPH}</td></tr></table>`.repeat(10)),
        });
        break;
      case 4: // outbound to several people
        message = gmailMessage({
          ...common,
          labelIds: ["SENT"],
          headers: withHeaders(
            {
              From: `Me <${SELF}>`,
              To: [person(i + 1), person(i + 2)].map((x) => `${x.name} <${x.email}>`).join(", "),
              Cc: `${person(i + 3).email}`,
            },
            base,
          ),
          body: leaf("text/plain", PARAGRAPH),
        });
        break;
      case 5: // encoded names and subject
        message = gmailMessage({
          ...common,
          headers: withHeaders(
            {
              From: `=?UTF-8?B?${Buffer.from(p.name).toString("base64")}?= <${p.email}>`,
              Subject: "=?ISO-8859-1?Q?Termin_f=FCr_n=E4chste_Woche?=",
            },
            base,
          ),
        });
        break;
      case 6: // no-reply notification
        message = gmailMessage({
          ...common,
          headers: withHeaders({ From: "Calendar <calendar-notification@google.com>" }, base),
        });
        break;
      case 7: // nested mixed with attachment, iso-8859-1
        message = gmailMessage({
          ...common,
          headers: base,
          body: multipart(
            "mixed",
            multipart(
              "alternative",
              leaf("text/plain", Buffer.from(`Grüße aus München. ${PARAGRAPH}`, "latin1"), {
                charset: "iso-8859-1",
              }),
              leaf("text/html", "<p>Grüße</p>"),
            ),
            leaf("application/pdf", "%PDF-1.4 ...", {
              filename: "intake.pdf",
              disposition: "attachment",
            }),
          ),
        });
        break;
      case 8: // group meeting, 15 recipients
        message = gmailMessage({
          ...common,
          headers: withHeaders(
            {
              To: Array.from({ length: 15 }, (_, k) => {
                const x = person(i * 20 + k);
                return `"${x.name}" <${x.email}>`;
              }).join(", "),
            },
            base,
          ),
        });
        break;
      default: // malformed list
        message = gmailMessage({
          ...common,
          headers: withHeaders(
            { Cc: `broken <<bad@, ${person(i + 5).email}; Undisclosed recipients:;` },
            base,
          ),
        });
    }
    messages.push(message);
  }
  return messages;
}

function run(label: string, messages: gmail_v1.Schema$Message[], rules: NormalizeRules): void {
  const compiled = compileRules(rules);
  for (const message of messages.slice(0, 1_000)) normalizeGmailMessage(message, compiled); // warm-up
  const reasons = new Map<string, number>();
  const started = performance.now();
  for (const message of messages) {
    const result = normalizeGmailMessage(message, compiled);
    const key = result.ok ? "ok" : result.reason;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(messages.length / seconds);
  console.log(
    `${label}: ${messages.length} messages in ${(seconds * 1000).toFixed(0)} ms → ${rate.toLocaleString("en-US")} messages/s`,
    Object.fromEntries(reasons),
  );
}

const messages = generate(COUNT);
const rules: NormalizeRules = {
  selfAddresses: [SELF],
  neverLog: ["@lawfirm.com"],
  skipBulk: true,
  maxRecipients: 20,
  includeBodies: true,
};
run("includeBodies=true ", messages, rules);
run("includeBodies=false", messages, { ...rules, includeBodies: false });
