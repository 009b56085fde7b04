import { z } from "zod";
import { InvalidInputError } from "../errors.ts";

/**
 * Keyset cursors of the client-record lists: the sort values and id of the last row of a page,
 * tagged with the list they belong to. Opaque to clients (base64url JSON).
 */
const keysetSchema = z.strictObject({
  k: z.string(),
  v: z.array(z.string().nullable()),
  id: z.uuid(),
});

export interface Keyset {
  values: (string | null)[];
  id: string;
}

export function encodeKeyset(list: string, values: (string | null)[], id: string): string {
  return Buffer.from(JSON.stringify({ k: list, v: values, id })).toString("base64url");
}

function invalidCursor(): InvalidInputError {
  return new InvalidInputError("This page link is no longer valid; start from the first page.", {
    cursor: ["Invalid cursor."],
  });
}

/** Decodes a cursor of `list` holding `arity` values; anything else is refused. */
export function decodeKeyset(raw: string, list: string, arity: number): Keyset {
  let parsed: z.infer<typeof keysetSchema>;
  try {
    parsed = keysetSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw invalidCursor();
  }
  if (parsed.k !== list || parsed.v.length !== arity) throw invalidCursor();
  return { values: parsed.v, id: parsed.id };
}

/** A timestamp stored in a cursor. */
export function cursorDate(value: string | null | undefined): Date {
  const date = new Date(value ?? "");
  if (value == null || Number.isNaN(date.getTime())) throw invalidCursor();
  return date;
}

/**
 * The condition that continues a newest-first list (by `field`, then id) after the cursor of
 * its previous page: rows older than the cursor's, or as old with a smaller id.
 */
export function olderThanCursor<F extends string>(
  rawCursor: string,
  list: string,
  field: F,
): { OR: ({ [K in F]: { lt: Date } } | ({ [K in F]: Date } & { id: { lt: string } }))[] } {
  const cursor = decodeKeyset(rawCursor, list, 1);
  const at = cursorDate(cursor.values[0]);
  return {
    OR: [
      { [field]: { lt: at } } as { [K in F]: { lt: Date } },
      { [field]: at, id: { lt: cursor.id } } as { [K in F]: Date } & { id: { lt: string } },
    ],
  };
}

/**
 * One page of a newest-first list, from `limit + 1` rows read in order: the rows to show, and
 * the cursor of the next page when there is one.
 */
export function newestFirstPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  list: string,
  date: (row: T) => Date,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeKeyset(list, [date(last).toISOString()], last.id) : null,
  };
}
