// Contacts list benchmark: `npm run bench:contacts` (BENCH_SCALE=0.1 for a quick check).
//
// Seeds a fresh PostgreSQL with one million contacts (100,000 of them for the "bench user"),
// serves the real tRPC router over real HTTP on 127.0.0.1 and times `contacts.list` for five
// typical views against two references: the same query written by hand (the raw-SQL floor)
// and the old app's way (ILIKE over name/email, OFFSET and a count(*) of every match).
// A measurement, not a test: it exits 0 whatever it finds, with a summary line at the end.

import os from "node:os";
import { applyMigrations } from "@omnicrm/db/server";
import { contacts, type ContactPage } from "@omnicrm/core";
import { createPrismaClient } from "@omnicrm/db";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import pg from "pg";
import { compactContactPage, transformer } from "../src/transformer.ts";
import {
  appRouter,
  createInnerContext,
  logger,
  type AppRouter,
  type RouterInputs,
  type SessionUser,
} from "../src/index.ts";
import { createTRPCRouter, protectedProcedure } from "../src/trpc.ts";
import { startBenchDatabase } from "./database.ts";
import { benchEnv } from "./env.ts";
import { keepAliveFetch, startHttpServer } from "./http.ts";
import { RARE_LAST_NAMES } from "./names.ts";
import { seed } from "./seed.ts";

const P95_BUDGET_MS = 50;
const MAX_RAW_RATIO = 2;
const MIN_BASELINE_SPEEDUP = 10;
const PAGE = 50;
const SERVER_WARMUP_CALLS = 5_000;

type BenchListInput = RouterInputs["contacts"]["list"];

interface Sql {
  text: string;
  values: unknown[];
}

interface BenchCase {
  key: string;
  label: string;
  input: BenchListInput;
  /** The same page written by hand with pg, in one statement: the raw-SQL floor. */
  floor: Sql;
  /** The old app: ILIKE on name/email (no trigram column), OFFSET, and a count of all matches. */
  baseline: { page: Sql; count: Sql };
  /** How many rows match the case's filter (for the report). */
  matches: Sql;
  /** Held to the 10x-faster-than-baseline target. */
  versusBaseline: boolean;
}

interface Timings {
  samples: number[];
  error?: string;
}

interface CaseResult {
  benchCase: BenchCase;
  matches: number;
  trpc: Timings;
  raw: Timings;
  baseline: Timings;
  /** Whether tRPC returned the floor's rows in the floor's order. */
  sameRows: string;
  /** The statements one contacts.list call sent to PostgreSQL. */
  statements: Sql[];
}

/** What a list row carries, as contacts.list returns it: the contact's columns and its tags. */
const COLUMNS =
  "id, name, name_sort, email, phone, stage, created_at, updated_at, last_interaction_at";
const TAGS = `(SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color)
    ORDER BY t.name), '[]'::json)
  FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id) AS tags`;

/** One page of rows with their tags, in one statement. */
function pageSql(where: string, tail: string): string {
  return `SELECT c.*, ${TAGS}
FROM (SELECT ${COLUMNS} FROM contacts WHERE ${where} ORDER BY name_sort, id ${tail}) c
ORDER BY c.name_sort, c.id`;
}

/** The 1-minute load average: above the core count, other processes competed for the CPU. */
const loadAverage = () => os.loadavg()[0]!.toFixed(1);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) =>
  Number.isNaN(value) ? "-" : value < 10 ? value.toFixed(2) : value.toFixed(1);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}x` : "-");

function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    const fields = data?.fieldErrors ? ` ${JSON.stringify(data.fieldErrors)}` : "";
    return `${data?.code ?? "ERROR"}: ${error.message}${fields}`;
  }
  return error instanceof Error ? error.message : String(error);
}

// Every statement the pg driver sends while `captured` is set, to EXPLAIN what Prisma ran.
let captured: Sql[] | null = null;
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const clientPrototype = pg.Client.prototype as unknown as { query: QueryFn };
const originalQuery = clientPrototype.query;
clientPrototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [config, values] = args;
  if (captured) {
    if (typeof config === "string") {
      captured.push({ text: config, values: Array.isArray(values) ? values : [] });
    } else if (config && typeof config === "object" && "text" in config) {
      const query = config as { text: string; values?: unknown[] };
      captured.push({ text: query.text, values: query.values ?? [] });
    }
  }
  return originalQuery.apply(this, args);
};

async function main(): Promise<void> {
  const {
    BENCH_SCALE: scale,
    BENCH_RUNS: runs,
    BENCH_BASELINE_RUNS: baselineRuns,
    BENCH_WARMUP: warmup,
  } = benchEnv;
  const log = (line = "") => console.log(line);
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        await step().catch((error: unknown) =>
          console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    })();
    return cleaning;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping and removing the benchmark database...`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    log(
      `contacts.list benchmark: scale ${scale} (${Math.round(1_000_000 * scale).toLocaleString("en-US")} contacts), ` +
        `${warmup} warm-up + ${runs} timed runs per case of contacts.list and of its floor, ` +
        `${baselineRuns} of the old approach, ` +
        `Node ${process.version} (${process.execArgv.filter((flag) => flag.startsWith("--max-")).join(" ") || "default heap"}: ` +
        `the server's young generation, as the launcher sets it), ${os.cpus().length} cores`,
    );
    const database = await startBenchDatabase(benchEnv.DATABASE_URL);
    cleanups.push(database.dispose);
    log(`database: ${database.description}`);
    const migrated = await applyMigrations(database.url);
    log(`migrations applied: ${migrated.applied.join(", ")}`);

    log("seeding:");
    const seedStarted = performance.now();
    const seeded = await seed(database.url, scale, log);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(
      `seeded in ${seedSeconds.toFixed(1)} s: ` +
        Object.entries(seeded.counts)
          .map(([table, n]) => `${table} ${n.toLocaleString("en-US")}`)
          .join(", "),
    );

    const raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
    cleanups.push(() => raw.end());
    const { rows: versionRows } = await raw.query<{ server_version: string }>(
      "SHOW server_version",
    );
    log(`PostgreSQL ${versionRows[0]?.server_version ?? "?"}`);
    // The seed writes name_sort and search_text in SQL: check them against the app's own code.
    const { rows: sample } = await raw.query<{
      name: string;
      name_sort: string;
      search_text: string;
      emails: string[];
      phones: string[];
      tags_copied: boolean;
    }>(
      `SELECT c.name, c.name_sort, c.search_text,
         c.tag_ids = ARRAY(SELECT t.tag_id FROM contact_tags t WHERE t.contact_id = c.id
               ORDER BY t.tag_id) AS tags_copied,
         ARRAY(SELECT e.email FROM contact_emails e WHERE e.contact_id = c.id
               ORDER BY e.is_primary DESC, e.email) AS emails,
         ARRAY(SELECT p.phone FROM contact_phones p WHERE p.contact_id = c.id
               ORDER BY p.is_primary DESC, p.phone) AS phones
       FROM contacts c TABLESAMPLE SYSTEM (2) LIMIT 1000`,
    );
    const consistent = sample.filter(
      (row) =>
        row.name_sort === contacts.nameSortKey(row.name) &&
        row.search_text === contacts.buildSearchText(row.name, row.emails, row.phones) &&
        row.tags_copied,
    );
    log(
      `seed check: name_sort and search_text equal the app's nameSortKey/buildSearchText, ` +
        `and tag_ids the contact's tags, for ` +
        `${consistent.length}/${sample.length} sampled contacts`,
    );

    const db = createPrismaClient(database.url, { poolSize: 4 });
    cleanups.push(() => db.$disconnect());
    const user: SessionUser = seeded.benchUser;
    const silent = logger.child({}, { level: "silent" });
    const createContext = () => createInnerContext({ db, user, log: silent });

    // Transport only: the same server, tRPC middleware and superjson, returning a stored
    // list page without touching the database.
    let storedPage: ContactPage | null = null;
    const transportRouter = createTRPCRouter({
      page: protectedProcedure.query(() => storedPage && compactContactPage(storedPage)),
    });
    const server = await startHttpServer((request) => {
      const transport = new URL(request.url).pathname.startsWith("/bench/trpc");
      return transport
        ? fetchRequestHandler({
            endpoint: "/bench/trpc",
            req: request,
            router: transportRouter,
            createContext,
          })
        : fetchRequestHandler({
            endpoint: "/api/trpc",
            req: request,
            router: appRouter,
            createContext,
          });
    });
    cleanups.push(server.close);
    const client = keepAliveFetch();
    cleanups.push(() => Promise.resolve(client.close()));
    const api = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${server.origin}/api/trpc`, transformer, fetch: client.fetch })],
    });
    const transportApi = createTRPCClient<typeof transportRouter>({
      links: [httpLink({ url: `${server.origin}/bench/trpc`, transformer, fetch: client.fetch })],
    });
    log(
      `tRPC served at ${server.origin}/api/trpc (httpLink + the API's transformer over ` +
        `a node:http keep-alive client)`,
    );

    const userId = user.id;
    const selective = RARE_LAST_NAMES[0]!;
    const broad = "gmail";
    const tagName = "Yoga";
    const tagId = seeded.benchTags.get(tagName)!;
    const now = Date.now();
    const createdFrom = new Date(now - 365 * 86_400_000);
    const createdTo = new Date(now);
    const deepRow = PAGE * Math.max(1, Math.round(499 * scale));
    const { rows: deepRows } = await raw.query<{ id: string; name_sort: string }>(
      `SELECT id, name_sort FROM contacts WHERE user_id = $1 AND deleted_at IS NULL
       ORDER BY name_sort, id OFFSET $2 LIMIT 1`,
      [userId, deepRow - 1],
    );
    const deep = deepRows[0]!;
    const cursor = contacts.encodeCursor({ f: "name", d: "n", v: deep.name_sort, id: deep.id });

    const live = "user_id = $1 AND deleted_at IS NULL";
    const floorLimit = `LIMIT ${PAGE + 1}`;
    const byName = { field: "name", direction: "asc" } as const;
    const benchCase = (
      key: string,
      label: string,
      input: BenchListInput,
      where: string,
      values: unknown[],
      options: {
        floorWhere?: string;
        floorValues?: unknown[];
        oldWhere?: string;
        offset?: number;
        heldToBaseline?: boolean;
      },
    ): BenchCase => {
      const oldWhere = options.oldWhere ?? where;
      return {
        key,
        label,
        input,
        floor: {
          text: pageSql(options.floorWhere ?? where, floorLimit),
          values: options.floorValues ?? values,
        },
        baseline: {
          page: { text: pageSql(oldWhere, `LIMIT ${PAGE} OFFSET ${options.offset ?? 0}`), values },
          count: { text: `SELECT count(*) FROM contacts WHERE ${oldWhere}`, values },
        },
        matches: { text: `SELECT count(*) FROM contacts WHERE ${where}`, values },
        versusBaseline:
          options.heldToBaseline ??
          (options.oldWhere !== undefined || options.offset !== undefined),
      };
    };
    // The app matches the folded term with LIKE on the lower-case search_text; the old app
    // used ILIKE on the name and email columns.
    const searchCase = (key: string, label: string, term: string) =>
      benchCase(
        key,
        label,
        { limit: PAGE, sort: byName, search: term },
        `${live} AND search_text LIKE $2`,
        [userId, `%${contacts.searchKey(term)}%`],
        { oldWhere: `${live} AND (name ILIKE $2 OR email ILIKE $2)` },
      );
    const cases: BenchCase[] = [
      benchCase("a", "first page, name asc", { limit: PAGE, sort: byName }, live, [userId], {}),
      searchCase("b", `selective search "${selective}"`, selective),
      searchCase("c", `broad search "${broad}"`, broad),
      benchCase(
        "d",
        `tag "${tagName}" + created last 365 d`,
        {
          limit: PAGE,
          sort: byName,
          filters: {
            tagIds: [tagId],
            tagMode: "any",
            createdAt: { from: createdFrom, to: createdTo },
          },
        },
        `${live} AND created_at >= $2 AND created_at <= $3 AND tag_ids && ARRAY[$4]::uuid[]`,
        [userId, createdFrom, createdTo, tagId],
        {
          // The old app joined the tags table.
          oldWhere: `${live} AND created_at >= $2 AND created_at <= $3
            AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = contacts.id AND ct.tag_id = $4)`,
          heldToBaseline: false,
        },
      ),
      benchCase(
        "e",
        `page ${deepRow / PAGE + 1}, name asc (cursor)`,
        { limit: PAGE, sort: byName, cursor },
        live,
        [userId],
        {
          floorWhere: `${live} AND (name_sort, id) > ($2, $3)`,
          floorValues: [userId, deep.name_sort, deep.id],
          offset: deepRow,
        },
      ),
    ];

    const list = (input: BenchListInput) => api.contacts.list.query(input);
    const variants = {
      trpc: (c: BenchCase) => list(c.input),
      raw: (c: BenchCase) => raw.query(c.floor.text, c.floor.values),
      baseline: async (c: BenchCase) => {
        await raw.query(c.baseline.page.text, c.baseline.page.values);
        await raw.query(c.baseline.count.text, c.baseline.count.values);
      },
    };
    type Variant = keyof typeof variants;
    const variantNames = Object.keys(variants) as Variant[];
    const PAIRED: Variant[] = ["trpc", "raw"];

    // A server that has answered a few thousand requests, as one in use has. Before that, V8
    // is still compiling and recompiling the request path (HTTP, tRPC, pg) in the background,
    // on the cores PostgreSQL needs: after 600 calls, 800 more functions were optimized
    // during 4,000 timed ones and contacts.list's p95 was 1.7 times what it is when warm.
    const serverWarmup = performance.now();
    for (let i = 0; i < SERVER_WARMUP_CALLS; i++) {
      await list(cases[i % cases.length]!.input).catch(() => undefined);
    }
    log(
      `server warmed up: ${SERVER_WARMUP_CALLS} contacts.list calls over the cases in ` +
        `${((performance.now() - serverWarmup) / 1000).toFixed(1)} s`,
    );

    log("");
    log(`measuring (load average before: ${loadAverage()}):`);
    const results: CaseResult[] = [];
    for (const benchCase of cases) {
      const { rows: countRows } = await raw.query<{ count: string }>(
        benchCase.matches.text,
        benchCase.matches.values,
      );
      const timings: Record<Variant, Timings> = {
        trpc: { samples: [] },
        raw: { samples: [] },
        baseline: { samples: [] },
      };
      for (const variant of variantNames) {
        try {
          for (let i = 0; i < warmup; i++) await variants[variant](benchCase);
        } catch (error) {
          timings[variant].error = errorMessage(error);
        }
      }
      let sameRows = "-";
      const statements: Sql[] = [];
      if (!timings.trpc.error) {
        captured = statements;
        let page: ContactPage;
        try {
          page = await list(benchCase.input);
        } finally {
          captured = null;
        }
        const floorRows = await raw.query<{ id: string }>(
          benchCase.floor.text,
          benchCase.floor.values,
        );
        const got = page.items.map((item) => item.id);
        const expected = floorRows.rows.slice(0, PAGE).map((row) => row.id);
        sameRows =
          got.length === expected.length && got.every((id, i) => id === expected[i])
            ? `yes (${got.length})`
            : `NO (${got.length} rows, ${got.filter((id, i) => id === expected[i]).length} in place)`;
        storedPage ??= page;
      }
      const timeOnce = async (variant: Variant) => {
        if (timings[variant].error) return;
        const started = performance.now();
        try {
          await variants[variant](benchCase);
          timings[variant].samples.push(performance.now() - started);
        } catch (error) {
          timings[variant].error = errorMessage(error);
        }
      };
      // tRPC and its floor take turns, in a rotating order, so they see the same cache
      // conditions. The old approach runs after them: each of its calls scans for a few hundred
      // milliseconds, which would leave the caches of every call after it cold (and double
      // the others' times), where a user paging through the table has none of that.
      for (let run = 0; run < runs; run++) {
        for (const variant of run % 2 === 0 ? PAIRED : [...PAIRED].reverse()) {
          await timeOnce(variant);
        }
      }
      for (let run = 0; run < baselineRuns; run++) await timeOnce("baseline");
      const result: CaseResult = {
        benchCase,
        matches: Number(countRows[0]?.count ?? 0),
        ...timings,
        sameRows,
        statements,
      };
      results.push(result);
      const p = (t: Timings) =>
        t.error ? "error" : `${ms(percentile(t.samples, 0.5))}/${ms(percentile(t.samples, 0.95))}`;
      log(
        `  (${benchCase.key}) ${benchCase.label}: tRPC ${p(result.trpc)}, raw ${p(result.raw)}, ` +
          `baseline ${p(result.baseline)} ms (p50/p95); contacts.list ran ` +
          `${statements.length} SQL statements, the floor 1; load average ${loadAverage()}`,
      );
    }

    // The transport share of a call: HTTP, tRPC middleware and superjson for a 50-row page.
    const transport: number[] = [];
    if (storedPage !== null) {
      for (let i = 0; i < warmup; i++) await transportApi.page.query();
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await transportApi.page.query();
        transport.push(performance.now() - started);
      }
    }
    const transportP50 = percentile(transport, 0.5);
    const transportP95 = percentile(transport, 0.95);

    printReport(log, results, {
      transportP50,
      transportP95,
      seedSeconds,
      scale,
      loadAfter: loadAverage(),
    });

    const explainAll = benchEnv.BENCH_EXPLAIN === "all";
    if (benchEnv.BENCH_EXPLAIN !== "none") {
      for (const result of results) {
        // Slow: over budget, over 2x the floor at the median, or not enough faster than the
        // baseline (a p95 alone over 2x the floor is the tail of the HTTP stack, not the SQL).
        const slow = verdictsOf(result).some(
          (v) => v.pass === false && v.target !== `<=${MAX_RAW_RATIO}x raw p95`,
        );
        if (!explainAll && !slow) continue;
        await explainCase(log, raw, result, slow);
      }
    }
  } finally {
    await cleanup();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

interface Verdict {
  target: string;
  /** null: not applicable or not measurable. */
  pass: boolean | null;
}

/** tRPC's time over the raw floor's, at one percentile. */
const rawRatio = (result: CaseResult, p: number) =>
  percentile(result.trpc.samples, p) / percentile(result.raw.samples, p);

function verdictsOf(result: CaseResult): Verdict[] {
  const trpcP95 = percentile(result.trpc.samples, 0.95);
  const baselineP95 = percentile(result.baseline.samples, 0.95);
  const measured = !result.trpc.error && result.trpc.samples.length > 0;
  const check = (ok: boolean) => (measured ? ok : false);
  return [
    { target: `p95<=${P95_BUDGET_MS}ms`, pass: check(trpcP95 <= P95_BUDGET_MS) },
    { target: `<=${MAX_RAW_RATIO}x raw p50`, pass: check(rawRatio(result, 0.5) <= MAX_RAW_RATIO) },
    { target: `<=${MAX_RAW_RATIO}x raw p95`, pass: check(rawRatio(result, 0.95) <= MAX_RAW_RATIO) },
    {
      target: `>=${MIN_BASELINE_SPEEDUP}x baseline`,
      pass: result.benchCase.versusBaseline
        ? check(baselineP95 >= MIN_BASELINE_SPEEDUP * trpcP95)
        : null,
    },
  ];
}

function printReport(
  log: (line?: string) => void,
  results: CaseResult[],
  info: {
    transportP50: number;
    transportP95: number;
    seedSeconds: number;
    scale: number;
    loadAfter: string;
  },
): void {
  const headers = [
    "case",
    "matches",
    "tRPC p50",
    "tRPC p95",
    "raw p50",
    "raw p95",
    "base p50",
    "base p95",
    "tRPC/raw p50",
    "tRPC/raw p95",
    "base/tRPC p95",
    "same rows as raw",
    ...verdictsOf(results[0]!).map((v) => v.target),
  ];
  const rows = results.map((result) => {
    const t = (timings: Timings, p: number) =>
      timings.error ? "ERROR" : ms(percentile(timings.samples, p));
    const trpcP95 = percentile(result.trpc.samples, 0.95);
    const verdicts = verdictsOf(result);
    return [
      `(${result.benchCase.key}) ${result.benchCase.label}`,
      result.matches.toLocaleString("en-US"),
      t(result.trpc, 0.5),
      t(result.trpc, 0.95),
      t(result.raw, 0.5),
      t(result.raw, 0.95),
      t(result.baseline, 0.5),
      t(result.baseline, 0.95),
      ratio(rawRatio(result, 0.5)),
      ratio(rawRatio(result, 0.95)),
      ratio(percentile(result.baseline.samples, 0.95) / trpcP95),
      result.sameRows,
      ...verdicts.map((v) => (v.pass === null ? "n/a" : v.pass ? "PASS" : "MISS")),
    ];
  });
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  log("");
  log(
    `results (ms; ${results[0]?.trpc.samples.length ?? 0} timed runs of tRPC and raw, ` +
      `${results[0]?.baseline.samples.length ?? 0} of the old approach):`,
  );
  log(line(headers));
  log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) log(line(row));
  log("");
  log(
    "  tRPC: contacts.list over HTTP (node:http + fetchRequestHandler, httpLink with the API's transformer)",
  );
  log(
    "        from a node:http keep-alive client (Node's own fetch, undici, would leave its work and",
  );
  log(
    "        garbage on the server's event loop, where a browser's never is: see keepAliveFetch)",
  );
  log("  raw:  the same page by hand with pg: WHERE user_id AND deleted_at IS NULL [AND filter]");
  log("        ORDER BY name_sort, id LIMIT 51, with each row's tags as a JSON subquery");
  log(
    "        (search: search_text LIKE the folded term, as the app; deep page: (name_sort, id) > cursor)",
  );
  log(
    "  base: old app: (name ILIKE OR email ILIKE), LIMIT 50 OFFSET n, plus count(*) of all matches",
  );
  log(
    `  http: transport alone (same server, tRPC middleware and superjson, a stored 50-row page, ` +
      `no database): p50 ${ms(info.transportP50)} ms, p95 ${ms(info.transportP95)} ms.`,
  );
  log(
    `  load: 1-minute load average ${info.loadAfter} at the end on ${os.cpus().length} cores` +
      (Number(info.loadAfter) > os.cpus().length
        ? " - other processes competed for the CPU; the p95s are inflated by it."
        : "."),
  );
  for (const result of results) {
    for (const variant of ["trpc", "raw", "baseline"] as const) {
      const error = result[variant].error;
      if (error) log(`  (${result.benchCase.key}) ${variant} failed: ${error}`);
    }
  }

  const missed: string[] = [];
  const tally = new Map<string, { pass: number; total: number }>();
  for (const result of results) {
    for (const verdict of verdictsOf(result)) {
      if (verdict.pass === null) continue;
      const entry = tally.get(verdict.target) ?? { pass: 0, total: 0 };
      entry.total++;
      if (verdict.pass) entry.pass++;
      else missed.push(`(${result.benchCase.key}) ${verdict.target}`);
      tally.set(verdict.target, entry);
    }
  }
  log("");
  log(
    `SUMMARY (scale ${info.scale}, seeded in ${info.seedSeconds.toFixed(0)} s): ` +
      [...tally].map(([target, { pass, total }]) => `${target} ${pass}/${total}`).join(", ") +
      (missed.length === 0 ? " -> ALL TARGETS MET" : ` -> MISS: ${missed.join(", ")}`),
  );
}

async function explainCase(
  log: (line?: string) => void,
  raw: pg.Client,
  result: CaseResult,
  slow: boolean,
): Promise<void> {
  const { benchCase } = result;
  log("");
  log(
    `== (${benchCase.key}) ${benchCase.label}${slow ? " (missed a target)" : ""}: ` +
      "EXPLAIN (ANALYZE, BUFFERS) of the SQL contacts.list ran ==",
  );
  if (result.trpc.error) log(`contacts.list failed, nothing to explain: ${result.trpc.error}`);
  for (const [i, statement] of result.statements.entries()) {
    log(`-- statement ${i + 1}/${result.statements.length}: ${clip(statement.text, 1200)}`);
    log(`-- params: ${clip(JSON.stringify(statement.values), 300)}`);
    await explain(log, raw, statement);
  }
  log(`-- the raw floor, for comparison: ${clip(benchCase.floor.text, 1200)}`);
  await explain(log, raw, benchCase.floor);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

async function explain(log: (line?: string) => void, raw: pg.Client, statement: Sql) {
  try {
    const plan = await raw.query<Record<string, string>>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
      statement.values,
    );
    for (const row of plan.rows) {
      // Plan lines keep their indentation; only the very long ones (IN lists) are cut.
      const line = String(Object.values(row)[0]);
      log(line.length > 240 ? `${line.slice(0, 240)}...` : line);
    }
  } catch (error) {
    log(`(EXPLAIN failed: ${error instanceof Error ? error.message : String(error)})`);
  }
}

await main();
