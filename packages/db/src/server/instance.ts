import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { startEmbeddedPostgres, type RunningDatabase } from "./embedded.ts";

/**
 * The state a self-hosted OmniCRM keeps on its own machine when nothing is configured: the
 * embedded PostgreSQL's data and the secrets generated on first run, all under one git-ignored
 * folder (`.data/` at the repository root unless OMNICRM_DATA_DIR says otherwise).
 */

export function findRepoRoot(from = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, "turbo.json")) && existsSync(path.join(dir, "prisma")))
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No OmniCRM checkout found above ${from}`);
    dir = parent;
  }
}

export function defaultDataDir(): string {
  return path.join(findRepoRoot(), ".data");
}

const secretsSchema = z.object({
  version: z.literal(1),
  /** next-auth's JWT and cookie secret. */
  authSecret: z.string().min(32),
  /** AES-256-GCM key for data encrypted at rest, with its id so keys can rotate. */
  encryptionKeyId: z.string().min(1),
  encryptionKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** Password of the embedded PostgreSQL superuser. */
  databasePassword: z.string().min(16),
});

export type InstanceSecrets = z.infer<typeof secretsSchema>;

/** Reads the generated secrets, creating them (readable by the owner only) on first run. */
export async function loadOrCreateSecrets(dataDir: string): Promise<InstanceSecrets> {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success) {
      throw new Error(
        `${file} is damaged: restore it from a backup (the database password and encryption key in it cannot be regenerated).`,
      );
    }
    return parsed.data;
  }
  // The folder must stay traversable for the `postgres` user that runs the embedded server
  // when OmniCRM runs as root; the secrets file itself is private.
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  const secrets: InstanceSecrets = {
    version: 1,
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKeyId: `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`,
    encryptionKey: randomBytes(32).toString("base64"),
    databasePassword: randomBytes(24).toString("base64url"),
  };
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  await chmod(file, 0o600);
  return secrets;
}

export interface ResolvedDatabase extends Pick<RunningDatabase, "url" | "stop"> {
  embedded: boolean;
}

/**
 * The database OmniCRM runs on: DATABASE_URL when it is set, otherwise the embedded
 * PostgreSQL kept in the data folder (started here, stopped by `stop`).
 */
export async function resolveDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  secrets: InstanceSecrets;
  onLog?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, "postgres"),
    port: options.port,
    password: options.secrets.databasePassword,
    onLog: options.onLog,
  });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
