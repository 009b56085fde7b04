import {
  CodeChallengeMethod,
  type Credentials,
  type GenerateAuthUrlOpts,
} from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createManualClock } from "./clock.ts";
import { SCOPES } from "./oauth.ts";
import { startLocalGoogle, type LocalGoogle } from "./server.ts";
import {
  errorBody,
  gaxiosError,
  gmailClient,
  calendarClient,
  oauthClient,
  REDIRECT_URI,
} from "./test-support.ts";

const SCOPE_LIST = [SCOPES.gmailReadonly, SCOPES.calendarReadonly, "openid", "email", "profile"];

/** Runs the browser part: follow the auth URL, return the redirect's query. */
async function authorize(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = res.headers.get("location") ?? "";
  expect(location.startsWith(REDIRECT_URI)).toBe(true);
  return new URL(location).searchParams;
}

describe("OAuth", () => {
  let google: LocalGoogle;

  beforeAll(async () => {
    google = await startLocalGoogle({
      messages: 20,
      events: 5,
      accounts: [
        { email: "maya@serenity-wellness.example", name: "Maya Rivers" },
        { email: "sam@serenity-wellness.example" },
      ],
    });
  });
  afterAll(() => google.close());

  it("runs the code flow with PKCE through OAuth2Client and verifies the id token", async () => {
    const client = oauthClient(google);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: "offline",
      scope: SCOPE_LIST,
      state: "csrf-123",
      prompt: "consent",
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    expect(url.startsWith(google.oauth.authUrl)).toBe(true);
    const query = await authorize(url);
    expect(query.get("state")).toBe("csrf-123");
    const code = query.get("code") ?? "";
    expect(code).not.toBe("");

    const onTokens = vi.fn();
    client.on("tokens", onTokens);
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.expiry_date).toBeGreaterThan(Date.now());
    expect(tokens.scope?.split(" ")).toEqual(
      expect.arrayContaining([SCOPES.gmailReadonly, SCOPES.email]),
    );
    expect(onTokens).toHaveBeenCalledOnce();

    const ticket = await client.verifyIdToken({
      idToken: tokens.id_token ?? "",
      audience: google.oauth.clientId,
    });
    expect(ticket.getPayload()?.email).toBe("maya@serenity-wellness.example");

    client.setCredentials(tokens);
    const userinfo = await client.request<{ email: string; name: string }>({
      url: google.oauth.userinfoUrl,
    });
    expect(userinfo.data).toMatchObject({
      email: "maya@serenity-wellness.example",
      name: "Maya Rivers",
    });

    // codes are single use
    const reused = await gaxiosError(client.getToken({ code, codeVerifier }));
    expect(reused.status).toBe(400);
    expect(reused.response?.data).toMatchObject({ error: "invalid_grant" });
  });

  it("rejects a wrong code_verifier and a missing one", async () => {
    const client = oauthClient(google);
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const other = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: "offline",
      scope: SCOPE_LIST,
      state: "s",
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const code = (await authorize(url)).get("code") ?? "";
    const wrong = await gaxiosError(client.getToken({ code, codeVerifier: other.codeVerifier }));
    expect(wrong.response?.data).toEqual({
      error: "invalid_grant",
      error_description: "Invalid code verifier.",
    });
    const missing = await gaxiosError(client.getToken({ code }));
    expect(missing.response?.data).toEqual({
      error: "invalid_grant",
      error_description: "Missing code verifier.",
    });
  });

  it("validates the authorization request", async () => {
    const client = oauthClient(google);
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const base = {
      access_type: "offline",
      scope: SCOPE_LIST,
      state: "s",
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    };
    const status = async (opts: GenerateAuthUrlOpts) => {
      const res = await fetch(client.generateAuthUrl(opts), { redirect: "manual" });
      return { status: res.status, body: (await res.json()) as { error: string } };
    };
    expect(await status({ ...base, client_id: "someone-else" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(
      await status({ ...base, code_challenge: undefined, code_challenge_method: undefined }),
    ).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(
      await status({ ...base, code_challenge_method: CodeChallengeMethod.Plain }),
    ).toMatchObject({ status: 400 });
    expect(await status({ ...base, access_type: "online" })).toMatchObject({ status: 400 });
    expect(await status({ ...base, state: undefined })).toMatchObject({ status: 400 });
    expect(
      await status({ ...base, scope: ["https://www.googleapis.com/auth/not-a-scope"] }),
    ).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await status({ ...base, response_type: "token" })).toMatchObject({
      status: 400,
      body: { error: "unsupported_response_type" },
    });
  });

  it("sends the user back with error=access_denied when they decline", async () => {
    google.oauth.setConsent({ deny: true });
    try {
      const client = oauthClient(google);
      const { codeChallenge } = await client.generateCodeVerifierAsync();
      const query = await authorize(
        client.generateAuthUrl({
          access_type: "offline",
          scope: SCOPE_LIST,
          state: "st",
          code_challenge: codeChallenge,
          code_challenge_method: CodeChallengeMethod.S256,
        }),
      );
      expect(query.get("error")).toBe("access_denied");
      expect(query.get("state")).toBe("st");
      expect(query.get("code")).toBeNull();
    } finally {
      google.oauth.setConsent({});
    }
  });

  it("signs in as the configured account and honours partial consent", async () => {
    google.oauth.setConsent({
      loginAs: "sam@serenity-wellness.example",
      grantScopes: [SCOPES.gmailReadonly, "email"],
    });
    try {
      const client = oauthClient(google);
      const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
      const code =
        (
          await authorize(
            client.generateAuthUrl({
              access_type: "offline",
              scope: SCOPE_LIST,
              state: "s",
              code_challenge: codeChallenge,
              code_challenge_method: CodeChallengeMethod.S256,
            }),
          )
        ).get("code") ?? "";
      const { tokens } = await client.getToken({ code, codeVerifier });
      expect(tokens.scope).not.toContain("calendar");
      client.setCredentials(tokens);
      const profile = await gmailClient(google, { auth: client }).users.getProfile({
        userId: "me",
      });
      expect(profile.data.emailAddress).toBe("sam@serenity-wellness.example");
      const denied = await gaxiosError(
        calendarClient(google, { auth: client }).calendarList.list(),
      );
      expect(denied.status).toBe(403);
      expect(errorBody(denied).errors[0]?.reason).toBe("insufficientPermissions");
    } finally {
      google.oauth.setConsent({});
    }
  });

  it("refreshes an expired access token on an API call and fires the tokens event", async () => {
    const issued = google.oauth.issueTokens();
    const client = oauthClient(google, {
      refresh_token: issued.refresh_token ?? null,
      access_token: "stale",
      expiry_date: Date.now() - 1000,
    });
    const onTokens = vi.fn();
    client.on("tokens", onTokens);
    const profile = await gmailClient(google, { auth: client }).users.getProfile({ userId: "me" });
    expect(profile.data.emailAddress).toBe("maya@serenity-wellness.example");
    expect(onTokens).toHaveBeenCalledOnce();
    const refreshed = onTokens.mock.calls[0]?.[0] as { access_token: string; expiry_date: number };
    expect(refreshed.access_token).toMatch(/^ya29\./);
    expect(refreshed.expiry_date).toBeGreaterThan(Date.now());
    expect(client.credentials.access_token).toBe(refreshed.access_token);
  });

  it("answers invalid_grant once the grant is revoked", async () => {
    const issued = google.oauth.issueTokens("sam@serenity-wellness.example");
    const client = oauthClient(google, { refresh_token: issued.refresh_token ?? null });
    await client.refreshAccessToken();
    google.oauth.revokeAll("sam@serenity-wellness.example");
    const error = await gaxiosError(client.refreshAccessToken());
    expect(error.status).toBe(400);
    expect(error.response?.data).toEqual({
      error: "invalid_grant",
      error_description: "Token has been expired or revoked.",
    });
  });

  it("revokes tokens through /revoke", async () => {
    const issued = google.oauth.issueTokens();
    const client = oauthClient(google, { access_token: issued.access_token });
    await client.revokeToken(issued.access_token);
    const error = await gaxiosError(
      gmailClient(google, { auth: client }).users.getProfile({ userId: "me" }),
    );
    expect(error.status).toBe(401);
  });

  it("rotates refresh tokens when configured", async () => {
    google.oauth.configure({ rotateRefreshTokens: true });
    try {
      const issued = google.oauth.issueTokens();
      const client = oauthClient(google, { refresh_token: issued.refresh_token ?? null });
      const onTokens = vi.fn();
      client.on("tokens", (t: Credentials) => {
        onTokens(t.refresh_token);
      });
      await client.refreshAccessToken();
      const rotated = onTokens.mock.calls[0]?.[0] as string;
      expect(rotated).toBeTruthy();
      expect(rotated).not.toBe(issued.refresh_token);
      const old = await gaxiosError(
        oauthClient(google, { refresh_token: issued.refresh_token ?? null }).refreshAccessToken(),
      );
      expect(old.response?.data).toMatchObject({ error: "invalid_grant" });
    } finally {
      google.oauth.configure({ rotateRefreshTokens: false });
    }
  });
});

describe("OAuth with an injected clock", () => {
  it("answers 401 like Google once an access token has expired", async () => {
    const clock = createManualClock();
    await using google = await startLocalGoogle({
      clock,
      messages: 5,
      events: 2,
      oauth: { accessTokenTtlSeconds: 600 },
    });
    const { access_token } = google.oauth.issueTokens();
    const api = gmailClient(google, { auth: oauthClient(google, { access_token }) });
    await api.users.getProfile({ userId: "me" });
    clock.advance(600_000);
    const error = await gaxiosError(api.users.getProfile({ userId: "me" }));
    expect(error.status).toBe(401);
    expect(error.response?.headers.get("www-authenticate")).toContain("invalid_token");
    expect(errorBody(error)).toMatchObject({
      code: 401,
      status: "UNAUTHENTICATED",
      errors: [{ reason: "authError", domain: "global" }],
    });

    const missing = await fetch(`${google.url}/gmail/v1/users/me/profile`);
    expect(missing.status).toBe(401);
    expect(
      ((await missing.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]
        ?.reason,
    ).toBe("required");
  });
});
