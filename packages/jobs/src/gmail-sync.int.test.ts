import { sync, type Actor } from "@omnicrm/core";
import {
  compileRules,
  normalizeGmailMessage,
  type GmailMessage,
  type NormalizedEmail,
} from "@omnicrm/google";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGmailSync } from "./functions/gmail-sync.ts";
import { previewGmail } from "./sync/preview.ts";
import {
  connectGoogle,
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

interface GmailResult {
  mode: "full" | "incremental";
  listed: number;
  fetched: number;
  interactions: number;
  skipped: Record<string, number>;
  reconciliation?: sync.Reconciliation;
}

/** One execution of the Gmail function for this user (a fresh engine). */
async function syncGmail(actor: Actor) {
  return runFunction<GmailResult>(
    createGmailSync(() => h.deps),
    syncEvent("gmail", actor),
  );
}

function calls(endpoint: string): number {
  return (h.google.stats.snapshot().calls as Record<string, number | undefined>)[endpoint] ?? 0;
}

const client = (name: string, email: string) => ({ name, email });

describe("Gmail full sync", () => {
  it("stores every message of the label, logs what the normalizer keeps and says why the rest was skipped", async () => {
    const neverLog = ["ex.partner@private.example"];
    const { actor, googleEmail } = await connectedUser(h, {
      gmail: { labelIds: ["INBOX"], neverLog },
    });
    const mailbox = h.google.mailbox(googleEmail);
    mailbox.addMessage({
      from: client("Clinic Bookings", "no-reply@bookings.example"),
      subject: "Your booking is confirmed",
      labelIds: ["INBOX"],
      text: "See you on Tuesday.",
    });
    mailbox.addMessage({
      from: client("Ex Partner", "ex.partner@private.example"),
      subject: "Personal",
      labelIds: ["INBOX"],
      text: "Private.",
    });
    const couple = mailbox.addMessage({
      from: client("Nadia Haddad", "nadia.haddad@gmail.example"),
      cc: [client("Tom Haddad", "tom.haddad@family.example")],
      subject: "A session for the two of us",
      labelIds: ["INBOX", "UNREAD"],
      text: "Could we book a couples session?",
    });
    const inScope = messagesInScope(mailbox.list(), "INBOX", 90, h.clock());
    expect(inScope.length).toBeGreaterThan(20);
    // Older INBOX mail exists too; it stays out (the lookback is 90 days).
    expect(messagesInScope(mailbox.list(), "INBOX", 3650, h.clock()).length).toBeGreaterThan(
      inScope.length,
    );
    h.google.stats.reset();

    const out = await syncGmail(actor);

    expect(out.error).toBeUndefined();
    expect(out.result?.mode).toBe("full");
    // Every listed message is stored raw, once, and was read.
    const raw = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true, payload: true, skipReason: true, normalizedAt: true },
    });
    expect(raw.map((r) => r.externalId).sort()).toEqual(inScope.map((m) => m.id).sort());
    expect(raw.every((r) => r.normalizedAt !== null)).toBe(true);
    expect(calls("gmail.messages.get")).toBe(inScope.length);

    // What the normalizer keeps (with the channel's rules) is exactly what became interactions.
    const rules = compileRules({
      selfAddresses: [googleEmail],
      neverLog,
      skipBulk: true,
      maxRecipients: 10,
      includeBodies: false,
    });
    const kept: NormalizedEmail[] = [];
    const skipped: Record<string, number> = {};
    for (const record of raw) {
      const result = normalizeGmailMessage(record.payload as GmailMessage, rules);
      if (result.ok) kept.push(result.value);
      else skipped[result.reason] = (skipped[result.reason] ?? 0) + 1;
      expect(record.skipReason).toBe(result.ok ? null : result.reason);
    }
    expect(skipped).toMatchObject({ no_reply: 1, never_log: 1 });
    expect(skipped.bulk).toBeGreaterThan(0);
    const interactions = await h.db.interaction.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true, kind: true, direction: true, subject: true, occurredAt: true },
    });
    expect(interactions.map((i) => i.externalId).sort()).toEqual(
      kept.map((e) => e.externalId).sort(),
    );
    expect(interactions.find((i) => i.externalId === couple.id)).toMatchObject({
      kind: "email",
      direction: "inbound",
      subject: "A session for the two of us",
    });

    // Contacts: the real people of the kept messages, nobody else.
    const people = new Set(kept.flatMap((e) => e.people.map((p) => p.email)));
    const emails = await h.db.contactEmail.findMany({
      where: { userId: actor.userId },
      select: { email: true, contact: { select: { source: true, name: true } } },
    });
    expect(new Set(emails.map((e) => e.email))).toEqual(people);
    expect(emails.every((e) => e.contact.source === "gmail")).toBe(true);
    for (const hidden of ["no-reply@bookings.example", "ex.partner@private.example"]) {
      expect(people.has(hidden)).toBe(false);
    }
    const nadia = await h.db.contact.findFirstOrThrow({
      where: { userId: actor.userId, email: "nadia.haddad@gmail.example" },
      select: { id: true, name: true, lastInteractionAt: true },
    });
    expect(nadia.name).toBe("Nadia Haddad");
    expect(nadia.lastInteractionAt).toEqual(new Date(couple.internalDate));
    const links = await h.db.interactionContact.findMany({
      where: { userId: actor.userId, interaction: { externalId: couple.id } },
      select: { role: true, contact: { select: { email: true } } },
    });
    expect(links.map((l) => [l.contact.email, l.role]).sort()).toEqual([
      ["nadia.haddad@gmail.example", "from"],
      ["tom.haddad@family.example", "cc"],
    ]);

    // One timeline entry per person per email, received or sent.
    const timeline = await h.db.timelineEvent.findMany({
      where: { userId: actor.userId, interactionId: { not: null } },
      select: { kind: true, contactId: true },
    });
    expect(timeline).toHaveLength(kept.reduce((sum, e) => sum + e.people.length, 0));
    expect(timeline.filter((t) => t.contactId === nadia.id)).toEqual([
      { kind: "email.received", contactId: nadia.id },
    ]);
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });

    // The channel continues from Gmail's history id, the run says what it did.
    const channel = await sync.getChannel(h.db, actor, "gmail");
    expect(channel).toMatchObject({
      stage: "incremental",
      cursor: String(mailbox.historyId),
      lastError: null,
      nextRunAt: new Date(h.clock() + 15 * 60_000),
    });
    expect(channel.lastSuccessAt).not.toBeNull();
    const runs = await sync.listRuns(h.db, actor, { kind: "gmail" });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "succeeded",
      mode: "full",
      trigger: "manual",
      error: null,
      counts: {
        listed: inScope.length,
        fetched: inScope.length,
        stored: inScope.length,
        interactions: kept.length,
        contactsCreated: people.size,
        skipped,
      },
      reconciliation: { listed: inScope.length, stored: inScope.length, missing: 0 },
    });
    expect(runs[0]!.finishedAt).not.toBeNull();

    // The insights refresh is told which contacts have new interactions: all of them, once.
    const contactIds = (
      await h.db.contact.findMany({ where: { userId: actor.userId }, select: { id: true } })
    )
      .map((c) => c.id)
      .sort();
    expect(out.sent.map(({ name, data }) => ({ name, data }))).toEqual([
      {
        name: "contacts/interactions.added",
        data: { userId: actor.userId, contactIds, source: "gmail" },
      },
    ]);
    expect(out.sent[0]?.id).toMatch(/^interactions-added:.+:0$/);
    expect(out.result).toMatchObject({ contactsWithNewInteractions: contactIds.length });
  });
});

describe("Gmail labels", () => {
  it("syncs the mail of every chosen label, not only mail carrying all of them", async () => {
    const { actor, googleEmail } = await connectedUser(h, {
      gmail: { labelIds: ["Label_1", "SENT"], lookbackDays: 120 },
    });
    const mailbox = h.google.mailbox(googleEmail);
    const union = new Set(
      [
        ...messagesInScope(mailbox.list(), "Label_1", 120, h.clock()),
        ...messagesInScope(mailbox.list(), "SENT", 120, h.clock()),
      ].map((m) => m.id),
    );
    const both = messagesInScope(mailbox.list(), "Label_1", 120, h.clock()).filter((m) =>
      m.labelIds.includes("SENT"),
    );
    expect(union.size).toBeGreaterThan(both.length + 10);
    expect(await previewGmail(h.deps, actor)).toMatchObject({
      total: union.size,
      estimated: false,
    });

    const out = await syncGmail(actor);

    expect(out.error).toBeUndefined();
    const raw = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true },
    });
    expect(raw.map((r) => r.externalId).sort()).toEqual([...union].sort());
    expect(out.result?.reconciliation).toMatchObject({ listed: union.size, missing: 0 });

    // New mail of either label comes with the next incremental run.
    h.clock.advance(60_000);
    const sent = mailbox.addMessage({
      from: { name: "Owner", email: googleEmail },
      to: [client("Ada Moss", "ada.moss@gmail.example")],
      subject: "Welcome",
      labelIds: ["SENT"],
    });
    const filed = mailbox.addMessage({
      from: client("Ben Ode", "ben.ode@gmail.example"),
      subject: "Notes",
      labelIds: ["INBOX", "Label_1"],
    });
    const next = await syncGmail(actor);
    expect(next.result).toMatchObject({ mode: "incremental", listed: 2, interactions: 2 });
    expect(
      await h.db.interaction.count({
        where: { userId: actor.userId, externalId: { in: [sent.id, filed.id] } },
      }),
    ).toBe(2);
  });
});

describe("Gmail incremental sync", () => {
  it("reads only the changes since the cursor: new mail of the label, and mail labelled since", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    const mailbox = h.google.mailbox(googleEmail);
    expect((await syncGmail(actor)).error).toBeUndefined();
    const before = await rowCounts(h.db, actor);
    const cursorBefore = (await sync.getChannel(h.db, actor, "gmail")).cursor;

    h.clock.advance(10 * 60_000);
    const priya = mailbox.addMessage({
      from: client("Priya Raman", "priya.raman@gmail.example"),
      subject: "First session?",
      labelIds: ["INBOX", "UNREAD"],
      text: "Hi! Do you have time next week?",
    });
    const reply = mailbox.addMessage({
      from: client("Priya Raman", "priya.raman@gmail.example"),
      subject: "Re: First session?",
      labelIds: ["INBOX"],
      inReplyTo: undefined,
      text: "Tuesday works.",
    });
    const newsletter = mailbox.addMessage({
      from: client("Yoga Weekly", "news@yogaweekly.example"),
      subject: "This week in yoga",
      labelIds: ["INBOX"],
      headers: [["List-Unsubscribe", "<mailto:unsubscribe@yogaweekly.example>"]],
      text: "Read online.",
    });
    // Mail outside the label: never read.
    mailbox.addMessage({
      from: client("Receipts", "billing@stripe.example"),
      subject: "Receipt",
      labelIds: ["Label_2"],
    });
    // Sent mail the user files into the label afterwards: read when the label is added.
    const filed = mailbox.addMessage({
      from: { name: "Owner", email: googleEmail },
      to: [client("Leo Brandt", "leo.brandt@gmail.example")],
      subject: "Your plan",
      labelIds: ["SENT"],
    });
    mailbox.modifyLabels(filed.id, { add: ["INBOX"] });
    h.google.stats.reset();

    const out = await syncGmail(actor);

    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({
      mode: "incremental",
      listed: 4,
      fetched: 4,
      interactions: 3,
      skipped: { bulk: 1 },
    });
    expect(calls("gmail.history.list")).toBe(1);
    expect(calls("gmail.messages.list")).toBe(0);
    expect(calls("gmail.messages.get")).toBe(4);
    const stored = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId, externalId: { in: [priya.id, reply.id, newsletter.id] } },
    });
    expect(stored).toHaveLength(3);
    const after = await rowCounts(h.db, actor);
    expect(after.interactions).toBe(before.interactions + 3);
    expect(after.raw).toBe(before.raw + 4);
    const channel = await sync.getChannel(h.db, actor, "gmail");
    expect(channel.cursor).toBe(String(mailbox.historyId));
    expect(channel.cursor).not.toBe(cursorBefore);
    const leo = await h.db.contact.findFirstOrThrow({
      where: { userId: actor.userId, email: "leo.brandt@gmail.example" },
      select: { events: { where: { interactionId: { not: null } }, select: { kind: true } } },
    });
    expect(leo.events).toEqual([{ kind: "email.sent" }]);
    const priyaContact = await h.db.contact.findFirstOrThrow({
      where: { userId: actor.userId, email: "priya.raman@gmail.example" },
      select: { _count: { select: { interactions: true } } },
    });
    expect(priyaContact._count.interactions).toBe(2);
    // Only the two people with new mail are named for their insights (not the newsletter).
    const named = await h.db.contact.findMany({
      where: {
        userId: actor.userId,
        email: { in: ["priya.raman@gmail.example", "leo.brandt@gmail.example"] },
      },
      select: { id: true },
    });
    expect(out.sent).toEqual([
      expect.objectContaining({
        name: "contacts/interactions.added",
        data: { userId: actor.userId, contactIds: named.map((c) => c.id).sort(), source: "gmail" },
      }),
    ]);
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });
    const [latest] = await sync.listRuns(h.db, actor, { kind: "gmail" });
    expect(latest).toMatchObject({ status: "succeeded", mode: "incremental" });
  });

  it("falls back to a full sync when Gmail no longer has the history, without duplicating anything", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    const mailbox = h.google.mailbox(googleEmail);
    expect((await syncGmail(actor)).error).toBeUndefined();
    const before = await rowCounts(h.db, actor);
    const oldCursor = (await sync.getChannel(h.db, actor, "gmail")).cursor;

    h.clock.advance(60_000);
    const early = mailbox.addMessage({
      from: client("Ines Costa", "ines.costa@gmail.example"),
      subject: "Running late",
      labelIds: ["INBOX"],
    });
    mailbox.expireHistory();
    const late = mailbox.addMessage({
      from: client("Ines Costa", "ines.costa@gmail.example"),
      subject: "Here now",
      labelIds: ["INBOX"],
    });
    h.google.stats.reset();

    const out = await syncGmail(actor);

    expect(out.error).toBeUndefined();
    expect(out.result?.mode).toBe("full");
    expect(h.google.stats.snapshot().responses["gmail.history.list"]).toEqual({ 404: 1 });
    // The run history says it was a full sync.
    expect((await sync.listRuns(h.db, actor, { kind: "gmail", limit: 1 }))[0]?.mode).toBe("full");
    // The full listing finds everything; only the two messages not stored yet are read.
    expect(calls("gmail.messages.list")).toBe(1);
    expect(calls("gmail.messages.get")).toBe(2);
    expect(out.result?.reconciliation).toMatchObject({ missing: 0 });
    const after = await rowCounts(h.db, actor);
    expect(after).toMatchObject({
      interactions: before.interactions + 2,
      raw: before.raw + 2,
      contacts: before.contacts + 1,
    });
    expect(
      await h.db.interaction.count({
        where: { userId: actor.userId, externalId: { in: [early.id, late.id] } },
      }),
    ).toBe(2);
    expect(await duplicates(h.db, actor)).toEqual({ interactions: [], timeline: [], contacts: [] });
    const channel = await sync.getChannel(h.db, actor, "gmail");
    expect(channel.cursor).toBe(String(mailbox.historyId));
    expect(channel.cursor).not.toBe(oldCursor);
    expect(channel.stage).toBe("incremental");
  });
});

describe("replays", () => {
  it("running the same event again after success changes nothing and reads no message", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    expect((await syncGmail(actor)).error).toBeUndefined();
    const before = await rowCounts(h.db, actor);
    const normalizedBefore = await h.db.rawProviderRecord.findMany({
      where: { userId: actor.userId },
      select: { externalId: true, normalizedAt: true },
      orderBy: { externalId: "asc" },
    });
    h.google.stats.reset();

    const again = await syncGmail(actor);

    expect(again.error).toBeUndefined();
    expect(again.result).toMatchObject({ mode: "incremental", listed: 0, interactions: 0 });
    expect(calls("gmail.messages.get")).toBe(0);
    expect(again.sent).toEqual([]);
    expect(await rowCounts(h.db, actor)).toEqual({ ...before, runs: before.runs + 1 });

    // Starting over (no cursor: a full sync of a mailbox already synced) reads nothing again.
    await h.db.syncChannel.updateMany({
      where: { userId: actor.userId, kind: "gmail" },
      data: { cursor: null, stage: "not_started" },
    });
    h.google.stats.reset();
    const full = await syncGmail(actor);
    expect(full.error).toBeUndefined();
    expect(full.result).toMatchObject({ mode: "full", fetched: 0, interactions: 0 });
    expect(full.sent).toEqual([]);
    expect(calls("gmail.messages.list")).toBe(1);
    expect(calls("gmail.messages.get")).toBe(0);
    expect(await rowCounts(h.db, actor)).toEqual({ ...before, runs: before.runs + 2 });
    expect(
      await h.db.rawProviderRecord.findMany({
        where: { userId: actor.userId },
        select: { externalId: true, normalizedAt: true },
        orderBy: { externalId: "asc" },
      }),
    ).toEqual(normalizedBefore);
    expect((await sync.getChannel(h.db, actor, "gmail")).cursor).toBe(
      String(h.google.mailbox(googleEmail).historyId),
    );
  });
});

describe("Google access", () => {
  it("refreshes an access token Google stopped accepting and goes on", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    expect((await syncGmail(actor)).error).toBeUndefined();
    h.google.oauth.expireAccessTokens(googleEmail);
    h.google.mailbox(googleEmail).addMessage({
      from: client("Ravi Menon", "ravi.menon@gmail.example"),
      subject: "Thanks",
      labelIds: ["INBOX"],
    });
    h.google.stats.reset();

    const out = await syncGmail(actor);

    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({ mode: "incremental", interactions: 1 });
    expect(calls("oauth.token.refresh")).toBe(1);
    expect((await sync.getConnectionSummary(h.db, actor))?.status).toBe("connected");
  });

  it("stops on invalid_grant, asks to reconnect, skips later runs, and resumes after reconnecting", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    expect((await syncGmail(actor)).error).toBeUndefined();
    const cursor = (await sync.getChannel(h.db, actor, "gmail")).cursor;
    // Google stops accepting the access token, and refreshing it answers invalid_grant (the
    // permission was withdrawn or expired).
    h.google.oauth.expireAccessTokens(googleEmail);
    h.google.faults.add({ endpoint: "oauth.token.refresh", fault: { type: "invalidGrant" } });
    const waiting = h.google.mailbox(googleEmail).addMessage({
      from: client("Sofia Reyes", "sofia.reyes@gmail.example"),
      subject: "While you were away",
      labelIds: ["INBOX"],
    });
    h.google.stats.reset();

    const out = await syncGmail(actor);

    expect(out.result).toBeUndefined();
    expect(out.error?.name).toBe("NonRetriableError");
    expect(out.error?.message).toMatch(/Reconnect Google/);
    expect(out.attempts).toBe(1);
    expect(h.google.stats.snapshot().responses["oauth.token.refresh"]).toEqual({ 400: 1 });
    const connection = await sync.getConnectionSummary(h.db, actor);
    expect(connection?.status).toBe("reconnect_needed");
    expect(connection?.statusReason).toMatch(/Reconnect Google/);
    const overview = await sync.syncOverview(h.db, actor);
    for (const channel of overview.channels) {
      expect(channel.stage).toBe("reconnect_needed");
      expect(channel.lastError).toMatch(/Reconnect Google/);
    }
    const gmailRun = overview.channels.find((c) => c.kind === "gmail")!.lastRun;
    expect(gmailRun?.status).toBe("failed");
    expect(gmailRun?.error).toMatch(/Reconnect Google/);

    // Later runs are skipped, saying why, without calling Google.
    h.google.stats.reset();
    const later = await syncGmail(actor);
    expect(later.result).toEqual({
      skipped:
        "Google needs to be reconnected: the permission to read it was withdrawn or expired.",
    });
    expect(h.google.stats.snapshot().totalCalls).toBe(0);

    // Reconnecting through the flow clears it; the sync continues from its cursor.
    h.google.faults.clear();
    await connectGoogle(h, actor, googleEmail);
    expect((await sync.getConnectionSummary(h.db, actor))?.status).toBe("connected");
    expect(await sync.getChannel(h.db, actor, "gmail")).toMatchObject({
      stage: "incremental",
      cursor,
      lastError: null,
    });
    const resumed = await syncGmail(actor);
    expect(resumed.error).toBeUndefined();
    expect(resumed.result).toMatchObject({ mode: "incremental", interactions: 1 });
    expect(
      await h.db.interaction.count({ where: { userId: actor.userId, externalId: waiting.id } }),
    ).toBe(1);
  });
});
