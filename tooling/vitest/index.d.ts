import type { ViteUserConfig } from "vitest/config";

export declare function omnicrmVitestConfig(): ViteUserConfig;
