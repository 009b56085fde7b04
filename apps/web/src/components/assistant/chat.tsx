"use client";

import { useChat } from "@ai-sdk/react";
import { useQueryClient } from "@tanstack/react-query";
import {
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  type UIMessage,
} from "ai";
import { ArrowUpIcon, CircleAlertIcon, LeafIcon, RotateCcwIcon, SquareIcon } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { ChatMarkdown } from "./chat-markdown";
import { contactsOf, ToolPart, type ToolPartView } from "./tool-part";

const MAX_QUESTION = 8_000;

const SUGGESTIONS = [
  "Who needs my attention this week?",
  "What sessions do I have in the next 7 days?",
  "Find my active clients",
];

function isToolPart(
  part: UIMessage["parts"][number],
): part is UIMessage["parts"][number] & ToolPartView {
  return part.type.startsWith("tool-");
}

function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** One conversation with the assistant: the messages, streamed answers and the composer. */
export function Chat({
  threadId,
  initialMessages,
  disabledReason,
}: {
  threadId: string;
  initialMessages: UIMessage[];
  /** Why questions cannot be asked (no provider configured), or null. */
  disabledReason: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [input, setInput] = useState("");
  const endRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const transport = useMemo(
    () =>
      new DefaultChatTransport({
        api: "/api/chat",
        // The server keeps the conversation: only the newest message travels.
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
          body: {
            threadId: id,
            trigger,
            ...(messageId ? { messageId } : {}),
            ...(trigger === "submit-message" ? { message: messages.at(-1) } : {}),
            timeZone: timeZone(),
          },
        }),
      }),
    [],
  );

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.assistant.threads.list.pathKey() });
    void queryClient.invalidateQueries({
      queryKey: trpc.assistant.threads.get.queryKey({ id: threadId }),
    });
    void queryClient.invalidateQueries({ queryKey: trpc.ai.settings.queryKey() });
  };

  const {
    messages,
    sendMessage,
    status,
    stop,
    regenerate,
    error,
    clearError,
    addToolApprovalResponse,
  } = useChat({
    id: threadId,
    messages: initialMessages,
    transport,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onFinish: refresh,
    onError: refresh,
  });

  const busy = status === "submitted" || status === "streaming";

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [messages, status]);

  // Names of every contact a tool result mentioned, to label confirmations.
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const message of messages)
      for (const part of message.parts)
        if (isToolPart(part)) for (const c of contactsOf(part)) map.set(c.id, c.name);
    return map;
  }, [messages]);

  const ask = (text: string) => {
    const question = text.trim();
    if (!question || busy || disabledReason) return;
    clearError();
    setInput("");
    void sendMessage({ text: question });
  };

  const last = messages.at(-1);
  const awaitingConfirmation =
    last?.role === "assistant" &&
    last.parts.some((part) => isToolPart(part) && part.state === "approval-requested");
  const tooLong = input.length > MAX_QUESTION;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        className="min-h-0 flex-1 overflow-y-auto px-1 pb-4"
        role="log"
        aria-live="polite"
        aria-label="Conversation"
        aria-busy={busy || undefined}
      >
        {messages.length === 0 ? (
          <div className="mx-auto grid max-w-md justify-items-center gap-4 py-12 text-center">
            <LeafIcon aria-hidden="true" className="size-8 text-primary" />
            <div>
              <h2 className="text-lg font-semibold">Ask about your practice</h2>
              <p className="text-sm text-muted-foreground">
                The assistant reads your contacts, notes, tasks and synced sessions, as you. It asks
                before it changes anything.
              </p>
            </div>
            <div className="flex flex-wrap justify-center gap-2">
              {SUGGESTIONS.map((s) => (
                <Button
                  key={s}
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={!!disabledReason}
                  onClick={() => ask(s)}
                >
                  {s}
                </Button>
              ))}
            </div>
          </div>
        ) : null}

        <ol className="grid gap-4">
          {messages.map((message) => (
            <li
              key={message.id}
              data-role={message.role}
              className={cn("flex", message.role === "user" ? "justify-end" : "justify-start")}
            >
              <div
                className={cn(
                  "grid max-w-[min(42rem,92%)] gap-2",
                  message.role === "user" &&
                    "rounded-2xl rounded-br-sm bg-primary px-3.5 py-2 text-sm whitespace-pre-wrap text-primary-foreground",
                )}
              >
                <span className="sr-only">{message.role === "user" ? "You:" : "Assistant:"}</span>
                {message.parts.map((part, index) => {
                  if (part.type === "text")
                    return message.role === "user" ? (
                      <p key={index}>{part.text}</p>
                    ) : (
                      <ChatMarkdown key={index} text={part.text} />
                    );
                  if (isToolPart(part))
                    return (
                      <ToolPart
                        key={part.toolCallId}
                        part={part}
                        names={names}
                        deciding={busy}
                        onDecide={(id, approved) => void addToolApprovalResponse({ id, approved })}
                      />
                    );
                  return null;
                })}
              </div>
            </li>
          ))}
        </ol>

        {status === "submitted" ? (
          <p className="mt-3 flex items-center gap-2 text-sm text-muted-foreground" role="status">
            <span className="inline-flex gap-1" aria-hidden="true">
              <span className="size-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.3s]" />
              <span className="size-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.15s]" />
              <span className="size-1.5 animate-bounce rounded-full bg-current" />
            </span>
            Thinking…
          </p>
        ) : null}

        {error ? (
          <div
            role="alert"
            className="mt-4 flex flex-wrap items-start gap-2 rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive"
          >
            <CircleAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <p className="min-w-0 flex-1">{error.message || "The assistant could not answer."}</p>
            {last?.role === "user" ? (
              <Button
                type="button"
                size="sm"
                variant="outline"
                onClick={() => {
                  clearError();
                  void regenerate();
                }}
              >
                <RotateCcwIcon aria-hidden="true" /> Try again
              </Button>
            ) : null}
          </div>
        ) : null}

        {!busy && !error && last?.role === "assistant" && !awaitingConfirmation ? (
          <div className="mt-2">
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="text-muted-foreground"
              onClick={() => void regenerate({ messageId: last.id })}
              disabled={!!disabledReason}
            >
              <RotateCcwIcon aria-hidden="true" /> Regenerate
            </Button>
          </div>
        ) : null}
        <div ref={endRef} />
      </div>

      <form
        className="border-t pt-3"
        onSubmit={(event) => {
          event.preventDefault();
          ask(input);
        }}
      >
        <label htmlFor="chat-input" className="sr-only">
          Your question
        </label>
        <div className="flex items-end gap-2">
          <Textarea
            id="chat-input"
            ref={inputRef}
            value={input}
            onChange={(event) => setInput(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                ask(input);
              }
            }}
            placeholder={
              disabledReason ? "The assistant is not configured" : "Ask about your clients…"
            }
            disabled={!!disabledReason}
            aria-invalid={tooLong || undefined}
            aria-describedby="chat-input-hint"
            className="max-h-48 min-h-11 resize-none"
            rows={1}
          />
          {busy ? (
            <Button type="button" variant="outline" onClick={() => void stop()}>
              <SquareIcon aria-hidden="true" /> Stop
            </Button>
          ) : (
            <Button type="submit" disabled={!input.trim() || tooLong || !!disabledReason}>
              <ArrowUpIcon aria-hidden="true" /> Send
            </Button>
          )}
        </div>
        <p
          id="chat-input-hint"
          className={cn("mt-1 text-xs text-muted-foreground", tooLong && "text-destructive")}
        >
          {tooLong
            ? `A question can be at most ${MAX_QUESTION.toLocaleString()} characters (${input.length.toLocaleString()} now).`
            : "Enter sends, Shift+Enter adds a line. Answers can be wrong: check what matters."}
        </p>
      </form>
    </div>
  );
}
