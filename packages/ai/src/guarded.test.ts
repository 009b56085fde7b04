import type { LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { simulateReadableStream, streamText, wrapLanguageModel } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { estimateTokens, meterStream } from "./guarded.ts";

const usage: LanguageModelV4Usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 3, text: 3, reasoning: undefined },
};

function answer(words: string[], options: { failAfter?: number; delayMs?: number } = {}) {
  const chunks: LanguageModelV4StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    ...words.map((w) => ({ type: "text-delta" as const, id: "t", delta: w })),
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
  ];
  if (options.failAfter !== undefined) {
    chunks.splice(2 + options.failAfter, Infinity, {
      type: "error",
      error: new Error("provider went away"),
    });
  }
  return simulateReadableStream({ chunks, chunkDelayInMs: options.delayMs ?? 0 });
}

/** A mock model whose streams pass through meterStream, recording what it settles with. */
function metered(stream: () => ReadableStream<LanguageModelV4StreamPart>) {
  const settled: { usage: LanguageModelV4Usage | undefined; text: string }[] = [];
  const model = wrapLanguageModel({
    model: new MockLanguageModelV4({ doStream: () => Promise.resolve({ stream: stream() }) }),
    middleware: {
      specificationVersion: "v4",
      wrapStream: async ({ doStream }) => {
        const result = await doStream();
        return {
          ...result,
          stream: meterStream(result.stream, (u, text) => {
            settled.push({ usage: u, text });
            return Promise.resolve();
          }),
        };
      },
    },
  });
  return { model, settled };
}

describe("meterStream", () => {
  it("settles once with the model's own usage when the answer completes", async () => {
    const { model, settled } = metered(() => answer(["Maya ", "books ", "Tuesdays."]));
    const result = streamText({ model, prompt: "When does Maya come?" });
    expect(await result.text).toBe("Maya books Tuesdays.");
    expect(settled).toEqual([{ usage, text: "Maya books Tuesdays." }]);
  });

  it("settles with what was streamed when the reader stops early", async () => {
    const words = Array.from({ length: 50 }, (_, i) => `w${i} `);
    const { model, settled } = metered(() => answer(words, { delayMs: 5 }));
    const controller = new AbortController();
    const result = streamText({ model, prompt: "Go on", abortSignal: controller.signal });
    let seen = 0;
    for await (const part of result.stream) {
      if (part.type === "text-delta" && ++seen === 3) controller.abort();
    }
    await expect.poll(() => settled.length).toBe(1);
    expect(settled[0]!.usage).toBeUndefined();
    expect(settled[0]!.text.startsWith("w0 w1 w2")).toBe(true);
    expect(settled[0]!.text).not.toContain("w49");
  });

  it("settles once when the provider fails half way", async () => {
    const { model, settled } = metered(() => answer(["one ", "two ", "three "], { failAfter: 2 }));
    const result = streamText({ model, prompt: "Count", onError: () => undefined });
    await result.consumeStream();
    expect(settled).toEqual([{ usage: undefined, text: "one two " }]);
  });
});

describe("estimateTokens", () => {
  it("counts prose at four characters a token and JSON at three", () => {
    expect(estimateTokens("a".repeat(400))).toBe(100);
    expect(estimateTokens("", "{}".repeat(150))).toBe(100);
    expect(estimateTokens("abcd", "abc")).toBe(2);
  });
});
