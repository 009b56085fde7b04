import { createRequire } from "node:module";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The test tiers every package shares: `unit` (`*.test.ts`, no I/O) and `int`
 * (`*.int.test.ts`, a real PostgreSQL; each file clones its own database from a migrated
 * template built once per run by the global setup).
 */
export function omnicrmVitestConfig() {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  const globalSetup = require.resolve("@omnicrm/db/testing/global-setup");
  return defineConfig({
    test: {
      passWithNoTests: true,
      projects: [
        {
          extends: true,
          test: {
            name: "unit",
            include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
            exclude: ["**/*.int.test.ts", "**/node_modules/**"],
          },
        },
        {
          extends: true,
          test: {
            name: "int",
            include: ["src/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
            globalSetup: [globalSetup],
            testTimeout: 30_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  });
}
