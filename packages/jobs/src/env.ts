import { throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

const schema = z.object({
  /** How often each approved channel syncs on its own. */
  OMNICRM_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Set by Inngest's tooling: the Dev Server (INNGEST_DEV=1 or a URL) or Inngest Cloud keys. */
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_BASE_URL: z.url().optional(),
});

let cached: z.infer<typeof schema> | undefined;

export function jobsEnv(): z.infer<typeof schema> {
  if (!cached) {
    const parsed = schema.safeParse({
      OMNICRM_SYNC_INTERVAL_MINUTES: process.env.OMNICRM_SYNC_INTERVAL_MINUTES || undefined,
      INNGEST_DEV: process.env.INNGEST_DEV || undefined,
      INNGEST_EVENT_KEY: process.env.INNGEST_EVENT_KEY || undefined,
      INNGEST_SIGNING_KEY: process.env.INNGEST_SIGNING_KEY || undefined,
      INNGEST_BASE_URL: process.env.INNGEST_BASE_URL || undefined,
    });
    if (!parsed.success) throwInvalidEnv(parsed.error.issues);
    cached = parsed.data;
  }
  return cached;
}
