import type { Db } from "@omnicrm/db";
import { localGoogleEnv, overrideGoogleEnv } from "@omnicrm/google";
import { startLocalGoogle, type LocalGoogle, type LocalGoogleOptions } from "@omnicrm/google-local";
import { googleCallbackResponse, googleConnectResponse } from "../http/google-oauth.ts";
import type { SessionUser } from "../trpc.ts";

/** The app's origin in tests: what the redirect URI is built from. */
export const TEST_ORIGIN = "http://localhost:3100";

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
  const restore = overrideGoogleEnv(
    localGoogleEnv({ oauth: google.oauth, apiRoot: `${google.url}/` }),
  );
  return {
    google,
    stop: async () => {
      await google.close();
      restore();
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
