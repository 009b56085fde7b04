/**
 * A simple deterministic tokenizer: a token is a run of letters/digits or one other
 * non-space character, with the whitespace before it. Joining the tokens gives back the text.
 */
const TOKEN = /\s*(?:[\p{L}\p{N}]+|[^\s\p{L}\p{N}])|\s+$/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The number of tokens in `text` (words, numbers and punctuation marks). */
export function countTokens(text: string): number {
  let n = 0;
  for (const token of tokenize(text)) if (token.trim() !== "") n += 1;
  return n;
}

/**
 * Splits text into `parts` deltas of whole tokens (about equal in tokens); by default one
 * delta per token. Never returns an empty array for non-empty text; "" gives [].
 */
export function splitDeltas(text: string, parts?: number): string[] {
  if (text === "") return [];
  const tokens = tokenize(text);
  if (tokens.join("") !== text) return [text];
  const n = Math.max(1, Math.min(parts ?? tokens.length, tokens.length));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * tokens.length) / n);
    const to = Math.floor(((i + 1) * tokens.length) / n);
    out.push(tokens.slice(from, to).join(""));
  }
  return out;
}

/** Splits a string into `parts` pieces of about equal length (for tool-call argument deltas). */
export function splitEven(text: string, parts: number): string[] {
  if (text === "") return [""];
  const n = Math.max(1, Math.min(parts, text.length));
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)),
    );
  return out;
}
