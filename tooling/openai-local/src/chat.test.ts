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

describe("Chat Completions API (openai.chat(id))", () => {
  it("streams text in several deltas with a usage chunk", async () => {
    model.script(text("Your next session is on Tuesday at 10:00.", { deltas: 5 }));
    const result = streamText({
      model: openai.chat("gpt-local"),
      instructions: "You are a scheduling assistant.",
      prompt: "When is my next session?",
    });
    const deltas: string[] = [];
    for await (const part of result.stream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas).toHaveLength(5);
    expect(deltas.join("")).toBe("Your next session is on Tuesday at 10:00.");
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(11); // words, "10", ":", "00", "."
    expect(usage.inputTokens).toBeGreaterThan(5);
    const sent = model.lastRequest();
    expect(sent.api).toBe("chat.completions");
    expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(sent.messages).toEqual([
      { role: "system", content: "You are a scheduling assistant." },
      { role: "user", content: "When is my next session?" },
    ]);
  });

  it("streams tool-call arguments in pieces and finishes the multi-step loop with text", async () => {
    const lookups: string[] = [];
    model.script([
      toolCall("findContact", { name: "Ana" }, { deltas: 4 }),
      toolCall("findContact", { name: "Ben" }),
      text(
        (req) =>
          `Found ${req.toolResults.length} contacts: ${req.toolResults.map((r) => (JSON.parse(r.output) as { email: string }).email).join(", ")}.`,
      ),
    ]);
    const result = streamText({
      model: openai.chat("gpt-local"),
      prompt: "Find Ana and Ben",
      tools: {
        findContact: tool({
          inputSchema: z.object({ name: z.string() }),
          execute: ({ name }) => {
            lookups.push(name);
            return { email: `${name.toLowerCase()}@example.com` };
          },
        }),
      },
      stopWhen: isStepCount(3),
    });
    let inputDeltas = 0;
    for await (const part of result.stream) if (part.type === "tool-input-delta") inputDeltas += 1;
    expect(inputDeltas).toBeGreaterThanOrEqual(5);
    expect(lookups).toEqual(["Ana", "Ben"]);
    expect(await result.text).toBe("Found 2 contacts: ana@example.com, ben@example.com.");
    const steps = await result.steps;
    expect(steps.map((s) => s.finishReason)).toEqual(["tool-calls", "stop"]);
    expect(model.requests[0]?.tools[0]).toMatchObject({
      name: "findContact",
      parameters: { type: "object", properties: { name: { type: "string" } } },
    });
    expect(model.requests[1]?.messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "tool",
    ]);
  });

  it("answers non-streaming requests with tool calls and usage", async () => {
    model.script([toolCall("ping", { n: 1 }), "pong"]);
    const result = await generateText({
      model: openai.chat("gpt-local"),
      prompt: "ping",
      tools: {
        ping: tool({ inputSchema: z.object({ n: z.number() }), execute: ({ n }) => n + 1 }),
      },
      stopWhen: isStepCount(2),
    });
    expect(result.text).toBe("pong");
    expect(result.steps[0]?.toolResults[0]).toMatchObject({ toolName: "ping", output: 2 });
    expect(result.totalUsage.outputTokens).toBeGreaterThan(1);
    expect(model.requests[1]?.toolResults).toEqual([
      { callId: "call_1_0", name: "ping", output: "2" },
    ]);
  });
});
