// Runs the production build through the real launcher on a database of its own: a fresh
// database on the server in DATABASE_URL when set, otherwise an embedded PostgreSQL in a
// temporary folder. Removes both when stopped.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

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
  void cleanup()
    .catch(() => undefined)
    .finally(() => process.exit(code ?? 0));
});
