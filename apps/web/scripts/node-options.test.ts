import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { serverNodeOptions } from "./node-options.ts";

describe("the server's NODE_OPTIONS", () => {
  it("gives the server a young generation sized for request garbage, keeping the user's options", () => {
    expect(serverNodeOptions(undefined)).toBe("--max-semi-space-size=64");
    expect(serverNodeOptions(" --enable-source-maps ")).toBe(
      "--enable-source-maps --max-semi-space-size=64",
    );
  });

  it("leaves a young generation the user chose alone", () => {
    expect(serverNodeOptions("--max-semi-space-size=8")).toBe("--max-semi-space-size=8");
  });

  it("is accepted by Node in NODE_OPTIONS and raises the young generation's limit", () => {
    const semiSpaceLimit = (nodeOptions: string) =>
      Number(
        execFileSync(
          process.execPath,
          [
            "-e",
            "process.stdout.write(String(require('v8').getHeapStatistics().total_available_size))",
          ],
          { env: { ...process.env, NODE_OPTIONS: nodeOptions } },
        ),
      );
    expect(semiSpaceLimit(serverNodeOptions(undefined))).toBeGreaterThan(semiSpaceLimit(""));
  });
});
