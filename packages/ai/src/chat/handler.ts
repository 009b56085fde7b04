// The chat route's work: one turn of a conversation, streamed. The server keeps each
// conversation (the browser sends only its newest message), so the history a model sees, and
// the tool calls a confirmation approves, are the stored ones, never what a client claims.
import { assistant, isDomainError, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import {
  convertToModelMessages,
  createIdGenerator,
  createUIMessageStreamResponse,
  isStepCount,
  streamText,
  toUIMessageStream,
  validateUIMessages,
  type UIMessage,
} from "ai";
import { z } from "zod";
import { checkBudget, limitsFromEnv, type BudgetExceededError } from "../guardrails.ts";
import { guardModels } from "../guarded.ts";
import { createAiProvider, providerFailureReason, type AiProvider } from "../provider.ts";
import { assistantTools, WRITE_TOOLS, type AssistantTools } from "../tools/index.ts";
import { chatInstructions } from "./instructions.ts";
import {
  chatRequestSchema,
  MAX_BODY_BYTES,
  MAX_QUESTION_LENGTH,
  questionText,
  type ChatRequest,
  type IncomingMessage,
} from "./request.ts";

/** How many model calls one turn may make (tool calls and the answer). */
export const MAX_STEPS = 6;

export interface ChatLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface ChatTurnOptions {
  db: Db;
  user: { id: string; name: string | null };
  request: Request;
  /** Tests and benchmarks pass their own; the default reads the environment. */
  provider?: AiProvider;
  now?: () => Date;
  log?: ChatLogger;
}

/** A refusal before anything streams: the status and one sentence, which the chat shows. */
function refuse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

class ChatRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const generateMessageId = createIdGenerator({ prefix: "msg", size: 16 });

async function readBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ChatRefusal(413, "This message is too large.");
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new ChatRefusal(413, "This message is too large.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChatRefusal(400, "The chat request is not valid JSON.");
  }
}

function parseRequest(body: unknown): ChatRequest {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChatRefusal(400, issue?.message ?? "The chat request is not valid.");
  }
  return parsed.data;
}

type Part = Record<string, unknown>;
const isRecord = (value: unknown): value is Part =>
  typeof value === "object" && value !== null && !Array.isArray(value);

interface Turn {
  /** The conversation the model answers, ending with the question or the confirmed answer. */
  messages: UIMessage[];
  /** How many stored messages stay untouched. */
  keep: number;
  /** Write actions the practitioner declined, for the audit log. */
  denied: { tool: string; input: unknown }[];
}

/** The stored conversation plus this turn's message, as the model should see it. */
function planTurn(stored: UIMessage[], body: ChatRequest): Turn {
  if (body.trigger === "regenerate-message") {
    let end = stored.length;
    if (body.messageId) {
      end = stored.findIndex((m) => m.id === body.messageId);
      if (end === -1 || stored[end]!.role !== "assistant")
        throw new ChatRefusal(409, "There is no such answer to regenerate.");
    } else if (stored.at(-1)?.role === "assistant") {
      end = stored.length - 1;
    }
    const messages = stored.slice(0, end);
    if (messages.at(-1)?.role !== "user")
      throw new ChatRefusal(409, "There is no question to answer again.");
    return { messages, keep: end, denied: [] };
  }

  const message = body.message!;
  if (message.role === "user") return planQuestion(stored, message);
  return planConfirmation(stored, message);
}

function planQuestion(stored: UIMessage[], message: IncomingMessage): Turn {
  const text = questionText(message);
  if (!text) throw new ChatRefusal(400, "Write a question first.");
  if (text.length > MAX_QUESTION_LENGTH)
    throw new ChatRefusal(
      400,
      `A question can be at most ${MAX_QUESTION_LENGTH.toLocaleString("en-US")} characters.`,
    );
  const question: UIMessage = { id: message.id, role: "user", parts: [{ type: "text", text }] };
  // The same question sent again (a retry after an error) replaces itself and what followed.
  const existing = stored.findIndex((m) => m.id === message.id);
  const keep = existing === -1 ? stored.length : existing;
  if (existing !== -1 && stored[existing]!.role !== "user")
    throw new ChatRefusal(409, "This message cannot be sent again.");
  return { messages: [...stored.slice(0, keep), question], keep, denied: [] };
}

/**
 * The practitioner answered the confirmations of the last answer. Only their decisions are
 * taken from the browser's copy: the tool calls and their inputs are the stored ones.
 */
function planConfirmation(stored: UIMessage[], message: IncomingMessage): Turn {
  const last = stored.at(-1);
  if (!last || last.id !== message.id || last.role !== "assistant")
    throw new ChatRefusal(409, "This answer has changed; reload the conversation.");
  const decisions = new Map<string, { approved: boolean; reason?: string }>();
  for (const part of message.parts) {
    const approval = part.approval;
    if (part.state !== "approval-responded" || !isRecord(approval)) continue;
    if (typeof approval.id !== "string" || typeof approval.approved !== "boolean") continue;
    decisions.set(approval.id, {
      approved: approval.approved,
      ...(typeof approval.reason === "string" ? { reason: approval.reason.slice(0, 500) } : {}),
    });
  }
  const denied: Turn["denied"] = [];
  let applied = 0;
  const parts = (last.parts as Part[]).map((part) => {
    const approval = part.approval;
    if (part.state !== "approval-requested" || !isRecord(approval)) return part;
    const decision = typeof approval.id === "string" ? decisions.get(approval.id) : undefined;
    if (!decision) return part;
    applied++;
    if (!decision.approved)
      denied.push({ tool: String(part.type).replace(/^tool-/, ""), input: part.input });
    return {
      ...part,
      state: "approval-responded",
      approval: { ...approval, approved: decision.approved, reason: decision.reason },
    };
  });
  if (applied === 0) throw new ChatRefusal(409, "There is nothing waiting for your confirmation.");
  return {
    messages: [...stored.slice(0, -1), { ...last, parts: parts as UIMessage["parts"] }],
    keep: stored.length - 1,
    denied,
  };
}

/** An answer that failed before it said anything is not kept (the question is). */
function withoutEmptyAnswer(messages: UIMessage[]): UIMessage[] {
  const last = messages.at(-1);
  return last?.role === "assistant" && last.parts.every((p) => p.type === "step-start")
    ? messages.slice(0, -1)
    : messages;
}

/** Waits for every promise, then throws the first failure (so no write is left in flight). */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** A sentence for an error that stops a turn; the details go to the log only. */
export function chatErrorMessage(error: unknown, log?: ChatLogger): string {
  if (isDomainError(error)) return error.message;
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError") return "Stopped.";
  if (name.startsWith("AI_")) {
    // Only the error's kind: the SDK's errors carry the prompt (clients' data) in their body.
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    log?.info({ error: name, statusCode }, "chat: the AI provider failed");
    return `The AI provider did not answer: ${providerFailureReason(error)}`;
  }
  log?.error({ err: error }, "chat: the turn failed");
  return "The assistant could not answer because of a problem on our side. Try again; if it keeps happening, check the server log.";
}

/** One turn of a conversation: checks, then streams the answer as a UI message stream. */
export async function handleChatTurn(options: ChatTurnOptions): Promise<Response> {
  const { db, request, log } = options;
  const actor: Actor = { userId: options.user.id };
  const now = options.now ?? (() => new Date());
  try {
    const body = parseRequest(await readBody(request));
    const provider = options.provider ?? createAiProvider();
    if (!provider.configured) return refuse(503, provider.reason);

    // The guardrails are checked while the conversation loads: both come before the model.
    const budget = checkBudget(db, actor.userId, now(), limitsFromEnv());
    budget.catch(() => undefined);
    const { thread, redactContactDetails } = await assistant.loadTurnContext(db, actor, {
      threadId: body.threadId,
    });
    const stored = thread.messages as unknown as UIMessage[];
    const turn = planTurn(stored, body);

    const tools: AssistantTools = assistantTools({ db, actor, threadId: thread.id, now });
    let messages: UIMessage[];
    try {
      messages = await validateUIMessages({ messages: turn.messages, tools });
    } catch {
      throw new ChatRefusal(409, "This conversation cannot be continued; start a new one.");
    }
    const guarded = guardModels(provider, {
      db,
      userId: actor.userId,
      feature: "chat",
      redact: redactContactDetails,
      now,
      prechecked: budget,
    });
    // The turn is stored when it ends, in one transaction, so nothing competes with the model
    // call for the process while the first token is awaited. A refused question is stored at
    // once, so it can be asked again later.
    const store = (all: UIMessage[]) =>
      settleAll([
        assistant.saveThreadMessages(db, actor, {
          threadId: thread.id,
          keep: turn.keep,
          messages: withoutEmptyAnswer(all) as unknown as assistant.StoredChatMessage[],
        }),
        ...turn.denied.map((d) =>
          assistant.recordAuditEvent(db, actor, {
            kind: "tool_call",
            feature: "chat",
            tool: d.tool,
            outcome: "denied",
            input: d.input as object,
            threadId: thread.id,
            detail: "The practitioner declined it.",
          }),
        ),
      ]);
    try {
      await budget;
    } catch (error) {
      await store(messages).catch((e: unknown) =>
        log?.error({ err: e, threadId: thread.id }, "chat: could not save the question"),
      );
      throw error;
    }
    const result = streamText({
      model: guarded.chatModel,
      instructions: chatInstructions({
        practitionerName: options.user.name,
        now: now(),
        timeZone: body.timeZone ?? "UTC",
      }),
      messages: await convertToModelMessages(messages, { tools }),
      tools,
      toolApproval: Object.fromEntries(WRITE_TOOLS.map((name) => [name, "user-approval"])),
      stopWhen: isStepCount(MAX_STEPS),
      abortSignal: request.signal,
    });
    return createUIMessageStreamResponse({
      stream: toUIMessageStream({
        stream: result.stream,
        tools,
        originalMessages: messages,
        generateMessageId,
        onError: (error) => chatErrorMessage(error, log),
        onEnd: async ({ messages: all }) => {
          try {
            await store(all);
          } catch (error) {
            log?.error({ err: error, threadId: thread.id }, "chat: could not save the answer");
          }
        },
      }),
    });
  } catch (error) {
    if (error instanceof ChatRefusal) return refuse(error.status, error.message);
    if (isDomainError(error)) {
      const status = {
        not_found: 404,
        conflict: 409,
        invalid: 400,
        rate_limited: 429,
        forbidden: 403,
      };
      const retry = (error as Partial<BudgetExceededError>).retryAfterSeconds;
      return refuse(
        status[error.kind],
        error.message,
        typeof retry === "number" ? { "retry-after": String(retry) } : {},
      );
    }
    if (error instanceof z.ZodError) return refuse(400, "The chat request is not valid.");
    log?.error({ err: error }, "chat: the turn failed before streaming");
    return refuse(
      500,
      "The assistant could not answer because of a problem on our side. Try again; if it keeps happening, check the server log.",
    );
  }
}
