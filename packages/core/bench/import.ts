// CSV import benchmark: `npx tsx bench/import.ts [rows]` from packages/core (default 100,000).
//
// Starts a throw-away embedded PostgreSQL (the one `npm start` uses, default settings) in a
// temporary folder, seeds one user with 10,000 contacts, writes a messy CSV of `rows` rows to a
// temporary file (BOM, semicolons, quoted newlines, blank lines, ragged rows, accents, invalid
// and repeated emails, formula-looking cells, rows matching the seeded contacts), then times
// each phase as the app runs it: stage (streamed from the file), preview, run, and undo.
// Prints rows/s per phase, the peak RSS of this process during each phase, and the CPU time
// the phase took in this process and in PostgreSQL (the machine may be busy with other work:
// the load average is printed too).
// A measurement, not a test: it exits 0 whatever it finds.

import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { createPrismaClient } from "@omnicrm/db";
import { applyMigrations, startEmbeddedPostgres } from "@omnicrm/db/server";
import { imports } from "../src/index.ts";

const ROWS = Number(process.argv[2] ?? 100_000);
const SEEDED = Math.min(10_000, Math.floor(ROWS / 10));
const FIRST = ["Élodie", "Maya", "Zoë", "Björn", "Chloé", "Noah", "Aïcha", "Léo", "Sofía", "Kenji"];
const LAST = ["Martin", "Lin", "Núñez", "O'Brien", "Dupont", "Müller", "García", "Nguyen", "Søren"];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * CPU seconds used so far by the PostgreSQL server whose postmaster is `pid`: its own, its
 * live children's (backends, WAL writer, checkpointer…) and its exited children's. Linux only.
 */
async function postgresCpuSeconds(pid: number): Promise<number> {
  const ticksPerSecond = 100;
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = await readFile(`/proc/${entry}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // f[1] is the parent pid; utime, stime, cutime, cstime are f[11] to f[14].
      if (entry === String(pid)) {
        total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      } else if (f[1] === String(pid)) {
        total += Number(f[11]) + Number(f[12]);
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return total / ticksPerSecond;
}

let postmasterPid = 0;

interface Measured<T> {
  result: T;
  ms: number;
  peakMb: number;
  /** CPU seconds of this process (parsing, planning, the Prisma client). */
  nodeCpu: number;
  /** CPU seconds of the PostgreSQL server. */
  dbCpu: number;
}

/** Time, CPU and peak resident memory (sampled every 20 ms) of this process while `work` runs. */
async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const cpuBefore = process.cpuUsage();
  const dbBefore = await postgresCpuSeconds(postmasterPid);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().rss);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      result,
      ms,
      peakMb: peak / 1024 / 1024,
      nodeCpu: (cpu.user + cpu.system) / 1e6,
      dbCpu: (await postgresCpuSeconds(postmasterPid)) - dbBefore,
    };
  } finally {
    clearInterval(timer);
  }
}

async function writeMessyCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write("\uFEFFFull name;E-mail;Work e-mail;Mobile;Stage;Tags;Sessions;Notes\r\n");
  for (let i = 0; i < ROWS; i += 1) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${i}`;
    // 1 row in 10 is about a seeded contact (an update), 1 in 100 repeats an earlier email,
    // 1 in 200 has a broken email, 1 in 500 is blank, 1 in 300 has an extra cell.
    const emailOf = (k: number) =>
      k % 10 === 0 && k / 10 < SEEDED ? `SEED${k / 10}@Example.com` : `person${k}@example.com`;
    let email = i % 100 === 7 ? emailOf(i - 4) : emailOf(i);
    if (i % 200 === 3) email = `broken${i}@`;
    const work =
      i % 4 === 0 ? `${LAST[i % LAST.length]!.replace(/\W/g, "")}.${i}@work.example` : "";
    const phone =
      i % 3 === 0
        ? ""
        : `+33 6 ${String(i)
            .padStart(8, "0")
            .replace(/(..)(?=.)/g, "$1 ")}`;
    const stage = ["lead", "Active client", "past", ""][i % 4];
    const tags = i % 5 === 0 ? '"Yoga, Pilates"' : i % 5 === 1 ? "Newsletter" : "";
    const notes = i % 7 === 0 ? `"First line\nsecond ""quoted"" line"` : i % 11 === 0 ? "=1+1" : "";
    const extra = i % 300 === 0 ? ";overflow cell" : "";
    if (i % 500 === 250) await write("\r\n");
    await write(
      `${name};${email};${work};${phone};${stage};${tags};${i % 13};${notes}${extra}\r\n`,
    );
  }
  out.end();
  await once(out, "finish");
}

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en");

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-import-bench-"));
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: await freePort(),
    password: randomBytes(12).toString("hex"),
    database: "omnicrm_import_bench",
    persistent: false,
  });
  const db = createPrismaClient(server.url, { poolSize: 4 });
  postmasterPid = Number(
    (await readFile(path.join(dir, "data", "postmaster.pid"), "utf8")).split("\n")[0],
  );
  try {
    await applyMigrations(server.url);
    const user = await db.user.create({ data: { email: "bench@example.com" } });
    const actor = { userId: user.id };
    const field = await db.customField.create({
      data: { userId: user.id, key: "sessions", label: "Sessions", type: "number" },
    });
    await db.$executeRaw`
      WITH c AS (
        INSERT INTO contacts (id, user_id, name, name_sort, email, search_text, updated_at)
        SELECT gen_random_uuid(), ${user.id}::uuid, 'Seeded ' || n, 'seeded ' || n,
          'seed' || n || '@example.com', 'seeded ' || n || ' seed' || n || '@example.com', now()
        FROM generate_series(0, ${SEEDED - 1}::int) AS n
        RETURNING id, email
      )
      INSERT INTO contact_emails (id, user_id, contact_id, email, is_primary)
      SELECT gen_random_uuid(), ${user.id}::uuid, id, email, true FROM c`;

    const baselineMb = process.memoryUsage().rss / 1024 / 1024;
    const file = path.join(dir, "contacts.csv");
    await writeMessyCsv(file);
    const size = (await stat(file)).size;
    console.log(
      `${ROWS.toLocaleString("en")} rows, ${(size / 1024 / 1024).toFixed(1)} MB CSV; ` +
        `${SEEDED.toLocaleString("en")} existing contacts; ${os.cpus().length} cores, ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}; RSS before staging ${baselineMb.toFixed(0)} MB`,
    );

    const stage = await measured(() =>
      imports.stageImport(db, actor, { fileName: "contacts.csv", csv: createReadStream(file) }),
    );
    const { importId } = stage.result;
    const mapping = { ...stage.result.suggestedMapping, Sessions: `custom:${field.id}` as const };
    const preview = await measured(() =>
      imports.previewImport(db, actor, {
        importId,
        mapping,
        options: { matchBy: "email", onMatch: "update" },
      }),
    );
    const run = await measured(() => imports.runImport(db, actor, { importId }));
    const undo = await measured(() => imports.undoImport(db, actor, { importId }));

    const rows = stage.result.totalRows;
    console.log(`\nmapping: ${JSON.stringify(mapping)}`);
    console.log(`preview counts: ${JSON.stringify(preview.result.counts)}`);
    for (const kind of ["invalid", "duplicates", "updated"] as const) {
      for (const sample of preview.result.samples[kind].slice(0, 2)) {
        console.log(`  e.g. ${sample.messages.join(" / ")}`);
      }
    }
    console.log(`run counts:     ${JSON.stringify(run.result.counts)} (${run.result.status})`);
    console.log(
      `undo: ${undo.result.contactsDeleted} deleted, ${undo.result.contactsRestored} restored\n`,
    );
    console.log(
      "phase     rows/s    seconds   peak RSS   CPU s: node + PostgreSQL   rows per CPU-second",
    );
    for (const [label, phase] of [
      ["stage", stage],
      ["preview", preview],
      ["run", run],
      ["undo", undo],
    ] as const) {
      const cpu = phase.nodeCpu + phase.dbCpu;
      console.log(
        `${label.padEnd(9)} ${rate(rows, phase.ms).padStart(8)}   ${(phase.ms / 1000).toFixed(1).padStart(7)}   ` +
          `${phase.peakMb.toFixed(0).padStart(5)} MB   ${phase.nodeCpu.toFixed(1).padStart(8)} + ${phase.dbCpu.toFixed(1).padEnd(14)}` +
          `${rate(rows, cpu * 1000).padStart(10)}`,
      );
    }
    console.log(
      `\nstage + preview + run: ${rate(rows, stage.ms + preview.ms + run.ms)} rows/s overall; ` +
        `process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ` +
        `load average now ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
    );
    console.log(
      "(rows per CPU-second: rows / (node + PostgreSQL CPU seconds). The run overlaps planning\n" +
        " with writing and writes two chunks at once, so with both cores free it can approach\n" +
        " twice that; on a busy machine it gets what the other processes leave.)",
    );
  } finally {
    await db.$disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
