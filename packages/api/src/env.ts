import { createEnv } from "@t3-oss/env-core";
import { throwInvalidEnv } from "@omnicrm/db";
import { z } from "zod";

export const apiEnv = createEnv({
  server: {
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  onValidationError: throwInvalidEnv,
});
