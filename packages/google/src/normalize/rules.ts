import { z } from "zod";
import { isNoReplyAddress, normalizeEmail } from "./addresses.ts";
import type { AddressClass, NormalizeRules } from "./types.ts";

export const DEFAULT_MAX_BODY_CHARS = 20_000;

/**
 * Validates rules read from settings/storage. JSON has no `Infinity`, so a stored
 * `maxRecipients` is a non-negative integer; code may still pass `Infinity` directly.
 */
export const normalizeRulesSchema = z.object({
  selfAddresses: z.array(z.string().max(320)),
  neverLog: z.array(z.string().max(320)),
  skipBulk: z.boolean(),
  maxRecipients: z.number().int().nonnegative(),
  includeBodies: z.boolean(),
  maxBodyChars: z.number().int().positive().optional(),
});

/**
 * Rules preprocessed for fast matching. Build once per sync run with `compileRules` and pass
 * it to the normalizers instead of the raw rules (passing raw rules also works; they are then
 * compiled on every call).
 */
export class CompiledRules {
  readonly selfKeys: ReadonlySet<string>;
  readonly neverLogKeys: ReadonlySet<string>;
  readonly neverLogDomains: ReadonlySet<string>;
  readonly skipBulk: boolean;
  readonly maxRecipients: number;
  readonly includeBodies: boolean;
  readonly maxBodyChars: number;

  constructor(rules: NormalizeRules) {
    const selfKeys = new Set<string>();
    for (const address of rules.selfAddresses) {
      const email = normalizeEmail(address);
      if (email) selfKeys.add(mailboxKey(email));
    }
    const neverLogKeys = new Set<string>();
    const neverLogDomains = new Set<string>();
    for (const raw of rules.neverLog) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const at = entry.lastIndexOf("@");
      const local = at >= 0 ? entry.slice(0, at) : "";
      if (at > 0 && local !== "*") {
        const email = normalizeEmail(entry);
        if (email) neverLogKeys.add(mailboxKey(email));
      } else {
        const domain = normalizeDomain(at >= 0 ? entry.slice(at + 1) : entry);
        if (domain) neverLogDomains.add(domain);
      }
    }
    this.selfKeys = selfKeys;
    this.neverLogKeys = neverLogKeys;
    this.neverLogDomains = neverLogDomains;
    this.skipBulk = rules.skipBulk;
    this.maxRecipients =
      typeof rules.maxRecipients === "number" && !Number.isNaN(rules.maxRecipients)
        ? rules.maxRecipients
        : Number.POSITIVE_INFINITY;
    this.includeBodies = rules.includeBodies;
    const maxBody = rules.maxBodyChars;
    this.maxBodyChars =
      typeof maxBody === "number" && Number.isFinite(maxBody) && maxBody >= 0
        ? Math.floor(maxBody)
        : DEFAULT_MAX_BODY_CHARS;
  }

  /** `email` must already be normalized (lower-cased, trimmed). */
  isSelf(email: string): boolean {
    return this.selfKeys.has(mailboxKey(email));
  }

  /** `email` must already be normalized (lower-cased, trimmed). */
  isNeverLog(email: string): boolean {
    if (this.neverLogKeys.size > 0 && this.neverLogKeys.has(mailboxKey(email))) return true;
    if (this.neverLogDomains.size === 0) return false;
    const at = email.lastIndexOf("@");
    let domain = normalizeDomain(at >= 0 ? email.slice(at + 1) : email);
    while (domain) {
      if (this.neverLogDomains.has(domain)) return true;
      const dot = domain.indexOf(".");
      if (dot < 0) break;
      domain = domain.slice(dot + 1);
    }
    return false;
  }

  /** Self first (the user's own address is never "never log"), then never-log, then no-reply. */
  classify(email: string): AddressClass {
    if (this.isSelf(email)) return "self";
    if (this.isNeverLog(email)) return "never_log";
    if (isNoReplyAddress(email)) return "no_reply";
    return "person";
  }
}

export function compileRules(rules: NormalizeRules | CompiledRules): CompiledRules {
  return rules instanceof CompiledRules ? rules : new CompiledRules(rules);
}

/**
 * "self" | "never_log" | "no_reply" | "person" for one address (any case/whitespace).
 * Free-mail domains (gmail.com, …) are ordinary people: clients use them.
 */
export function classifyAddress(
  email: string,
  rules: NormalizeRules | CompiledRules,
): AddressClass {
  return compileRules(rules).classify(normalizeEmail(email) ?? email.trim().toLowerCase());
}

/**
 * Key under which two spellings of one mailbox compare equal, used only for self and
 * never-log matching (never for the stored address): "+tag" sub-addresses are dropped and,
 * for Gmail, dots in the local part are ignored and googlemail.com is gmail.com. Matching is
 * deliberately liberal because both uses err on the safe side (never log / not a contact).
 */
export function mailboxKey(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (domain === "googlemail.com") domain = "gmail.com";
  if (domain === "gmail.com") local = local.replaceAll(".", "");
  return `${local}@${domain}`;
}

function normalizeDomain(value: string): string {
  let domain = value.trim().toLowerCase();
  if (domain.startsWith("*.")) domain = domain.slice(2);
  while (domain.startsWith(".") || domain.startsWith("@")) domain = domain.slice(1);
  while (domain.endsWith(".")) domain = domain.slice(0, -1);
  return domain;
}
