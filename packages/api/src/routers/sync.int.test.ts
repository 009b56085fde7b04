import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sync } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { resetGoogleEnv } from "@omnicrm/google";
import type { LocalGoogle } from "@omnicrm/google-local";
import { inngest } from "@omnicrm/jobs";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { transformer } from "../transformer.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetBackgroundJobsStatus, NO_INNGEST_REASON } from "../background-jobs.ts";
import { logger } from "../logger.ts";
import { appRouter, createCaller } from "../root.ts";
import { connectThroughOAuth, startGoogleForTests } from "../testing/local-google.ts";
import { createInnerContext, type SessionUser } from "../trpc.ts";

let testDb: TestDatabase;
let google: LocalGoogle;
let stopGoogle: () => Promise<void>;
let alice: SessionUser;
let bob: SessionUser;
const silent = logger.child({}, { level: "silent" });
const INNGEST_KEYS = ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_EVENT_KEY"] as const;

const callerFor = (user: SessionUser | null) =>
  createCaller(createInnerContext({ db: testDb.db, user, log: silent }));

/** Calls a procedure over HTTP, as the browser does, to see the error shape people get. */
async function http(
  user: SessionUser | null,
  procedure: string,
  input: unknown,
  kind: "query" | "mutation" = "mutation",
): Promise<{
  status: number;
  error?: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } };
}> {
  const encoded = JSON.stringify(transformer.serialize(input));
  const url =
    `http://127.0.0.1/api/trpc/${procedure}` +
    (kind === "query" ? `?input=${encodeURIComponent(encoded)}` : "");
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, {
      method: kind === "query" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: kind === "mutation" ? encoded : undefined,
    }),
    router: appRouter,
    createContext: () => createInnerContext({ db: testDb.db, user, log: silent }),
  });
  const body = (await res.json()) as { error?: { json: never } };
  return { status: res.status, error: body.error?.json };
}

/** Runs `call` and returns the tRPC error it must throw. */
async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}

function clearInngestEnv() {
  for (const key of INNGEST_KEYS) delete process.env[key];
  inngest.setEnvVars({ INNGEST_DEV: undefined, INNGEST_BASE_URL: undefined });
  forgetBackgroundJobsStatus();
}

beforeAll(async () => {
  clearInngestEnv();
  ({ google, stop: stopGoogle } = await startGoogleForTests());
  testDb = await createTestDatabase();
  const [a, b] = await Promise.all([
    testDb.db.user.create({ data: { email: "alice@example.com", name: "Alice" } }),
    testDb.db.user.create({ data: { email: "bob@example.com", name: "Bob" } }),
  ]);
  alice = { id: a.id, email: a.email, name: a.name };
  bob = { id: b.id, email: b.email, name: b.name };
});
afterAll(async () => {
  await stopGoogle();
  await testDb.drop();
});
afterEach(() => {
  clearInngestEnv();
});

describe("sync router", () => {
  it("refuses signed-out callers", async () => {
    const error = await refusal(callerFor(null).sync.overview());
    expect(error.code).toBe("UNAUTHORIZED");
  });

  it("shows a fresh user: no connection, both channels blocked, no background jobs", async () => {
    const overview = await callerFor(bob).sync.overview();
    expect(overview).toMatchObject({
      googleConfigured: true,
      googleMissing: [],
      connection: null,
      backgroundJobs: { available: false, reason: NO_INNGEST_REASON },
    });
    expect(overview.channels.map((c) => [c.kind, c.stage, c.blockedReason])).toEqual([
      ["gmail", "not_started", "Google is not connected."],
      ["calendar", "not_started", "Google is not connected."],
    ]);

    const labels = await refusal(callerFor(bob).sync.labels());
    expect([labels.code, labels.message]).toEqual(["PRECONDITION_FAILED", "Connect Google first."]);
    const preview = await refusal(callerFor(bob).sync.preview({ kind: "calendar" }));
    expect(preview.code).toBe("PRECONDITION_FAILED");
  });

  it("connects, lists labels and calendars, saves preferences, previews and approves", async () => {
    const api = callerFor(alice);
    const flow = await connectThroughOAuth(testDb.db, alice);
    expect(flow.final).toBe("http://localhost:3100/settings/sync?connected=1");

    const overview = await api.sync.overview();
    expect(overview.connection).toMatchObject({
      googleEmail: google.accounts.default.email,
      status: "connected",
    });
    expect(overview.channels.find((c) => c.kind === "gmail")?.blockedReason).toBe(
      "Choose what to sync first.",
    );

    const labels = await api.sync.labels();
    expect(labels).toContainEqual({ id: "Label_1", name: "Clients", type: "user" });
    expect(labels).toContainEqual({ id: "INBOX", name: "Inbox", type: "system" });
    expect(labels.map((l) => l.id)).not.toContain("SPAM");
    expect(labels[0]?.type).toBe("user");

    const calendars = await api.sync.calendars();
    expect(calendars[0]).toMatchObject({ primary: true });

    const saved = await api.sync.updatePreferences({
      kind: "gmail",
      preferences: {
        scope: "labels",
        labelIds: ["Label_1", "INBOX"],
        lookbackDays: 365,
        includeBodies: false,
        neverLog: ["@Lawfirm.example", "ex@private.example"],
        skipBulk: true,
        maxRecipients: 5,
      },
    });
    expect(saved).toMatchObject({ scopeChosen: true, stage: "not_started" });
    expect((saved.preferences as sync.GmailPreferences).neverLog).toEqual([
      "@lawfirm.example",
      "ex@private.example",
    ]);

    const gmail = await api.sync.preview({ kind: "gmail" });
    expect(gmail.kind).toBe("gmail");
    expect(gmail.total).toBeGreaterThan(0);
    expect(gmail.sampled).toBeGreaterThan(0);
    expect(gmail.wouldLog + Object.values(gmail.skipped).reduce((a, b) => a + b, 0)).toBe(
      gmail.sampled,
    );
    expect(gmail.samples.length).toBeGreaterThan(0);
    expect(gmail.newContacts.length).toBeGreaterThan(0);

    const calendar = await api.sync.preview({ kind: "calendar" });
    expect(calendar.kind).toBe("calendar");
    expect(calendar.total).toBeGreaterThan(0);

    // Nothing was written by the previews.
    expect((await api.contacts.list({})).items).toEqual([]);

    const approved = await api.sync.approve({ kind: "gmail" });
    expect(approved.channel.approvedAt).toBeInstanceOf(Date);
    expect(approved.firstSync).toEqual({ requested: false, reason: NO_INNGEST_REASON });
    const after = await api.sync.overview();
    expect(after.channels.find((c) => c.kind === "gmail")?.blockedReason).toBeNull();
  });

  it("refuses bad input with a clear message and field errors", async () => {
    const prefs = await http(alice, "sync.updatePreferences", {
      kind: "gmail",
      preferences: { lookbackDays: 0, neverLog: ["not an address"] },
    });
    expect(prefs.status).toBe(400);
    expect(prefs.error).toMatchObject({
      message: "2 fields are not valid.",
      data: {
        code: "BAD_REQUEST",
        fieldErrors: {
          "preferences.lookbackDays": [expect.any(String)],
          "preferences.neverLog.0": [
            "Enter an email address (name@example.com) or a domain (@example.com).",
          ],
        },
      },
    });
    const kind = await http(alice, "sync.preview", { kind: "outlook" });
    expect(kind.status).toBe(400);
    expect(kind.error?.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { kind: [expect.any(String)] },
    });
    const extra = await http(alice, "sync.updatePreferences", {
      kind: "calendar",
      preferences: { calendarIds: ["primary"], colour: "red" },
    });
    expect(extra.status).toBe(400);
    const run = await http(alice, "sync.run", { id: "../../etc/passwd" }, "query");
    expect(run.status).toBe(400);
    expect(run.error?.message).toBe("Not a valid run id.");
    const limit = await http(alice, "sync.runs", { kind: "gmail", limit: 1000 }, "query");
    expect(limit.status).toBe(400);
    expect(JSON.stringify([prefs, kind, extra, run, limit])).not.toMatch(/stack|node_modules/);
  });

  it("refuses Sync now in words: blocked channel, then no background jobs", async () => {
    const api = callerFor(alice);
    const blocked = await refusal(api.sync.syncNow({ kind: "calendar" }));
    expect([blocked.code, blocked.message]).toEqual([
      "PRECONDITION_FAILED",
      "Syncing has not been approved yet.",
    ]);
    const noJobs = await refusal(api.sync.syncNow({ kind: "gmail" }));
    expect([noJobs.code, noJobs.message]).toEqual(["PRECONDITION_FAILED", NO_INNGEST_REASON]);

    process.env.INNGEST_DEV = "1";
    process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
    forgetBackgroundJobsStatus();
    const down = await refusal(api.sync.syncNow({ kind: "gmail" }));
    expect(down.message).toBe(
      "The Inngest Dev Server does not answer at http://127.0.0.1:9: start it (see README) so syncs can run.",
    );
    expect((await api.sync.overview()).backgroundJobs.available).toBe(false);
  });

  it("hands Sync now to the Inngest server when one answers", async () => {
    const events: { path: string; body: unknown }[] = [];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.method === "POST") {
          events.push({ path: req.url ?? "", body: JSON.parse(body) as unknown });
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ ids: ["evt-1"], status: 200 }));
        } else {
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html>Inngest Dev Server</html>");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      process.env.INNGEST_DEV = "1";
      process.env.INNGEST_BASE_URL = url;
      inngest.setEnvVars();
      forgetBackgroundJobsStatus();
      const api = callerFor(alice);
      expect((await api.sync.overview()).backgroundJobs).toEqual({ available: true, reason: null });
      expect(await api.sync.syncNow({ kind: "gmail" })).toEqual({ requested: true, reason: null });
      expect(events).toHaveLength(1);
      expect(events[0]?.path).toMatch(/^\/e\//);
      expect(events[0]?.body).toMatchObject([
        { name: "sync/gmail.requested", data: { userId: alice.id, trigger: "manual" } },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("lists runs and reads one run, only the owner's", async () => {
    const actor = { userId: alice.id };
    const run = await sync.startRun(testDb.db, actor, {
      kind: "gmail",
      mode: "full",
      trigger: "manual",
    });
    await sync.updateRun(testDb.db, actor, run.id, {
      progress: { phase: "fetching", done: 10, total: 40 },
    });
    const api = callerFor(alice);
    const runs = await api.sync.runs({ kind: "gmail", limit: 5 });
    expect(runs.map((r) => r.id)).toContain(run.id);
    expect(await api.sync.run({ id: run.id })).toMatchObject({
      id: run.id,
      status: "running",
      progress: { phase: "fetching", done: 10, total: 40 },
    });

    const notBobs = await refusal(callerFor(bob).sync.run({ id: run.id }));
    expect([notBobs.code, notBobs.message]).toEqual(["NOT_FOUND", "This sync run does not exist."]);
    expect(await callerFor(bob).sync.runs({ kind: "gmail" })).toEqual([]);

    await sync.finishRun(testDb.db, actor, run.id, { counts: { fetched: 40, stored: 40 } });
  });

  it("pauses a channel, after which Sync now says why not", async () => {
    const api = callerFor(alice);
    const paused = await api.sync.pause({ kind: "gmail" });
    expect(paused).toMatchObject({ stage: "paused", approvedAt: null });
    const error = await refusal(api.sync.syncNow({ kind: "gmail" }));
    expect(error.message).toBe("Syncing has not been approved yet.");
  });

  it("says when Google must be reconnected", async () => {
    const api = callerFor(alice);
    google.oauth.revokeAll();
    google.oauth.expireAccessTokens();
    const labels = await refusal(api.sync.labels());
    expect(labels.code).toBe("PRECONDITION_FAILED");
    expect(labels.message).toMatch(/Reconnect Google/);
    const overview = await api.sync.overview();
    expect(overview.connection?.status).toBe("reconnect_needed");
    expect(overview.channels[0]?.blockedReason).toMatch(/needs to be reconnected/);
    const again = await refusal(api.sync.calendars());
    expect(again.message).toMatch(/^Reconnect Google first: /);

    // Connecting again clears it.
    await connectThroughOAuth(testDb.db, alice);
    expect((await api.sync.overview()).connection?.status).toBe("connected");
  });

  it("disconnects, saying whether Google confirmed the revocation", async () => {
    const api = callerFor(alice);
    expect(await api.sync.disconnect()).toEqual({ wasConnected: true, revoked: true });
    const overview = await api.sync.overview();
    expect(overview.connection).toBeNull();
    expect(overview.channels.every((c) => c.stage === "paused" && !c.approvedAt)).toBe(true);
    expect(await api.sync.disconnect()).toEqual({ wasConnected: false, revoked: false });
  });

  it("explains that Google is not configured on this server", async () => {
    const saved = process.env.GOOGLE_CLIENT_ID;
    delete process.env.GOOGLE_CLIENT_ID;
    resetGoogleEnv();
    try {
      const api = callerFor(bob);
      const overview = await api.sync.overview();
      expect(overview).toMatchObject({
        googleConfigured: false,
        googleMissing: ["GOOGLE_CLIENT_ID"],
      });
      const error = await refusal(api.sync.labels());
      expect([error.code, error.message]).toEqual([
        "PRECONDITION_FAILED",
        "Google is not configured on this OmniCRM: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the README).",
      ]);
      const approve = await refusal(api.sync.approve({ kind: "calendar" }));
      expect(approve.code).toBe("PRECONDITION_FAILED");
    } finally {
      process.env.GOOGLE_CLIENT_ID = saved;
      resetGoogleEnv();
    }
  });
});
