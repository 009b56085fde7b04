export {
  applyMigrations,
  markMigrationRolledBack,
  readMigrations,
  defaultMigrationsDir,
  MigrationError,
  PRISMA_MIGRATION_LOCK_KEY,
  type MigrateResult,
  type LocalMigration,
} from "./migrate.ts";
export {
  startEmbeddedPostgres,
  isPortFree,
  DatabaseStartError,
  type RunningDatabase,
  type EmbeddedPostgresOptions,
} from "./embedded.ts";
export {
  findRepoRoot,
  defaultDataDir,
  loadOrCreateSecrets,
  resolveDatabase,
  type InstanceSecrets,
  type ResolvedDatabase,
} from "./instance.ts";
