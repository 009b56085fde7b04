import { z } from "zod";
import { pageCursorSchema, pageLimitSchema, recordIdSchema } from "../shared/schemas.ts";

/** A note's Markdown text; surrounding blank space is dropped. */
export const noteBodySchema = z
  .string({ error: "A note must be text." })
  .trim()
  .min(1, "Write something first.")
  .max(20_000, "A note can be at most 20,000 characters.");

export const noteCreateSchema = z.strictObject({
  contactId: recordIdSchema,
  body: noteBodySchema,
});
export type NoteCreateInput = z.input<typeof noteCreateSchema>;

export const noteUpdateSchema = z.strictObject({
  id: recordIdSchema,
  body: noteBodySchema,
});
export type NoteUpdateInput = z.input<typeof noteUpdateSchema>;

export const noteIdInputSchema = z.strictObject({ id: recordIdSchema });

export const noteListInputSchema = z.strictObject({
  contactId: recordIdSchema,
  limit: pageLimitSchema(20),
  cursor: pageCursorSchema,
});
export type NoteListInput = z.input<typeof noteListInputSchema>;
