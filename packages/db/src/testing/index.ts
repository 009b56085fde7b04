import { inject } from "vitest";
import "./provided-context.ts";
import { createPrismaClient, type Db } from "../client.ts";
import { cloneTemplateDatabase, dropDatabase } from "./server.ts";

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database with every migration applied, for one integration test file. Call it in
 * `beforeAll` and `drop()` it in `afterAll`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("omnicrmDbAdminUrl");
  const template = inject("omnicrmDbTemplate");
  const url = await cloneTemplateDatabase(adminUrl, template);
  const name = new URL(url).pathname.slice(1);
  const db = createPrismaClient(url, { poolSize: 4 });
  return {
    url,
    name,
    db,
    drop: async () => {
      await db.$disconnect();
      await dropDatabase(adminUrl, name);
    },
  };
}

export {
  startTestServer,
  ensureTemplateDatabase,
  cloneTemplateDatabase,
  dropDatabase,
  withDatabase,
} from "./server.ts";
