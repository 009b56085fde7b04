export { createPrismaClient, getDb, type Db } from "./client.ts";
export { readDbEnv, InvalidEnvError, type DbEnv } from "./env.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type { Contact, User } from "./generated/prisma/client.ts";
