export { createPrismaClient, getDb, sqlPoolOf, type Db } from "./client.ts";
export { readDbEnv, InvalidEnvError, overrideEnv, throwInvalidEnv, type DbEnv } from "./env.ts";
export { checkDatabase, type DatabaseHealth } from "./health.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type { Contact, User } from "./generated/prisma/client.ts";
