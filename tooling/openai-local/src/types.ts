/** The APIs the server speaks (names used by stats, faults and the request log). */
export type Api = "responses" | "chat.completions" | "embeddings" | "models";

export interface ToolDefinition {
  name: string;
  description?: string;
  /** The JSON schema the client sent for the tool's input. */
  parameters?: unknown;
  /** "function" for function tools; provider tools (e.g. "web_search") keep their type. */
  type: string;
}

export interface ToolCallRecord {
  id: string;
  name: string;
  /** JSON text, as sent by / to the client. */
  arguments: string;
}

/** A message of a request, normalized across the Responses and Chat Completions APIs. */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  /** Text content (parts joined with "\n"; images and files appear as "[image]" / "[file]"). */
  content: string;
  /** Assistant tool calls. */
  toolCalls?: ToolCallRecord[];
  /** For role "tool": the call this is the result of, and the tool's name when known. */
  toolCallId?: string;
  toolName?: string;
}

export interface ToolResult {
  callId: string;
  name?: string;
  /** The tool output as sent (JSON text for JSON outputs). */
  output: string;
}

/** One request the server received, as recorded in `model.requests`. */
export interface ModelRequest {
  /** 1-based sequence number (restarts at reset()); ids like `call_<seq>_<n>` derive from it. */
  seq: number;
  api: Api;
  method: string;
  path: string;
  model: string;
  stream: boolean;
  /** Conversation sent (Responses `instructions` become a leading system message). */
  messages: ChatMessage[];
  /** Tools offered to the model. */
  tools: ToolDefinition[];
  toolChoice?: unknown;
  /** Embeddings input texts. */
  input: string[];
  /** Tool results sent after the last user message (what a follow-up turn answers). */
  toolResults: ToolResult[];
  /** The text of the last user message ("" when none). */
  lastUserMessage: string;
  /** Everything sent as text (messages, tool calls and results, embedding inputs), for privacy assertions. */
  text: string;
  /** The parsed JSON body. */
  body: unknown;
  /** Request headers (authorization redacted). */
  headers: Record<string, string>;
  receivedAt: number;
}
