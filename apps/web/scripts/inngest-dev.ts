// Background jobs for the launcher: where the Inngest functions' server is, or why there is
// none. With INNGEST_EVENT_KEY (Inngest Cloud or a self-hosted Inngest) nothing is started.
// In `npm run dev`, the Inngest Dev Server is started beside the app when its binary is
// installed (`inngest` or `inngest-cli` on the PATH, or INNGEST_CLI naming it); otherwise one
// sentence says how to start it. It downloads itself on first use, so it cannot be bundled.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

export interface InngestPlan {
  /** Environment for the app. */
  env: Record<string, string>;
  /** What to tell the user, one sentence. */
  message: string;
  /** Stops the Dev Server this launcher started, if any. */
  stop: () => void;
}

function findBinary(env: NodeJS.ProcessEnv): string | null {
  const candidates = [env.INNGEST_CLI, "inngest", "inngest-cli"].filter(
    (c): c is string => typeof c === "string" && c.length > 0,
  );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["version"], { stdio: "ignore", timeout: 5000, env });
    if (probe.status === 0) return candidate;
  }
  return null;
}

export function planInngest(
  mode: "start" | "dev",
  port: number,
  env: NodeJS.ProcessEnv,
): InngestPlan {
  const none = () => undefined;
  if (env.INNGEST_EVENT_KEY) {
    return {
      env: {},
      message: `Background jobs run on the Inngest server at ${env.INNGEST_BASE_URL ?? "Inngest Cloud"}.`,
      stop: none,
    };
  }
  if (env.INNGEST_DEV) {
    return {
      env: {},
      message: "Background jobs use the Inngest Dev Server you started (INNGEST_DEV is set).",
      stop: none,
    };
  }
  const appUrl = `http://localhost:${port}/api/inngest`;
  const howTo = `start it with \`npx inngest-cli@latest dev -u ${appUrl}\` in another terminal and run OmniCRM with INNGEST_DEV=1`;
  if (mode === "start") {
    return {
      env: {},
      message: `Background jobs (Google sync) are off: no Inngest server is configured. Set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY for Inngest Cloud or a self-hosted Inngest, or ${howTo}.`,
      stop: none,
    };
  }
  const binary = findBinary(env);
  if (!binary) {
    return {
      env: {},
      message: `Background jobs (Google sync) are off: the Inngest Dev Server is not installed here; ${howTo}.`,
      stop: none,
    };
  }
  let child: ChildProcess | undefined = spawn(
    binary,
    ["dev", "-u", appUrl, "--no-discovery", "--host", "127.0.0.1"],
    { stdio: "ignore", env },
  );
  child.on("exit", () => {
    child = undefined;
  });
  return {
    env: { INNGEST_DEV: "1", INNGEST_BASE_URL: "http://127.0.0.1:8288" },
    message:
      "The Inngest Dev Server is running at http://127.0.0.1:8288 (its dashboard shows and replays the sync runs).",
    stop: () => child?.kill("SIGTERM"),
  };
}
