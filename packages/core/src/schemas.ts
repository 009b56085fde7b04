import { z } from "zod";

/**
 * Input schemas shared by forms in the browser and by the API procedures, so both report the
 * same field errors. Pure zod: safe to import from client components.
 */

/** An optional text field: blank means "not given" and is stored as null. */
const optionalText = <T extends z.ZodType<string, string>>(schema: T) =>
  z
    .string({ error: "Must be text." })
    .trim()
    .transform((value) => (value === "" ? null : value))
    .pipe(schema.nullable())
    .nullish()
    .transform((value) => value ?? null);

export const idSchema = z.uuid({ error: "Not a valid id." });

export const contactNameSchema = z
  .string({ error: "Name is required." })
  .trim()
  .min(1, "Name is required.")
  .max(200, "Name must be at most 200 characters.");

export const contactEmailSchema = z
  .string()
  .trim()
  .max(320, "Email must be at most 320 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }))
  .transform((email) => email.toLowerCase());

export const contactPhoneSchema = z
  .string()
  .trim()
  .min(3, "Phone must have at least 3 characters.")
  .max(40, "Phone must be at most 40 characters.")
  .regex(/^\+?[0-9 ().\-/]+$/, "Phone may contain digits, spaces, + ( ) . - and /.")
  .refine((phone) => /[0-9].*[0-9]/.test(phone), "Phone must contain digits.");

export const contactInputSchema = z.strictObject({
  name: contactNameSchema,
  email: optionalText(contactEmailSchema),
  phone: optionalText(contactPhoneSchema),
});
export type ContactInput = z.input<typeof contactInputSchema>;
export type ContactData = z.output<typeof contactInputSchema>;

export const contactUpdateSchema = z.strictObject({
  id: idSchema,
  data: contactInputSchema,
});
export type ContactUpdateInput = z.input<typeof contactUpdateSchema>;

export const contactIdInputSchema = z.strictObject({ id: idSchema });

export const contactSortFields = ["name", "email", "phone", "createdAt"] as const;
export type ContactSortField = (typeof contactSortFields)[number];

export const contactListInputSchema = z.strictObject({
  limit: z.number().int().min(1).max(100).default(25),
  sort: z
    .strictObject({
      field: z.enum(contactSortFields),
      direction: z.enum(["asc", "desc"]),
    })
    .default({ field: "createdAt", direction: "desc" }),
  search: z.string().trim().max(200, "Search must be at most 200 characters.").optional(),
  /** Opaque keyset cursor from a previous page's `nextCursor` or `prevCursor`. */
  cursor: z.string().max(1000).nullish(),
});
export type ContactListInput = z.input<typeof contactListInputSchema>;
