import { z } from "zod";
import { recordIdSchema } from "../shared/schemas.ts";

/** The colors a tag may have; the web app maps each one to its own swatch. */
export const tagColors = [
  "gray",
  "red",
  "orange",
  "amber",
  "green",
  "teal",
  "blue",
  "indigo",
  "purple",
  "pink",
] as const;
export type TagColor = (typeof tagColors)[number];

export const tagNameSchema = z
  .string({ error: "Name must be text." })
  .trim()
  .min(1, "Name is required.")
  .max(60, "Name must be at most 60 characters.");

export const tagColorSchema = z.enum(tagColors, { error: "Choose one of the palette's colors." });

export const tagCreateSchema = z.strictObject({
  name: tagNameSchema,
  color: tagColorSchema.nullish().transform((color) => color ?? null),
});
export type TagCreateInput = z.input<typeof tagCreateSchema>;

/** Renames and/or recolors a tag; `color: null` removes its color. */
export const tagUpdateSchema = z
  .strictObject({
    id: recordIdSchema,
    name: tagNameSchema.optional(),
    color: tagColorSchema.nullable().optional(),
  })
  .refine((input) => input.name !== undefined || input.color !== undefined, {
    message: "Nothing to change: give a name or a color.",
  });
export type TagUpdateInput = z.input<typeof tagUpdateSchema>;

export const tagIdInputSchema = z.strictObject({ id: recordIdSchema });

/** Adds (or removes) every tag to (from) every contact. */
export const tagContactsSchema = z.strictObject({
  contactIds: z
    .array(recordIdSchema, { error: "Select the contacts." })
    .min(1, "Select at least one contact.")
    .max(1000, "At most 1000 contacts at a time."),
  tagIds: z
    .array(recordIdSchema, { error: "Choose the tags." })
    .min(1, "Choose at least one tag.")
    .max(50, "At most 50 tags at a time."),
});
export type TagContactsInput = z.input<typeof tagContactsSchema>;

export const tagsOfContactSchema = z.strictObject({ contactId: recordIdSchema });
