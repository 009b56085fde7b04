import { aiStatus } from "@omnicrm/api/ai-status";
import { backgroundJobsStatus } from "@omnicrm/api/jobs";
import { checkDatabase, getDb } from "@omnicrm/db";
import { env } from "@/env";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness for people and monitors. Reports each dependency's state in words,
 * never a connection string or key. 503 when the database is down; background jobs that cannot
 * run (no Inngest server) are reported, without failing the check.
 */
export async function GET(): Promise<Response> {
  const jobsCheck = backgroundJobsStatus();
  let database;
  try {
    database = await checkDatabase(getDb());
  } catch {
    database = { status: "down" as const, latencyMs: 0, error: "not configured" };
  }
  const jobs = await jobsCheck;
  const body = {
    status: database.status === "up" ? "ok" : "degraded",
    version: env.OMNICRM_VERSION,
    time: new Date().toISOString(),
    checks: {
      database,
      jobs: {
        status: jobs.available ? "up" : "unavailable",
        available: jobs.available,
        reason: jobs.reason,
      },
      ai: (() => {
        try {
          const ai = aiStatus();
          return ai.provider
            ? { status: "configured", ...ai.provider }
            : { status: "not_configured", detail: ai.reason };
        } catch {
          return {
            status: "misconfigured",
            detail: "The AI settings in the environment are not valid.",
          };
        }
      })(),
    },
  };
  return Response.json(body, {
    status: database.status === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
