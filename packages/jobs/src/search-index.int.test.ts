import { aiSearch, createAiProvider, overrideAiEnv, type ConfiguredAiProvider } from "@omnicrm/ai";
import { search, type Actor } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { InngestTestEngine } from "@inngest/test";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createSearchIndex,
  createSearchIndexScheduler,
  recordSearchIndexFailure,
  type SearchIndexDeps,
} from "./functions/search-index.ts";

let testDb: TestDatabase;
let model: LocalModel;
let restoreEnv: () => void;
const now = new Date("2026-11-23T12:00:00Z");

beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
  restoreEnv = overrideAiEnv({ OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE: "1000" });
});
afterAll(async () => {
  restoreEnv();
  await Promise.all([testDb.drop(), model.close()]);
});
beforeEach(() => model.reset());

function provider(): ConfiguredAiProvider {
  const p = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: "chat",
  });
  if (!p.configured) throw new Error("expected a configured provider");
  return p;
}

const deps = (extra: Partial<SearchIndexDeps> = {}): SearchIndexDeps => ({
  db: testDb.db,
  now: () => now,
  provider: provider(),
  batchSize: 2,
  ...extra,
});

let users = 0;
async function practitioner(notes: number, options: { consent?: boolean } = {}): Promise<Actor> {
  const user = await testDb.db.user.create({ data: { email: `index${++users}@jobs.test` } });
  const contact = await testDb.db.contact.create({
    data: {
      userId: user.id,
      name: `Client ${users}`,
      nameSort: `client ${users}`,
      aiConsent: options.consent ?? true,
    },
  });
  for (let i = 0; i < notes; i++) {
    await testDb.db.note.create({
      data: {
        userId: user.id,
        contactId: contact.id,
        body: `Session ${i}: mobility work, week ${i}.`,
      },
    });
  }
  return { userId: user.id };
}

/** Runs the index function for one event (a fresh engine: Inngest runs each event anew). */
async function runIndex(actor: Actor, d: SearchIndexDeps = deps()) {
  const engine = new InngestTestEngine({
    function: createSearchIndex(() => d),
    events: [
      { name: "ai/embeddings.requested", data: { userId: actor.userId, trigger: "manual" } },
    ],
    // Sending needs an Inngest server: the step is answered here, its input is checked.
    steps: [{ id: "continue", handler: () => ({ ids: ["e1"] }) }],
  });
  return engine.execute();
}

const embeddingCalls = () => model.requests.filter((r) => r.api === "embeddings").length;

describe("the search index function", () => {
  it("embeds a user's records in batches of the configured size, then a replay changes nothing", async () => {
    const actor = await practitioner(4); // 5 documents: the contact and 4 notes
    const { result, error } = await runIndex(actor);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ embedded: 5, continued: false });
    const offered = (await search.pgvectorStatus(testDb.db, { fresh: true })).available;
    expect((result as { backend: string }).backend).toBe(offered ? "pgvector" : "memory");
    expect(embeddingCalls()).toBe(3);
    expect(model.requests.map((r) => r.input?.length)).toEqual([2, 2, 1]);
    expect(await search.getIndexState(testDb.db, actor)).toMatchObject({
      status: "idle",
      reason: null,
      lastEmbedded: 5,
    });
    const audits = await testDb.db.aiAuditEvent.count({
      where: { userId: actor.userId, feature: "embeddings", outcome: "ok" },
    });
    expect(audits).toBe(3);

    const replay = await runIndex(actor);
    expect(replay.result).toMatchObject({ embedded: 0, continued: false });
    expect(embeddingCalls()).toBe(3);
    expect(await testDb.db.searchEmbedding.count({ where: { userId: actor.userId } })).toBe(5);
  });

  it("goes on in a new run when there is more than one run's worth", async () => {
    const actor = await practitioner(4);
    const { result, ctx } = await runIndex(actor, deps({ batchesPerRun: 2 }));
    expect(result).toMatchObject({ embedded: 4, continued: true });
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    expect(sent).toHaveLength(1);
    expect(sent[0]![1]).toMatchObject({
      name: "ai/embeddings.requested",
      data: { userId: actor.userId, trigger: "continue" },
    });
    expect((await runIndex(actor, deps({ batchesPerRun: 2 }))).result).toMatchObject({
      embedded: 1,
      continued: false,
    });
  });

  it("stops without retrying when the budget refuses, says why, and the scheduler resumes it only after the reset", async () => {
    const actor = await practitioner(2);
    await testDb.db.aiUsage.create({
      data: {
        userId: actor.userId,
        feature: "chat",
        model: "gpt-local",
        inputTokens: 50_000_000,
        outputTokens: 0,
        createdAt: now,
      },
    });
    const { result, error } = await runIndex(actor);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ embedded: 0 });
    expect((result as { stopped: string }).stopped).toMatch(/^You have used today's AI budget/);
    expect(embeddingCalls()).toBe(0);
    const state = await search.getIndexState(testDb.db, actor);
    expect(state.status).toBe("paused");
    expect(state.reason).toMatch(
      /^The index paused: you have used today's AI budget .* it resets at midnight UTC\.$/,
    );
    expect(state.resumeAt).toEqual(new Date("2026-11-24T00:00:00Z"));

    const scheduled = async (at: Date) => {
      const engine = new InngestTestEngine({
        function: createSearchIndexScheduler(() => deps({ now: () => at })),
        steps: [{ id: "request-indexing", handler: () => ({ ids: [] }) }],
      });
      const { ctx } = await engine.execute();
      const calls = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
      return calls.flatMap((call) =>
        (call[1] as { data: { userId: string } }[]).map((e) => e.data.userId),
      );
    };
    expect(await scheduled(now)).not.toContain(actor.userId);
    expect(await scheduled(new Date("2026-11-24T00:05:00Z"))).toContain(actor.userId);
  });

  it("pauses over the per-minute rate of background calls and resumes a minute later", async () => {
    const restore = overrideAiEnv({ OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE: "1" });
    try {
      const actor = await practitioner(3);
      const { result } = await runIndex(actor, deps({ now: () => new Date() }));
      expect(result).toMatchObject({ embedded: 2 });
      expect((result as { stopped: string }).stopped).toMatch(/^Too many AI requests this minute/);
      expect(embeddingCalls()).toBe(1);
      const state = await search.getIndexState(testDb.db, actor);
      expect(state.status).toBe("paused");
      expect(state.resumeAt!.getTime() - Date.now()).toBeLessThanOrEqual(61_000);
    } finally {
      restore();
    }
  });

  it("says so when no AI provider is configured, and the scheduler asks for nothing", async () => {
    const actor = await practitioner(1);
    const none = createAiProvider({
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      OMNICRM_AI_CHAT_MODEL: "x",
      OMNICRM_AI_EMBEDDING_MODEL: "y",
      OMNICRM_AI_API: "chat",
    });
    const { result } = await runIndex(actor, deps({ provider: none }));
    expect((result as { stopped: string }).stopped).toMatch(/^The AI assistant is not configured/);
    expect((await search.getIndexState(testDb.db, actor)).status).toBe("paused");
    expect(await aiSearch.usersToIndex(testDb.db, now, { provider: none })).toEqual([]);
  });

  it("records a failure in words (the onFailure handler)", async () => {
    const actor = await practitioner(0);
    await recordSearchIndexFailure(
      deps(),
      actor.userId,
      "The AI provider answered 500.\n    at stack",
    );
    expect(await search.getIndexState(testDb.db, actor)).toMatchObject({
      status: "failed",
      reason: "The index stopped after several attempts: The AI provider answered 500.",
    });
  });
});

describe("the search index scheduler", () => {
  it("requests one index run per user with records waiting, and none for users who are done or have no consenting records", async () => {
    const waiting = await practitioner(2);
    const done = await practitioner(1);
    await runIndex(done);
    const private_ = await practitioner(2, { consent: false });
    const engine = new InngestTestEngine({
      function: createSearchIndexScheduler(() => deps()),
      steps: [{ id: "request-indexing", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await engine.execute();
    const calls = (ctx.step.sendEvent as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    const requested = calls[0]![1] as { name: string; data: { userId: string; trigger: string } }[];
    expect(
      requested.every((e) => e.name === "ai/embeddings.requested" && e.data.trigger === "schedule"),
    ).toBe(true);
    const ids = requested.map((e) => e.data.userId);
    expect(ids).toContain(waiting.userId);
    expect(ids).not.toContain(done.userId);
    expect(ids).not.toContain(private_.userId);
    expect(result).toEqual({ requested: ids.length });
  });
});
