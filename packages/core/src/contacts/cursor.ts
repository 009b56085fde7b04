import { z } from "zod";
import { InvalidInputError } from "../errors.ts";
import { contactSortFields, type ContactSortField } from "../schemas.ts";

/**
 * Keyset cursors: the sort value and id of the row a page starts after (or ends before), so
 * deep pages cost the same as the first one. Opaque to clients (base64url JSON).
 */

const cursorSchema = z.strictObject({
  /** The sort field the cursor belongs to; a cursor from another sort is rejected. */
  f: z.enum(contactSortFields),
  /** "n": rows after this one, "p": rows before it. */
  d: z.enum(["n", "p"]),
  v: z.string().nullable(),
  id: z.uuid(),
});
export type Cursor = z.infer<typeof cursorSchema>;

const dateFields = new Set<ContactSortField>(["createdAt", "lastInteractionAt"]);

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(raw: string, field: ContactSortField): Cursor {
  let parsed: Cursor;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    // The value is compared as the column's type: a date column's value must be a date.
    if (dateFields.has(parsed.f) && parsed.v !== null && Number.isNaN(Date.parse(parsed.v))) {
      throw new Error("not a date");
    }
  } catch {
    throw new InvalidInputError("This page link is no longer valid; start from the first page.", {
      cursor: ["Invalid cursor."],
    });
  }
  if (parsed.f !== field) {
    throw new InvalidInputError(
      "This page link belongs to another sort order; start from the first page.",
      {
        cursor: ["Cursor does not match the sort."],
      },
    );
  }
  return parsed;
}
