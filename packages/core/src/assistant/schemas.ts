import { z } from "zod";
import {
  pageCursorSchema,
  pageLimitSchema,
  recordIdSchema,
  timeZoneSchema,
} from "../shared/schemas.ts";

export { timeZoneSchema };

/**
 * Inputs of the assistant's services: AI consent, AI settings, threads and the audit log.
 * Pure zod: safe to import from client components.
 */

export const aiConsentInputSchema = z.strictObject({
  contactIds: z
    .array(recordIdSchema, { error: "Choose the contacts to change." })
    .min(1, "Choose at least one contact.")
    .max(10_000, "At most 10,000 contacts at once.")
    .transform((ids) => [...new Set(ids)]),
  consent: z.boolean({ error: "Consent is on or off." }),
});
export type AiConsentInput = z.input<typeof aiConsentInputSchema>;

export const aiSettingsInputSchema = z.strictObject({
  redactContactDetails: z.boolean({ error: "Redaction is on or off." }),
});
export type AiSettingsInput = z.input<typeof aiSettingsInputSchema>;

export const threadTitleSchema = z
  .string({ error: "A title must be text." })
  .trim()
  .min(1, "Give the conversation a title.")
  .max(120, "A title can be at most 120 characters.");

export const threadIdInputSchema = z.strictObject({ id: recordIdSchema });

export const threadRenameSchema = z.strictObject({ id: recordIdSchema, title: threadTitleSchema });
export type ThreadRenameInput = z.input<typeof threadRenameSchema>;

export const threadListInputSchema = z.strictObject({
  limit: pageLimitSchema(30),
  cursor: pageCursorSchema,
});
export type ThreadListInput = z.input<typeof threadListInputSchema>;

export const auditListInputSchema = z.strictObject({
  limit: pageLimitSchema(25),
  cursor: pageCursorSchema,
});
export type AuditListInput = z.input<typeof auditListInputSchema>;

/** A chat message id: the browser's or the server's, opaque. */
export const chatMessageIdSchema = z
  .string({ error: "Not a valid message id." })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid message id.");

/** Which contact's insight to read or generate. */
export const insightContactInputSchema = z.strictObject({ contactId: recordIdSchema });
export type InsightContactInput = z.input<typeof insightContactInputSchema>;
