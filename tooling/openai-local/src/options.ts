import { z } from "zod";
import { FaultRuleSchema } from "./faults.ts";
import type { ScriptFunction } from "./script.ts";

export const LatencySchema = z.object({
  /** Delay before the first content delta (text or tool-call arguments) of a response. */
  timeToFirstTokenMs: z.number().min(0).default(0),
  /** Delay before each further delta, per token in it. */
  perTokenMs: z.number().min(0).default(0),
});

export type Latency = z.output<typeof LatencySchema>;
export type LatencyInput = z.input<typeof LatencySchema>;

export const DEFAULT_MODELS = ["gpt-local", "gpt-local-mini", "text-embedding-local"];

export const LocalModelOptionsSchema = z.object({
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port: z.number().int().min(0).max(65_535).default(0),
  /**
   * The key clients must send as `Authorization: Bearer <key>` (401 otherwise). `false` accepts
   * any or no key. Default "sk-local".
   */
  apiKey: z.union([z.string().min(1), z.literal(false)]).default("sk-local"),
  /** Models listed by GET /v1/models. */
  models: z.array(z.string().min(1)).min(1).default(DEFAULT_MODELS),
  /** Reject requests for models not in `models` with 404 model_not_found (default: accept any). */
  strictModels: z.boolean().default(false),
  /** Embedding size when the request does not ask for `dimensions`. */
  embeddingDimensions: z.number().int().min(1).max(8192).default(256),
  latency: LatencySchema.partial().optional(),
  /** Decides replies per request (a queue set with `script()` takes precedence). */
  handler: z
    .custom<ScriptFunction>((v) => typeof v === "function", "handler must be a function")
    .optional(),
  /** Token counter for usage (default: words, numbers and punctuation marks). */
  countTokens: z
    .custom<(text: string) => number>(
      (v) => typeof v === "function",
      "countTokens must be a function",
    )
    .optional(),
  faults: z.array(FaultRuleSchema).optional(),
  /** Keep at most this many requests in `requests` (oldest dropped). */
  maxRecordedRequests: z.number().int().positive().default(10_000),
  /** Called with one line per request. Default: log nothing. */
  log: z
    .custom<(line: string) => void>((v) => typeof v === "function", "log must be a function")
    .optional(),
});

export type LocalModelOptions = z.input<typeof LocalModelOptionsSchema>;
