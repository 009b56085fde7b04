// Search benchmark: `npm run bench:search` (BENCH_ITEMS=5000 for a quick check).
//
// Seeds a fresh PostgreSQL with one practitioner's 50,000 searchable items (contacts, session
// notes, emails and calendar sessions, written by a seeded generator) among three other
// practitioners' data, embeds all of them with the real index code against the local model
// server (its deterministic embeddings, over HTTP, through the guardrails), serves the real tRPC
// router on 127.0.0.1 and times `search.query` over HTTP: hybrid, meaning only and keyword only,
// on every vector backend the database has (the in-process one always; pgvector when the server
// has it). A measurement, not a test: it exits 0 whatever it finds.

import { randomUUID } from "node:crypto";
import os from "node:os";
import { aiSearch, overrideAiEnv } from "@omnicrm/ai";
import { contacts as contactsCore } from "@omnicrm/core";
import { createPrismaClient } from "@omnicrm/db";
import { applyMigrations } from "@omnicrm/db/server";
import { startLocalModel } from "@omnicrm/openai-local";
import { createTRPCClient, httpLink } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import pg from "pg";
import { transformer } from "../src/transformer.ts";
import { appRouter, createInnerContext, logger, type AppRouter } from "../src/index.ts";
import { startBenchDatabase } from "./database.ts";
import { benchEnv } from "./env.ts";
import { startHttpServer } from "./http.ts";
import { BENCH_QUERIES, generateCorpus } from "./search-corpus.ts";

const env = benchEnv;

const P95_BUDGET_MS = 100;
const OTHER_USERS = 3;
const OTHER_SHARE = 0.2;
const log = (line = "") => console.log(line);
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
const ms = (v: number) => (Number.isNaN(v) ? "-" : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** Splits an item count like the practice's: 4% contacts, 56% notes, 40% emails and sessions. */
function split(items: number) {
  const contacts = Math.max(10, Math.round(items * 0.04));
  const notes = Math.round(items * 0.56);
  return { contacts, notes, interactions: items - contacts - notes };
}

async function insertRows(client: pg.Client, sql: string, columns: unknown[][], chunk = 5000) {
  const total = columns[0]!.length;
  for (let i = 0; i < total; i += chunk) {
    await client.query(
      sql,
      columns.map((c) => c.slice(i, i + chunk)),
    );
  }
}

/** One practitioner's data, written in bulk (the search triggers make the documents). */
async function seedPractice(client: pg.Client, seed: number, items: number): Promise<string> {
  const userId = randomUUID();
  await client.query("INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())", [
    userId,
    `practitioner${seed}@bench.test`,
    `Practitioner ${seed}`,
  ]);
  const corpus = generateCorpus(seed, split(items));
  const contactIds = corpus.contacts.map(() => randomUUID());
  const now = Date.now();
  await insertRows(
    client,
    `INSERT INTO contacts (id, user_id, name, name_sort, email, search_text, stage, created_at, updated_at)
     SELECT x.id, '${userId}'::uuid, x.name, x.name_sort, x.email, x.search_text, x.stage, x.created_at, now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       AS x(id, name, name_sort, email, search_text, stage, created_at)`,
    [
      contactIds,
      corpus.contacts.map((c) => c.name),
      corpus.contacts.map((c) => c.nameSort),
      corpus.contacts.map((c) => c.email),
      corpus.contacts.map((c) => contactsCore.buildSearchText(c.name, [c.email], [])),
      corpus.contacts.map((_, i) => (i % 3 === 0 ? "active" : i % 3 === 1 ? "lead" : "past")),
      corpus.contacts.map((_, i) => new Date(now - (i % 900) * 86_400_000)),
    ],
  );
  await insertRows(
    client,
    `INSERT INTO notes (id, user_id, contact_id, body, created_at, updated_at)
     SELECT x.id, '${userId}'::uuid, x.contact_id, x.body, x.created_at, now()
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(id, contact_id, body, created_at)`,
    [
      corpus.notes.map(() => randomUUID()),
      corpus.notes.map((n) => contactIds[n.contact]),
      corpus.notes.map((n) => n.body),
      corpus.notes.map((_, i) => new Date(now - (i % 700) * 86_400_000)),
    ],
  );
  const interactionIds = corpus.interactions.map(() => randomUUID());
  await insertRows(
    client,
    `INSERT INTO interactions (id, user_id, kind, provider, external_id, direction, subject, snippet,
       location, occurred_at, participants, updated_at)
     SELECT x.id, '${userId}'::uuid, x.kind, CASE x.kind WHEN 'email' THEN 'gmail' ELSE 'calendar' END,
       x.id::text, CASE x.kind WHEN 'email' THEN 'inbound' END, x.subject, x.snippet, x.location,
       x.occurred_at, '[]'::jsonb, now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
       AS x(id, kind, subject, snippet, location, occurred_at)`,
    [
      interactionIds,
      corpus.interactions.map((i) => i.kind),
      corpus.interactions.map((i) => i.subject),
      corpus.interactions.map((i) => i.snippet),
      corpus.interactions.map((i) => i.location),
      corpus.interactions.map((i) => new Date(now - i.daysAgo * 86_400_000)),
    ],
  );
  await insertRows(
    client,
    `INSERT INTO interaction_contacts (interaction_id, contact_id, user_id, role)
     SELECT x.interaction_id, x.contact_id, '${userId}'::uuid, x.role
     FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(interaction_id, contact_id, role)`,
    [
      interactionIds,
      corpus.interactions.map((i) => contactIds[i.contact]),
      corpus.interactions.map((i) => (i.kind === "email" ? "from" : "attendee")),
    ],
  );
  return userId;
}

interface Sample {
  clientMs: number;
  keywordMs: number;
  vectorMs: number;
  filterMs: number;
  hydrateMs: number;
  serverMs: number;
  results: number;
  byMeaning: number;
}

const p95Of = (samples: Sample[], key: keyof Sample) =>
  ms(
    percentile(
      samples.map((x) => x[key]),
      0.95,
    ),
  );

/** The server's own timings at p95: the whole call, and each part the mode has. */
function serverParts(s: Sample[], mode: "hybrid" | "keyword" | "meaning"): string {
  return [
    `all ${p95Of(s, "serverMs")}`,
    mode !== "meaning" ? `keyword ${p95Of(s, "keywordMs")}` : null,
    mode !== "keyword" ? `vectors ${p95Of(s, "vectorMs")}` : null,
    mode !== "keyword" ? `consent ${p95Of(s, "filterMs")}` : null,
    `text ${p95Of(s, "hydrateMs")}`,
  ]
    .filter(Boolean)
    .join(", ");
}

async function main() {
  log(
    `search benchmark: ${env.BENCH_ITEMS.toLocaleString("en-US")} items for one practitioner among ` +
      `${OTHER_USERS} others (${Math.round(OTHER_SHARE * 100)}% as many each), ${BENCH_QUERIES.length} queries x ` +
      `${env.BENCH_SEARCH_RUNS} runs per mode, Node ${process.version}, ${os.cpus().length} cores, load ${loadAverage()}`,
  );
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const database = await startBenchDatabase(benchEnv.DATABASE_URL);
    if (benchEnv.BENCH_KEEP_DATABASE && benchEnv.DATABASE_URL)
      log(`keeping the database: ${database.url}`);
    else cleanups.push(database.dispose);
    log(`database: ${database.description}`);
    await applyMigrations(database.url);
    const raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
    cleanups.push(() => raw.end());
    log(
      `PostgreSQL ${(await raw.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v}`,
    );

    let started = performance.now();
    const benchUserId = await seedPractice(raw, 1, env.BENCH_ITEMS);
    const others: string[] = [];
    for (let i = 0; i < OTHER_USERS; i++) {
      others.push(await seedPractice(raw, 2 + i, Math.round(env.BENCH_ITEMS * OTHER_SHARE)));
    }
    await raw.query("VACUUM ANALYZE");
    const docs = await raw.query<{ user_id: string; n: string }>(
      "SELECT user_id, count(*) AS n FROM search_documents GROUP BY user_id",
    );
    const docsOf = new Map(docs.rows.map((r) => [r.user_id, Number(r.n)]));
    log(
      `seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: search documents ` +
        `${(docsOf.get(benchUserId) ?? 0).toLocaleString("en-US")} for the bench user, ` +
        `${others.map((id) => (docsOf.get(id) ?? 0).toLocaleString("en-US")).join(" + ")} for the others`,
    );

    const model = await startLocalModel({ port: 0 });
    cleanups.push(() => model.close());
    const restoreEnv = overrideAiEnv({
      OPENAI_API_KEY: model.apiKey,
      OPENAI_BASE_URL: model.baseURL,
      OMNICRM_AI_API: "chat",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_REQUESTS_PER_MINUTE: "1000000",
      OMNICRM_AI_BACKGROUND_REQUESTS_PER_MINUTE: "1000000",
      OMNICRM_AI_DAILY_TOKENS: "1000000000",
      OMNICRM_AI_MONTHLY_TOKENS: "1000000000",
      OMNICRM_AI_DAILY_COST_USD: "100000",
      OMNICRM_AI_MONTHLY_COST_USD: "100000",
      OMNICRM_SEARCH_VECTORS: "auto",
      OMNICRM_SEARCH_BATCH_SIZE: "500",
    });
    cleanups.push(() => Promise.resolve(restoreEnv()));
    const db = createPrismaClient(database.url, { poolSize: 4 });
    cleanups.push(() => db.$disconnect());

    const prepared = await aiSearch.prepareVectorBackend(db, 256);
    log(
      `vector backends: in-process${prepared.backend === "pgvector" ? " and pgvector (HNSW, set up by the index job)" : " only (this server has no pgvector)"}`,
    );
    started = performance.now();
    let embedded = 0;
    for (const userId of [benchUserId, ...others]) {
      for (;;) {
        const batch = await aiSearch.indexNextBatch(db, { userId });
        if (batch.stopped) throw new Error(`the index stopped: ${batch.stopped.reason}`);
        embedded += batch.stored;
        if (!batch.more) break;
      }
    }
    const indexSeconds = (performance.now() - started) / 1000;
    log(
      `indexed ${embedded.toLocaleString("en-US")} items in ${indexSeconds.toFixed(1)} s ` +
        `(${Math.round(embedded / indexSeconds).toLocaleString("en-US")} items/s: the real index code, batches of 500 through the guardrails, ` +
        `the local model server over HTTP${prepared.backend === "pgvector" ? ", pgvector copies and HNSW inserts" : ""}); load ${loadAverage()}`,
    );
    await raw.query("VACUUM ANALYZE");

    const user = { id: benchUserId, email: "practitioner1@bench.test", name: "Practitioner 1" };
    const silent = logger.child({}, { level: "silent" });
    const server = await startHttpServer((request) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req: request,
        router: appRouter,
        createContext: () => createInnerContext({ db, user, log: silent }),
      }),
    );
    cleanups.push(server.close);
    const api = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${server.origin}/api/trpc`, transformer })],
    });

    const timed = async (
      query: string,
      mode: "hybrid" | "keyword" | "meaning",
    ): Promise<Sample> => {
      const t0 = performance.now();
      const outcome = await api.search.query.query({ query, mode });
      const clientMs = performance.now() - t0;
      if (mode !== "keyword" && !outcome.meaning.used) {
        throw new Error(`meaning was not used for "${query}": ${outcome.meaning.reason}`);
      }
      return {
        clientMs,
        keywordMs: outcome.timings.keywordMs,
        vectorMs: outcome.timings.vectorMs,
        filterMs: outcome.timings.filterMs,
        hydrateMs: outcome.timings.hydrateMs,
        serverMs: outcome.timings.totalMs,
        results: outcome.results.length,
        byMeaning: outcome.results.filter((r) => r.matchedBy.includes("meaning")).length,
      };
    };

    const backends =
      prepared.backend === "pgvector" ? (["pgvector", "memory"] as const) : (["memory"] as const);
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const backend of backends) {
      overrideAiEnv({ OMNICRM_SEARCH_VECTORS: backend });
      if (backend === "memory") {
        aiSearch.memoryVectorIndex().clear();
        global.gc?.();
        const before = process.memoryUsage().arrayBuffers;
        const t0 = performance.now();
        await timed("knee pain", "meaning");
        const loadMs = performance.now() - t0;
        const stats = aiSearch.memoryVectorIndex().stats();
        log(
          `in-process index: first search loaded ${stats.vectors.toLocaleString("en-US")} vectors in ${loadMs.toFixed(0)} ms, ` +
            `${(stats.bytes / 1024 / 1024).toFixed(1)} MB (int8 codes + scales + ids), array buffers +${((process.memoryUsage().arrayBuffers - before) / 1024 / 1024).toFixed(1)} MB`,
        );
      } else {
        const { rows: sample } = await raw.query<{ v: string }>(
          "SELECT embedding::text AS v FROM omnicrm_vector.search_vectors LIMIT 1",
        );
        await raw.query("BEGIN");
        await raw.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
        const { rows: plan } = await raw.query<{ "QUERY PLAN": string }>(
          `EXPLAIN SELECT record_id FROM omnicrm_vector.search_vectors
           WHERE user_id = $1 AND model = 'text-embedding-local' AND dims = 256
           ORDER BY (embedding::omnicrm_vector.vector(256)) OPERATOR(omnicrm_vector.<=>) $2::omnicrm_vector.vector(256)
           LIMIT 100`,
          [benchUserId, sample[0]?.v ?? null],
        );
        await raw.query("COMMIT");
        log(
          `pgvector plan: ${plan
            .map((r) => r["QUERY PLAN"].trim())
            .filter((l) => /Scan|Sort/.test(l))
            .join(" / ")}`,
        );
      }
      // The first search of each query, cache cold: the query's embedding is a model call.
      aiSearch.clearQueryEmbeddings();
      const firsts: number[] = [];
      for (const query of BENCH_QUERIES) firsts.push((await timed(query, "hybrid")).clientMs);
      // Warm-up, then the timed runs, the three modes interleaved.
      for (const query of BENCH_QUERIES) await timed(query, "keyword");
      const samples = { hybrid: [] as Sample[], meaning: [] as Sample[], keyword: [] as Sample[] };
      for (let run = 0; run < env.BENCH_SEARCH_RUNS; run++) {
        for (const query of BENCH_QUERIES) {
          for (const mode of ["hybrid", "meaning", "keyword"] as const) {
            samples[mode].push(await timed(query, mode));
          }
        }
      }
      const label = backend === "memory" ? "in-process" : "pgvector";
      for (const mode of ["hybrid", "meaning", "keyword"] as const) {
        const s = samples[mode];
        const client = s.map((x) => x.clientMs);
        rows.push([
          label,
          mode === "meaning" ? "meaning only" : mode === "keyword" ? "keyword only" : "hybrid",
          ms(percentile(client, 0.5)),
          ms(percentile(client, 0.95)),
          serverParts(s, mode),
          (s.reduce((a, x) => a + x.results, 0) / s.length).toFixed(1),
          (s.reduce((a, x) => a + x.byMeaning, 0) / s.length).toFixed(1),
        ]);
        if (mode === "hybrid") {
          const p95 = percentile(client, 0.95);
          verdicts.push(
            `${label} hybrid p95 ${ms(p95)} ms ${p95 <= P95_BUDGET_MS ? "PASS" : "MISS"} (<= ${P95_BUDGET_MS} ms)`,
          );
        }
      }
      rows.push([
        label,
        "hybrid, first search of a query (model call)",
        ms(percentile(firsts, 0.5)),
        ms(percentile(firsts, 0.95)),
        "",
        "",
        "",
      ]);
    }

    log();
    const headers = [
      "backend",
      "mode",
      "p50 ms",
      "p95 ms",
      "server p95 ms (parts)",
      "results",
      "by meaning",
    ];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    log(line(headers));
    log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const row of rows) log(line(row));
    log();
    log(`over HTTP through tRPC (httpLink + superjson); load average after: ${loadAverage()}`);
    log(`summary: ${verdicts.join("; ")}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

await main();
