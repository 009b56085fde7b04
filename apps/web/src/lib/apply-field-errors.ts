import type { FieldValues, Path, UseFormReturn } from "react-hook-form";

/** Puts the server's field errors next to the matching inputs; returns whether any matched. */
export function applyFieldErrors<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  fieldErrors: Record<string, string[]>,
  fields: readonly Path<T>[],
  prefix = "",
): boolean {
  let matched = false;
  for (const field of fields) {
    const message = fieldErrors[`${prefix}${field}`]?.[0];
    if (message) {
      form.setError(field, { type: "server", message }, { shouldFocus: !matched });
      matched = true;
    }
  }
  return matched;
}
