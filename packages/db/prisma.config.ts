import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// `prisma generate` never runs the schema engine, but the CLI insists on downloading one
// first, which fails on machines without internet. Pointing it at any existing file skips
// the download; every other command keeps Prisma's normal engine resolution.
if (process.argv.includes("generate") && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: {
    // Only migrate/diff commands need a server; generate runs without one.
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/omnicrm",
  },
});
