import { readDbEnv, throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

const schema = z.object({
  /** 1 = one million contacts; 0.1 for a quick check. */
  BENCH_SCALE: z.coerce.number().gt(0).max(2).default(1),
  /** Timed runs per case and variant (at least 30). */
  BENCH_RUNS: z.coerce.number().int().min(30).max(10_000).default(40),
  BENCH_WARMUP: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Which cases get an EXPLAIN ANALYZE of the SQL the list procedure ran. */
  BENCH_EXPLAIN: z.enum(["none", "slow", "all"]).default("slow"),
});

const parsed = schema.safeParse({
  BENCH_SCALE: process.env.BENCH_SCALE || undefined,
  BENCH_RUNS: process.env.BENCH_RUNS || undefined,
  BENCH_WARMUP: process.env.BENCH_WARMUP || undefined,
  BENCH_EXPLAIN: process.env.BENCH_EXPLAIN || undefined,
});
if (!parsed.success) throwInvalidEnv(parsed.error.issues);

export const benchEnv = {
  ...parsed.data,
  /** A PostgreSQL server to create the benchmark database on; unset: an embedded one. */
  DATABASE_URL: readDbEnv().DATABASE_URL,
};
