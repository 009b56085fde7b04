import { randomBytes } from "node:crypto";
import type { Db } from "@omnicrm/db";
import { resetGoogleEnv } from "@omnicrm/google";
import { startLocalGoogle, type LocalGoogle, type LocalGoogleOptions } from "@omnicrm/google-local";
import { googleCallbackResponse, googleConnectResponse } from "../http/google-oauth.ts";
import type { SessionUser } from "../trpc.ts";

/** The app's origin in tests: what the redirect URI is built from. */
export const TEST_ORIGIN = "http://localhost:3100";

const GOOGLE_ENV = [
  "OMNICRM_ENCRYPTION_KEY",
  "GOOGLE_CLIENT_ID",
  "GOOGLE_CLIENT_SECRET",
  "GOOGLE_OAUTH_AUTH_URL",
  "GOOGLE_OAUTH_TOKEN_URL",
  "GOOGLE_OAUTH_REVOKE_URL",
  "GOOGLE_USERINFO_URL",
  "GOOGLE_API_ROOT",
] as const;

/**
 * Starts a local Google and points packages/google at it (a fresh encryption key, the local
 * OAuth client and endpoints). `stop` closes it and restores the environment.
 */
export async function startGoogleForTests(
  options: LocalGoogleOptions = {},
): Promise<{ google: LocalGoogle; stop: () => Promise<void> }> {
  const google = await startLocalGoogle({
    port: 0,
    messages: 60,
    events: 20,
    ...options,
    oauth: { redirectUris: [`${TEST_ORIGIN}/api/google/callback`], ...options.oauth },
  });
  const saved = Object.fromEntries(GOOGLE_ENV.map((key) => [key, process.env[key]]));
  Object.assign(process.env, {
    OMNICRM_ENCRYPTION_KEY: `k1:${randomBytes(32).toString("base64")}`,
    GOOGLE_CLIENT_ID: google.oauth.clientId,
    GOOGLE_CLIENT_SECRET: google.oauth.clientSecret,
    GOOGLE_OAUTH_AUTH_URL: google.oauth.authUrl,
    GOOGLE_OAUTH_TOKEN_URL: google.oauth.tokenUrl,
    GOOGLE_OAUTH_REVOKE_URL: google.oauth.revokeUrl,
    GOOGLE_USERINFO_URL: google.oauth.userinfoUrl,
    GOOGLE_API_ROOT: `${google.url}/`,
  });
  resetGoogleEnv();
  return {
    google,
    stop: async () => {
      await google.close();
      for (const key of GOOGLE_ENV) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      resetGoogleEnv();
    },
  };
}

const location = (res: Response) => res.headers.get("location") ?? "";

/**
 * "Connect Google" as the browser does it: the connect route, the local consent screen (it
 * approves, or denies when told to), then the callback. Returns every redirect's target.
 */
export async function connectThroughOAuth(
  db: Db,
  user: SessionUser,
  returnTo = "/settings/sync",
): Promise<{ consent: string; callback: string; final: string; callbackResponse: Response }> {
  const start = await googleConnectResponse(
    new Request(`${TEST_ORIGIN}/api/google/connect?returnTo=${encodeURIComponent(returnTo)}`),
    user,
    { db, origin: TEST_ORIGIN },
  );
  const consent = location(start);
  if (start.status !== 302 || !consent.startsWith("http://127.0.0.1")) {
    throw new Error(`connect did not redirect to Google: ${start.status} ${consent}`);
  }
  const answer = await fetch(consent, { redirect: "manual" });
  const callback = location(answer);
  if (!callback.startsWith(`${TEST_ORIGIN}/api/google/callback`)) {
    throw new Error(`Google did not redirect back: ${answer.status} ${await answer.text()}`);
  }
  const callbackResponse = await googleCallbackResponse(new Request(callback), user, {
    db,
    origin: TEST_ORIGIN,
  });
  return { consent, callback, final: location(callbackResponse), callbackResponse };
}
