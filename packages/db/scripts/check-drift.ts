// `npm run db:check`: fails when prisma/schema.prisma and the committed migrations disagree.
// Prisma's own `migrate diff` does the comparison on a scratch database of a real server: the
// one in DATABASE_URL, or a throw-away embedded PostgreSQL. PRISMA_CLI may name another Prisma
// CLI (e.g. one that works without downloading its engine); the default is this package's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { startTestServer } from "../src/testing/server.ts";

const packageDir = path.resolve(import.meta.dirname, "..");
const server = await startTestServer();
let status: number;
try {
  const cli = (process.env.PRISMA_CLI ?? "npx prisma").split(" ");
  const result = spawnSync(
    cli[0]!,
    [
      ...cli.slice(1),
      "migrate",
      "diff",
      "--from-migrations",
      "../../prisma/migrations",
      "--to-schema",
      "../../prisma/schema.prisma",
      "--exit-code",
    ],
    {
      cwd: packageDir,
      env: { ...process.env, DATABASE_URL: server.adminUrl },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  status = result.status ?? 1;
  const output = result.stdout.toString();
  if (status === 2) {
    console.error(output);
    console.error(
      "db:check: prisma/schema.prisma and prisma/migrations disagree. Create a migration for the change (prisma migrate dev --create-only --name <change>) and commit it.",
    );
  } else if (status === 0) {
    console.log("db:check: the migrations produce exactly prisma/schema.prisma.");
  } else {
    console.error(`db:check: prisma migrate diff failed (exit ${status}).`);
  }
} finally {
  await server.stop();
}
process.exit(status === 0 ? 0 : 1);
