import { createEnv } from "@t3-oss/env-core";
import { throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

function readAuthEnv() {
  return createEnv({
    server: {
      NEXTAUTH_SECRET: z
        .string()
        .min(32, "must be at least 32 characters (the launcher generates one)"),
      NEXTAUTH_URL: z.url().optional(),
      GOOGLE_CLIENT_ID: z.string().min(1).optional(),
      GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    },
    runtimeEnv: process.env,
    emptyStringAsUndefined: true,
    onValidationError: throwInvalidEnv,
  });
}

let cached: ReturnType<typeof readAuthEnv> | undefined;

/** Validated on first use, so importing this package (e.g. during `next build`) needs no secrets. */
export function authEnv(): ReturnType<typeof readAuthEnv> {
  cached ??= readAuthEnv();
  return cached;
}

export function googleSignInEnabled(): boolean {
  const env = authEnv();
  return Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
}

/** Limits that operators may tune; none is secret, so they are read on their own. */
export function rateLimitEnv(): { signUpsPerHour: number } {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(10)
    .safeParse(process.env.OMNICRM_SIGNUPS_PER_HOUR || undefined);
  if (!parsed.success) {
    throwInvalidEnv([
      { message: "must be a whole number from 1 to 100000", path: ["OMNICRM_SIGNUPS_PER_HOUR"] },
    ]);
  }
  return { signUpsPerHour: parsed.data };
}
