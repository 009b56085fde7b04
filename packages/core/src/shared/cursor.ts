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
