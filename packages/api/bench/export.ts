// CSV export benchmark: `npm run bench:export` (BENCH_SCALE=0.1 for a quick check).
//
// Seeds the same database as bench:contacts (one million contacts, 100,000 of them for the
// bench user), serves the real export edge (POST /api/contacts/export) over real HTTP on
// 127.0.0.1, and downloads the bench user's contacts three times: the oldest 10%, the oldest
// half, and all of them. The download is read as it arrives and parsed with csv-parse to count
// records. While each export runs, this process's memory is sampled every 100 ms (the heap
// right after a full garbage collection, and RSS):
// an export that streams keeps the same peak whatever the number of rows; one that buffers
// grows with it. Prints rows/s, MB, and each size's peak memory above its starting point.
// A measurement, not a test: it exits 0 whatever it finds, with a summary line at the end.

import os from "node:os";
import { applyMigrations } from "@omnicrm/db/server";
import { createPrismaClient } from "@omnicrm/db";
import { parse } from "csv-parse";
import pg from "pg";
import { contactsExportResponse } from "../src/index.ts";
import { startBenchDatabase } from "./database.ts";
import { benchEnv } from "./env.ts";
import { startHttpServer } from "./http.ts";
import { seed } from "./seed.ts";

/** The largest export's peak may exceed the smallest's by this factor and still be "flat". */
const FLAT_RATIO = 1.5;
/** ...or by this many MB (allocator noise on small peaks). */
const FLAT_SLACK_MB = 2;

const gc = (globalThis as { gc?: () => void }).gc;
const log = (line: string) => console.log(line);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface ExportResult {
  label: string;
  expected: number;
  records: number;
  bytes: number;
  seconds: number;
  peakHeap: number;
  peakRss: number;
}

async function timedExport(
  origin: string,
  label: string,
  body: unknown,
  expected: number,
  measureMemory: boolean,
): Promise<ExportResult> {
  gc?.();
  gc?.();
  const start = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  // What the export holds on to: the heap right after a full collection (garbage waiting to
  // be collected says nothing about streaming). Without --expose-gc, the raw heap.
  const sample = () => {
    gc?.();
    const now = process.memoryUsage();
    peakHeap = Math.max(
      peakHeap,
      now.heapUsed + now.arrayBuffers - start.heapUsed - start.arrayBuffers,
    );
    peakRss = Math.max(peakRss, now.rss - start.rss);
  };
  const sampler = setInterval(() => {
    if (measureMemory) sample();
  }, 100);
  const started = performance.now();
  let bytes = 0;
  let records = 0;
  try {
    const response = await fetch(`${origin}/api/contacts/export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok || !response.body) {
      throw new Error(`export answered ${response.status}: ${await response.text()}`);
    }
    const parser = parse({ bom: true, relax_column_count: false });
    const counting = (async () => {
      for await (const _record of parser) records += 1;
    })();
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (!parser.write(chunk)) await new Promise((resolve) => parser.once("drain", resolve));
    }
    parser.end();
    await counting;
    records -= 1; // the header
  } finally {
    clearInterval(sampler);
    if (measureMemory) sample();
  }
  return {
    label,
    expected,
    records,
    bytes,
    seconds: (performance.now() - started) / 1000,
    peakHeap,
    peakRss,
  };
}

async function main() {
  const scale = benchEnv.BENCH_SCALE;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    log(
      `contacts export benchmark: scale ${scale}, Node ${process.version}, ${os.cpus().length} cores, ` +
        `load average ${os.loadavg()[0]!.toFixed(1)}${gc ? "" : " (run with --expose-gc for steadier figures)"}`,
    );
    const database = await startBenchDatabase(benchEnv.DATABASE_URL);
    cleanups.push(database.dispose);
    log(`database: ${database.description}`);
    await applyMigrations(database.url);
    log("seeding:");
    const seeded = await seed(database.url, scale, log);

    const raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
    cleanups.push(() => raw.end());
    const userId = seeded.benchUser.id;
    const { rows } = await raw.query<{ total: string }>(
      "SELECT count(*) AS total FROM contacts WHERE user_id = $1 AND deleted_at IS NULL",
      [userId],
    );
    const total = Number(rows[0]!.total);
    // Created-date cut-offs that select the oldest 10% and the oldest half.
    const cutAt = async (share: number) => {
      const { rows: cut } = await raw.query<{ created_at: Date }>(
        `SELECT created_at FROM contacts WHERE user_id = $1 AND deleted_at IS NULL
         ORDER BY created_at, id OFFSET $2 LIMIT 1`,
        [userId, Math.floor(total * share) - 1],
      );
      const at = cut[0]!.created_at;
      const { rows: n } = await raw.query<{ n: string }>(
        `SELECT count(*) AS n FROM contacts WHERE user_id = $1 AND deleted_at IS NULL AND created_at <= $2`,
        [userId, at],
      );
      return { at, count: Number(n[0]!.n) };
    };
    const tenth = await cutAt(0.1);
    const half = await cutAt(0.5);

    const db = createPrismaClient(database.url, { poolSize: 4 });
    cleanups.push(() => db.$disconnect());
    const user = seeded.benchUser;
    const server = await startHttpServer((request) => contactsExportResponse(request, user, db));
    cleanups.push(server.close);
    log(`export served at ${server.origin}/api/contacts/export`);

    const from = new Date(0);
    const view = (to: Date) => ({
      scope: "view",
      filters: { createdAt: { from, to } },
      sort: { field: "name", direction: "asc" },
    });
    // One warm-up so the first measured export does not pay for code loading.
    await timedExport(server.origin, "warm-up", view(tenth.at), tenth.count, false);
    // Each size twice: timed with nothing else going on, then again with the memory sampler
    // (whose forced collections slow the export down).
    const sizes = [
      { label: "oldest 10%", body: view(tenth.at), expected: tenth.count },
      { label: "oldest 50%", body: view(half.at), expected: half.count },
      { label: "all", body: { scope: "all" }, expected: total },
    ];
    const results: ExportResult[] = [];
    for (const size of sizes) {
      const timed = await timedExport(server.origin, size.label, size.body, size.expected, false);
      const sampled = await timedExport(server.origin, size.label, size.body, size.expected, true);
      results.push({
        ...timed,
        records: Math.min(timed.records, sampled.records),
        peakHeap: sampled.peakHeap,
        peakRss: sampled.peakRss,
      });
    }
    log("");
    log("export             rows  complete      MB   seconds   rows/s  peak live heap  peak RSS");
    for (const r of results) {
      log(
        `${r.label.padEnd(12)} ${String(r.records).padStart(9)}  ${(r.records === r.expected ? "yes" : `NO (${r.expected})`).padEnd(8)}` +
          ` ${mb(r.bytes).padStart(7)} ${r.seconds.toFixed(2).padStart(9)} ${String(Math.round(r.records / r.seconds)).padStart(8)}` +
          ` ${`${mb(r.peakHeap)} MB`.padStart(15)} ${`${mb(r.peakRss)} MB`.padStart(9)}`,
      );
    }
    const smallest = results[0]!;
    const largest = results.at(-1)!;
    const growth = largest.peakHeap / Math.max(smallest.peakHeap, 1);
    const flat =
      largest.peakHeap <= smallest.peakHeap * FLAT_RATIO ||
      largest.peakHeap - smallest.peakHeap <= FLAT_SLACK_MB * 1024 * 1024;
    const complete = results.every((r) => r.records === r.expected);
    log("");
    log(
      `summary: ${largest.records.toLocaleString("en-US")} rows exported in ${largest.seconds.toFixed(1)} s; ` +
        `peak memory at ${(largest.records / smallest.records).toFixed(0)}x the rows: ${growth.toFixed(2)}x ` +
        `(${mb(smallest.peakHeap)} -> ${mb(largest.peakHeap)} MB): ${flat ? "FLAT" : "GROWS"}; ` +
        `${complete ? "every row exported" : "ROWS MISSING"}; load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

await main();
