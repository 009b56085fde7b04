import { createEnv } from "@t3-oss/env-core";
import { randomBytes } from "node:crypto";
import { overrideEnv, throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

/** "keyId:base64key" with a 32-byte key: an AES-256 key and the id it is known by. */
const keySpec = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9+/=_-]+$/, "must look like keyId:base64key")
  .refine(
    (value) => Buffer.from(value.slice(value.indexOf(":") + 1), "base64").length === 32,
    "the key must be 32 bytes (44 base64 characters)",
  );

function readGoogleEnv() {
  return createEnv({
    server: {
      /** The key that seals tokens now. */
      OMNICRM_ENCRYPTION_KEY: keySpec,
      /** Older keys, comma-separated, still able to open what they sealed (key rotation). */
      OMNICRM_PREVIOUS_ENCRYPTION_KEYS: z
        .string()
        .optional()
        .transform((value) =>
          (value ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        )
        .pipe(z.array(keySpec)),
      GOOGLE_CLIENT_ID: z.string().min(1).optional(),
      GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
      /** Google's endpoints: point them at a local server for tests and demos. */
      GOOGLE_OAUTH_AUTH_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
      GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
      GOOGLE_OAUTH_REVOKE_URL: z.url().default("https://oauth2.googleapis.com/revoke"),
      GOOGLE_USERINFO_URL: z.url().default("https://openidconnect.googleapis.com/v1/userinfo"),
      /** One root for both APIs (a local server); unset: Google's own roots. */
      GOOGLE_API_ROOT: z.url().optional(),
      /** Gmail's per-user quota in units per minute (6,000 for projects created since May 2026). */
      GOOGLE_GMAIL_UNITS_PER_MINUTE: z.coerce.number().int().min(10).max(1_000_000).default(6000),
      /** Calendar's per-user quota in requests per minute. */
      GOOGLE_CALENDAR_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
      /** How long a Google call may take before it is abandoned and retried. */
      GOOGLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    },
    runtimeEnv: process.env,
    emptyStringAsUndefined: true,
    onValidationError: throwInvalidEnv,
  });
}

let cached: ReturnType<typeof readGoogleEnv> | undefined;

/** Validated on first use, so importing this package needs no secrets. */
export function googleEnv(): ReturnType<typeof readGoogleEnv> {
  cached ??= readGoogleEnv();
  return cached;
}

/** Tests change the environment between cases. */
export function resetGoogleEnv(): void {
  cached = undefined;
}

/** Whether Google sync can be offered: an OAuth client is configured. */
export function googleSyncConfigured(): boolean {
  const env = googleEnv();
  return Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
}

/**
 * Overrides Google settings (tests, benchmarks, demos) until the returned function restores
 * them; the settings are read again either way.
 */
export function overrideGoogleEnv(values: Record<string, string | undefined>): () => void {
  const restore = overrideEnv(values);
  resetGoogleEnv();
  return () => {
    restore();
    resetGoogleEnv();
  };
}

/** What a local Google serves at, as the client id, secret and endpoints of this package. */
export interface LocalGoogleEndpoints {
  oauth: {
    clientId: string;
    clientSecret: string;
    authUrl: string;
    tokenUrl: string;
    revokeUrl: string;
    userinfoUrl: string;
  };
  /** The root both APIs are served under. */
  apiRoot: string;
}

/** The settings that point this package at a local Google, with a fresh encryption key. */
export function localGoogleEnv(local: LocalGoogleEndpoints): Record<string, string> {
  return {
    OMNICRM_ENCRYPTION_KEY: `local:${randomBytes(32).toString("base64")}`,
    OMNICRM_PREVIOUS_ENCRYPTION_KEYS: "",
    GOOGLE_CLIENT_ID: local.oauth.clientId,
    GOOGLE_CLIENT_SECRET: local.oauth.clientSecret,
    GOOGLE_OAUTH_AUTH_URL: local.oauth.authUrl,
    GOOGLE_OAUTH_TOKEN_URL: local.oauth.tokenUrl,
    GOOGLE_OAUTH_REVOKE_URL: local.oauth.revokeUrl,
    GOOGLE_USERINFO_URL: local.oauth.userinfoUrl,
    GOOGLE_API_ROOT: local.apiRoot,
  };
}
