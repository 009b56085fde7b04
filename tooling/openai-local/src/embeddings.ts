/**
 * Deterministic text embeddings: a signed, hashed bag of word and character-trigram features,
 * L2-normalized. Texts sharing words or word pieces ("knees" / "knee", "running" / "runner")
 * get a high cosine similarity; unrelated texts are near 0. Not a language model, but enough
 * to make semantic-search tests meaningful.
 */
const STOPWORDS = new Set(
  (
    "a an and are as at be by for from has have he her his i in is it its me my of on or our " +
    "she that the their them they this to was we were will with you your after before about " +
    "into over under than then so but not no do does did"
  ).split(" "),
);

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A light stemmer so inflections share a word feature. */
function stem(word: string): string {
  let w = word;
  for (const suffix of ["ing", "ers", "er", "ed", "es", "s", "ly"]) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // runn -> run, stopp -> stop
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2]) w = w.slice(0, -1);
  return w;
}

export function features(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, weight: number): void => {
    out.set(key, (out.get(key) ?? 0) + weight);
  };
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    if (STOPWORDS.has(word)) continue;
    const stemmed = stem(word);
    add(`w:${stemmed}`, 1);
    const padded = ` ${stemmed} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.4);
  }
  return out;
}

/** An L2-normalized embedding of `dimensions` numbers; the same text always gives the same vector. */
export function embedText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [key, weight] of features(text)) {
    const h = fnv1a(key);
    const sign = fnv1a(key, 0x9747b28c) & 1 ? 1 : -1;
    vector[h % dimensions] = (vector[h % dimensions] ?? 0) + sign * weight;
  }
  let norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0));
  if (norm === 0) {
    // no features (empty or only stopwords): a fixed unit vector
    vector[fnv1a(text) % dimensions] = 1;
    norm = 1;
  }
  return vector.map((v) => v / norm);
}

/** Cosine similarity of two vectors of equal length. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Float32 little-endian, base64 — OpenAI's `encoding_format: "base64"`. */
export function toBase64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}
