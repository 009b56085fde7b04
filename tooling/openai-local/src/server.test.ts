import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, generateText, streamText } from "ai";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { text } from "./script.ts";
import { startLocalModel } from "./server.ts";

const model = await startLocalModel({ apiKey: "sk-test-key" });
const openai = createOpenAI({ baseURL: model.baseURL, apiKey: model.apiKey });
afterAll(() => model.close());
beforeEach(() => {
  model.reset();
  model.setLatency({ timeToFirstTokenMs: 0, perTokenMs: 0 });
});

describe("server", () => {
  it("listens on 127.0.0.1 and lists the configured models", async () => {
    expect(model.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(model.baseURL).toBe(`${model.url}/v1`);
    const res = await fetch(`${model.baseURL}/models`, {
      headers: { authorization: `Bearer ${model.apiKey}` },
    });
    const list = (await res.json()) as { object: string; data: { id: string; object: string }[] };
    expect(list.object).toBe("list");
    expect(list.data.map((m) => `${m.object}:${m.id}`)).toEqual([
      "model:gpt-local",
      "model:gpt-local-mini",
      "model:text-embedding-local",
    ]);
    const missing = await fetch(`${model.baseURL}/nope`, { method: "POST" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("rejects a missing or wrong key with 401 in OpenAI's error shape", async () => {
    const res = await fetch(`${model.baseURL}/models`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    expect(body.error.message).toContain("didn't provide an API key");
    const wrong = createOpenAI({ baseURL: model.baseURL, apiKey: "sk-wrong-key-123" });
    const error = await generateText({
      model: wrong("gpt-local"),
      prompt: "hi",
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(401);
    expect((error as APICallError).message).toContain("Incorrect API key");
    expect(model.requests).toHaveLength(0);
    expect(model.stats.snapshot().unauthorized).toBe(2);
  });

  it("surfaces an injected 429 as an APICallError with Retry-After", async () => {
    model.faults.next({ type: "rateLimit", retryAfterMs: 2000 });
    const error = await generateText({
      model: openai.chat("gpt-local"),
      prompt: "hi",
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    const apiError = error as APICallError;
    expect(apiError.statusCode).toBe(429);
    expect(apiError.isRetryable).toBe(true);
    expect(apiError.responseHeaders?.["retry-after"]).toBe("2");
    expect(apiError.data).toMatchObject({ error: { code: "rate_limit_exceeded" } });
  });

  it("lets the SDK retry after a short Retry-After and succeed", async () => {
    // (a 5xx carries no Retry-After, so the SDK would back off 2 s before retrying it)
    model.faults.next({ type: "rateLimit", retryAfterMs: 10 }, { api: "responses", times: 2 });
    const result = await generateText({ model: openai("gpt-local"), prompt: "retry me" });
    expect(result.text).toBe("You said: retry me");
    expect(model.stats.snapshot().responses.responses).toEqual({ 429: 2, 200: 1 });
  });

  it("makes the time to first token observable", async () => {
    model.setLatency({ timeToFirstTokenMs: 150, perTokenMs: 5 });
    model.script(text("one two three four", { deltas: 4 }));
    const started = performance.now();
    const result = streamText({ model: openai("gpt-local"), prompt: "go" });
    const at: number[] = [];
    for await (const part of result.stream)
      if (part.type === "text-delta") at.push(performance.now() - started);
    expect(at).toHaveLength(4);
    expect(at[0]).toBeGreaterThanOrEqual(140);
    expect((at[3] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(12);
  });

  it("breaks a stream mid-way with an error event", async () => {
    model.faults.next(
      { type: "streamError", afterDeltas: 2, message: "boom" },
      { api: "chat.completions" },
    );
    model.script(text("a b c d e f", { deltas: 6 }));
    const result = streamText({ model: openai.chat("gpt-local"), prompt: "go", onError: () => {} });
    const deltas: string[] = [];
    const errors: unknown[] = [];
    for await (const part of result.stream) {
      if (part.type === "text-delta") deltas.push(part.text);
      if (part.type === "error") errors.push(part.error);
    }
    expect(deltas).toEqual(["a", " b"]);
    expect(String((errors[0] as Error | undefined)?.message)).toContain("boom");
  });

  it("breaks a Responses stream by dropping the connection", async () => {
    // (a drop right after the first delta falls in the provider's early-error window and is
    // retried as a failed call; later, it is an error part of the stream)
    model.setLatency({ perTokenMs: 40 });
    model.faults.next({ type: "streamError", afterDeltas: 3, drop: true }, { api: "responses" });
    const result = streamText({
      model: openai("gpt-local"),
      prompt: "v w x y z",
      maxRetries: 0,
      onError: () => {},
    });
    const deltas: string[] = [];
    const failure = await (async () => {
      for await (const part of result.stream) {
        if (part.type === "text-delta") deltas.push(part.text);
        if (part.type === "error") return part.error;
      }
      return undefined;
    })().catch((e: unknown) => e);
    expect(deltas).toEqual(["You", " said", ":"]);
    expect(failure).toBeInstanceOf(Error); // the SDK rethrows the cut connection
    expect(String((failure as Error).cause)).toContain("terminated");
  });

  it("holds a request for an injected timeout until the client aborts", async () => {
    model.faults.next({ type: "timeout" });
    const error = await generateText({
      model: openai("gpt-local"),
      prompt: "hi",
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(100),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(model.stats.snapshot().faultsInjected).toBe(1);
  });

  it("records what was sent to the model, for privacy assertions", async () => {
    await generateText({
      model: openai("gpt-local"),
      instructions: "Summarise the client's notes.",
      messages: [
        { role: "user", content: [{ type: "text", text: "Notes for Dana: prefers mornings" }] },
      ],
    });
    const [sent] = model.requests;
    expect(sent?.text).toContain("Dana");
    expect(model.requests.some((r) => r.text.includes("Eve Secret"))).toBe(false);
    expect(sent?.headers.authorization).toBe("Bearer [redacted]");
    expect(sent?.lastUserMessage).toBe("Notes for Dana: prefers mornings");
  });
});

describe("lifecycle", () => {
  it("validates options", async () => {
    await expect(startLocalModel({ embeddingDimensions: 0 })).rejects.toThrow();
    await expect(startLocalModel({ port: -1 })).rejects.toThrow();
  });

  it("accepts any key with apiKey false and rejects unknown models when strict", async () => {
    await using open = await startLocalModel({
      apiKey: false,
      strictModels: true,
      models: ["only"],
    });
    const ok = await fetch(`${open.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "only", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "You said: hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 4 }, // "You", "said", ":", "hi"
    });
    const unknown = await fetch(`${open.baseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "other", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "model_not_found" } });
    const bad = await fetch(`${open.baseURL}/chat/completions`, { method: "POST", body: "{" });
    expect(bad.status).toBe(400);
  });

  it("closes promptly with a held request and a slow stream, and is silent by default", async () => {
    const write = vi.spyOn(process.stdout, "write");
    const errWrite = vi.spyOn(process.stderr, "write");
    try {
      const local = await startLocalModel({ latency: { timeToFirstTokenMs: 60_000 } });
      const client = createOpenAI({ baseURL: local.baseURL, apiKey: local.apiKey });
      local.faults.next({ type: "timeout" });
      const held = generateText({ model: client("gpt-local"), prompt: "a", maxRetries: 0 }).catch(
        (e: unknown) => e,
      );
      const slow = fetch(`${local.baseURL}/responses`, {
        method: "POST",
        headers: { authorization: `Bearer ${local.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-local", input: "b", stream: true }),
      })
        .then((r) => r.text())
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(local.stats.snapshot().totalRequests).toBe(2));
      const started = Date.now();
      await Promise.all([local.close(), local.close()]);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await held).toBeInstanceOf(Error);
      await slow;
      await expect(fetch(`${local.baseURL}/models`)).rejects.toThrow();
      expect(write).not.toHaveBeenCalled();
      expect(errWrite).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
  });
});
