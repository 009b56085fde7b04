import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chatCompletion, chatCompletionChunks, chatErrorEvent, type ResponseMeta } from "./chat.ts";
import { embedText, toBase64 } from "./embeddings.ts";
import {
  invalidRequest,
  notFound,
  OpenAIHttpError,
  rateLimited,
  serverError,
  unauthorized,
} from "./errors.ts";
import { type Fault, FaultInjector } from "./faults.ts";
import {
  conversationText,
  type NormalizedPrompt,
  normalizeChatRequest,
  normalizeEmbeddingsRequest,
  normalizeResponsesRequest,
  trailingToolResults,
} from "./normalize.ts";
import {
  type Latency,
  type LatencyInput,
  LatencySchema,
  type LocalModelOptions,
  LocalModelOptionsSchema,
} from "./options.ts";
import { responseBody, responseEvents, responsesErrorEvent, storedItems } from "./responses.ts";
import {
  defaultReply,
  normalizeScript,
  planTurn,
  type Script,
  type ScriptFunction,
  type Step,
  text,
  truncateTurn,
  type Turn,
} from "./script.ts";
import { runSse, type SseEvent } from "./sse.ts";
import { Stats } from "./stats.ts";
import { countTokens as defaultCountTokens } from "./tokenizer.ts";
import type { Api, ChatMessage, ModelRequest } from "./types.ts";

const MAX_BODY_BYTES = 32 << 20;
const MAX_STORED_ITEMS = 50_000;

export interface LocalModel {
  /** e.g. http://127.0.0.1:8891 (no trailing slash) */
  readonly url: string;
  /** `${url}/v1` — pass as `baseURL` to `createOpenAI`. */
  readonly baseURL: string;
  /** The key to pass as `apiKey` (the configured one, or "sk-local" when auth is off). */
  readonly apiKey: string;
  readonly port: number;
  /**
   * Queues scripts: each answers one request in order (a script with tool calls also answers
   * the follow-up request that carries their results). Takes precedence over the handler.
   */
  script(...scripts: Script[]): void;
  /** Sets (or with undefined, removes) the function that scripts replies per request. */
  setHandler(handler: ScriptFunction | undefined): void;
  /** Changes the pacing of streamed deltas (and the delay of non-streamed replies). */
  setLatency(latency: LatencyInput): void;
  readonly latency: Latency;
  /** Requests received (model APIs, after authentication), oldest first. */
  readonly requests: readonly ModelRequest[];
  /** The last recorded request (throws when there is none). */
  lastRequest(): ModelRequest;
  readonly stats: Stats;
  readonly faults: FaultInjector;
  /**
   * Clears queued scripts, the handler, pending tool continuations, stored items, the request
   * log (and its numbering), stats and faults. Latency is kept.
   */
  reset(): void;
  /** Stops listening, drops open connections and pending timers. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const ROUTES: { method: string; path: RegExp; api: Api }[] = [
  { method: "POST", path: /^\/v1\/responses$/, api: "responses" },
  { method: "POST", path: /^\/v1\/chat\/completions$/, api: "chat.completions" },
  { method: "POST", path: /^\/v1\/embeddings$/, api: "embeddings" },
  { method: "GET", path: /^\/v1\/models(?:\/[^/]+)?$/, api: "models" },
];

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidRequest("Request body too large.");
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
    );
  }
}

function faultError(fault: Fault): OpenAIHttpError {
  switch (fault.type) {
    case "error":
      if (fault.status === 429) return rateLimited(1000);
      return fault.status >= 500
        ? serverError(fault.status, fault.message)
        : new OpenAIHttpError(
            fault.status,
            fault.message ?? "Injected failure",
            "invalid_request_error",
            fault.code ?? null,
          );
    case "rateLimit":
      return rateLimited(fault.retryAfterMs);
    default:
      return serverError(500, "message" in fault ? fault.message : undefined);
  }
}

/** Starts a local OpenAI-compatible model server on 127.0.0.1. Close it with `await model.close()`. */
export async function startLocalModel(input: LocalModelOptions = {}): Promise<LocalModel> {
  const options = LocalModelOptionsSchema.parse(input);
  const log = options.log;
  const countTokens = options.countTokens ?? defaultCountTokens;
  let latency: Latency = LatencySchema.parse(options.latency ?? {});
  let handler: ScriptFunction | undefined = options.handler;
  const queue: Step[][] = [];
  const continuations = new Map<string, Step[]>();
  const items = new Map<string, ChatMessage>();
  const requests: ModelRequest[] = [];
  const stats = new Stats();
  const faults = new FaultInjector(options.faults ?? []);
  let seq = 0;

  const timers = new Map<NodeJS.Timeout, () => void>();
  const held = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closing) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      timers.set(timer, resolve);
    });

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    if (res.headersSent || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
      ...headers,
    });
    res.end(payload);
  };

  const checkModel = (model: string): void => {
    if (options.strictModels && !options.models.includes(model))
      throw notFound(
        `The model \`${model}\` does not exist or you do not have access to it.`,
        "model_not_found",
      );
  };

  function record(
    api: Api,
    req: IncomingMessage,
    path: string,
    body: unknown,
    fields: Partial<ModelRequest> & { model: string },
  ): ModelRequest {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers[k] =
        k === "authorization" ? "Bearer [redacted]" : Array.isArray(v) ? v.join(", ") : v;
    }
    const messages = fields.messages ?? [];
    const input = fields.input ?? [];
    const request: ModelRequest = {
      seq: ++seq,
      api,
      method: req.method ?? "POST",
      path,
      model: fields.model,
      stream: fields.stream ?? false,
      messages,
      tools: fields.tools ?? [],
      ...(fields.toolChoice !== undefined ? { toolChoice: fields.toolChoice } : {}),
      input,
      toolResults: trailingToolResults(messages),
      lastUserMessage: [...messages].reverse().find((m) => m.role === "user")?.content ?? "",
      text: [conversationText(messages), ...input].filter(Boolean).join("\n"),
      body,
      headers,
      receivedAt: Date.now(),
    };
    requests.push(request);
    if (requests.length > options.maxRecordedRequests) requests.shift();
    return request;
  }

  function decideTurn(request: ModelRequest, maxOutputTokens: number | undefined): Turn {
    let steps: Step[] | undefined;
    for (const result of request.toolResults) {
      const rest = continuations.get(result.callId);
      if (!rest) continue;
      for (const [id, value] of continuations) if (value === rest) continuations.delete(id);
      steps = rest;
      break;
    }
    steps ??= queue.shift();
    if (!steps && handler) {
      const scripted = handler(request);
      if (scripted !== undefined) steps = normalizeScript(scripted);
    }
    steps ??= [text(defaultReply(request))];
    let turn = planTurn(steps, request);
    if (turn.rest.length > 0)
      for (const call of turn.toolCalls) continuations.set(call.id, turn.rest);
    if (maxOutputTokens !== undefined)
      turn = truncateTurn(turn, maxOutputTokens, countTokens) ?? turn;
    return turn;
  }

  async function answerModel(
    api: "responses" | "chat.completions",
    prompt: NormalizedPrompt,
    request: ModelRequest,
    body: Record<string, unknown>,
    res: ServerResponse,
    streamFault: Extract<Fault, { type: "streamError" }> | undefined,
  ): Promise<number> {
    const turn = decideTurn(request, prompt.maxOutputTokens);
    const promptTokens = countTokens(
      [request.text, ...prompt.tools.map((t) => JSON.stringify(t))].join("\n"),
    );
    const completionTokens =
      countTokens(turn.text) +
      turn.toolCalls.reduce((sum, c) => sum + countTokens(c.name) + countTokens(c.arguments), 0);
    const truncated = turn.truncated === true;
    const meta: ResponseMeta = {
      id: api === "responses" ? `resp_local_${request.seq}` : `chatcmpl-local-${request.seq}`,
      created: Math.floor(Date.now() / 1000),
      model: prompt.model,
      promptTokens,
      completionTokens,
      truncated,
    };
    stats.add({ promptTokens, completionTokens, toolCalls: turn.toolCalls.length });
    const echo = {
      ...(typeof body.instructions === "string" ? { instructions: body.instructions } : {}),
      ...(prompt.maxOutputTokens !== undefined ? { maxOutputTokens: prompt.maxOutputTokens } : {}),
      store: body.store !== false,
      tools: Array.isArray(body.tools) ? body.tools : [],
    };
    if (api === "responses") {
      for (const [id, item] of storedItems(turn, meta)) items.set(id, item);
      while (items.size > MAX_STORED_ITEMS) items.delete(items.keys().next().value as string);
    }
    const headers = { "x-request-id": `req_local_${request.seq}`, "openai-model": prompt.model };
    if (!prompt.stream) {
      if (streamFault) throw serverError(500, streamFault.message);
      const wait = latency.timeToFirstTokenMs + latency.perTokenMs * completionTokens;
      if (wait > 0) await sleep(wait);
      if (closing) return 0;
      send(
        res,
        200,
        api === "responses" ? responseBody(turn, meta, echo) : chatCompletion(turn, meta),
        headers,
      );
      return 200;
    }
    stats.add({ streamed: 1 });
    let events: SseEvent[];
    let errorEvent: (message: string) => SseEvent;
    if (api === "responses") {
      events = responseEvents(turn, meta, echo);
      errorEvent = (message) => responsesErrorEvent(events.length, message);
    } else {
      events = chatCompletionChunks(turn, meta, prompt.includeUsage);
      errorEvent = chatErrorEvent;
    }
    await runSse(
      {
        res,
        latency,
        countTokens,
        sleep,
        stopped: () => closing !== undefined,
        headers,
        ...(streamFault ? { fault: streamFault } : {}),
        errorEvent,
      },
      events,
    );
    return 200;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "");
    const route = ROUTES.find((r) => r.path.test(path));
    if (!route || route.method !== method) {
      const error = new OpenAIHttpError(
        route ? 405 : 404,
        `Invalid URL (${method} ${url.pathname})`,
        "invalid_request_error",
      );
      log?.(`${method} ${url.pathname} -> ${error.status}`);
      return send(res, error.status, error.body);
    }
    const api = route.api;
    stats.request(api);
    let status = 200;
    let streamed = false;
    try {
      const body = method === "POST" ? await readJson(req) : {};
      if (options.apiKey !== false) {
        const auth = req.headers.authorization;
        const given = auth?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
        if (given !== options.apiKey) throw unauthorized(given ?? auth);
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw invalidRequest("The request body must be a JSON object.");
      const json = body as Record<string, unknown>;

      let request: ModelRequest | undefined;
      let prompt: NormalizedPrompt | undefined;
      let embeddings: ReturnType<typeof normalizeEmbeddingsRequest> | undefined;
      if (api === "chat.completions" || api === "responses") {
        prompt =
          api === "responses"
            ? normalizeResponsesRequest(json, (id) => items.get(id))
            : normalizeChatRequest(json);
        streamed = prompt.stream;
        request = record(api, req, path, body, {
          model: prompt.model,
          stream: prompt.stream,
          messages: prompt.messages,
          tools: prompt.tools,
          ...(prompt.toolChoice !== undefined ? { toolChoice: prompt.toolChoice } : {}),
        });
        checkModel(prompt.model);
      } else if (api === "embeddings") {
        embeddings = normalizeEmbeddingsRequest(json);
        request = record(api, req, path, body, {
          model: embeddings.model,
          input: embeddings.input,
        });
        checkModel(embeddings.model);
      }

      const fault = faults.pick(api);
      let streamFault: Extract<Fault, { type: "streamError" }> | undefined;
      if (fault) {
        stats.add({ faultsInjected: 1 });
        if (fault.type === "timeout") {
          held.add(res);
          res.on("close", () => held.delete(res));
          if (fault.ms !== undefined) void sleep(fault.ms).then(() => req.socket.destroy());
          log?.(`${method} ${url.pathname} -> held (${api}, injected timeout)`);
          return;
        }
        if (fault.type === "delay") {
          await sleep(fault.ms);
          if (closing) return;
        } else if (fault.type === "streamError") streamFault = fault;
        else throw faultError(fault);
      }

      if (api === "models") {
        const id = path.split("/")[3];
        const model = (name: string) => ({
          id: name,
          object: "model",
          created: 1_700_000_000,
          owned_by: "openai-local",
        });
        if (id !== undefined) {
          const name = decodeURIComponent(id);
          if (!options.models.includes(name))
            throw notFound(`The model '${name}' does not exist`, "model_not_found");
          send(res, 200, model(name));
        } else send(res, 200, { object: "list", data: options.models.map(model) });
      } else if (api === "embeddings" && embeddings && request) {
        if (streamFault) throw serverError(500, streamFault.message);
        const dimensions = embeddings.dimensions ?? options.embeddingDimensions;
        const promptTokens = embeddings.input.reduce((s, t) => s + countTokens(t), 0);
        stats.add({ embeddedInputs: embeddings.input.length, promptTokens });
        send(
          res,
          200,
          {
            object: "list",
            data: embeddings.input.map((t, index) => {
              const vector = embedText(t, dimensions);
              return {
                object: "embedding",
                index,
                embedding: embeddings.encoding === "base64" ? toBase64(vector) : vector,
              };
            }),
            model: embeddings.model,
            usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
          },
          { "x-request-id": `req_local_${request.seq}` },
        );
      } else if (prompt && request && (api === "responses" || api === "chat.completions")) {
        status = await answerModel(api, prompt, request, json, res, streamFault);
        if (streamFault && streamed) status = 200;
      }
    } catch (error) {
      if (error instanceof OpenAIHttpError) {
        status = error.status;
        send(res, error.status, error.body, error.headers);
      } else {
        status = 500;
        log?.(
          `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        send(res, 500, serverError(500).body);
      }
    }
    stats.response(api, status);
    log?.(`${method} ${url.pathname} -> ${status} (${api}${streamed ? ", stream" : ""})`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, serverError(500).body);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const [timer, wake] of timers) {
        clearTimeout(timer);
        wake();
      }
      timers.clear();
      server.close(() => resolve());
      for (const res of held) res.socket?.destroy();
      held.clear();
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    baseURL: `${url}/v1`,
    apiKey: options.apiKey === false ? "sk-local" : options.apiKey,
    port,
    script: (...scripts) => {
      for (const s of scripts) queue.push(normalizeScript(s));
    },
    setHandler: (fn) => {
      handler = fn;
    },
    setLatency: (value) => {
      latency = LatencySchema.parse({ ...latency, ...value });
    },
    get latency() {
      return latency;
    },
    requests,
    lastRequest: () => {
      const last = requests[requests.length - 1];
      if (!last) throw new Error("openai-local: no request received yet");
      return last;
    },
    stats,
    faults,
    reset: () => {
      queue.length = 0;
      handler = options.handler;
      continuations.clear();
      items.clear();
      requests.length = 0;
      seq = 0;
      stats.reset();
      faults.clear();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
