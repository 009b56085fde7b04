import type { Turn } from "./script.ts";
import type { SseEvent } from "./sse.ts";
import { splitDeltas, splitEven } from "./tokenizer.ts";

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** True when the text was cut at the max output tokens. */
  truncated: boolean;
}

function finishReason(turn: Turn, meta: ResponseMeta): string {
  if (meta.truncated) return "length";
  return turn.toolCalls.length > 0 ? "tool_calls" : "stop";
}

function usage(meta: ResponseMeta) {
  return {
    prompt_tokens: meta.promptTokens,
    completion_tokens: meta.completionTokens,
    total_tokens: meta.promptTokens + meta.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** A non-streaming `chat.completion` object. */
export function chatCompletion(turn: Turn, meta: ResponseMeta): unknown {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: turn.text === "" && turn.toolCalls.length > 0 ? null : turn.text,
          refusal: null,
          ...(turn.toolCalls.length > 0
            ? {
                tool_calls: turn.toolCalls.map((c) => ({
                  id: c.id,
                  type: "function",
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReason(turn, meta),
      },
    ],
    usage: usage(meta),
    service_tier: "default",
    system_fingerprint: "fp_openai_local",
  };
}

/** The `chat.completion.chunk` events of a streamed completion, ending with `[DONE]`. */
export function chatCompletionChunks(
  turn: Turn,
  meta: ResponseMeta,
  includeUsage: boolean,
): SseEvent[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): unknown => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    service_tier: "default",
    system_fingerprint: "fp_openai_local",
    choices,
    ...extra,
  });
  const choice = (delta: Record<string, unknown>, finish: string | null = null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  });
  const events: SseEvent[] = [];
  const hasText = turn.text !== "" || turn.toolCalls.length === 0;
  events.push({
    data: chunk([choice({ role: "assistant", content: hasText ? "" : null, refusal: null })]),
  });
  for (const step of turn.steps) {
    if (step.type !== "text") continue;
    for (const delta of splitDeltas(step.text, step.deltas))
      events.push({ data: chunk([choice({ content: delta })]), delta });
  }
  turn.toolCalls.forEach((call, index) => {
    events.push({
      data: chunk([
        choice({
          tool_calls: [
            { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
          ],
        }),
      ]),
    });
    for (const piece of splitEven(call.arguments, call.deltas ?? 3))
      events.push({
        data: chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]),
        delta: piece,
      });
  });
  events.push({ data: chunk([choice({}, finishReason(turn, meta))]) });
  if (includeUsage) events.push({ data: chunk([], { usage: usage(meta) }) });
  events.push({ data: "[DONE]" });
  return events;
}

export function chatErrorEvent(message: string): SseEvent {
  return { data: { error: { message, type: "server_error", param: null, code: "server_error" } } };
}
