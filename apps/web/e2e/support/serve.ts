// Runs the production build through the real launcher on a database of its own: a fresh
// database on the server in DATABASE_URL when set, otherwise an embedded PostgreSQL in a
// temporary folder. Removes both when stopped. Google is a local Google (OAuth, Gmail and
// Calendar with generated data) and the assistant's model a local OpenAI-compatible server
// (support/model.ts), both started here; no Inngest server runs, so syncs cannot.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startLocalGoogle } from "@omnicrm/google-local";
import pg from "pg";
import { startPracticeModel } from "./model.ts";

const appDir = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const env: NodeJS.ProcessEnv = { ...process.env };
const appPort = Number(process.env.PORT ?? 3100);
const google = await startLocalGoogle({
  port: 0,
  oauth: { redirectUris: [`http://localhost:${appPort}/api/google/callback`] },
});
Object.assign(env, {
  GOOGLE_CLIENT_ID: google.oauth.clientId,
  GOOGLE_CLIENT_SECRET: google.oauth.clientSecret,
  GOOGLE_OAUTH_AUTH_URL: google.oauth.authUrl,
  GOOGLE_OAUTH_TOKEN_URL: google.oauth.tokenUrl,
  GOOGLE_OAUTH_REVOKE_URL: google.oauth.revokeUrl,
  GOOGLE_USERINFO_URL: google.oauth.userinfoUrl,
  GOOGLE_API_ROOT: `${google.url}/`,
});
const model = await startPracticeModel();
Object.assign(env, {
  OPENAI_BASE_URL: model.baseURL,
  OPENAI_API_KEY: model.apiKey,
  OMNICRM_AI_API: "chat",
  OMNICRM_AI_CHAT_MODEL: "gpt-local",
  OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
  // Small enough that one long answer uses up a day (the budget spec), ample for the others.
  OMNICRM_AI_DAILY_TOKENS: "20000",
  OMNICRM_AI_MAX_OUTPUT_TOKENS: "20000",
  OMNICRM_AI_REQUESTS_PER_MINUTE: "200",
});
for (const key of ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]) {
  delete env[key];
}
let cleanup: () => Promise<void>;
if (process.env.DATABASE_URL) {
  const server = process.env.DATABASE_URL;
  const name = `omnicrm_e2e_${randomBytes(5).toString("hex")}`;
  await admin(server, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  cleanup = () =>
    admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
      () => undefined,
    );
} else {
  const dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-e2e-"));
  await chmod(dir, 0o755);
  env.OMNICRM_DATA_DIR = dir;
  env.OMNICRM_DB_PORT = String(await freePort());
  cleanup = () => rm(dir, { recursive: true, force: true });
}

const child = spawn(process.execPath, ["--import", "tsx", "scripts/run.ts", "start"], {
  cwd: appDir,
  env,
  stdio: "inherit",
});
const stop = () => {
  if (child.exitCode === null) child.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  void Promise.all([cleanup(), google.close()])
    .catch(() => undefined)
    .finally(() => process.exit(code ?? 0));
});
