import pino from "pino";
import { apiEnv } from "./env.ts";

/**
 * Structured JSON logs. Anything that could carry a secret or a client's data is redacted by
 * key wherever it appears, so a careless `log.info({ input })` still leaks nothing.
 */
export function createLogger(destination?: pino.DestinationStream): Logger {
  return pino(options, destination as pino.DestinationStream);
}

const options: pino.LoggerOptions = {
  level: apiEnv.LOG_LEVEL,
  base: { service: "omnicrm-api" },
  redact: {
    paths: [
      "password",
      "*.password",
      "*.*.password",
      "passwordHash",
      "*.passwordHash",
      "token",
      "*.token",
      "*.accessToken",
      "*.refreshToken",
      "authorization",
      "*.authorization",
      "cookie",
      "*.cookie",
      "headers",
      "*.headers",
      "input",
      "*.input",
    ],
    censor: "[redacted]",
  },
};

export type Logger = pino.Logger;

export const logger = createLogger();
