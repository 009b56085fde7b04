import type { LanguageModelV4GenerateResult } from "@ai-sdk/provider";
import type { assistant } from "@omnicrm/core";
import { APICallError, NoObjectGeneratedError, RetryError } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER } from "../redaction.ts";
import { normalizeInsightOutput } from "./output.ts";
import {
  buildInsightRequest,
  canonicalJson,
  diffBasis,
  INSIGHT_INSTRUCTIONS,
  INSIGHT_PROMPT_VERSION,
  insightBasis,
} from "./prompt.ts";
import { askForInsight, generationFailure, INSIGHT_MAX_OUTPUT_TOKENS } from "./service.ts";

function input(overrides: Partial<assistant.InsightInput> = {}): assistant.InsightInput {
  return {
    contact: {
      name: "Maya Lin",
      stage: "Active",
      source: "gmail",
      addedOn: "2026-09-01",
      tags: ["knee", "yoga"],
      customFields: [{ field: "Goal", value: "Run a 10k" }],
    },
    rhythm: {
      interactionsRecorded: 6,
      lastContactOn: "2026-11-20",
      timeSinceLastContact: "under a week",
      usualIntervalDays: 7,
      nextSessionOn: "2026-11-26",
      status: "within_rhythm",
      suggestedEngagement: "engaged",
      suggestedReason:
        "In touch within their rhythm (usually every 7 days), with a session booked.",
    },
    recentInteractions: [
      {
        on: "2026-11-20",
        kind: "email from them",
        subject: "Knee",
        snippet: "Call me on +44 7700 900123 or maya@gmail.example",
      },
    ],
    upcomingSessions: [
      { on: "2026-11-26", kind: "session", subject: "Private yoga", snippet: null },
    ],
    recentNotes: [{ on: "2026-11-18", text: "Knee better after the adapted flow." }],
    openTasks: [{ title: "Send the sequence", dueOn: "2026-11-24", overdue: false }],
    ...overrides,
  };
}

const inputs = (
  value: assistant.InsightInput,
  records = { notes: ["n1"], interactions: ["i1", "s1"], tasks: ["t1"] },
): assistant.ContactInsightInputs => ({ contactId: "c1", input: value, records });

function reply(text: string): LanguageModelV4GenerateResult {
  return {
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: {
      inputTokens: { total: 120, noCache: 120, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 40, text: 40, reasoning: 0 },
    },
    warnings: [],
  };
}

const good = {
  summary: "  Maya trains weekly.\n\nHer knee is better.  ",
  nextAction: "Send the adapted sequence.",
  engagement: "engaged",
  engagementReason: "Weekly contact and a session booked.",
};

describe("the request and its hash", () => {
  it("sends the input as canonical JSON with sorted keys, whatever order it was built in", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    const a = input();
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    const reordered = reversed(a) as typeof a;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    const options = { modelId: "gpt-4.1-mini", redact: false };
    expect(buildInsightRequest(reordered, options).hash).toBe(buildInsightRequest(a, options).hash);
    const request = buildInsightRequest(a, options);
    expect(request.prompt).toBe(`The client's record:\n${canonicalJson(a)}`);
    expect(request.instructions).toBe(INSIGHT_INSTRUCTIONS);
    expect(request.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hashes the model id, the prompt version and every part of the input", () => {
    const base = buildInsightRequest(input(), { modelId: "m1", redact: false }).hash;
    expect(buildInsightRequest(input(), { modelId: "m1", redact: false }).hash).toBe(base);
    expect(buildInsightRequest(input(), { modelId: "m2", redact: false }).hash).not.toBe(base);
    const changed = [
      input({ recentNotes: [{ on: "2026-11-18", text: "Knee worse." }] }),
      input({ openTasks: [] }),
      input({ upcomingSessions: [] }),
      input({ contact: { ...input().contact, tags: ["knee"] } }),
      input({ rhythm: { ...input().rhythm, status: "due" } }),
    ];
    const hashes = changed.map(
      (c) => buildInsightRequest(c, { modelId: "m1", redact: false }).hash,
    );
    expect(new Set([base, ...hashes]).size).toBe(changed.length + 1);
    expect(INSIGHT_PROMPT_VERSION).toMatch(/^insights-\d+$/);
  });

  it("redacts the prompt it hashes when redaction is on", () => {
    const plain = buildInsightRequest(input(), { modelId: "m", redact: false });
    const redacted = buildInsightRequest(input(), { modelId: "m", redact: true });
    expect(plain.prompt).toContain("maya@gmail.example");
    expect(redacted.prompt).not.toContain("maya@gmail.example");
    expect(redacted.prompt).not.toContain("7700 900123");
    expect(redacted.prompt).toContain(EMAIL_PLACEHOLDER);
    expect(redacted.prompt).toContain(PHONE_PLACEHOLDER);
    // Dates are not phone numbers.
    expect(redacted.prompt).toContain("2026-11-20");
    expect(redacted.hash).not.toBe(plain.hash);
    // Nothing to redact: the same text is sent either way, so the same hash.
    const quiet = input({ recentInteractions: [] });
    expect(buildInsightRequest(quiet, { modelId: "m", redact: true }).hash).toBe(
      buildInsightRequest(quiet, { modelId: "m", redact: false }).hash,
    );
  });
});

describe("what changed since an insight", () => {
  const request = { modelId: "m", redact: false };
  it("counts new records by id and names the parts that changed", () => {
    const before = insightBasis(inputs(input()), request);
    const now = insightBasis(
      inputs(
        input({
          recentInteractions: [
            { on: "2026-11-22", kind: "email to them", subject: "Re: Knee", snippet: null },
            ...input().recentInteractions,
          ],
        }),
        { notes: ["n1"], interactions: ["i2", "i1", "s1"], tasks: ["t1"] },
      ),
      request,
    );
    expect(diffBasis(before, now)).toEqual({
      newInteractions: 1,
      newNotes: 0,
      interactions: true,
      upcomingSessions: false,
      notes: false,
      tasks: false,
      record: false,
      rhythm: false,
      settings: false,
    });
    expect(
      diffBasis(before, insightBasis(inputs(input()), { ...request, modelId: "m2" })),
    ).toMatchObject({ settings: true, interactions: false });
    // A basis that cannot be read counts as changed settings, not as a crash.
    expect(diffBasis({ old: true }, before)).toMatchObject({ settings: true });
    expect(before).toMatchObject({
      counts: { interactions: 1, upcomingSessions: 1, notes: 1, tasks: 1 },
      newest: { interactionOn: "2026-11-20", noteOn: "2026-11-18" },
      suggestedEngagement: "engaged",
    });
  });
});

describe("asking the model", () => {
  const request = buildInsightRequest(input(), { modelId: "mock", redact: false });

  it("asks for the insight schema as JSON with the instructions, and parses the answer", async () => {
    const model = new MockLanguageModelV4({ doGenerate: reply(JSON.stringify(good)) });
    const output = await askForInsight(model, request);
    expect(output).toEqual({
      summary: "Maya trains weekly. Her knee is better.",
      nextAction: "Send the adapted sequence.",
      engagement: "engaged",
      engagementReason: "Weekly contact and a session booked.",
    });
    expect(model.doGenerateCalls).toHaveLength(1);
    const call = model.doGenerateCalls[0]!;
    expect(call.prompt[0]).toEqual({ role: "system", content: INSIGHT_INSTRUCTIONS });
    expect(call.prompt[1]).toMatchObject({
      role: "user",
      content: [{ type: "text", text: request.prompt }],
    });
    expect(call.maxOutputTokens).toBe(INSIGHT_MAX_OUTPUT_TOKENS);
    expect(call.responseFormat).toMatchObject({ type: "json", name: "contact_insight" });
    const schema = (call.responseFormat as { schema: { properties: Record<string, unknown> } })
      .schema;
    expect(Object.keys(schema.properties).sort()).toEqual([
      "engagement",
      "engagementReason",
      "nextAction",
      "summary",
    ]);
    expect(schema.properties.engagement).toMatchObject({
      enum: ["engaged", "steady", "cooling", "at_risk", "new"],
    });
  });

  it.each([
    ["prose", "She seems fine, keep going."],
    ["an unknown engagement", JSON.stringify({ ...good, engagement: "thriving" })],
    ["a missing field", JSON.stringify({ summary: "x", nextAction: "y", engagement: "new" })],
    ["an empty summary", JSON.stringify({ ...good, summary: "   " })],
  ])("refuses %s as an insight", async (_what, text) => {
    const model = new MockLanguageModelV4({ doGenerate: reply(text) });
    const error = await askForInsight(model, request).catch((e: unknown) => e);
    expect(NoObjectGeneratedError.isInstance(error)).toBe(true);
    expect(generationFailure(error, "h")).toBe(
      "The AI model's answer was not a valid insight; try again.",
    );
  });

  it("cuts each text to what is stored", () => {
    const long = normalizeInsightOutput({
      summary: "word ".repeat(1000),
      nextAction: "a".repeat(600),
      engagement: "steady",
      engagementReason: "b".repeat(501),
    });
    expect(Array.from(long.summary).length).toBe(2000);
    expect(long.summary.endsWith("…")).toBe(true);
    expect(long.nextAction).toHaveLength(500);
    expect(long.engagementReason).toHaveLength(500);
  });
});

describe("provider failures in words", () => {
  const apiError = (statusCode?: number) =>
    new APICallError({
      message: "failed",
      url: "http://h/v1/chat/completions",
      requestBodyValues: {},
      statusCode,
    });
  it.each([
    [401, "The AI provider at h refused the API key."],
    [429, "The AI provider at h is rate limiting requests; try again later."],
    [503, "The AI provider at h failed (HTTP 503); try again later."],
    [undefined, "Could not reach the AI provider at h; try again later."],
  ])("HTTP %s", (status, message) => {
    expect(generationFailure(apiError(status), "h")).toBe(message);
    const retried = new RetryError({
      message: "gave up",
      reason: "maxRetriesExceeded",
      errors: [apiError(status)],
    });
    expect(generationFailure(retried, "h")).toBe(message);
  });
});
