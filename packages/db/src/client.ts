import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { readDbEnv } from "./env.ts";

export type Db = PrismaClient;

export function createPrismaClient(url: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

// One client per process; kept on globalThis so Next.js hot reload does not open a new pool
// on every edit.
const globalForDb = globalThis as unknown as { omnicrmDb?: Db };

/** The process-wide client for the configured DATABASE_URL. */
export function getDb(): Db {
  if (!globalForDb.omnicrmDb) {
    const env = readDbEnv();
    if (!env.DATABASE_URL) {
      throw new Error(
        "DATABASE_URL is not set. Start OmniCRM with `npm start` or `npm run dev`, which start the embedded PostgreSQL, or set DATABASE_URL.",
      );
    }
    globalForDb.omnicrmDb = createPrismaClient(env.DATABASE_URL, {
      poolSize: env.DATABASE_POOL_SIZE,
    });
  }
  return globalForDb.omnicrmDb;
}
