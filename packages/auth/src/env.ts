import { createEnv } from "@t3-oss/env-core";
import { throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

export const authEnv = createEnv({
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
  // Checked when first used, so `next build` needs no secrets.
  skipValidation: process.env.OMNICRM_SKIP_ENV_VALIDATION === "1",
});

export function googleSignInEnabled(): boolean {
  return Boolean(authEnv.GOOGLE_CLIENT_ID && authEnv.GOOGLE_CLIENT_SECRET);
}
