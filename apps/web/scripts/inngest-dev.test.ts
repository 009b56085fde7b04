import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planInngest } from "./inngest-dev.ts";

let dir: string;
let fakeCli: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "omnicrm-inngest-"));
  // A stand-in for the Inngest CLI: answers `version`, and `dev` runs until stopped.
  fakeCli = path.join(dir, "inngest");
  await writeFile(
    fakeCli,
    `#!/bin/sh\nif [ "$1" = version ]; then exit 0; fi\necho "$@" > "${dir}/args"\nexec sleep 30\n`,
  );
  await chmod(fakeCli, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bare = { PATH: "/nonexistent" } as unknown as NodeJS.ProcessEnv;

describe("background jobs in the launcher", () => {
  it("uses Inngest Cloud or a self-hosted Inngest when an event key is set", () => {
    const plan = planInngest("dev", 3000, { ...bare, INNGEST_EVENT_KEY: "key" });
    expect(plan.env).toEqual({});
    expect(plan.message).toBe("Background jobs run on the Inngest server at Inngest Cloud.");
  });

  it("says in one sentence how to start the Dev Server when it is not installed", () => {
    const plan = planInngest("dev", 3000, bare);
    expect(plan.env).toEqual({});
    expect(plan.message).toBe(
      "Background jobs (Google sync) are off: the Inngest Dev Server is not installed here; start it with `npx inngest-cli@latest dev -u http://localhost:3000/api/inngest` in another terminal and run OmniCRM with INNGEST_DEV=1.",
    );
    expect(planInngest("start", 3000, bare).message).toMatch(
      /^Background jobs \(Google sync\) are off: no Inngest server is configured\./,
    );
  });

  it("starts the Dev Server beside the app when it is installed, and stops it", async () => {
    const plan = planInngest("dev", 3100, { ...bare, INNGEST_CLI: fakeCli });
    expect(plan.env).toEqual({ INNGEST_DEV: "1", INNGEST_BASE_URL: "http://127.0.0.1:8288" });
    expect(plan.message).toMatch(/^The Inngest Dev Server is running/);
    await expect
      .poll(async () => {
        const { readFile } = await import("node:fs/promises");
        return readFile(path.join(dir, "args"), "utf8").catch(() => "");
      })
      .toContain("dev -u http://localhost:3100/api/inngest");
    plan.stop();
  });
});
