import type { ResponseMeta } from "./chat.ts";
import type { Turn } from "./script.ts";
import type { SseEvent } from "./sse.ts";
import { splitDeltas, splitEven } from "./tokenizer.ts";
import type { ChatMessage } from "./types.ts";

interface OutputItemIds {
  messageId: string;
  callItemIds: string[];
}

export function outputItemIds(meta: ResponseMeta, turn: Turn): OutputItemIds {
  const base = meta.id.replace(/^resp_/, "");
  return {
    messageId: `msg_${base}`,
    callItemIds: turn.toolCalls.map((_, i) => `fc_${base}_${i}`),
  };
}

/** Whether the response has a message item (text, or nothing else to say). */
const hasMessage = (turn: Turn): boolean => turn.text !== "" || turn.toolCalls.length === 0;

function usage(meta: ResponseMeta) {
  return {
    input_tokens: meta.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: meta.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: meta.promptTokens + meta.completionTokens,
  };
}

const textPart = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });

function outputItems(turn: Turn, ids: OutputItemIds, done: boolean): unknown[] {
  const items: unknown[] = [];
  if (hasMessage(turn))
    items.push({
      id: ids.messageId,
      type: "message",
      status: done ? "completed" : "in_progress",
      content: done ? [textPart(turn.text)] : [],
      role: "assistant",
    });
  turn.toolCalls.forEach((c, i) =>
    items.push({
      id: ids.callItemIds[i],
      type: "function_call",
      status: done ? "completed" : "in_progress",
      arguments: done ? c.arguments : "",
      call_id: c.id,
      name: c.name,
    }),
  );
  return items;
}

function responseObject(
  turn: Turn,
  meta: ResponseMeta,
  status: string,
  request: ResponseRequestEcho,
) {
  const final = status !== "in_progress";
  return {
    id: meta.id,
    object: "response",
    created_at: meta.created,
    status,
    background: false,
    error: null,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.maxOutputTokens ?? null,
    model: meta.model,
    output: final ? outputItems(turn, outputItemIds(meta, turn), true) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: request.store,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: request.tools,
    top_p: 1,
    truncation: "disabled",
    usage: final ? usage(meta) : null,
    metadata: {},
  };
}

/** Echoed request settings in the response object. */
export interface ResponseRequestEcho {
  instructions?: string;
  maxOutputTokens?: number;
  store: boolean;
  tools: unknown[];
}

/** A non-streaming `response` object. */
export function responseBody(
  turn: Turn,
  meta: ResponseMeta,
  request: ResponseRequestEcho,
): unknown {
  return responseObject(turn, meta, meta.truncated ? "incomplete" : "completed", request);
}

/** The Responses streaming events, response.created … response.completed. */
export function responseEvents(
  turn: Turn,
  meta: ResponseMeta,
  request: ResponseRequestEcho,
): SseEvent[] {
  const events: SseEvent[] = [];
  let seq = 0;
  const push = (type: string, body: Record<string, unknown>, delta?: string): void => {
    events.push({
      event: type,
      data: { type, sequence_number: seq++, ...body },
      ...(delta !== undefined ? { delta } : {}),
    });
  };
  const ids = outputItemIds(meta, turn);
  push("response.created", { response: responseObject(turn, meta, "in_progress", request) });
  push("response.in_progress", { response: responseObject(turn, meta, "in_progress", request) });
  let outputIndex = 0;
  if (hasMessage(turn)) {
    const item_id = ids.messageId;
    const output_index = outputIndex++;
    const common = { item_id, output_index, content_index: 0 };
    push("response.output_item.added", {
      output_index,
      item: { id: item_id, type: "message", status: "in_progress", content: [], role: "assistant" },
    });
    push("response.content_part.added", { ...common, part: textPart("") });
    for (const step of turn.steps) {
      if (step.type !== "text") continue;
      for (const delta of splitDeltas(step.text, step.deltas))
        push("response.output_text.delta", { ...common, delta, logprobs: [] }, delta);
    }
    push("response.output_text.done", { ...common, text: turn.text, logprobs: [] });
    push("response.content_part.done", { ...common, part: textPart(turn.text) });
    push("response.output_item.done", {
      output_index,
      item: {
        id: item_id,
        type: "message",
        status: "completed",
        content: [textPart(turn.text)],
        role: "assistant",
      },
    });
  }
  turn.toolCalls.forEach((call, i) => {
    const item_id = ids.callItemIds[i] as string;
    const output_index = outputIndex++;
    const item = { id: item_id, type: "function_call", call_id: call.id, name: call.name };
    push("response.output_item.added", {
      output_index,
      item: { ...item, status: "in_progress", arguments: "" },
    });
    for (const piece of splitEven(call.arguments, call.deltas ?? 3))
      push(
        "response.function_call_arguments.delta",
        { item_id, output_index, delta: piece },
        piece,
      );
    push("response.function_call_arguments.done", {
      item_id,
      output_index,
      arguments: call.arguments,
    });
    push("response.output_item.done", {
      output_index,
      item: { ...item, status: "completed", arguments: call.arguments },
    });
  });
  const status = meta.truncated ? "incomplete" : "completed";
  push(`response.${status}`, { response: responseObject(turn, meta, status, request) });
  return events;
}

export function responsesErrorEvent(sequenceNumber: number, message: string): SseEvent {
  return {
    event: "error",
    data: {
      type: "error",
      sequence_number: sequenceNumber,
      code: "server_error",
      message,
      param: null,
    },
  };
}

/** What `item_reference` ids of this response resolve to in later requests. */
export function storedItems(turn: Turn, meta: ResponseMeta): [string, ChatMessage][] {
  const ids = outputItemIds(meta, turn);
  const out: [string, ChatMessage][] = [];
  if (hasMessage(turn)) out.push([ids.messageId, { role: "assistant", content: turn.text }]);
  turn.toolCalls.forEach((c, i) =>
    out.push([
      ids.callItemIds[i] as string,
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: c.id, name: c.name, arguments: c.arguments }],
      },
    ]),
  );
  return out;
}
