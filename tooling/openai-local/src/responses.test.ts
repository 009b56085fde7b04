import { createOpenAI } from "@ai-sdk/openai";
import { generateText, isStepCount, streamText, tool } from "ai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { text, toolCall } from "./script.ts";
import { startLocalModel } from "./server.ts";

const model = await startLocalModel();
const openai = createOpenAI({ baseURL: model.baseURL, apiKey: model.apiKey });
afterAll(() => model.close());
beforeEach(() => model.reset());

const weatherTool = tool({
  description: "Current weather for a city",
  inputSchema: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, temperatureC: 21, sky: "sunny" }),
});

describe("Responses API (openai(id))", () => {
  it("streams text in several deltas and reports usage", async () => {
    model.script(text("Hello there, how are you today?", { deltas: 4 }));
    const result = streamText({
      model: openai("gpt-local"),
      instructions: "Be brief.",
      prompt: "Say hello",
    });
    const deltas: string[] = [];
    for await (const part of result.stream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas).toHaveLength(4);
    expect(deltas.join("")).toBe("Hello there, how are you today?");
    expect(await result.text).toBe("Hello there, how are you today?");
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(8);
    expect(usage.inputTokens).toBeGreaterThan(0);
    const sent = model.lastRequest();
    expect(sent.api).toBe("responses");
    expect(sent.stream).toBe(true);
    expect(sent.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Say hello" },
    ]);
  });

  it("answers with a deterministic echo by default (non-streaming)", async () => {
    const a = await generateText({ model: openai("gpt-local"), prompt: "What is on my calendar?" });
    const b = await generateText({ model: openai("gpt-local"), prompt: "What is on my calendar?" });
    expect(a.text).toBe("You said: What is on my calendar?");
    expect(b.text).toBe(a.text);
    expect(a.usage.outputTokens).toBe(9);
    expect(a.finishReason).toBe("stop");
  });

  it("runs a streamed tool round trip over several requests and answers from the tool result", async () => {
    model.script([
      toolCall("getWeather", { city: "Lisbon" }),
      text(
        (req) =>
          `It is ${(JSON.parse(req.toolResults[0]?.output ?? "{}") as { sky?: string }).sky} in Lisbon.`,
      ),
    ]);
    const result = streamText({
      model: openai("gpt-local"),
      prompt: "Weather in Lisbon?",
      tools: { getWeather: weatherTool },
      stopWhen: isStepCount(3),
    });
    const types: string[] = [];
    for await (const part of result.stream) types.push(part.type);
    expect(types).toContain("tool-input-delta");
    expect(types).toContain("tool-call");
    expect(types).toContain("tool-result");
    expect(await result.text).toBe("It is sunny in Lisbon.");
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]?.finishReason).toBe("tool-calls");
    expect(steps[0]?.toolCalls[0]).toMatchObject({
      toolName: "getWeather",
      input: { city: "Lisbon" },
    });
    expect(model.requests).toHaveLength(2);
    const [first, second] = model.requests;
    expect(first?.tools).toEqual([
      expect.objectContaining({
        type: "function",
        name: "getWeather",
        description: "Current weather for a city",
      }),
    ]);
    expect(second?.toolResults).toEqual([
      {
        callId: "call_1_0",
        name: "getWeather",
        output: JSON.stringify({ city: "Lisbon", temperatureC: 21, sky: "sunny" }),
      },
    ]);
    // the assistant's tool call is part of the second request's conversation
    expect(second?.messages.find((m) => m.role === "assistant")?.toolCalls).toEqual([
      { id: "call_1_0", name: "getWeather", arguments: '{"city":"Lisbon"}' },
    ]);
  });

  it("runs a non-streaming multi-step tool loop with a handler and resolves item references", async () => {
    model.setHandler((req) =>
      req.toolResults.length > 0
        ? `Done: ${req.toolResults.map((r) => r.output).join(", ")}`
        : [text("Let me check. "), toolCall("getWeather", { city: "Porto" })],
    );
    const result = await generateText({
      model: openai("gpt-local"),
      prompt: "Weather in Porto?",
      tools: { getWeather: weatherTool },
      stopWhen: isStepCount(3),
    });
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain('"city":"Porto"');
    // the SDK refers to the stored assistant text by item_reference; the server resolves it
    const second = model.requests[1];
    expect(JSON.stringify(second?.body)).toContain("item_reference");
    expect(second?.messages.find((m) => m.role === "assistant")?.content).toBe("Let me check. ");
  });

  it("reports finish reason length when max output tokens cut the text", async () => {
    model.script("one two three four five six");
    const result = await generateText({
      model: openai("gpt-local"),
      prompt: "count",
      maxOutputTokens: 3,
    });
    expect(result.text).toBe("one two three");
    expect(result.finishReason).toBe("length");
  });
});
