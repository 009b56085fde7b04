import { createEnv } from "@t3-oss/env-core";
import { throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

export const apiEnv = createEnv({
  server: {
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  onValidationError: throwInvalidEnv,
});

/**
 * Settings read on each use (tests change them between cases): where Inngest is (its own
 * variables, as the Inngest client reads them) and the app's public URL (NEXTAUTH_URL, from
 * which the Google redirect URI is built). Blank means unset.
 */
export function runtimeEnv(): {
  INNGEST_DEV?: string;
  INNGEST_BASE_URL?: string;
  INNGEST_EVENT_KEY?: string;
  NEXTAUTH_URL?: string;
} {
  const read = (key: string) => process.env[key]?.trim() || undefined;
  return {
    INNGEST_DEV: read("INNGEST_DEV"),
    INNGEST_BASE_URL: read("INNGEST_BASE_URL"),
    INNGEST_EVENT_KEY: read("INNGEST_EVENT_KEY"),
    NEXTAUTH_URL: read("NEXTAUTH_URL"),
  };
}
