import type { Participant, Person, SkipReason } from "./types.ts";

export function skip(
  reason: SkipReason,
  detail?: string,
): { ok: false; reason: SkipReason; detail?: string } {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

/** Distinct addresses, first role wins; the name is the first non-empty one seen for the address. */
export function collectPeople(participants: readonly Participant[]): Person[] {
  const byEmail = new Map<string, Person>();
  for (const { email, name, role } of participants) {
    const existing = byEmail.get(email);
    if (!existing) byEmail.set(email, { email, name, role });
    else if (existing.name === null && name !== null) existing.name = name;
  }
  return [...byEmail.values()];
}

/**
 * Keeps the first item per externalId, in input order. Use it on normalized emails (a message
 * seen twice) and sessions (the same meeting listed from two calendars).
 */
export function dedupeByExternalId<T extends { externalId: string }>(items: Iterable<T>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    if (seen.has(item.externalId)) continue;
    seen.add(item.externalId);
    out.push(item);
  }
  return out;
}
