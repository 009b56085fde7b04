import { z } from "zod";
import { countTokens, tokenize } from "./tokenizer.ts";
import type { ModelRequest, ToolCallRecord } from "./types.ts";

/** A piece of text the model says, streamed in `deltas` pieces (default: one per token). */
export interface TextStep {
  type: "text";
  text: string | ((request: ModelRequest) => string);
  deltas?: number;
}

/** A tool call; `arguments` is an object (JSON-encoded) or a JSON string, streamed in `deltas` pieces. */
export interface ToolCallStep {
  type: "toolCall";
  name: string;
  arguments?: unknown;
  /** The call id (default: deterministic `call_<seq>_<n>`). */
  id?: string;
  deltas?: number;
}

export type Step = TextStep | ToolCallStep;

/**
 * What the model does. A string is one text step. Steps run in order; a response ends after a
 * group of tool calls, and the steps after it answer the next request that carries one of those
 * calls' results (so `[toolCall(...), text(...)]` is a complete tool round trip). A string in
 * the array is a text step.
 */
export type Script = string | Step | readonly (Step | string)[];

/** Decides the script per request; return undefined for the default reply. */
export type ScriptFunction = (request: ModelRequest) => Script | undefined;

export function text(value: TextStep["text"], options: { deltas?: number } = {}): TextStep {
  return { type: "text", text: value, ...options };
}

export function toolCall(
  name: string,
  args: unknown = {},
  options: { id?: string; deltas?: number } = {},
): ToolCallStep {
  return { type: "toolCall", name, arguments: args, ...options };
}

const StepSchema = z.union([
  z.object({
    type: z.literal("text"),
    text: z.union([
      z.string(),
      z.custom<(r: ModelRequest) => string>((v) => typeof v === "function"),
    ]),
    deltas: z.number().int().positive().optional(),
  }),
  z.object({
    type: z.literal("toolCall"),
    name: z.string().min(1),
    arguments: z.unknown().optional(),
    id: z.string().min(1).optional(),
    deltas: z.number().int().positive().optional(),
  }),
]);

export const ScriptSchema = z.union([
  z.string(),
  StepSchema,
  z.array(z.union([z.string(), StepSchema])),
]);

export function normalizeScript(script: Script): Step[] {
  const parsed = ScriptSchema.parse(script) as Script;
  if (typeof parsed === "string") return [text(parsed)];
  if (!Array.isArray(parsed)) return [parsed as Step];
  return (parsed as (Step | string)[]).map((s) => (typeof s === "string" ? text(s) : s));
}

export interface PlannedText {
  type: "text";
  text: string;
  deltas?: number;
}
export interface PlannedToolCall extends ToolCallRecord {
  type: "toolCall";
  deltas?: number;
}
export type PlannedStep = PlannedText | PlannedToolCall;

export interface Turn {
  steps: PlannedStep[];
  /** Steps left for the request that returns these tool calls' results. */
  rest: Step[];
  text: string;
  toolCalls: PlannedToolCall[];
  completionTokens: number;
  /** Cut at the request's max output tokens. */
  truncated?: boolean;
}

/**
 * Takes the steps of one response: text steps (one message), then tool calls — up to the first
 * text after a tool call.
 */
export function planTurn(steps: readonly Step[], request: ModelRequest): Turn {
  const planned: PlannedStep[] = [];
  let i = 0;
  let sawToolCall = false;
  for (; i < steps.length; i++) {
    const step = steps[i] as Step;
    if (step.type === "text") {
      if (sawToolCall) break;
      const value = typeof step.text === "function" ? step.text(request) : step.text;
      planned.push({ type: "text", text: value, ...(step.deltas ? { deltas: step.deltas } : {}) });
    } else {
      sawToolCall = true;
      const n = planned.filter((p) => p.type === "toolCall").length;
      planned.push({
        type: "toolCall",
        id: step.id ?? `call_${request.seq}_${n}`,
        name: step.name,
        arguments:
          typeof step.arguments === "string"
            ? step.arguments
            : JSON.stringify(step.arguments ?? {}),
        ...(step.deltas ? { deltas: step.deltas } : {}),
      });
    }
  }
  const texts = planned.filter((p): p is PlannedText => p.type === "text");
  const toolCalls = planned.filter((p): p is PlannedToolCall => p.type === "toolCall");
  const allText = texts.map((t) => t.text).join("");
  return {
    steps: planned,
    rest: steps.slice(i),
    text: allText,
    toolCalls,
    completionTokens:
      countTokens(allText) +
      toolCalls.reduce((s, c) => s + countTokens(c.name) + countTokens(c.arguments), 0),
  };
}

function clip(value: string, words: number): string {
  const parts = value.trim().split(/\s+/).filter(Boolean);
  return parts.length > words ? `${parts.slice(0, words).join(" ")} …` : parts.join(" ");
}

/** The reply when nothing is scripted: a short, deterministic echo of the last user message or tool results. */
export function defaultReply(request: ModelRequest): string {
  if (request.toolResults.length > 0)
    return `Based on ${request.toolResults
      .map((r) => `${r.name ?? "the tool"}: ${clip(r.output, 40)}`)
      .join("; ")}.`;
  if (request.lastUserMessage.trim() === "") return "Hello! How can I help?";
  return `You said: ${clip(request.lastUserMessage, 40)}`;
}

/** Cuts a text-only turn at `maxTokens` tokens; returns undefined when it fits (or has tool calls). */
export function truncateTurn(
  turn: Turn,
  maxTokens: number,
  count: (text: string) => number,
): Turn | undefined {
  if (turn.toolCalls.length > 0 || count(turn.text) <= maxTokens) return undefined;
  let kept = "";
  let n = 0;
  for (const token of tokenize(turn.text)) {
    if (token.trim() !== "") n += 1;
    if (n > maxTokens) break;
    kept += token;
  }
  return {
    steps: [{ type: "text", text: kept }],
    rest: [],
    text: kept,
    toolCalls: [],
    completionTokens: maxTokens,
    truncated: true,
  };
}
