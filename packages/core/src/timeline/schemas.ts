import { z } from "zod";
import { pageCursorSchema, pageLimitSchema, recordIdSchema } from "../shared/schemas.ts";

export const timelineListInputSchema = z.strictObject({
  contactId: recordIdSchema,
  limit: pageLimitSchema(25),
  cursor: pageCursorSchema,
});
export type TimelineListInput = z.input<typeof timelineListInputSchema>;
