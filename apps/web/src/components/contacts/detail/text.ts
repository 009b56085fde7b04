/** Only these links are followed; anything else (javascript:, data:, relative…) is plain text. */
const SAFE_URL = /^(https?:\/\/|mailto:|tel:)/i;

/** The URL when a note may link to it, otherwise null. */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

/**
 * A note's entry holds the first line of its Markdown; shown as the text it reads as
 * ("## **Plan**" → "Plan"). It is rendered as text either way, never as HTML.
 */
export function plainSummary(kind: string, summary: string): string {
  if (kind !== "note.added") return summary;
  const plain = summary
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, "$1")
    .replace(/(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)/g, "$1")
    .replace(/\*(?=\S)(.+?)(?<=\S)\*/g, "$1")
    .replace(/(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, "$1")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .trim();
  return plain || summary;
}
