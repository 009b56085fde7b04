import { z } from "zod";

/**
 * Building blocks of the client-record schemas (tags, notes, tasks, …). Pure zod: safe to
 * import from client components.
 */

export const recordIdSchema = z.uuid({ error: "Not a valid id." });

/** Page size of the keyset-paginated lists. */
export const pageLimitSchema = (fallback: number) =>
  z
    .number({ error: "Limit must be a number." })
    .int("Limit must be a whole number.")
    .min(1, "Limit must be at least 1.")
    .max(100, "At most 100 per page.")
    .default(fallback);

/** Opaque keyset cursor from a previous page's `nextCursor`. */
export const pageCursorSchema = z
  .string({ error: "Not a valid page link." })
  .max(500, "Not a valid page link.")
  .nullish();

// Zones already found valid. Checking one builds an Intl formatter (about 0.1 ms), which every
// contacts page would otherwise pay twice; there are only a few hundred zones to remember.
const knownTimeZones = new Set<string>();

function isTimeZone(zone: string): boolean {
  if (knownTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    return false;
  }
  knownTimeZones.add(zone);
  return true;
}

/** An IANA time zone such as "Europe/Paris", checked against the runtime's time zone data. */
export const timeZoneSchema = z
  .string({ error: "Time zone must be text." })
  .max(64, "Unknown time zone.")
  .refine(isTimeZone, "Unknown time zone.");

/** Adds an issue to every value that repeats an earlier one (compared by `key`). */
export const distinctBy =
  <T>(key: (value: T) => string, message: string) =>
  (values: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      const k = key(value);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [index], message });
      seen.add(k);
    });
  };
