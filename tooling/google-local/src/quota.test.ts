import type { gmail_v1 } from "@googleapis/gmail";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "./clock.ts";
import { GMAIL_COSTS } from "./gmail.ts";
import { Prng } from "./prng.ts";
import { startLocalGoogle, type LocalGoogle } from "./server.ts";
import {
  asGaxiosError,
  calendarClient,
  errorBody,
  gaxiosError,
  gmailClient,
} from "./test-support.ts";

const LIMIT = 50;
const OTHER = "sam@serenity-wellness.example";

describe("quota", () => {
  const clock = createManualClock();
  let google: LocalGoogle;
  let api: gmail_v1.Gmail;
  let messageId: string;

  beforeAll(async () => {
    google = await startLocalGoogle({
      clock,
      messages: 30,
      events: 3,
      accounts: [{ email: "maya@serenity-wellness.example" }, { email: OTHER }],
      quota: {
        enabled: true,
        gmailUnitsPerUserPerMinute: LIMIT,
        calendarRequestsPerUserPerMinute: 5,
      },
      oauth: { accessTokenTtlSeconds: 7 * 86_400 },
    });
    api = gmailClient(google);
    messageId = google.mailbox().list()[0]?.id ?? "";
  });
  afterAll(() => google.close());
  beforeEach(() => {
    clock.advance(120_000); // a fresh window for each test
    google.stats.reset();
  });

  it("is off unless enabled", async () => {
    await using open = await startLocalGoogle({ messages: 5, events: 1 });
    const client = gmailClient(open);
    const id = open.mailbox().list()[0]?.id ?? "";
    const results = await Promise.all(
      Array.from({ length: 30 }, () => client.users.messages.get({ userId: "me", id })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
  });

  it("answers a burst over the limit with 429 rateLimitExceeded and Retry-After", async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, () =>
        api.users.messages.get({ userId: "me", id: messageId, format: "minimal" }),
      ),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(ok).toHaveLength(LIMIT / GMAIL_COSTS["gmail.messages.get"]!);
    expect(rejected).toHaveLength(5);
    const error = asGaxiosError(rejected[0]?.reason);
    expect(error.status).toBe(429);
    expect(error.response?.headers.get("retry-after")).toBe("60");
    const body = errorBody(error);
    expect(body).toMatchObject({
      code: 429,
      status: "RESOURCE_EXHAUSTED",
      errors: [{ reason: "rateLimitExceeded", domain: "usageLimits" }],
    });
    expect(body.message).toMatch(/^User-rate limit exceeded\. {2}Retry after \d{4}-\d{2}-\d{2}T/);
    expect(google.stats.snapshot()).toMatchObject({ rateLimited: 5, quotaRejected: 5 });
    expect(google.quota.usage(google.accounts.default.email).gmail).toBe(LIMIT);

    // the quota is per user
    const other = gmailClient(google, { email: OTHER });
    expect((await other.users.messages.list({ userId: "me" })).status).toBe(200);

    clock.advance(59_999);
    expect((await gaxiosError(api.users.getProfile({ userId: "me" }))).status).toBe(429);
    clock.advance(1);
    expect((await api.users.getProfile({ userId: "me" })).status).toBe(200);
  });

  it("never admits more than the limit in any 60 s window, and Retry-After is enough", async () => {
    const prng = new Prng("quota-schedule");
    const calls: [keyof typeof GMAIL_COSTS, () => Promise<unknown>][] = [
      [
        "gmail.messages.get",
        () => api.users.messages.get({ userId: "me", id: messageId, format: "minimal" }),
      ],
      ["gmail.messages.list", () => api.users.messages.list({ userId: "me", maxResults: 1 })],
      [
        "gmail.history.list",
        () =>
          api.users.history.list({
            userId: "me",
            startHistoryId: String(google.mailbox().historyId),
          }),
      ],
      ["gmail.labels.list", () => api.users.labels.list({ userId: "me" })],
      ["gmail.getProfile", () => api.users.getProfile({ userId: "me" })],
    ];
    const admitted: { t: number; cost: number }[] = [];
    let rejections = 0;
    let retriedAfterWaiting = 0;
    for (let i = 0; i < 200; i++) {
      clock.advance(prng.int(0, 2500));
      const [endpoint, call] = prng.pick(calls);
      const cost = GMAIL_COSTS[endpoint] ?? 1;
      try {
        await call();
        admitted.push({ t: clock(), cost });
      } catch (error) {
        const e = asGaxiosError(error);
        expect(e.status).toBe(429);
        rejections += 1;
        if (rejections % 4 === 0) {
          // waiting exactly Retry-After seconds always lets the same call through
          clock.advance(Number(e.response?.headers.get("retry-after")) * 1000);
          await call();
          admitted.push({ t: clock(), cost });
          retriedAfterWaiting += 1;
        }
      }
    }
    expect(rejections).toBeGreaterThan(20);
    expect(retriedAfterWaiting).toBeGreaterThan(5);
    let worst = 0;
    for (const start of admitted) {
      const inWindow = admitted
        .filter((a) => a.t >= start.t && a.t < start.t + 60_000)
        .reduce((sum, a) => sum + a.cost, 0);
      worst = Math.max(worst, inWindow);
    }
    expect(worst).toBeLessThanOrEqual(LIMIT);
    expect(worst).toBeGreaterThan(LIMIT - 5); // and the limit is actually reached
  });

  it("counts Calendar requests per user per minute", async () => {
    const cal = calendarClient(google);
    for (let i = 0; i < 5; i++) await cal.calendarList.list();
    const error = await gaxiosError(cal.events.list({ calendarId: "primary" }));
    expect(error.status).toBe(429);
    expect(errorBody(error).errors[0]).toMatchObject({
      reason: "rateLimitExceeded",
      domain: "usageLimits",
    });
    expect(Number(error.response?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await calendarClient(google, { email: OTHER }).calendarList.list()).status).toBe(200);
  });

  it("can be reconfigured at runtime", async () => {
    google.quota.configure({ gmailUnitsPerUserPerMinute: 2 });
    try {
      await api.users.getProfile({ userId: "me" });
      await api.users.getProfile({ userId: "me" });
      expect((await gaxiosError(api.users.getProfile({ userId: "me" }))).status).toBe(429);
    } finally {
      google.quota.configure({ gmailUnitsPerUserPerMinute: LIMIT });
    }
  });
});
