import { contactInsight, createAiProvider, generateInsight, recordUsage } from "@omnicrm/ai";
import type { AiLimits, ConfiguredAiProvider } from "@omnicrm/ai";
import { assistant, contacts, sync, type Actor } from "@omnicrm/core";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contactsInteractionsAdded } from "./client.ts";
import { createGmailSync } from "./functions/gmail-sync.ts";
import {
  BACKGROUND_RATE_LIMITED,
  createInsightsRefresh,
  type InsightRefreshDeps,
} from "./functions/insights-refresh.ts";
import {
  connectedUser,
  makeUser,
  runFunction,
  startHarness,
  syncEvent,
  type Harness,
} from "./testing/harness.ts";

let h: Harness;
let model: LocalModel;
let provider: ConfiguredAiProvider;
beforeAll(async () => {
  [h, model] = await Promise.all([startHarness(), startLocalModel()]);
  const configured = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: "chat",
  });
  if (!configured.configured) throw new Error("expected a configured provider");
  provider = configured;
});
afterAll(async () => {
  await Promise.all([h?.close(), model?.close()]);
});
beforeEach(() => {
  model.reset();
});

const DAY = 86_400_000;
const roomy: AiLimits = {
  requestsPerMinute: 1000,
  backgroundRequestsPerMinute: 1000,
  dailyTokens: 1_000_000,
  monthlyTokens: 10_000_000,
  dailyCostUsd: 100,
  monthlyCostUsd: 1000,
};
const deps = (extra: Partial<InsightRefreshDeps> = {}): InsightRefreshDeps => ({
  db: h.db,
  aiProvider: provider,
  aiLimits: roomy,
  ...extra,
});

const answer = (name: string) =>
  JSON.stringify({
    summary: `${name} is a client of the practice.`,
    nextAction: `Write to ${name}.`,
    engagement: "steady",
    engagementReason: "In touch about as usual.",
  });

let people = 0;
/** A client with one email; with an insight when asked (one model call, then forgotten). */
async function client(actor: Actor, withInsight: boolean) {
  const name = `Client ${++people}`;
  const email = `client${people}@gmail.example`;
  const contact = await contacts.createContact(h.db, actor, { name, emails: [email] });
  await emailFrom(actor, email, "Hello");
  if (withInsight) {
    model.script(answer(name));
    const made = await generateInsight(h.db, actor, contact.id, {
      provider,
      guard: { limits: roomy },
    });
    expect(made.generated).toBe(true);
  }
  return { id: contact.id, name, email };
}

let messages = 0;
async function emailFrom(actor: Actor, email: string, subject: string) {
  await sync.applyInteractions(
    h.db,
    actor,
    "gmail",
    [
      {
        kind: "email",
        externalId: `msg-${++messages}`,
        direction: "inbound",
        subject,
        snippet: `${subject}, from the client`,
        occurredAt: new Date(Date.now() - DAY + messages * 1000),
        participants: [],
        people: [{ email, name: null, role: "from" }],
      },
    ],
    { createContacts: false },
  );
}

const event = (actor: Actor, contactIds: string[]) => ({
  name: contactsInteractionsAdded.name,
  data: { userId: actor.userId, contactIds, source: "gmail" },
});

const refresh = (actor: Actor, contactIds: string[], d = deps()) =>
  runFunction<Record<string, unknown>>(
    createInsightsRefresh(() => d),
    event(actor, contactIds),
    { maxAttempts: 3 },
  );

const insightOf = (contactId: string) =>
  h.db.contactInsight.findUniqueOrThrow({ where: { contactId } });

describe("insights refresh", () => {
  it("runs one at a time per user", () => {
    const fn = createInsightsRefresh(() => deps());
    expect(fn.opts).toMatchObject({
      id: "insights-refresh",
      concurrency: [{ key: "event.data.userId", limit: 1 }],
    });
  });

  it("regenerates only existing insights whose inputs changed, as background calls, and a second run changes nothing", async () => {
    const actor = await makeUser(h.db, "refresh1@insights.test");
    const stale = await client(actor, true);
    const without = await client(actor, false);
    const current = await client(actor, true);
    const currentBefore = await insightOf(current.id);
    await emailFrom(actor, stale.email, "Can we move Thursday?");
    await emailFrom(actor, without.email, "Hi again");
    model.reset();

    model.script(answer(`${stale.name} (refreshed)`));
    const out = await refresh(actor, [stale.id, without.id, current.id]);

    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({ refreshed: 1, current: 0, skipped: 0 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.text).toContain("Can we move Thursday?");
    expect((await insightOf(stale.id)).summary).toBe(
      `${stale.name} (refreshed) is a client of the practice.`,
    );
    expect(await contactInsight(h.db, actor, stale.id, { provider })).toMatchObject({
      upToDate: true,
    });
    // Nobody asked for an insight of this client: none is made (it would cost).
    expect(await h.db.contactInsight.count({ where: { contactId: without.id } })).toBe(0);
    expect(await insightOf(current.id)).toEqual(currentBefore);
    // A background call: its own per-minute window, and usage recorded for insights.
    expect(
      await h.db.rateLimit.findUnique({ where: { key: `ai-background:${actor.userId}` } }),
    ).toMatchObject({ points: 1 });
    expect(await h.db.aiUsage.count({ where: { userId: actor.userId, feature: "insights" } })).toBe(
      3,
    );
    const audit = await h.db.aiAuditEvent.findMany({
      where: { userId: actor.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 1,
    });
    expect(audit[0]).toMatchObject({ outcome: "ok", contactIds: [stale.id] });

    // The same event again (a replay, a duplicate): nothing is stale, nothing is called.
    const again = await refresh(actor, [stale.id, without.id, current.id]);
    expect(again.result).toEqual({ refreshed: 0, current: 0, skipped: 0 });
    expect(model.requests).toHaveLength(1);
  });

  it("stops over budget without retrying, and says why on each insight it could not refresh", async () => {
    const actor = await makeUser(h.db, "refresh2@insights.test");
    const a = await client(actor, true);
    const b = await client(actor, true);
    await emailFrom(actor, a.email, "News");
    await emailFrom(actor, b.email, "News");
    model.reset();
    await recordUsage(h.db, {
      userId: actor.userId,
      feature: "chat",
      model: "gpt-local",
      inputTokens: 5000,
    });
    const tight = deps({ aiLimits: { ...roomy, dailyTokens: 5000 } });

    const out = await refresh(actor, [a.id, b.id], tight);

    expect(out.error).toBeUndefined();
    expect(out.attempts).toBe(1);
    const message = "You have used today's AI budget (5,000 tokens); it resets at midnight UTC.";
    expect(out.result).toMatchObject({ refreshed: 0, stopped: message, notRefreshed: 2 });
    expect(model.requests).toHaveLength(0);
    for (const id of [a.id, b.id]) {
      expect(await insightOf(id)).toMatchObject({ refreshError: message });
    }
    const view = await contactInsight(h.db, actor, a.id, { provider });
    expect(view).toMatchObject({ upToDate: false, insight: { refreshError: message } });
    expect(view.insight?.refreshErrorAt).toBeInstanceOf(Date);

    // With budget again, the next event refreshes them and clears the message.
    model.script(answer(a.name), answer(b.name));
    const later = await refresh(actor, [a.id, b.id]);
    expect(later.result).toEqual({ refreshed: 2, current: 0, skipped: 0 });
    expect(model.requests).toHaveLength(2);
    expect(await insightOf(a.id)).toMatchObject({ refreshError: null, refreshErrorAt: null });
  });

  it("stops at the background per-minute limit, leaving the chat's window alone", async () => {
    const actor = await makeUser(h.db, "refresh3@insights.test");
    const clients = [
      await client(actor, true),
      await client(actor, true),
      await client(actor, true),
    ];
    for (const c of clients) await emailFrom(actor, c.email, "More news");
    model.reset();
    const ids = clients.map((c) => c.id).sort();

    model.script(answer("first"));
    const out = await refresh(
      actor,
      ids,
      deps({ aiLimits: { ...roomy, backgroundRequestsPerMinute: 1 } }),
    );

    expect(out.result).toMatchObject({
      refreshed: 1,
      stopped: BACKGROUND_RATE_LIMITED,
      notRefreshed: 2,
    });
    expect(out.attempts).toBe(1);
    expect(model.requests).toHaveLength(1);
    expect((await insightOf(ids[0]!)).refreshError).toBeNull();
    for (const id of ids.slice(1)) {
      expect((await insightOf(id)).refreshError).toBe(BACKGROUND_RATE_LIMITED);
    }
    // The foreground window (chat, the Refresh button) was not spent by the background.
    const foreground = await h.db.rateLimit.findUnique({ where: { key: `ai:${actor.userId}` } });
    const before = foreground?.points ?? 0;
    model.script(answer("by hand"));
    const byHand = await generateInsight(h.db, actor, ids[1]!, {
      provider,
      guard: { limits: { ...roomy, backgroundRequestsPerMinute: 1 } },
    });
    expect(byHand.generated).toBe(true);
    expect(
      (await h.db.rateLimit.findUniqueOrThrow({ where: { key: `ai:${actor.userId}` } })).points,
    ).toBe(before + 1);
  });

  it("stops when the provider fails, saying so, after the SDK's one retry", async () => {
    const actor = await makeUser(h.db, "refresh4@insights.test");
    const a = await client(actor, true);
    await emailFrom(actor, a.email, "Hello again");
    model.reset();
    model.faults.next({ type: "error", status: 500 }, { api: "chat.completions", times: 2 });

    const out = await refresh(actor, [a.id]);

    const host = new URL(model.baseURL).host;
    expect(out.attempts).toBe(1);
    expect(out.result).toMatchObject({
      stopped: `The AI provider at ${host} failed (HTTP 500); try again later.`,
      notRefreshed: 1,
    });
    expect(model.requests).toHaveLength(2);
    expect((await insightOf(a.id)).refreshError).toMatch(/failed \(HTTP 500\)/);
  });

  it("does nothing without a provider, and nothing for a client who withdrew consent", async () => {
    const actor = await makeUser(h.db, "refresh5@insights.test");
    const a = await client(actor, true);
    const b = await client(actor, true);
    await emailFrom(actor, a.email, "Hello again");
    await emailFrom(actor, b.email, "Hello again");
    model.reset();

    const unconfigured = createAiProvider({
      OMNICRM_AI_CHAT_MODEL: "gpt-local",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_API: "chat",
    });
    const skipped = await refresh(actor, [a.id, b.id], deps({ aiProvider: unconfigured }));
    expect(skipped.result).toEqual({ skipped: expect.stringMatching(/not configured/) as unknown });

    await assistant.setAiConsent(h.db, actor, { contactIds: [a.id], consent: false });
    model.script(answer(b.name));
    const out = await refresh(actor, [a.id, b.id]);
    expect(out.result).toEqual({ refreshed: 1, current: 0, skipped: 0 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.text).not.toContain(a.name);
    expect(await h.db.contactInsight.count({ where: { contactId: a.id } })).toBe(0);
  });

  it("a Gmail sync's event refreshes the insight of a client who wrote again", async () => {
    const { actor, googleEmail } = await connectedUser(h);
    const mailbox = h.google.mailbox(googleEmail);
    expect(
      (
        await runFunction(
          createGmailSync(() => h.deps),
          syncEvent("gmail", actor),
        )
      ).error,
    ).toBeUndefined();
    const [someone] = await h.db.contact.findMany({
      where: { userId: actor.userId },
      orderBy: { email: "asc" },
      take: 1,
      select: { id: true, email: true, name: true },
    });
    model.script(answer(someone!.name));
    await generateInsight(h.db, actor, someone!.id, { provider, guard: { limits: roomy } });
    model.reset();

    h.clock.advance(10 * 60_000);
    mailbox.addMessage({
      from: { name: someone!.name, email: someone!.email! },
      subject: "Booking a follow-up",
      labelIds: ["INBOX"],
      text: "Could we meet next week?",
    });
    const synced = await runFunction(
      createGmailSync(() => h.deps),
      syncEvent("gmail", actor),
    );
    expect(synced.error).toBeUndefined();
    expect(synced.sent).toHaveLength(1);
    expect(synced.sent[0]!.data).toMatchObject({ contactIds: [someone!.id] });
    expect(await contactInsight(h.db, actor, someone!.id, { provider })).toMatchObject({
      upToDate: false,
      changes: { newInteractions: 1 },
    });

    model.script(answer(`${someone!.name} (follow-up)`));
    const sent = synced.sent[0]!;
    const out = await runFunction(
      createInsightsRefresh(() => deps()),
      { name: sent.name, data: sent.data },
    );
    expect(out.result).toEqual({ refreshed: 1, current: 0, skipped: 0 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.text).toContain("Booking a follow-up");
    expect(await contactInsight(h.db, actor, someone!.id, { provider })).toMatchObject({
      upToDate: true,
    });
  });
});
