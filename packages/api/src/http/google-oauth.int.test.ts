import { sync } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { resetGoogleEnv, SYNC_SCOPES } from "@omnicrm/google";
import type { LocalGoogle } from "@omnicrm/google-local";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectThroughOAuth, startGoogleForTests, TEST_ORIGIN } from "../testing/local-google.ts";
import type { SessionUser } from "../trpc.ts";
import { googleCallbackResponse, googleConnectResponse } from "./google-oauth.ts";

let testDb: TestDatabase;
let google: LocalGoogle;
let stopGoogle: () => Promise<void>;
let user: SessionUser;
let other: SessionUser;

beforeAll(async () => {
  ({ google, stop: stopGoogle } = await startGoogleForTests());
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "oauth@example.com" } }),
    testDb.db.user.create({ data: { email: "someone-else@example.com" } }),
  ]);
  user = { id: a.id, email: a.email, name: null };
  other = { id: b.id, email: b.email, name: null };
});
afterAll(async () => {
  await stopGoogle();
  await testDb.drop();
});
afterEach(() => {
  google.oauth.setConsent({});
});

const options = () => ({ db: testDb.db, origin: TEST_ORIGIN });
const connect = (query: string, as: SessionUser | null = user) =>
  googleConnectResponse(new Request(`${TEST_ORIGIN}/api/google/connect${query}`), as, options());
const callback = (query: string, as: SessionUser | null = user) =>
  googleCallbackResponse(new Request(`${TEST_ORIGIN}/api/google/callback${query}`), as, options());
const target = (res: Response) => new URL(res.headers.get("location") ?? "about:blank");

/** The sync page's error redirect, checked for a code and a sentence (never a stack). */
function expectError(res: Response, code: string, message: RegExp) {
  expect(res.status).toBe(302);
  const url = target(res);
  expect(url.origin + url.pathname).toBe(`${TEST_ORIGIN}/settings/sync`);
  expect(url.searchParams.get("error")).toBe(code);
  expect(url.searchParams.get("message")).toMatch(message);
  expect(url.searchParams.get("message")).not.toMatch(/\n|\bat \S+:\d+|Error:/);
}

/** Sends the browser to Google and returns where Google sends it back (not followed). */
async function consent(res: Response): Promise<string> {
  const answer = await fetch(target(res), { redirect: "manual" });
  return answer.headers.get("location") ?? "";
}

describe("GET /api/google/connect", () => {
  it("sends a signed-out visitor to sign-in, coming back here after", async () => {
    const res = await connect("?returnTo=%2Fsettings%2Fsync", null);
    expect(res.status).toBe(302);
    const url = target(res);
    expect(url.pathname).toBe("/sign-in");
    expect(url.searchParams.get("callbackUrl")).toBe(
      "/api/google/connect?returnTo=%2Fsettings%2Fsync",
    );
  });

  it("sends the user to Google's consent screen with state, PKCE and the callback", async () => {
    const res = await connect("?returnTo=%2Fsettings%2Fsync");
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const url = target(res);
    expect(url.origin).toBe(google.url);
    expect(url.searchParams.get("redirect_uri")).toBe(`${TEST_ORIGIN}/api/google/callback`);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get("scope")?.split(" ")).toEqual([...SYNC_SCOPES]);
  });

  it("sends the user back to the sync page when Google is not configured", async () => {
    const saved = process.env.GOOGLE_CLIENT_SECRET;
    delete process.env.GOOGLE_CLIENT_SECRET;
    resetGoogleEnv();
    try {
      expectError(await connect(""), "not_configured", /GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
    } finally {
      process.env.GOOGLE_CLIENT_SECRET = saved;
      resetGoogleEnv();
    }
  });
});

describe("GET /api/google/callback", () => {
  it("stores the connection and returns to the page it started from", async () => {
    const flow = await connectThroughOAuth(testDb.db, user, "/settings/sync?tab=gmail");
    expect(flow.callbackResponse.status).toBe(302);
    expect(flow.final).toBe(`${TEST_ORIGIN}/settings/sync?tab=gmail&connected=1`);
    const connection = await sync.getConnectionSummary(testDb.db, { userId: user.id });
    expect(connection).toMatchObject({
      googleEmail: google.accounts.default.email,
      status: "connected",
    });
    // The tokens are sealed, never stored readable.
    const row = await testDb.db.googleConnection.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.tokens).not.toMatch(/local-|ya29/);

    // The same answer again: the state was used once.
    const replay = await googleCallbackResponse(new Request(flow.callback), user, options());
    expectError(replay, "connect_failed", /expired or was already used/);
  });

  it("never redirects outside the app, whatever returnTo says", async () => {
    const flow = await connectThroughOAuth(testDb.db, user, "//evil.example/steal");
    expect(flow.final).toBe(`${TEST_ORIGIN}/settings/sync?connected=1`);
  });

  it("says plainly when the user declines at Google", async () => {
    google.oauth.setConsent({ deny: true });
    const back = await consent(await connect(""));
    expect(new URL(back).searchParams.get("error")).toBe("access_denied");
    expectError(
      await googleCallbackResponse(new Request(back), user, options()),
      "access_denied",
      /^Google access was not granted, so nothing will sync\./,
    );
  });

  it("asks for both boxes when only Gmail was granted", async () => {
    google.oauth.setConsent({ grantScopes: [SYNC_SCOPES[0], "openid", "email"] });
    const back = await consent(await connect(""));
    expectError(
      await googleCallbackResponse(new Request(back), user, options()),
      "connect_failed",
      /read access to both Gmail and Calendar/,
    );
  });

  it("refuses another user's answer", async () => {
    const back = await consent(await connect("", user));
    const res = await googleCallbackResponse(new Request(back), other, options());
    expectError(res, "connect_failed", /expired or was already used/);
    expect(await sync.getConnectionSummary(testDb.db, { userId: other.id })).toBeNull();
  });

  it("refuses an answer without a state, and a signed-out one", async () => {
    expectError(await callback("?code=abc"), "invalid_request", /incomplete/);
    expectError(await callback("?error=access_denied"), "access_denied", /not granted/);
    const signedOut = await callback("?state=x&code=y", null);
    expect(signedOut.status).toBe(302);
    const url = target(signedOut);
    expect(url.pathname).toBe("/sign-in");
    expect(url.searchParams.get("callbackUrl")).toMatch(/^\/settings\/sync\?error=signed_out/);
  });
});
