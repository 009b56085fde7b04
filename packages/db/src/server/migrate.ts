import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies the committed Prisma migrations without Prisma's native schema engine, so it works
 * offline. It records them exactly as `prisma migrate deploy` does (same `_prisma_migrations`
 * rows, same advisory lock, each migration.sql sent as one simple query, so it runs in one
 * implicit transaction), which keeps the two interchangeable.
 */

/** The advisory lock key Prisma's engine takes while migrating. */
export const PRISMA_MIGRATION_LOCK_KEY = 72707369;

export interface LocalMigration {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
  /** Migrations recorded in the database that this checkout does not have. */
  unknown: string[];
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export function defaultMigrationsDir(): string {
  return path.resolve(import.meta.dirname, "../../../../prisma/migrations");
}

export async function readMigrations(dir = defaultMigrationsDir()): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) continue;
    const bytes = await readFile(file);
    migrations.push({
      name,
      checksum: createHash("sha256").update(bytes).digest("hex"),
      sql: bytes.toString("utf8"),
    });
  }
  return migrations;
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
}

export async function applyMigrations(
  databaseUrl: string,
  options: { migrationsDir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, logs FROM "_prisma_migrations"
         WHERE rolled_back_at IS NULL ORDER BY started_at`,
      );

      const failed = rows.find((row) => row.finished_at === null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} failed earlier and the database was left as it was then` +
            (failed.logs ? ` (${firstLine(failed.logs)})` : "") +
            `. Fix the database by hand, then mark the migration as rolled back with ` +
            `\`npm run db:migrate -- --rolled-back ${failed.migration_name}\` and start again.`,
          failed.migration_name,
        );
      }

      const applied = new Map(rows.map((row) => [row.migration_name, row]));
      for (const migration of migrations) {
        const row = applied.get(migration.name);
        if (row && row.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied to this database. ` +
              `Restore its migration.sql to the applied version and put the change in a new migration.`,
            migration.name,
          );
        }
      }

      const local = new Set(migrations.map((m) => m.name));
      const unknown = rows.map((r) => r.migration_name).filter((name) => !local.has(name));
      const pending = migrations.filter((m) => !applied.has(m.name));
      const done: string[] = [];
      for (const migration of pending) {
        await applyOne(client, migration);
        log(`Applied migration ${migration.name}`);
        done.push(migration.name);
      }
      return { applied: done, alreadyApplied: migrations.length - pending.length, unknown };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    // No parameters: node-postgres sends a simple query, which PostgreSQL runs as one implicit
    // transaction, so a failing migration leaves nothing half-applied.
    await client.query(migration.sql);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [
      id,
      `Database error: ${reason}`,
    ]);
    throw new MigrationError(
      `Migration ${migration.name} failed: ${reason}. Nothing of it was applied; fix the migration ` +
        `or the database, mark it with \`npm run db:migrate -- --rolled-back ${migration.name}\`, and start again.`,
      migration.name,
    );
  }
  await client.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? text;
}

/**
 * Marks a failed migration as rolled back (what `prisma migrate resolve --rolled-back` does), so
 * the next start applies it again.
 */
export async function markMigrationRolledBack(databaseUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      `UPDATE "_prisma_migrations" SET rolled_back_at = now()
       WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [name],
    );
    return (result.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
