// Chat latency benchmark: `npm run bench:chat`.
//
// What the chat route adds to the model's time to first token. The same local model (an
// OpenAI-compatible server with a fixed time to first token) is read two ways, interleaved:
//   direct: streamText against the model with the same tools and instructions, timed to the
//           first text delta; nothing else.
//   route:  POST /api/chat (the real route function, over real HTTP on 127.0.0.1), timed to the
//           first text delta in the response: session-less auth aside, everything a turn does
//           before the model answers: reading and validating the request, loading the thread and
//           the AI settings, the guardrails (budgets from the usage table, the per-minute window),
//           saving the question, converting the history, and streaming the answer back.
// The user has a month of recorded usage (so the budget sums read real rows), and each turn
// goes to a thread that already holds 20 messages. Prints p50/p95 of both, of the difference
// per pair, and whether what the route adds at p95 is within 20 ms.
// A measurement, not a test: it exits 0 whatever it finds, with a summary line at the end.

import os from "node:os";
import { assistantTools, chatInstructions, createAiProvider, overrideAiEnv } from "@omnicrm/ai";
import { assistant } from "@omnicrm/core";
import { createPrismaClient } from "@omnicrm/db";
import { applyMigrations } from "@omnicrm/db/server";
import { startLocalModel } from "@omnicrm/openai-local";
import { streamText } from "ai";
import { chatResponse } from "../src/index.ts";
import { startBenchDatabase } from "./database.ts";
import { benchEnv } from "./env.ts";
import { startHttpServer } from "./http.ts";

const TARGET_ADDED_P95_MS = 20;
const MODEL_TTFT_MS = 150;
const HISTORY = 20;
const ANSWER = "Maya last came on Tuesday; she usually books every two weeks.";

const log = (line = "") => console.log(line);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "-");

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/** Reads an SSE UI message stream until the first text delta; returns when it arrived. */
async function firstTextDelta(response: Response): Promise<number> {
  if (!response.ok || !response.body) {
    throw new Error(`the chat route answered ${response.status}: ${await response.text()}`);
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let at = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    if (Number.isNaN(at) && buffer.includes('"type":"text-delta"')) at = performance.now();
  }
  if (Number.isNaN(at)) throw new Error(`no text in the answer: ${buffer.slice(0, 300)}`);
  return at;
}

async function main(): Promise<void> {
  const runs = benchEnv.BENCH_CHAT_RUNS;
  const warmup = benchEnv.BENCH_WARMUP;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

  try {
    log(
      `chat time-to-first-token benchmark: ${warmup} warm-up + ${runs} timed runs per variant, ` +
        `model TTFT ${MODEL_TTFT_MS} ms, Node ${process.version}, ${os.cpus().length} cores`,
    );
    const database = await startBenchDatabase(benchEnv.DATABASE_URL);
    cleanups.push(database.dispose);
    log(`database: ${database.description}`);
    await applyMigrations(database.url);

    const model = await startLocalModel({
      latency: { timeToFirstTokenMs: MODEL_TTFT_MS, perTokenMs: 0 },
      handler: () => ANSWER,
    });
    cleanups.push(() => model.close());
    const restoreEnv = overrideAiEnv({
      OPENAI_API_KEY: model.apiKey,
      OPENAI_BASE_URL: model.baseURL,
      OMNICRM_AI_API: "chat",
      OMNICRM_AI_CHAT_MODEL: "gpt-local",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_REQUESTS_PER_MINUTE: "100000",
      OMNICRM_AI_DAILY_TOKENS: "1000000000",
      OMNICRM_AI_MONTHLY_TOKENS: "1000000000",
      OMNICRM_AI_DAILY_COST_USD: "1000000",
      OMNICRM_AI_MONTHLY_COST_USD: "1000000",
    });
    cleanups.push(() => Promise.resolve(restoreEnv()));
    const provider = createAiProvider();
    if (!provider.configured) throw new Error(provider.reason);

    const db = createPrismaClient(database.url, { poolSize: 10 });
    cleanups.push(() => db.$disconnect());
    const row = await db.user.create({ data: { email: "bench@chat.test", name: "Ana Reyes" } });
    const user = { id: row.id, email: row.email, name: row.name };
    const actor = { userId: user.id };
    // A month of use: the budget sums read real rows.
    const now = Date.now();
    await db.aiUsage.createMany({
      data: Array.from({ length: 2_000 }, (_, i) => ({
        userId: user.id,
        feature: i % 5 === 0 ? "embeddings" : "chat",
        model: "gpt-local",
        inputTokens: 400,
        outputTokens: 80,
        costMicros: 300n,
        createdAt: new Date(now - (i % 25) * 86_400_000 - i * 1000),
      })),
    });
    const history: assistant.StoredChatMessage[] = Array.from({ length: HISTORY }, (_, i) => ({
      id: `h${i}`,
      role: i % 2 === 0 ? "user" : "assistant",
      parts: [{ type: "text", text: i % 2 === 0 ? `Question ${i} about Maya?` : ANSWER }],
    }));
    const newThread = async () => {
      const thread = await db.chatThread.create({
        data: { userId: user.id, title: "Bench" },
      });
      await assistant.saveThreadMessages(db, actor, {
        threadId: thread.id,
        keep: 0,
        messages: history,
      });
      return thread.id;
    };

    const server = await startHttpServer((request) => chatResponse(request, user, db));
    cleanups.push(server.close);
    log(`chat route served at ${server.origin}/api/chat`);

    const tools = assistantTools({ db, actor, threadId: null });
    const instructions = chatInstructions({
      practitionerName: user.name,
      now: new Date(),
      timeZone: "UTC",
    });
    const question = (i: number) => `How is Maya doing? (${i})`;

    const direct = async (i: number): Promise<number> => {
      const started = performance.now();
      const result = streamText({
        model: provider.chatModel,
        instructions,
        messages: [
          ...history.map((m) => ({
            role: m.role,
            content: (m.parts[0] as { text: string }).text,
          })),
          { role: "user" as const, content: question(i) },
        ],
        tools,
      });
      let first = Number.NaN;
      for await (const part of result.stream) {
        if (part.type === "text-delta" && Number.isNaN(first)) first = performance.now();
      }
      return first - started;
    };

    let sequence = 0;
    const route = async (i: number, threadId: string): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${server.origin}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          threadId,
          trigger: "submit-message",
          message: {
            id: `bench-${++sequence}`,
            role: "user",
            parts: [{ type: "text", text: question(i) }],
          },
          timeZone: "UTC",
        }),
      });
      return (await firstTextDelta(response)) - started;
    };

    for (let i = 0; i < warmup; i++) {
      await direct(i);
      await route(i, await newThread());
    }
    const samples = { direct: [] as number[], route: [] as number[], added: [] as number[] };
    log(`measuring (load average before: ${os.loadavg()[0]!.toFixed(1)})...`);
    for (let i = 0; i < runs; i++) {
      const threadId = await newThread();
      // Alternate which goes first, so both see the same conditions.
      let d: number;
      let r: number;
      if (i % 2 === 0) {
        d = await direct(i);
        r = await route(i, threadId);
      } else {
        r = await route(i, threadId);
        d = await direct(i);
      }
      samples.direct.push(d);
      samples.route.push(r);
      samples.added.push(r - d);
    }
    const load = os.loadavg()[0]!.toFixed(1);
    const rows = [
      ["model read directly", samples.direct],
      ["through the chat route", samples.route],
      ["added by the route (per pair)", samples.added],
    ] as const;
    log("");
    log("| time to first token | p50 ms | p95 ms |");
    log("| --- | --- | --- |");
    for (const [label, values] of rows)
      log(`| ${label} | ${ms(percentile(values, 0.5))} | ${ms(percentile(values, 0.95))} |`);
    const addedP95 = percentile(samples.added, 0.95);
    const routeOverhead = percentile(samples.route, 0.95) - percentile(samples.direct, 0.95);
    log(`| route p95 minus direct p95 | | ${ms(routeOverhead)} |`);
    log("");
    log(
      `load average after: ${load}. Added at p95: ${ms(routeOverhead)} ms between the two ` +
        `p95s, ${ms(addedP95)} ms as the p95 of the per-pair differences (which also holds the ` +
        `model's own jitter); target at most ${TARGET_ADDED_P95_MS} ms: ` +
        `${routeOverhead <= TARGET_ADDED_P95_MS ? "met" : "MISSED"} (per pair: ` +
        `${addedP95 <= TARGET_ADDED_P95_MS ? "met" : "missed"}).`,
    );
    const turns = await db.chatMessage.count({ where: { userId: user.id, role: "assistant" } });
    log(
      `check: ${turns - (runs + warmup) * (HISTORY / 2)} answers stored (expected ${runs + warmup}), ` +
        `${await db.aiUsage.count({ where: { userId: user.id } })} usage rows.`,
    );
  } finally {
    await cleanup();
  }
}

await main();
