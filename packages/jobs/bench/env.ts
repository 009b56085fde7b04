import { throwInvalidEnv } from "@omnicrm/db";
import { localGoogleEnv, overrideGoogleEnv } from "@omnicrm/google";
import type { LocalGoogle } from "@omnicrm/google-local";
import { z } from "zod";

const parsed = z
  .object({
    /** About how many messages the synced label holds. */
    BENCH_MESSAGES: z.coerce.number().int().min(100).max(100_000).default(10_000),
    /** Gmail's per-user quota in units a minute, enforced by the local Google and paced to. */
    BENCH_GMAIL_QUOTA: z.coerce.number().int().min(60).max(1_000_000).default(6_000),
  })
  .safeParse({
    BENCH_MESSAGES: process.env.BENCH_MESSAGES || undefined,
    BENCH_GMAIL_QUOTA: process.env.BENCH_GMAIL_QUOTA || undefined,
  });
if (!parsed.success) throwInvalidEnv(parsed.error.issues);

export const benchEnv = parsed.data;

/** Points packages/google at the local Google, with a fresh encryption key. */
export function useLocalGoogle(google: LocalGoogle): void {
  overrideGoogleEnv(localGoogleEnv({ oauth: google.oauth, apiRoot: google.gmailRootUrl }));
}
