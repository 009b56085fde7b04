import { z } from "zod";

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
    message:
      "must be a postgresql:// connection URL, e.g. postgresql://user:password@localhost:5432/omnicrm",
  });

const schema = z.object({
  /** The PostgreSQL server to use. Unset: the launcher starts the embedded one. */
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Where the embedded PostgreSQL and the generated secrets live (default: `.data/`). */
  OMNICRM_DATA_DIR: z.string().trim().min(1).optional(),
  /** Port of the embedded PostgreSQL (127.0.0.1 only). */
  OMNICRM_DB_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
});

export type DbEnv = z.infer<typeof schema>;

export class InvalidEnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment: ${issues.join("; ")}`);
    this.name = "InvalidEnvError";
  }
}

export function readDbEnv(source: Record<string, string | undefined> = process.env): DbEnv {
  const blankIsUnset = (key: keyof DbEnv) => (source[key] === "" ? undefined : source[key]);
  const result = schema.safeParse({
    DATABASE_URL: blankIsUnset("DATABASE_URL"),
    DATABASE_POOL_SIZE: blankIsUnset("DATABASE_POOL_SIZE"),
    OMNICRM_DATA_DIR: blankIsUnset("OMNICRM_DATA_DIR"),
    OMNICRM_DB_PORT: blankIsUnset("OMNICRM_DB_PORT"),
  });
  if (!result.success) {
    throw new InvalidEnvError(
      result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  }
  return result.data;
}

type EnvIssue = { message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> };

/** For every package's env.ts: report all invalid variables in one sentence. */
export function throwInvalidEnv(issues: ReadonlyArray<EnvIssue>): never {
  throw new InvalidEnvError(
    issues.map((issue) => {
      const key = (issue.path ?? [])
        .map((segment) => (typeof segment === "object" ? String(segment.key) : String(segment)))
        .join(".");
      return `${key} ${issue.message}`.trim();
    }),
  );
}

/**
 * Sets (or, with undefined, removes) environment variables, and returns what puts them back.
 * For tests, benchmarks and demos that point a package at a local server; each package's
 * env.ts wraps it so its cached settings are read again.
 */
export function overrideEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (next: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}
