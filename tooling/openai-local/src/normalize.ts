import { z } from "zod";
import { invalidRequest } from "./errors.ts";
import type { ChatMessage, ToolDefinition, ToolResult } from "./types.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string =>
  typeof v === "string" ? v : v == null ? "" : JSON.stringify(v);

/** Text of a content value: a string or an array of parts (text / input_text / output_text / image / file). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content == null ? "" : JSON.stringify(content);
  return content
    .map((part: unknown) => {
      if (typeof part === "string") return part;
      if (!isObject(part)) return "";
      if (typeof part.text === "string") return part.text;
      if (typeof part.refusal === "string") return part.refusal;
      const type = str(part.type);
      if (type.includes("image")) return "[image]";
      if (type.includes("file")) return "[file]";
      if (type.includes("audio")) return "[audio]";
      return "";
    })
    .join("\n");
}

export interface NormalizedPrompt {
  model: string;
  stream: boolean;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  toolChoice?: unknown;
  maxOutputTokens?: number;
  includeUsage: boolean;
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue?.path.join(".") || null;
    throw invalidRequest(
      `Invalid request: ${issue?.message ?? "bad body"}${param ? ` at '${param}'` : ""}.`,
      param,
    );
  }
  return result.data;
}

const ChatBodySchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string() })).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.unknown().optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});

export function normalizeChatRequest(body: unknown): NormalizedPrompt {
  const b = parse(ChatBodySchema, body);
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const m of b.messages) {
    const role = m.role;
    if (role === "system" || role === "developer") {
      messages.push({ role: "system", content: contentText(m.content) });
    } else if (role === "user") {
      messages.push({ role: "user", content: contentText(m.content) });
    } else if (role === "assistant") {
      const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
      const toolCalls = calls.filter(isObject).map((c) => {
        const fn = isObject(c.function) ? c.function : {};
        const call = { id: str(c.id), name: str(fn.name), arguments: str(fn.arguments) };
        toolNames.set(call.id, call.name);
        return call;
      });
      messages.push({
        role: "assistant",
        content: contentText(m.content),
        ...(toolCalls.length ? { toolCalls } : {}),
      });
    } else if (role === "tool" || role === "function") {
      const id = str(m.tool_call_id ?? m.name);
      const name = toolNames.get(id) ?? (typeof m.name === "string" ? m.name : undefined);
      messages.push({
        role: "tool",
        content: contentText(m.content),
        toolCallId: id,
        ...(name ? { toolName: name } : {}),
      });
    } else
      throw invalidRequest(
        `Invalid value: '${role}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.`,
        "messages.role",
      );
  }
  const tools: ToolDefinition[] = (b.tools ?? []).map((t) => {
    const fn = isObject(t.function) ? t.function : {};
    return {
      type: t.type,
      name: str(fn.name ?? t.type),
      ...(typeof fn.description === "string" ? { description: fn.description } : {}),
      ...(fn.parameters !== undefined ? { parameters: fn.parameters } : {}),
    };
  });
  const max = b.max_completion_tokens ?? b.max_tokens ?? undefined;
  return {
    model: b.model,
    stream: b.stream === true,
    messages,
    tools,
    ...(b.tool_choice !== undefined ? { toolChoice: b.tool_choice } : {}),
    ...(max ? { maxOutputTokens: max } : {}),
    includeUsage: b.stream_options?.include_usage === true,
  };
}

const ResponsesBodySchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown())]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.unknown().optional(),
  max_output_tokens: z.number().int().positive().nullish(),
});

/** Resolves `item_reference` ids to the items this server returned earlier. */
export type ItemLookup = (id: string) => ChatMessage | undefined;

export function normalizeResponsesRequest(body: unknown, lookup: ItemLookup): NormalizedPrompt {
  const b = parse(ResponsesBodySchema, body);
  const messages: ChatMessage[] = [];
  if (b.instructions) messages.push({ role: "system", content: b.instructions });
  const toolNames = new Map<string, string>();
  const lastAssistant = (): ChatMessage => {
    const last = messages[messages.length - 1];
    if (last?.role === "assistant") return last;
    const created: ChatMessage = { role: "assistant", content: "" };
    messages.push(created);
    return created;
  };
  const items = typeof b.input === "string" ? [{ role: "user", content: b.input }] : b.input;
  items.forEach((item, index) => {
    if (!isObject(item)) throw invalidRequest("Invalid input item.", `input[${index}]`);
    const type = typeof item.type === "string" ? item.type : "message";
    if (type === "message") {
      const role = str(item.role);
      if (role === "system" || role === "developer")
        messages.push({ role: "system", content: contentText(item.content) });
      else if (role === "user") messages.push({ role: "user", content: contentText(item.content) });
      else if (role === "assistant") {
        const text = contentText(item.content);
        const last = messages[messages.length - 1];
        if (last?.role === "assistant" && !last.toolCalls) last.content += text;
        else messages.push({ role: "assistant", content: text });
      } else throw invalidRequest(`Invalid value: '${role}'.`, `input[${index}].role`);
    } else if (type === "item_reference") {
      const found = lookup(str(item.id));
      if (!found)
        throw invalidRequest(`Item with id '${str(item.id)}' not found.`, `input[${index}]`);
      if (found.role === "assistant") {
        const target = lastAssistant();
        if (found.content) target.content += found.content;
        if (found.toolCalls) {
          target.toolCalls = [...(target.toolCalls ?? []), ...found.toolCalls];
          for (const c of found.toolCalls) toolNames.set(c.id, c.name);
        }
      } else messages.push({ ...found });
    } else if (type === "function_call" || type === "custom_tool_call") {
      const call = {
        id: str(item.call_id),
        name: str(item.name),
        arguments: str(item.arguments ?? item.input),
      };
      toolNames.set(call.id, call.name);
      const target = lastAssistant();
      target.toolCalls = [...(target.toolCalls ?? []), call];
    } else if (type === "function_call_output" || type === "custom_tool_call_output") {
      const id = str(item.call_id);
      const name = toolNames.get(id);
      messages.push({
        role: "tool",
        content: contentText(item.output),
        toolCallId: id,
        ...(name ? { toolName: name } : {}),
      });
    }
    // reasoning, compaction and other item types carry no text we model: ignored
  });
  const tools: ToolDefinition[] = (b.tools ?? []).map((t) => ({
    type: t.type,
    name: str(t.name ?? t.type),
    ...(typeof t.description === "string" ? { description: t.description } : {}),
    ...(t.parameters !== undefined ? { parameters: t.parameters } : {}),
  }));
  return {
    model: b.model,
    stream: b.stream === true,
    messages,
    tools,
    ...(b.tool_choice !== undefined ? { toolChoice: b.tool_choice } : {}),
    ...(b.max_output_tokens ? { maxOutputTokens: b.max_output_tokens } : {}),
    includeUsage: true,
  };
}

const EmbeddingsBodySchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  dimensions: z.number().int().min(1).max(8192).nullish(),
  encoding_format: z.enum(["float", "base64"]).nullish(),
});

export function normalizeEmbeddingsRequest(body: unknown): {
  model: string;
  input: string[];
  dimensions?: number;
  encoding: "float" | "base64";
} {
  const b = parse(EmbeddingsBodySchema, body);
  return {
    model: b.model,
    input: typeof b.input === "string" ? [b.input] : b.input,
    ...(b.dimensions ? { dimensions: b.dimensions } : {}),
    encoding: b.encoding_format ?? "float",
  };
}

/** Tool results after the last user message. */
export function trailingToolResults(messages: readonly ChatMessage[]): ToolResult[] {
  const results: ToolResult[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatMessage;
    if (m.role === "user") break;
    if (m.role === "tool")
      results.unshift({
        callId: m.toolCallId ?? "",
        output: m.content,
        ...(m.toolName ? { name: m.toolName } : {}),
      });
  }
  return results;
}

/** All text of a conversation, for usage counting and privacy assertions. */
export function conversationText(messages: readonly ChatMessage[]): string {
  return messages
    .flatMap((m) => [m.content, ...(m.toolCalls ?? []).flatMap((c) => [c.name, c.arguments])])
    .filter(Boolean)
    .join("\n");
}
