/** Cuts `text` to at most `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/** The first non-blank line of a text, trimmed and cut to `max` characters. */
export function firstLine(text: string, max: number): string {
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== "") ?? "";
  return truncate(line.trim(), max);
}

const EXTRA_LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
};

/**
 * The slug of a label: lower-case ASCII letters and digits joined by "_", accents removed
 * ("Date of birth" -> "date_of_birth", "Élan vital" -> "elan_vital"). Empty when the label has
 * no such character.
 */
export function slugify(label: string, maxLength: number): string {
  return label
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (c) => EXTRA_LETTERS[c] ?? c)
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, maxLength)
    .replace(/_+$/g, "");
}

/** Whether two names are the same for a person: case and Unicode form do not count. */
export function sameName(a: string, b: string): boolean {
  return a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** Orders names the way people read them: case- and accent-insensitive, "2" before "10". */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}
