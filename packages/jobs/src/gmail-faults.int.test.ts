import { sync } from "@omnicrm/core";
import { compileRules, normalizeGmailMessage, type GmailMessage } from "@omnicrm/google";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGmailSync } from "./functions/gmail-sync.ts";
import {
  connectedUser,
  duplicates,
  messagesInScope,
  rowCounts,
  runFunction,
  startHarness,
  syncEvent,
  type Harness,
} from "./testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const faulty = ["gmail.messages.get", "gmail.messages.list", "gmail.history.list"];

describe("Gmail sync under faults", () => {
  it("loses and duplicates nothing with 10% of Google's answers failing (5xx, 429, timeouts)", async () => {
    const { actor, googleEmail } = await connectedUser(h, {
      gmail: { labelIds: ["INBOX"], lookbackDays: 365 },
      messages: 560,
    });
    const mailbox = h.google.mailbox(googleEmail);
    const inScope = messagesInScope(mailbox.list(), "INBOX", 365, h.clock());
    expect(inScope.length).toBeGreaterThanOrEqual(280);
    // Injected timeouts hold a call until the client gives up: keep that short.
    h.setGoogleTimeout(400);

    // Enough failures in a row to exhaust a call's own retries, so whole steps fail too: the
    // first listing, and a batch of reads part-way through.
    h.google.faults.add({
      endpoint: "gmail.messages.list",
      account: googleEmail,
      fault: { type: "error", status: 503 },
      times: 6,
    });
    h.google.faults.add({
      endpoint: "gmail.messages.get",
      account: googleEmail,
      fault: { type: "error", status: 500 },
      skip: 120,
      times: 40,
    });
    // And about one answer in ten failing at random (seeded), mixed.
    for (const [probability, fault] of [
      [0.04, { type: "error", status: 503 }],
      [0.03, { type: "rateLimit", retryAfterSeconds: 1 }],
      [0.03, { type: "timeout" }],
    ] as const) {
      h.google.faults.add({ endpoint: faulty, account: googleEmail, probability, fault });
    }
    h.google.stats.reset();

    // Inngest retries the failed steps (the steps that succeeded are memoized) until it works.
    const out = await runFunction<{ mode: string; reconciliation: sync.Reconciliation }>(
      createGmailSync(() => h.deps),
      syncEvent("gmail", actor, "approval"),
      { maxAttempts: 12 },
    );

    expect(out.error).toBeUndefined();
    expect(out.attempts).toBeGreaterThanOrEqual(3);
    expect(out.errors[0]?.message).toMatch(/Google answered 503 during listing Gmail messages/);
    expect(out.errors.some((e) => /reading a Gmail message/.test(e.message))).toBe(true);
    const stats = h.google.stats.snapshot();
    expect(stats.faultsInjected).toBeGreaterThan(60);
    expect(stats.responses["gmail.messages.get"]?.[429]).toBeGreaterThan(0);
    expect(stats.responses["gmail.messages.get"]?.[503]).toBeGreaterThan(0);
    // Timed-out calls never got an answer.
    const answered = Object.values(stats.responses["gmail.messages.get"] ?? {}).reduce(
      (a, b) => a + b,
      0,
    );
    expect(stats.calls["gmail.messages.get"]! - answered).toBeGreaterThan(0);

    // Zero lost: every listed message is stored and normalized, and what the normalizer keeps
    // is exactly what became interactions.
    const raw = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true, payload: true, normalizedAt: true, skipReason: true },
    });
    expect(raw.map((r) => r.externalId).sort()).toEqual(inScope.map((m) => m.id).sort());
    expect(raw.filter((r) => r.normalizedAt === null)).toEqual([]);
    const rules = compileRules({
      selfAddresses: [googleEmail],
      neverLog: [],
      skipBulk: true,
      maxRecipients: 10,
      includeBodies: false,
    });
    const kept = raw.filter(
      (r) => normalizeGmailMessage(r.payload as GmailMessage, rules).ok && !r.skipReason,
    );
    const interactions = await h.db.interaction.findMany({
      where: { userId: actor.userId },
      select: { externalId: true },
    });
    expect(interactions.map((i) => i.externalId).sort()).toEqual(
      kept.map((r) => r.externalId).sort(),
    );
    expect(out.result?.reconciliation).toMatchObject({
      listed: inScope.length,
      stored: inScope.length,
      missing: 0,
    });

    // Zero duplicated: one interaction per message, one timeline entry per contact and
    // interaction, one contact per address.
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });
    const counts = await rowCounts(h.db, actor);
    const linked = await h.db.interactionContact.count({ where: { userId: actor.userId } });
    expect(
      await h.db.timelineEvent.count({
        where: { userId: actor.userId, interactionId: { not: null } },
      }),
    ).toBe(linked);

    // However many executions it took, the insights refresh was told once, about everyone.
    const everyone = await h.db.contact.findMany({
      where: { userId: actor.userId },
      select: { id: true },
    });
    expect(out.sent).toHaveLength(1);
    expect(out.sent[0]).toMatchObject({
      name: "contacts/interactions.added",
      data: { userId: actor.userId, contactIds: everyone.map((c) => c.id).sort() },
    });

    // The retries belonged to one run, which succeeded and counted what it did.
    const runs = await sync.listRuns(h.db, actor, { kind: "gmail" });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "succeeded",
      mode: "full",
      trigger: "approval",
      counts: { listed: inScope.length, fetched: inScope.length, interactions: kept.length },
    });
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({
      stage: "incremental",
      cursor: String(mailbox.historyId),
      lastError: null,
    });

    // The same event replayed from scratch, still under faults, changes nothing.
    h.google.stats.reset();
    const replay = await runFunction(
      createGmailSync(() => h.deps),
      syncEvent("gmail", actor, "approval"),
      { maxAttempts: 12 },
    );
    expect(replay.error).toBeUndefined();
    expect(h.google.stats.snapshot().calls["gmail.messages.get"]).toBeUndefined();
    expect(replay.sent).toEqual([]);
    expect(await rowCounts(h.db, actor)).toEqual({ ...counts, runs: counts.runs + 1 });
  });
  it("a listing retried after midnight goes on with the search it started (the same first day)", async () => {
    const { actor, googleEmail } = await connectedUser(h, {
      gmail: { labelIds: ["INBOX"], lookbackDays: 365 },
      messages: 1100,
      seed: "midnight",
    });
    const inScope = messagesInScope(h.google.mailbox(googleEmail).list(), "INBOX", 365, h.clock());
    // Two pages of 500.
    expect(inScope.length).toBeGreaterThan(500);
    // The second page fails past its own retries; Inngest retries the step hours later,
    // after midnight UTC.
    h.google.faults.add({
      endpoint: "gmail.messages.list",
      account: googleEmail,
      fault: { type: "error", status: 503 },
      skip: 1,
      times: 6,
    });

    const out = await runFunction(
      createGmailSync(() => h.deps),
      syncEvent("gmail", actor, "approval"),
      { maxAttempts: 3, beforeRetry: () => void h.clock.advance(10 * 3_600_000) },
    );

    expect(out.errors.map((e) => e.message)).toEqual([
      "Google answered 503 during listing Gmail messages; retrying.",
    ]);
    expect(out.error).toBeUndefined();
    const raw = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true },
    });
    expect(raw.map((r) => r.externalId).sort()).toEqual(inScope.map((m) => m.id).sort());
    expect((await sync.listRuns(h.db, actor, { kind: "gmail" }))[0]).toMatchObject({
      status: "succeeded",
      reconciliation: { listed: inScope.length, missing: 0 },
    });
  });
});
