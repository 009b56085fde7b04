import { readDbEnv, throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

const schema = z.object({
  /** 1 = one million contacts; 0.1 for a quick check. */
  BENCH_SCALE: z.coerce.number().gt(0).max(2).default(1),
  /** bench:contacts: timed runs per case of contacts.list and of its floor (at least 30). */
  BENCH_RUNS: z.coerce.number().int().min(30).max(10_000).default(1_000),
  /** bench:contacts: timed runs per case of the old approach (each takes up to a second). */
  BENCH_BASELINE_RUNS: z.coerce.number().int().min(10).max(10_000).default(30),
  BENCH_WARMUP: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Which cases get an EXPLAIN ANALYZE of the SQL the list procedure ran. */
  BENCH_EXPLAIN: z.enum(["none", "slow", "all"]).default("slow"),
  /** bench:search: the bench user's searchable items (contacts, notes, emails, sessions). */
  BENCH_ITEMS: z.coerce.number().int().min(100).max(500_000).default(50_000),
  /** bench:search: timed runs of every query in every mode. */
  BENCH_SEARCH_RUNS: z.coerce.number().int().min(3).max(1_000).default(12),
  /** bench:chat: timed turns per variant (a p95 needs a few hundred). */
  BENCH_CHAT_RUNS: z.coerce.number().int().min(30).max(10_000).default(200),
  /** bench:search on a DATABASE_URL server: leave the benchmark database there (to explain). */
  BENCH_KEEP_DATABASE: z.stringbool().default(false),
});

const parsed = schema.safeParse({
  BENCH_SCALE: process.env.BENCH_SCALE || undefined,
  BENCH_RUNS: process.env.BENCH_RUNS || undefined,
  BENCH_BASELINE_RUNS: process.env.BENCH_BASELINE_RUNS || undefined,
  BENCH_WARMUP: process.env.BENCH_WARMUP || undefined,
  BENCH_EXPLAIN: process.env.BENCH_EXPLAIN || undefined,
  BENCH_ITEMS: process.env.BENCH_ITEMS || undefined,
  BENCH_SEARCH_RUNS: process.env.BENCH_SEARCH_RUNS || undefined,
  BENCH_KEEP_DATABASE: process.env.BENCH_KEEP_DATABASE || undefined,
  BENCH_CHAT_RUNS: process.env.BENCH_CHAT_RUNS || undefined,
});
if (!parsed.success) throwInvalidEnv(parsed.error.issues);

export const benchEnv = {
  ...parsed.data,
  /** A PostgreSQL server to create the benchmark database on; unset: an embedded one. */
  DATABASE_URL: readDbEnv().DATABASE_URL,
};
