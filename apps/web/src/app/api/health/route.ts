import { checkDatabase, getDb } from "@omnicrm/db";
import { env } from "@/env";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness for people and monitors. Reports each dependency's state in words,
 * never a connection string or key. 503 when the database is down.
 */
export async function GET(): Promise<Response> {
  let database;
  try {
    database = await checkDatabase(getDb());
  } catch {
    database = { status: "down" as const, latencyMs: 0, error: "not configured" };
  }
  const body = {
    status: database.status === "up" ? "ok" : "degraded",
    version: env.OMNICRM_VERSION,
    time: new Date().toISOString(),
    checks: {
      database,
      jobs: { status: "not_configured", detail: "Background jobs arrive with Google sync." },
      ai: { status: "not_configured", detail: "No AI provider is configured." },
    },
  };
  return Response.json(body, {
    status: database.status === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
