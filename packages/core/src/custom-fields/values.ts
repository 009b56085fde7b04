import type { CustomFieldType } from "./schemas.ts";
import { CUSTOM_NUMBER_LIMIT, CUSTOM_TEXT_MAX_LENGTH } from "./schemas.ts";

/** A custom-field value as its column stores it. */
export type StoredFieldValue =
  { textValue: string } | { numberValue: number } | { dateValue: Date };

export type FieldValueCheck =
  | { ok: true; stored: StoredFieldValue }
  | {
      ok: false;
      /** e.g. "must be a number": the caller words the sentence around it. */ problem: string;
    };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * Checks a (non-blank) value against its field's type: the one rule the contact page and the
 * CSV import share. Select options match exactly, or ignoring case when `anyCase` is set (a
 * spreadsheet's "strength" is the option "Strength").
 */
export function checkFieldValue(
  field: { type: CustomFieldType; options: readonly string[] },
  raw: string | number,
  options: { anyCase?: boolean } = {},
): FieldValueCheck {
  const text = typeof raw === "string" ? raw.trim() : null;
  switch (field.type) {
    case "text":
      if (text === null) return { ok: false, problem: "must be text" };
      return Array.from(text).length > CUSTOM_TEXT_MAX_LENGTH
        ? { ok: false, problem: "must be at most 2,000 characters" }
        : { ok: true, stored: { textValue: text } };
    case "number": {
      const number = typeof raw === "number" ? raw : NUMBER.test(text!) ? Number(text) : NaN;
      if (!Number.isFinite(number)) return { ok: false, problem: "must be a number" };
      // The column keeps 6 decimals: what matters is the number once rounded to them.
      if (Math.abs(Number(number.toFixed(6))) >= CUSTOM_NUMBER_LIMIT) {
        return {
          ok: false,
          problem: "must be between -99,999,999,999,999 and 99,999,999,999,999",
        };
      }
      return { ok: true, stored: { numberValue: number } };
    }
    case "date": {
      const match = text === null ? null : DATE.exec(text);
      if (match) {
        const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
        const date = new Date(Date.UTC(year, month - 1, day));
        date.setUTCFullYear(year);
        if (
          year >= 1 &&
          date.getUTCFullYear() === year &&
          date.getUTCMonth() === month - 1 &&
          date.getUTCDate() === day
        ) {
          return { ok: true, stored: { dateValue: date } };
        }
      }
      return { ok: false, problem: "must be a date written YYYY-MM-DD" };
    }
    case "select": {
      const option =
        text === null
          ? undefined
          : field.options.find((o) =>
              options.anyCase ? o.toLowerCase() === text.toLowerCase() : o === text,
            );
      return option === undefined
        ? { ok: false, problem: "must be one of the field's options" }
        : { ok: true, stored: { textValue: option } };
    }
  }
}
