#!/usr/bin/env tsx
/**
 * Runs a local OpenAI-compatible model server for demos and benchmarks:
 *   npm start -w @omnicrm/openai-local -- --port 8891 --ttft 300 --per-token 20
 */
import { parseArgs } from "node:util";
import { startLocalModel } from "./server.ts";

const USAGE = `Usage: npm start -w @omnicrm/openai-local -- [options]

  --port <n>          port on 127.0.0.1 (default 8891; 0 picks a free one)
  --api-key <key>     key clients must send as Bearer (default sk-local)
  --no-auth           accept any or no key
  --ttft <ms>         delay before the first streamed delta (default 0)
  --per-token <ms>    delay per token of each further delta (default 0)
  --dimensions <n>    default embedding size (default 256)
  --model <id>        a model to list (repeatable; default gpt-local, gpt-local-mini, text-embedding-local)
  --verbose           log each request to stderr
  --help
`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        port: { type: "string" },
        "api-key": { type: "string" },
        "no-auth": { type: "boolean" },
        ttft: { type: "string" },
        "per-token": { type: "string" },
        dimensions: { type: "string" },
        model: { type: "string", multiple: true },
        verbose: { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let model;
  try {
    const dimensions = int(values.dimensions, "dimensions");
    model = await startLocalModel({
      port: int(values.port, "port") ?? 8891,
      apiKey: values["no-auth"] ? false : (values["api-key"] ?? "sk-local"),
      latency: {
        timeToFirstTokenMs: int(values.ttft, "ttft") ?? 0,
        perTokenMs: int(values["per-token"], "per-token") ?? 0,
      },
      ...(dimensions !== undefined ? { embeddingDimensions: dimensions } : {}),
      ...(values.model?.length ? { models: values.model } : {}),
      ...(values.verbose
        ? { log: (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) }
        : {}),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    [
      `openai-local listening on ${model.url}`,
      ``,
      `  baseURL  ${model.baseURL}`,
      `  apiKey   ${model.apiKey}${values["no-auth"] ? " (any key accepted)" : ""}`,
      ``,
      `  createOpenAI({ baseURL: "${model.baseURL}", apiKey: "${model.apiKey}" })`,
      `  OPENAI_BASE_URL=${model.baseURL} OPENAI_API_KEY=${model.apiKey}`,
      ``,
      `Replies echo the last user message. Ctrl-C to stop.`,
      ``,
    ].join("\n"),
  );
  const stop = (): void => {
    void model.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
