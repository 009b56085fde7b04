/**
 * Whether background jobs (the Inngest functions that run Google sync) can run here, decided
 * once per process and remembered for 30 seconds: with INNGEST_DEV set, the Inngest Dev Server
 * must answer; otherwise INNGEST_EVENT_KEY (Inngest Cloud or a self-hosted Inngest) must be
 * set. Reads only the environment and, in dev mode, one fast GET: safe for the health route.
 */

import { runtimeEnv } from "./env.ts";

type InngestSettings = Pick<
  ReturnType<typeof runtimeEnv>,
  "INNGEST_DEV" | "INNGEST_BASE_URL" | "INNGEST_EVENT_KEY"
>;

export interface BackgroundJobsStatus {
  available: boolean;
  /** Why jobs cannot run, one plain sentence; null when they can. */
  reason: string | null;
}

const CACHE_MS = 30_000;
const PROBE_TIMEOUT_MS = 500;
const DEFAULT_DEV_SERVER = "http://127.0.0.1:8288";

export const NO_INNGEST_REASON =
  "No Inngest server is configured: start the Inngest Dev Server (see README) so syncs can run.";

let cached: { value: BackgroundJobsStatus; at: number } | undefined;
let pending: Promise<BackgroundJobsStatus> | undefined;

/** "1"/"true" → true, "0"/"false" → false, anything else (a URL) → undefined; like Inngest. */
function asBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return undefined;
}

function asUrl(value: string | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(/^https?:\/\//.test(value) ? value : `http://${value}`);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Where the Dev Server is, when the environment puts the Inngest client in dev mode. */
export function devServerUrl(env: InngestSettings = runtimeEnv()): string | null {
  const dev = env.INNGEST_DEV?.trim();
  if (!dev) return null;
  const flag = asBoolean(dev);
  if (flag === false) return null;
  const explicit = flag === undefined ? asUrl(dev) : null;
  if (flag === undefined && !explicit) return null;
  const base = asUrl(env.INNGEST_BASE_URL) ?? explicit ?? new URL(DEFAULT_DEV_SERVER);
  return base.origin;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "GET",
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      redirect: "manual",
    });
    await response.body?.cancel().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

async function check(env: InngestSettings): Promise<BackgroundJobsStatus> {
  const dev = devServerUrl(env);
  if (dev) {
    return (await answers(dev))
      ? { available: true, reason: null }
      : {
          available: false,
          reason: `The Inngest Dev Server does not answer at ${dev}: start it (see README) so syncs can run.`,
        };
  }
  if (env.INNGEST_EVENT_KEY?.trim()) return { available: true, reason: null };
  return { available: false, reason: NO_INNGEST_REASON };
}

/** Whether syncs can run in the background now (cached for 30 s per process). */
export async function backgroundJobsStatus(): Promise<BackgroundJobsStatus> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  pending ??= check(runtimeEnv())
    .then((value) => {
      cached = { value, at: Date.now() };
      return value;
    })
    .finally(() => {
      pending = undefined;
    });
  return pending;
}

/** Forgets the cached answer: the next call checks again (a send failed; tests). */
export function forgetBackgroundJobsStatus(): void {
  cached = undefined;
}
