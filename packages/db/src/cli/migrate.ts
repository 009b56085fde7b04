// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded
// PostgreSQL when it is unset. `-- --rolled-back NAME` marks a failed migration as rolled back.
import path from "node:path";
import { InvalidEnvError, readDbEnv } from "../env.ts";
import {
  applyMigrations,
  defaultDataDir,
  loadOrCreateSecrets,
  markMigrationRolledBack,
  resolveDatabase,
} from "../server/index.ts";

async function main(): Promise<void> {
  const env = readDbEnv();
  const dataDir = env.OMNICRM_DATA_DIR ? path.resolve(env.OMNICRM_DATA_DIR) : defaultDataDir();
  const database = await resolveDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir,
    port: env.OMNICRM_DB_PORT,
    secrets: await loadOrCreateSecrets(dataDir),
  });
  try {
    const flag = process.argv.indexOf("--rolled-back");
    if (flag !== -1) {
      const name = process.argv[flag + 1];
      if (!name) throw new Error("--rolled-back needs the migration's folder name.");
      const marked = await markMigrationRolledBack(database.url, name);
      console.log(
        marked
          ? `Marked ${name} as rolled back; it will be applied again.`
          : `No failed migration named ${name} was found.`,
      );
      return;
    }
    const result = await applyMigrations(database.url, { log: (line) => console.log(line) });
    console.log(
      `Database is up to date (${result.applied.length} applied now, ${result.alreadyApplied} before).`,
    );
    if (result.unknown.length > 0) {
      console.warn(
        `The database has migrations this checkout does not know: ${result.unknown.join(", ")}. Update your checkout.`,
      );
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof InvalidEnvError || error instanceof Error ? error.message : String(error);
  console.error(`db:migrate: ${message}`);
  process.exit(1);
});
