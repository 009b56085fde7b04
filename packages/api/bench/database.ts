import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@omnicrm/db/server";
import pg from "pg";

export interface BenchDatabase {
  /** URL of the fresh benchmark database. */
  url: string;
  /** Where it runs, for the report (no password). */
  description: string;
  /** Drops the database, or stops the embedded server and deletes its folder. */
  dispose: () => Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}`;
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
 * A fresh, empty database for the benchmark: `omnicrm_bench_<random>` on the server in
 * DATABASE_URL (dropped at the end), or a throw-away embedded PostgreSQL in a temporary folder
 * when DATABASE_URL is unset (the same binaries and settings OmniCRM runs on by default).
 */
export async function startBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  const name = `omnicrm_bench_${randomBytes(6).toString("hex")}`;
  if (databaseUrl) {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    } finally {
      await admin.end();
    }
    return {
      url: withDatabase(databaseUrl, name),
      description: `database ${name} on the DATABASE_URL server ${hostOf(databaseUrl)}`,
      dispose: async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(
            `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`,
          );
        } finally {
          await client.end();
        }
      },
    };
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-bench-pg-"));
  // The server may run as the `postgres` user (when run as root): let it reach its folder.
  await chmod(dir, 0o755);
  try {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, "data"),
      port: await freePort(),
      password: randomBytes(12).toString("hex"),
      database: name,
      persistent: false,
    });
    return {
      url: server.url,
      description: `embedded PostgreSQL (default settings) on 127.0.0.1:${server.port}, data in ${dir}`,
      dispose: async () => {
        try {
          await server.stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
