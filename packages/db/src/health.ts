import type { Db } from "./client.ts";

export interface DatabaseHealth {
  status: "up" | "down";
  latencyMs: number;
  /** Applied migrations, when the database answers. */
  migrations?: number;
  /** Why it is down, in words safe to show (no host, user or password). */
  error?: string;
}

export async function checkDatabase(db: Db, timeoutMs = 2000): Promise<DatabaseHealth> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    const rows = await Promise.race([
      db.$queryRaw<
        { count: bigint }[]
      >`SELECT count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
      timeout,
    ]);
    return { status: "up", latencyMs: elapsed(), migrations: Number(rows[0]?.count ?? 0) };
  } catch (error) {
    const timedOut = error instanceof Error && error.message === "timeout";
    return {
      status: "down",
      latencyMs: elapsed(),
      error: timedOut ? `no answer within ${timeoutMs} ms` : "cannot connect or query",
    };
  } finally {
    clearTimeout(timer);
  }
}
