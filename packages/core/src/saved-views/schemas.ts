import { z } from "zod";
import { recordIdSchema } from "../shared/schemas.ts";

export const SAVED_VIEW_FILTERS_MAX_BYTES = 10 * 1024;

/** Byte size of a value written as JSON, or null when it is not plain JSON. */
function jsonSize(value: unknown): number | null {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? null : new TextEncoder().encode(json).length;
  } catch {
    return null;
  }
}

const columnList = z
  .array(z.string({ error: "Columns are named by text." }).max(40, "Unknown column."), {
    error: "Columns must be a list.",
  })
  .max(30, "At most 30 columns.");

/** What a saved table view restores: search, sort, filters, columns and page size. */
export const savedViewStateSchema = z.strictObject(
  {
    search: z
      .string({ error: "Search must be text." })
      .max(200, "Search must be at most 200 characters.")
      .optional(),
    sort: z
      .strictObject({
        field: z
          .string({ error: "Sort field must be text." })
          .min(1, "Choose a column to sort by.")
          .max(40, "Unknown sort column."),
        direction: z.enum(["asc", "desc"], { error: "Sort direction is asc or desc." }),
      })
      .optional(),
    /** The contacts list's filters, kept as they are: the list checks them when it runs. */
    filters: z
      .record(z.string().max(100, "Filter names are at most 100 characters."), z.unknown(), {
        error: "Filters must be an object.",
      })
      .refine((filters) => Object.keys(filters).length <= 20, "At most 20 filters.")
      .refine((filters) => {
        const size = jsonSize(filters);
        return size !== null && size <= SAVED_VIEW_FILTERS_MAX_BYTES;
      }, "Filters must be plain JSON of at most 10 kB.")
      .optional(),
    columns: z.strictObject({ order: columnList, hidden: columnList }).optional(),
    pageSize: z
      .union([z.literal(10), z.literal(25), z.literal(50), z.literal(100), z.literal(200)], {
        error: "Page size is 10, 25, 50, 100 or 200.",
      })
      .optional(),
  },
  { error: "A view's state must be an object." },
);
export type SavedViewState = z.output<typeof savedViewStateSchema>;

export const savedViewNameSchema = z
  .string({ error: "Name must be text." })
  .trim()
  .min(1, "Name is required.")
  .max(80, "Name must be at most 80 characters.");

export const savedViewCreateSchema = z.strictObject({
  name: savedViewNameSchema,
  state: savedViewStateSchema,
});
export type SavedViewCreateInput = z.input<typeof savedViewCreateSchema>;

/** Renames a view and/or replaces its state. */
export const savedViewUpdateSchema = z
  .strictObject({
    id: recordIdSchema,
    name: savedViewNameSchema.optional(),
    state: savedViewStateSchema.optional(),
  })
  .refine((input) => input.name !== undefined || input.state !== undefined, {
    message: "Nothing to change: give a name or a state.",
  });
export type SavedViewUpdateInput = z.input<typeof savedViewUpdateSchema>;

export const savedViewIdInputSchema = z.strictObject({ id: recordIdSchema });
