import { createHash } from "node:crypto";
import { slugify } from "./text.ts";

/**
 * The stable key of a user-defined stage or field, derived from its label once, at creation.
 * A label without any Latin letter or digit ("日本語", "🌿") gets `<prefix>_<hash>`, the same
 * for the same label, so a duplicate still collides.
 */
export function deriveKey(label: string, maxLength: number, prefix: string): string {
  const slug = slugify(label, maxLength);
  if (slug !== "") return slug;
  const digest = createHash("sha256").update(label.trim().toLowerCase()).digest("hex");
  return `${prefix}_${digest.slice(0, 10)}`;
}
