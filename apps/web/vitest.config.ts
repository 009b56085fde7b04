import path from "node:path";
import { omnicrmVitestConfig } from "@omnicrm/vitest-config";
import { mergeConfig } from "vitest/config";

// Next.js compiles JSX and resolves "@/" itself; the tests do the same here.
export default mergeConfig(omnicrmVitestConfig(), {
  oxc: { jsx: { runtime: "automatic" } },
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
});
