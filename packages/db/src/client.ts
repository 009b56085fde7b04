import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { readDbEnv } from "./env.ts";

export type Db = PrismaClient;

// Kept on globalThis, like the client below: a server bundle can hold several copies of this
// module (Next.js bundles each route on its own), and getDb's client is made by whichever copy
// runs first, while sqlPoolOf may be called from any of them.
const globalForPools = globalThis as unknown as { omnicrmSqlPools?: WeakMap<Db, pg.Pool> };
const pools = (globalForPools.omnicrmSqlPools ??= new WeakMap<Db, pg.Pool>());

export function createPrismaClient(url: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // A connection that dies while idle (a restarted server) is dropped by the pool; without a
  // listener its error would end the process.
  pool.on("error", () => undefined);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * The pg pool under a client made by `createPrismaClient`, for the rare read on a hot path
 * whose raw SQL Prisma would only pass through: its raw-query layer added about a sixth to a
 * contacts page's database call (more at p95). Everything else goes through Prisma.
 */
export function sqlPoolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("This Prisma client was not made by createPrismaClient.");
  return pool;
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
