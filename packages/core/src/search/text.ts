/**
 * The keyword side of search, in PostgreSQL full-text terms: every word of the query must be
 * found (English stemming, so "runs" finds "running"), and the last word is also a prefix while
 * it is being typed ("kne" finds "knee").
 */
export interface KeywordQuery {
  /** For plainto_tsquery: every complete word. */
  words: string;
  /** For to_tsquery: the last word as a prefix (`word:*`), or "" when it is complete. */
  prefix: string;
}

const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

export function keywordQuery(query: string): KeywordQuery | null {
  const trimmed = query.trim();
  if (!trimmed) return null;
  const parts = trimmed.split(/\s+/).slice(0, 16);
  const typing = !/\s$/.test(query);
  const last = parts.at(-1)!;
  // Only a plain word can be a prefix; anything else (an email address, "10k") is matched whole.
  if (typing && PLAIN_WORD.test(last) && last.length >= 2) {
    return { words: parts.slice(0, -1).join(" "), prefix: `${last.toLowerCase()}:*` };
  }
  return { words: parts.join(" "), prefix: "" };
}

/** Splits a ts_headline snippet into plain and highlighted parts. */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

export interface SnippetPart {
  text: string;
  highlight: boolean;
}

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [index, piece] of snippet
    .split(new RegExp(`[${HIGHLIGHT_START}${HIGHLIGHT_END}]`))
    .entries()) {
    if (piece) parts.push({ text: piece, highlight: index % 2 === 1 });
  }
  return parts;
}
