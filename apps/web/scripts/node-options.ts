/**
 * V8's young generation for the server. With the default 16 MB semi-space it fills every few
 * dozen pages of the contacts table, and each collection holds up the request in flight by 1 to
 * 3 ms: most of contacts.list's p95 (`npm run bench:contacts` runs with the same flag). 64 MB
 * makes them four times rarer, for at most about 100 MB more memory while the server is busy.
 */
const YOUNG_GENERATION = "--max-semi-space-size=64";

/** The server's NODE_OPTIONS: the user's own, with our young generation unless they set one. */
export function serverNodeOptions(userOptions: string | undefined): string {
  const own = userOptions?.trim() ?? "";
  if (/--max-semi-space-size\b/.test(own)) return own;
  return own ? `${own} ${YOUNG_GENERATION}` : YOUNG_GENERATION;
}
