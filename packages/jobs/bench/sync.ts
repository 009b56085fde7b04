// Gmail sync benchmark: `npm run bench:sync` (BENCH_MESSAGES=2000 for a quicker run).
//
// Starts the local Google (tooling/google-local) with a generated mailbox of about
// BENCH_MESSAGES messages in the synced label and Gmail's per-user quota enforced at
// BENCH_GMAIL_QUOTA units a minute (6,000: projects created since May 2026), connects a user
// through the real OAuth flow, and runs the real Gmail sync function (through @inngest/test,
// steps retried as Inngest would) on a fresh PostgreSQL database. Prints messages per second
// against the bound the quota allows (each message costs a messages.get of 5 units; listing
// adds 5 units per 500), and the duplicates and misses found after the run.
// Then normalization alone, with no quota: the stored raw messages normalized again (the
// pure normalizer, and normalizer + writing interactions, contacts and timeline).
// A measurement, not a test: it exits 0 whatever it finds, with a summary line at the end.

import { randomBytes } from "node:crypto";
import os from "node:os";
import { sync } from "@omnicrm/core";
import { createPrismaClient } from "@omnicrm/db";
import { applyMigrations } from "@omnicrm/db/server";
import { startTestServer, withDatabase } from "@omnicrm/db/testing";
import { normalizeGmailMessage, type GmailMessage } from "@omnicrm/google";
import { startLocalGoogle } from "@omnicrm/google-local";
import { createGmailSync } from "../src/functions/gmail-sync.ts";
import { emailInteraction, gmailRules } from "../src/sync/gmail.ts";
import type { SyncDeps } from "../src/sync/context.ts";
import { benchEnv, useLocalGoogle } from "./env.ts";
import {
  connectGoogle,
  duplicates,
  messagesInScope,
  runFunction,
  syncEvent,
  type Harness,
} from "../src/testing/harness.ts";

const TARGET = benchEnv.BENCH_MESSAGES;
const QUOTA = benchEnv.BENCH_GMAIL_QUOTA;
const LOOKBACK_DAYS = 400;
const log = (line: string) => console.log(line);
const rate = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString("en-US");

async function main() {
  log(
    `Gmail sync benchmark: ~${TARGET.toLocaleString("en-US")} messages in scope, quota ${QUOTA} units/user/min, ` +
      `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const server = await startTestServer();
    cleanups.push(server.stop);
    const name = `omnicrm_bench_sync_${randomBytes(5).toString("hex")}`;
    const admin = createPrismaClient(server.adminUrl, { poolSize: 1 });
    await admin.$executeRawUnsafe(`CREATE DATABASE ${name}`);
    await admin.$disconnect();
    const url = withDatabase(server.adminUrl, name);
    await applyMigrations(url);
    const db = createPrismaClient(url, { poolSize: 6 });
    cleanups.push(() => db.$disconnect());

    // About half of the generated mail is in the inbox and within reach: generate twice TARGET.
    const generateStarted = performance.now();
    const google = await startLocalGoogle({
      seed: 1,
      messages: 0,
      events: 0,
      quota: { enabled: true, gmailUnitsPerUserPerMinute: QUOTA },
    });
    cleanups.push(() => google.close());
    const account = "practitioner@bench.example";
    google.accounts.add({
      email: account,
      messages: TARGET * 2,
      events: 0,
      days: 365,
    });
    const inScope = messagesInScope(
      google.mailbox(account).list(),
      "INBOX",
      LOOKBACK_DAYS,
      Date.now(),
    );
    log(
      `local Google at ${google.url}: ${google.mailbox(account).list().length.toLocaleString("en-US")} messages generated in ` +
        `${((performance.now() - generateStarted) / 1000).toFixed(1)} s, ${inScope.length.toLocaleString("en-US")} in the INBOX label`,
    );

    useLocalGoogle(google);
    const deps: SyncDeps = { db, gmailUnitsPerMinute: QUOTA, minBackoffMs: 200 };
    const harness = { google, db, deps } as unknown as Harness;

    const user = await db.user.create({ data: { email: "bench@omnicrm.test" } });
    const actor = { userId: user.id };
    await connectGoogle(harness, actor, account);
    await sync.updatePreferences(db, actor, {
      kind: "gmail",
      preferences: { labelIds: ["INBOX"], lookbackDays: LOOKBACK_DAYS },
    });
    await sync.markPreviewed(db, actor, { kind: "gmail" });
    await sync.approveChannel(db, actor, { kind: "gmail" });

    log("syncing (quota-bound: this takes minutes)...");
    google.stats.reset();
    const started = performance.now();
    const outcome = await runFunction(
      createGmailSync(() => deps),
      syncEvent("gmail", actor),
      {
        maxAttempts: 10,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    if (outcome.error) log(`the sync FAILED: ${outcome.error.message}`);
    const stats = google.stats.snapshot() as unknown as {
      rateLimited?: number;
      quotaRejected?: number;
    };

    const stored = await sync.storedExternalIds(
      db,
      actor,
      "gmail",
      inScope.map((m) => m.id),
    );
    const misses = inScope.filter((m) => !stored.has(m.id)).length;
    const dupes = await duplicates(db, actor);
    const duplicateCount = Object.values(dupes).reduce(
      (sum, rows) => sum + (Array.isArray(rows) ? rows.length : 0),
      0,
    );
    const messagesPerSecond = inScope.length / seconds;
    const bound = QUOTA / 60 / (5 + 5 / 500);
    log("");
    log(
      `sync: ${inScope.length} messages in ${seconds.toFixed(1)} s = ${messagesPerSecond.toFixed(2)} messages/s`,
    );
    log(
      `  the quota's bound: ${bound.toFixed(2)} messages/s (${QUOTA} units/min, 5 per messages.get + 5 per 500 listed)` +
        ` -> ${((messagesPerSecond / bound) * 100).toFixed(1)}% of the bound (target 90%)`,
    );
    log(
      `  duplicates: ${duplicateCount}; misses: ${misses}; 429s from Google: ${stats.quotaRejected ?? stats.rateLimited ?? 0}; ` +
        `executions: ${outcome.attempts}`,
    );

    // Normalization with no quota: the stored raw messages, again.
    const raw = await db.rawProviderRecord.findMany({
      where: { userId: actor.userId, provider: "gmail" },
      select: { externalId: true, payload: true },
    });
    const plan = {
      preferences: (await sync.getChannel(db, actor, "gmail")).preferences as sync.GmailPreferences,
      googleEmail: account,
    };
    const rules = gmailRules(plan);
    let pureStarted = performance.now();
    let kept = 0;
    for (const record of raw)
      if (normalizeGmailMessage(record.payload as GmailMessage, rules).ok) kept++;
    const pureSeconds = (performance.now() - pureStarted) / 1000;

    // Normalize and write, for a second user who has none of these contacts yet.
    const other = { userId: (await db.user.create({ data: { email: "bench2@omnicrm.test" } })).id };
    pureStarted = performance.now();
    for (let i = 0; i < raw.length; i += 500) {
      const emails: sync.InteractionInput[] = [];
      for (const record of raw.slice(i, i + 500)) {
        const result = normalizeGmailMessage(record.payload as GmailMessage, rules);
        if (result.ok) emails.push(emailInteraction(result.value));
      }
      await sync.applyInteractions(db, other, "gmail", emails, { createContacts: true });
    }
    const writeSeconds = (performance.now() - pureStarted) / 1000;
    log("");
    log(
      `normalization, no quota: ${raw.length} messages; normalizer alone ${rate(raw.length, pureSeconds)} messages/s ` +
        `(${kept} kept); normalizer + interactions, contacts and timeline written ${rate(raw.length, writeSeconds)} messages/s (target 2,000)`,
    );
    log("");
    log(
      `summary: ${messagesPerSecond.toFixed(2)} messages/s = ${((messagesPerSecond / bound) * 100).toFixed(1)}% of the quota's bound ` +
        `${(messagesPerSecond / bound) * 100 >= 90 ? "(meets 90%)" : "(MISSES 90%)"}, ${duplicateCount} duplicates, ${misses} misses; ` +
        `normalization ${rate(raw.length, writeSeconds)} messages/s written ` +
        `${raw.length / writeSeconds >= 2000 ? "(meets 2,000)" : "(MISSES 2,000)"}; load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

await main();
process.exit(0);
