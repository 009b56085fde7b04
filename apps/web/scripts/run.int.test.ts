import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = path.resolve(import.meta.dirname, "..");
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-launcher-"));
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the launcher as `npm run dev` would and returns what it printed when it gave up. */
function launch(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/run.ts", "dev"], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: os.homedir(),
        NODE_ENV: "development",
        OMNICRM_DATA_DIR: dataDir,
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`launcher did not give up; output so far:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function occupyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function expectOneClearSentence(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe("the launcher explains what to do when it cannot start", () => {
  it("names an invalid DATABASE_URL", async () => {
    const result = await launch({ DATABASE_URL: "mysql://localhost/omnicrm" });
    expect(result.code).toBe(1);
    expectOneClearSentence(result.stderr, /DATABASE_URL must be a postgresql:\/\/ connection URL/);
  });

  it("names an invalid PORT", async () => {
    const result = await launch({ PORT: "eighty" });
    expect(result.code).toBe(1);
    expectOneClearSentence(result.stderr, /PORT must be a port number between 1 and 65535/);
  });

  it("names an invalid setting of another package before starting anything", async () => {
    const result = await launch({ PORT: "39123", NEXTAUTH_URL: "not a url" });
    expect(result.code).toBe(1);
    expectOneClearSentence(
      result.stderr,
      /Invalid environment: NEXTAUTH_URL .*Fix these environment variables/,
    );
    expect(result.stdout).not.toMatch(/Starting the embedded PostgreSQL/);
  });

  it("says which port is taken and how to choose another", async () => {
    const busy = await occupyPort();
    try {
      const result = await launch({ PORT: String(busy.port) });
      expect(result.code).toBe(1);
      expectOneClearSentence(
        result.stderr,
        new RegExp(`Port ${busy.port} is already in use: .*PORT=${busy.port + 1}`),
      );
    } finally {
      await busy.close();
    }
  });

  it("says when the embedded database's port is taken", async () => {
    const busy = await occupyPort();
    try {
      const result = await launch({ PORT: "39124", OMNICRM_DB_PORT: String(busy.port) });
      expect(result.code).toBe(1);
      expectOneClearSentence(
        result.stderr,
        new RegExp(
          `Port ${busy.port} is already in use, so the embedded PostgreSQL cannot start: .*OMNICRM_DB_PORT`,
        ),
      );
    } finally {
      await busy.close();
    }
  });

  it("says when the embedded database cannot start from its folder", async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), "omnicrm-broken-"));
    await chmod(broken, 0o755);
    try {
      await mkdir(path.join(broken, "postgres"), { recursive: true });
      await writeFile(path.join(broken, "postgres", "PG_VERSION"), "9\n");
      const result = await launch({
        PORT: "39125",
        OMNICRM_DATA_DIR: broken,
        OMNICRM_DB_PORT: "39126",
      });
      expect(result.code).toBe(1);
      expectOneClearSentence(result.stderr, /The embedded PostgreSQL in .* did not start \(.+\): /);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it("says when a DATABASE_URL server does not answer", async () => {
    const result = await launch({
      PORT: "39127",
      DATABASE_URL: "postgresql://omnicrm:secret-pw@127.0.0.1:1/omnicrm",
    });
    expect(result.code).toBe(1);
    expectOneClearSentence(
      result.stderr,
      /Could not reach the database to apply migrations .*check DATABASE_URL/,
    );
    expect(result.stderr).not.toContain("secret-pw");
  });
});
