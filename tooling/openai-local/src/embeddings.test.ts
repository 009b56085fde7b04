import { createOpenAI } from "@ai-sdk/openai";
import { embed, embedMany } from "ai";
import { afterAll, describe, expect, it } from "vitest";
import { cosineSimilarity, embedText } from "./embeddings.ts";
import { startLocalModel } from "./server.ts";

const model = await startLocalModel();
const openai = createOpenAI({ baseURL: model.baseURL, apiKey: model.apiKey });
afterAll(() => model.close());

describe("embeddings", () => {
  it("are deterministic, unit length and 256-dimensional by default", async () => {
    const a = await embed({
      model: openai.embedding("text-embedding-local"),
      value: "knee pain after running",
    });
    const b = await embed({
      model: openai.embedding("text-embedding-local"),
      value: "knee pain after running",
    });
    expect(a.embedding).toHaveLength(256);
    expect(b.embedding).toEqual(a.embedding);
    expect(Math.hypot(...a.embedding)).toBeCloseTo(1, 6);
    expect(a.usage.tokens).toBe(4);
  });

  it("put similar texts closer than unrelated ones", async () => {
    const { embeddings, usage } = await embedMany({
      model: openai.embedding("text-embedding-local"),
      values: ["knee pain after running", "runner with sore knees", "invoice for March"],
    });
    const [query, similar, unrelated] = embeddings as [number[], number[], number[]];
    const close = cosineSimilarity(query, similar);
    const far = cosineSimilarity(query, unrelated);
    expect(close).toBeGreaterThan(0.3);
    expect(far).toBeLessThan(0.15);
    expect(close).toBeGreaterThan(far + 0.25);
    expect(usage.tokens).toBe(4 + 4 + 3);
    expect(model.lastRequest().input).toEqual([
      "knee pain after running",
      "runner with sore knees",
      "invoice for March",
    ]);
  });

  it("honours requested dimensions and base64 encoding", async () => {
    const small = await embed({
      model: openai.embedding("text-embedding-local"),
      value: "hello",
      providerOptions: { openai: { dimensions: 32 } },
    });
    expect(small.embedding).toHaveLength(32);
    const res = await fetch(`${model.baseURL}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${model.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        input: "hello",
        encoding_format: "base64",
        dimensions: 32,
      }),
    });
    const body = (await res.json()) as { data: { embedding: string }[] };
    const buf = Buffer.from(body.data[0]?.embedding ?? "", "base64");
    const decoded = Array.from({ length: 32 }, (_, i) => buf.readFloatLE(i * 4));
    decoded.forEach((v, i) => expect(v).toBeCloseTo(embedText("hello", 32)[i] ?? NaN, 6));
  });

  it("ranks a small corpus sensibly", () => {
    const corpus = [
      "Follow-up on shoulder mobility exercises",
      "Invoice #1042 for March sessions",
      "Marathon training plan and knee strain",
      "Newsletter: spring yoga classes",
    ];
    const query = embedText("runner knee injury", 256);
    const ranked = corpus
      .map((doc) => ({ doc, score: cosineSimilarity(query, embedText(doc, 256)) }))
      .sort((x, y) => y.score - x.score);
    expect(ranked[0]?.doc).toBe("Marathon training plan and knee strain");
  });
});
