import { z } from "zod";

/** Inputs of search. Pure zod: safe to import from client components. */

/** What a search result can be. Emails and sessions are synced interactions. */
export const SEARCH_KINDS = ["contact", "note", "email", "session"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_MODES = ["hybrid", "keyword", "meaning"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const SEARCH_QUERY_MAX = 200;

export const searchQuerySchema = z
  .string({ error: "Type something to search for." })
  .max(SEARCH_QUERY_MAX, `A search can be at most ${SEARCH_QUERY_MAX} characters.`)
  .transform((q) => q.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(1, "Type something to search for."));

export const searchInputSchema = z.strictObject({
  query: searchQuerySchema,
  /** Only these kinds of results; all when absent or empty. */
  kinds: z
    .array(z.enum(SEARCH_KINDS, { error: "Unknown kind of result." }), {
      error: "Kinds must be a list.",
    })
    .max(SEARCH_KINDS.length, "Too many kinds.")
    .optional(),
  /** hybrid (both, fused), keyword only, or meaning only. */
  mode: z.enum(SEARCH_MODES, { error: "Mode is hybrid, keyword or meaning." }).default("hybrid"),
  limit: z
    .number({ error: "Limit must be a number." })
    .int("Limit must be a whole number.")
    .min(1, "Limit must be at least 1.")
    .max(50, "At most 50 results.")
    .default(20),
});
export type SearchInput = z.input<typeof searchInputSchema>;
export type ParsedSearchInput = z.output<typeof searchInputSchema>;
