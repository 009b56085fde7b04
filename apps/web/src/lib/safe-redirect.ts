/**
 * A post-sign-in destination that stays on this site: relative paths as they are, absolute
 * URLs only when they point at this origin; anything else goes home.
 */
export function safeRedirectPath(target: string | null | undefined, origin?: string): string {
  if (!target) return "/";
  if (target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\"))
    return target;
  try {
    const url = new URL(target);
    if (origin && url.origin === origin) return `${url.pathname}${url.search}${url.hash}` || "/";
  } catch {
    // not a URL
  }
  return "/";
}
