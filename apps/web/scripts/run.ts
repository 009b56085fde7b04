// The launcher behind `npm start` and `npm run dev`: validates the environment, starts the
// embedded PostgreSQL when DATABASE_URL is unset, applies the committed migrations, generates
// the secrets on first run, then runs Next.js, and stops everything it started on Ctrl-C.
// Every failure the user can fix is one sentence saying what to do.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { InvalidEnvError, readDbEnv } from "@omnicrm/db";
import {
  applyMigrations,
  DatabaseStartError,
  defaultDataDir,
  isPortFree,
  loadOrCreateSecrets,
  MigrationError,
  resolveDatabase,
  type ResolvedDatabase,
} from "@omnicrm/db/server";
import { z } from "zod";
import { planInngest } from "./inngest-dev.ts";
import { serverNodeOptions } from "./node-options.ts";

function parseMode(arg: string | undefined): "start" | "dev" {
  if (arg === "start" || arg === "dev") return arg;
  console.error("Usage: tsx scripts/run.ts start|dev");
  process.exit(2);
}
const mode = parseMode(process.argv[2]);

const appDir = path.resolve(import.meta.dirname, "..");
const say = (line: string) => console.log(`[omnicrm] ${line}`);

class UserFacingError extends Error {}

async function main(): Promise<void> {
  const portResult = z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3000)
    .safeParse(process.env.PORT || undefined);
  if (!portResult.success)
    throw new UserFacingError(
      `PORT must be a port number between 1 and 65535, not "${process.env.PORT}".`,
    );
  const port = portResult.data;
  const dbEnv = readDbEnv();

  if (mode === "start" && !existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
    throw new UserFacingError(
      "There is no production build yet: run `npm start` from the repository root, which builds first, or `npm run build`.",
    );
  }
  if (!(await isPortFree(port, "0.0.0.0"))) {
    throw new UserFacingError(
      `Port ${port} is already in use: stop the program using it, or choose another port, e.g. PORT=${port + 1} npm ${mode === "dev" ? "run dev" : "start"}.`,
    );
  }

  const dataDir = dbEnv.OMNICRM_DATA_DIR ? path.resolve(dbEnv.OMNICRM_DATA_DIR) : defaultDataDir();
  const secrets = await loadOrCreateSecrets(dataDir);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || secrets.authSecret,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
    OMNICRM_ENCRYPTION_KEY:
      process.env.OMNICRM_ENCRYPTION_KEY || `${secrets.encryptionKeyId}:${secrets.encryptionKey}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
  };
  await validatePackageEnvs(childEnv);

  if (!dbEnv.DATABASE_URL) {
    say(`Starting the embedded PostgreSQL (data in ${path.join(dataDir, "postgres")})…`);
  }
  const database = await resolveDatabase({
    databaseUrl: dbEnv.DATABASE_URL,
    dataDir,
    port: dbEnv.OMNICRM_DB_PORT,
    secrets,
  });
  stopDatabase = () => database.stop();
  say(
    database.embedded
      ? `Embedded PostgreSQL is running on 127.0.0.1:${dbEnv.OMNICRM_DB_PORT}.`
      : "Using the PostgreSQL server in DATABASE_URL.",
  );

  try {
    const migrated = await applyMigrations(database.url, { log: say });
    say(
      `Database schema is up to date (${migrated.alreadyApplied + migrated.applied.length} migrations).`,
    );
  } catch (error) {
    if (error instanceof MigrationError) throw new UserFacingError(error.message);
    throw new UserFacingError(
      `Could not reach the database to apply migrations (${describe(error)}): check DATABASE_URL and that the server is running.`,
    );
  }
  childEnv.DATABASE_URL = database.url;

  const inngest = planInngest(mode, port, childEnv);
  Object.assign(childEnv, inngest.env);
  stopInngest = inngest.stop;
  say(inngest.message);

  const require = createRequire(path.join(appDir, "package.json"));
  const nextBin = require.resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, mode, "-p", String(port)], {
    cwd: appDir,
    env: childEnv,
    stdio: "inherit",
  });
  nextProcess = child;
  say(
    `OmniCRM is starting at http://localhost:${port} (Ctrl-C stops it${database.embedded ? " and the embedded database" : ""}).`,
  );

  child.on("exit", (code, signal) => {
    nextProcess = undefined;
    if (shuttingDown) return;
    say(`Next.js stopped (${signal ?? `exit code ${code}`}); stopping.`);
    void shutdown(code ?? 1, database);
  });
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal} received, stopping…`);
    void shutdown(0, database);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

let nextProcess: ChildProcess | undefined;
let stopDatabase: (() => Promise<void>) | undefined;
let stopInngest: () => void = () => undefined;
let shuttingDown = false;

async function shutdown(code: number, database: ResolvedDatabase): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const child = nextProcess;
  if (child && child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  stopInngest();
  await database.stop().catch(() => undefined);
  if (database.embedded) say("Embedded PostgreSQL stopped.");
  process.exit(code);
}

// Whatever happens to this process, Next.js must not outlive it.
process.on("exit", () => {
  nextProcess?.kill("SIGTERM");
  stopInngest();
});

async function validatePackageEnvs(env: NodeJS.ProcessEnv): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const { authEnv, rateLimitEnv } = await import("@omnicrm/auth/env");
    authEnv();
    rateLimitEnv();
    await import("@omnicrm/api/env");
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Never echo a connection string (it may hold a password).
  return text
    .replace(/postgres(ql)?:\/\/\S+/g, "<database url>")
    .split("\n")[0]!
    .slice(0, 200);
}

main().catch(async (error: unknown) => {
  const message =
    error instanceof UserFacingError || error instanceof DatabaseStartError
      ? error.message
      : error instanceof InvalidEnvError
        ? `${error.message}. Fix these environment variables (see README, "Configuration") and start again.`
        : `OmniCRM could not start: ${describe(error)}.`;
  console.error(`[omnicrm] ${message}`);
  await stopDatabase?.().catch(() => undefined);
  process.exit(1);
});
