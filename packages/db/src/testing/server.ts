import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { readDbEnv } from "../env.ts";
import { applyMigrations, readMigrations } from "../server/migrate.ts";
import { startEmbeddedPostgres } from "../server/embedded.ts";
import { createHash } from "node:crypto";

export interface TestServer {
  /** A URL on the server whose user may create databases. */
  adminUrl: string;
  stop: () => Promise<void>;
}

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
 * The PostgreSQL server tests run against: the one in DATABASE_URL when set, otherwise a
 * throw-away embedded server in a temporary folder.
 */
export async function startTestServer(): Promise<TestServer> {
  const env = readDbEnv();
  if (env.DATABASE_URL) {
    return { adminUrl: env.DATABASE_URL, stop: () => Promise.resolve() };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-test-pg-"));
  // The server may run as the `postgres` user (when tests run as root): let it reach its folder.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: await freePort(),
    password: randomBytes(12).toString("hex"),
    persistent: false,
  });
  return {
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const TEMPLATE_LOCK_KEY = 72707370;

/**
 * A database holding every committed migration, named after their checksums, used as the
 * template each test file's database is cloned from. Built once per server and schema.
 */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const migrations = await readMigrations();
  const digest = createHash("sha256")
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const template = `omnicrm_tpl_${digest}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      // Built under another name and renamed when complete, so a crash never leaves a
      // half-migrated template behind.
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      await applyMigrations(withDatabase(adminUrl, building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      // Templates of earlier schemas are of no further use on a long-lived server.
      const stale = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'omnicrm\\_tpl\\_%' AND datname <> $1",
        [template],
      );
      for (const { datname } of stale.rows) {
        await admin
          .query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)}`)
          .catch(() => undefined);
      }
    }
    return template;
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await admin.end();
  }
}

/** Clones the template into a new database and returns its URL. */
export async function cloneTemplateDatabase(
  adminUrl: string,
  template: string,
  name = `omnicrm_test_${randomBytes(6).toString("hex")}`,
): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // PostgreSQL refuses to copy a template that another CREATE DATABASE is copying right now.
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    await admin.query(
      `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`,
    );
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
