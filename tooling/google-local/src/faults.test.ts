import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalGoogle, type LocalGoogle } from "./server.ts";
import {
  calendarClient,
  errorBody,
  gaxiosError,
  gmailClient,
  oauthClient,
} from "./test-support.ts";

describe("fault injection", () => {
  let google: LocalGoogle;
  let messageId: string;

  beforeAll(async () => {
    google = await startLocalGoogle({
      messages: 20,
      events: 5,
      accounts: [
        { email: "maya@serenity-wellness.example" },
        { email: "sam@serenity-wellness.example" },
      ],
    });
    messageId = google.mailbox().list()[0]?.id ?? "";
  });
  afterAll(() => google.close());
  beforeEach(() => {
    google.faults.clear();
    google.stats.reset();
  });

  it("fails the next N calls to an endpoint, then recovers", async () => {
    const api = gmailClient(google);
    google.faults.script("gmail.messages.get", { type: "error", status: 503 }, 2);
    const first = await gaxiosError(api.users.messages.get({ userId: "me", id: messageId }));
    expect(first.status).toBe(503);
    expect(errorBody(first)).toMatchObject({
      code: 503,
      status: "UNAVAILABLE",
      errors: [{ reason: "backendError" }],
    });
    expect((await api.users.getProfile({ userId: "me" })).status).toBe(200); // other endpoints unaffected
    expect(
      (await gaxiosError(api.users.messages.get({ userId: "me", id: messageId }))).status,
    ).toBe(503);
    expect((await api.users.messages.get({ userId: "me", id: messageId })).status).toBe(200);
    expect(google.faults.rules()).toEqual([]);
    expect(google.stats.snapshot().responses["gmail.messages.get"]).toEqual({ 200: 1, 503: 2 });
  });

  it("lets the client's own retries ride through a transient 5xx", async () => {
    const api = gmailClient(google, { retry: true });
    google.faults.script("gmail.messages.list", { type: "error", status: 500 }, 1);
    expect((await api.users.messages.list({ userId: "me" })).status).toBe(200);
    expect(google.stats.snapshot().responses["gmail.messages.list"]).toEqual({ 200: 1, 500: 1 });
  });

  it("is deterministic for a seed", async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      await using g = await startLocalGoogle({
        messages: 5,
        events: 1,
        faults: {
          seed,
          rules: [{ endpoint: "gmail.*", probability: 0.3, fault: { type: "error", status: 503 } }],
        },
      });
      const api = gmailClient(g);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push(
          await api.users.getProfile({ userId: "me" }).then(
            (r) => r.status,
            (e: { status: number }) => e.status,
          ),
        );
      return statuses;
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await pattern(43)).not.toEqual(a);
  });

  it("holds the connection past the client's timeout", async () => {
    const api = gmailClient(google, { timeout: 200 });
    google.faults.script("gmail.getProfile", { type: "timeout" });
    const started = Date.now();
    const error = await gaxiosError(api.users.getProfile({ userId: "me" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/timeout|aborted/i);
    expect((await api.users.getProfile({ userId: "me" })).status).toBe(200);
  });

  it("delays, resets connections, and imitates expired history, sync tokens and grants", async () => {
    const api = gmailClient(google);
    google.faults.script("gmail.labels.list", { type: "delay", ms: 150 });
    const started = Date.now();
    expect((await api.users.labels.list({ userId: "me" })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    google.faults.script("gmail.getProfile", { type: "reset" });
    const reset = await gaxiosError(api.users.getProfile({ userId: "me" }));
    expect(reset.response).toBeUndefined();

    google.faults.script("gmail.history.list", { type: "historyExpired" });
    const startHistoryId = String(google.mailbox().historyId);
    expect(
      (await gaxiosError(api.users.history.list({ userId: "me", startHistoryId }))).status,
    ).toBe(404);
    expect((await api.users.history.list({ userId: "me", startHistoryId })).status).toBe(200);

    const cal = calendarClient(google);
    const token =
      (await cal.events.list({ calendarId: "primary", maxResults: 2500 })).data.nextSyncToken ?? "";
    google.faults.script("calendar.events.list", { type: "syncTokenExpired" });
    const gone = await gaxiosError(cal.events.list({ calendarId: "primary", syncToken: token }));
    expect(gone.status).toBe(410);
    expect(errorBody(gone).errors[0]?.reason).toBe("fullSyncRequired");
    expect((await cal.events.list({ calendarId: "primary", syncToken: token })).status).toBe(200);

    google.faults.script("*", { type: "rateLimit", retryAfterSeconds: 7 });
    const limited = await gaxiosError(api.users.getProfile({ userId: "me" }));
    expect(limited.status).toBe(429);
    expect(limited.response?.headers.get("retry-after")).toBe("7");
  });

  it("fails a refresh with invalid_grant without spending the refresh token", async () => {
    const { refresh_token } = google.oauth.issueTokens();
    const client = oauthClient(google, { refresh_token: refresh_token ?? null });
    google.faults.script("oauth.token.refresh", { type: "invalidGrant" });
    const error = await gaxiosError(client.refreshAccessToken());
    expect(error.response?.data).toMatchObject({ error: "invalid_grant" });
    expect((await client.refreshAccessToken()).credentials.access_token).toBeTruthy();
  });

  it("never changes state on a failed call: a code survives a failed exchange", async () => {
    google.faults.script("oauth.token.code", { type: "error", status: 503 });
    const client = oauthClient(google);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: "offline",
      scope: ["email"],
      state: "s",
      code_challenge: codeChallenge,
      code_challenge_method: "S256" as never,
    });
    const code =
      new URL(
        (await fetch(url, { redirect: "manual" })).headers.get("location") ?? "",
      ).searchParams.get("code") ?? "";
    // google-auth-library retries token requests on 5xx; the retry must find the code unspent
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.access_token).toBeTruthy();
    expect(google.stats.snapshot().responses["oauth.token.code"]).toEqual({ 200: 1, 503: 1 });
  });

  it("targets one account, and validates rules", async () => {
    google.faults.add({
      endpoint: ["gmail.getProfile"],
      account: "sam@serenity-wellness.example",
      fault: { type: "error", status: 500 },
    });
    expect((await gmailClient(google).users.getProfile({ userId: "me" })).status).toBe(200);
    const sam = gmailClient(google, { email: "sam@serenity-wellness.example" });
    expect((await gaxiosError(sam.users.getProfile({ userId: "me" }))).status).toBe(500);
    expect((await gaxiosError(sam.users.getProfile({ userId: "me" }))).status).toBe(500);
    expect(google.faults.rules()[0]).toMatchObject({ fired: 2, seen: 2 });
    expect(() => google.faults.add({ fault: { type: "nope" } as never })).toThrow();
    expect(() => google.faults.random("*", 2, { type: "reset" })).toThrow();
  });
});
