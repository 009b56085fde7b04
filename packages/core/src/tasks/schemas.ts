import { z } from "zod";
import {
  pageCursorSchema,
  pageLimitSchema,
  recordIdSchema,
  timeZoneSchema,
} from "../shared/schemas.ts";

export const taskTitleSchema = z
  .string({ error: "Title must be text." })
  .trim()
  .min(1, "Title is required.")
  .max(300, "Title must be at most 300 characters.");

/** A due date and time: a Date, or an ISO 8601 date-time with its offset ("…Z", "…+02:00"). */
export const taskDueAtSchema = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
    error: "Enter a valid date and time.",
  })
  .refine((date) => date.getUTCFullYear() >= 1900 && date.getUTCFullYear() <= 9999, {
    message: "Enter a date between the years 1900 and 9999.",
  });

export const taskCreateSchema = z.strictObject({
  title: taskTitleSchema,
  dueAt: taskDueAtSchema.nullish().transform((dueAt) => dueAt ?? null),
  contactId: recordIdSchema.nullish().transform((contactId) => contactId ?? null),
});
export type TaskCreateInput = z.input<typeof taskCreateSchema>;

/** Changes only what is given; `null` removes the due date or the contact. */
export const taskUpdateSchema = z
  .strictObject({
    id: recordIdSchema,
    title: taskTitleSchema.optional(),
    dueAt: taskDueAtSchema.nullable().optional(),
    contactId: recordIdSchema.nullable().optional(),
  })
  .refine(
    (input) =>
      input.title !== undefined || input.dueAt !== undefined || input.contactId !== undefined,
    { message: "Nothing to change: give a title, a due date or a contact." },
  );
export type TaskUpdateInput = z.input<typeof taskUpdateSchema>;

export const taskIdInputSchema = z.strictObject({ id: recordIdSchema });

export const taskStatuses = ["open", "done", "all"] as const;
/**
 * overdue: open and due before now; today: due today in `timeZone`; upcoming: due after today;
 * any: no condition on the due date (tasks without one included).
 */
export const taskDueFilters = ["overdue", "today", "upcoming", "any"] as const;

export const taskListInputSchema = z.strictObject({
  status: z.enum(taskStatuses, { error: "Status is open, done or all." }).default("open"),
  contactId: recordIdSchema.optional(),
  due: z.enum(taskDueFilters, { error: "Due is overdue, today, upcoming or any." }).default("any"),
  /** The user's IANA time zone: where "today" starts and ends. */
  timeZone: timeZoneSchema.default("UTC"),
  limit: pageLimitSchema(25),
  cursor: pageCursorSchema,
});
export type TaskListInput = z.input<typeof taskListInputSchema>;
