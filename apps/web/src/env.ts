import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

/** The web app's own settings; each package validates its own in its env.ts. */
export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    OMNICRM_VERSION: z.string().default("0.1.0"),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
});
