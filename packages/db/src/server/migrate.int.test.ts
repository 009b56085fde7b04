import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { dropDatabase, withDatabase } from "../testing/server.ts";
import {
  applyMigrations,
  defaultMigrationsDir,
  markMigrationRolledBack,
  MigrationError,
  readMigrations,
} from "./migrate.ts";

const adminUrl = inject("omnicrmDbAdminUrl");
const created: string[] = [];
const tempDirs: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = `omnicrm_test_mig_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  return withDatabase(adminUrl, name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-migrations-"));
  tempDirs.push(dir);
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("applyMigrations", () => {
  it("applies every committed migration once and records it as prisma migrate deploy does", async () => {
    const url = await emptyDatabase();
    const local = await readMigrations();
    expect(local.length).toBeGreaterThan(0);

    const first = await applyMigrations(url);
    expect(first.applied).toEqual(local.map((m) => m.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      id: string;
    }>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    for (const [index, migration] of local.entries()) {
      const row = rows[index]!;
      const bytes = await readFile(
        path.join(defaultMigrationsDir(), migration.name, "migration.sql"),
      );
      expect(row.migration_name).toBe(migration.name);
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const tables = await query<{ tablename: string }>(
      url,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(["users", "contacts"]));

    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(local.length);
  });

  it("applies each migration once when two deployers start together", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([applyMigrations(url), applyMigrations(url)]);
    const local = await readMigrations();
    expect([...a.applied, ...b.applied].sort()).toEqual(local.map((m) => m.name).sort());
    const rows = await query(url, `SELECT 1 FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(local.length);
  });

  it("refuses to start when an applied migration was changed", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(url, { migrationsDir: dir });
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first!.name, "migration.sql"), `${first!.sql}\n-- edited\n`);
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      /was changed after it was applied/,
    );
  });

  it("leaves nothing of a failed migration applied and stops later starts until it is resolved", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const broken = path.join(dir, "29990101000000_broken");
    await mkdir(broken);
    await writeFile(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "half_done" (id int);\nSELECT 1 / 0;\n`,
    );

    const failure = await applyMigrations(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toMatch(
      /29990101000000_broken failed: division by zero/,
    );

    const leftovers = await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`);
    expect(leftovers).toHaveLength(0);
    const [row] = await query<{
      finished_at: Date | null;
      logs: string;
      applied_steps_count: number;
    }>(
      url,
      `SELECT finished_at, logs, applied_steps_count FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`,
    );
    expect(row).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(row!.logs).toMatch(/division by zero/);

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      /failed earlier.*--rolled-back 29990101000000_broken/,
    );

    await writeFile(path.join(broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\n`);
    expect(await markMigrationRolledBack(url, "29990101000000_broken")).toBe(true);
    const retried = await applyMigrations(url, { migrationsDir: dir });
    expect(retried.applied).toEqual(["29990101000000_broken"]);
  });

  it("upgrades existing contacts to the client record: primary email and phone, search text", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const all = await readMigrations(dir);
    const later = all.filter((m) => m.name >= "20261123160000");
    for (const m of later) await rm(path.join(dir, m.name), { recursive: true });
    await applyMigrations(url, { migrationsDir: dir });
    await query(
      url,
      `INSERT INTO users (id, email, updated_at) VALUES ('0190b6a4-0000-7000-8000-000000000001', 'u@example.com', now());
       INSERT INTO contacts (id, user_id, name, name_sort, email, phone, updated_at)
       VALUES ('0190b6a4-0000-7000-8000-000000000002', '0190b6a4-0000-7000-8000-000000000001',
               'Old Client', 'old client', 'old@example.com', '+1 (555) 010-9999', now())`,
    );
    await applyMigrations(url);
    const [emailRow] = await query<{ email: string; is_primary: boolean }>(
      url,
      `SELECT email, is_primary FROM contact_emails`,
    );
    expect(emailRow).toEqual({ email: "old@example.com", is_primary: true });
    const [phoneRow] = await query<{ digits: string }>(url, `SELECT digits FROM contact_phones`);
    expect(phoneRow).toEqual({ digits: "15550109999" });
    const [contact] = await query<{ search_text: string; stage: string }>(
      url,
      `SELECT search_text, stage FROM contacts`,
    );
    expect(contact!.stage).toBe("lead");
    expect(contact!.search_text).toContain("old client");
    expect(contact!.search_text).toContain("old@example.com");
    expect(contact!.search_text).toContain("15550109999");
  });
});
