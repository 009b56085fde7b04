"use client";

import { useQuery } from "@tanstack/react-query";
import type { UIMessage } from "ai";
import { SettingsIcon, TriangleAlertIcon } from "lucide-react";
import Link from "next/link";
import { SectionError } from "@/components/contacts/detail/section";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/trpc/react";
import { Chat } from "./chat";
import { ThreadList } from "./thread-list";

const numbers = new Intl.NumberFormat();

/** How much of today's AI budget is left, in the header. */
function BudgetLeft() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.ai.settings.queryOptions());
  if (!settings.data?.configured) return null;
  const { today } = settings.data.usage;
  return (
    <p className="text-xs text-muted-foreground" aria-live="polite">
      Today: {numbers.format(today.remainingTokens)} of {numbers.format(today.tokenBudget)} tokens
      left
    </p>
  );
}

function NotConfigured({ reason }: { reason: string }) {
  return (
    <div
      role="status"
      className="mb-3 flex items-start gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm"
    >
      <TriangleAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-amber-600" />
      <div className="grid gap-1">
        <p>{reason}</p>
        <p className="text-muted-foreground">
          Set it where OmniCRM runs and restart it; the{" "}
          <Link href="/settings/assistant" className="text-primary underline underline-offset-4">
            assistant settings
          </Link>{" "}
          show what is active.
        </p>
      </div>
    </div>
  );
}

/** The assistant page: the conversations beside the open one. */
export function AssistantWorkspace({ threadId }: { threadId: string }) {
  const trpc = useTRPC();
  const thread = useQuery(trpc.assistant.threads.get.queryOptions({ id: threadId }));
  const settings = useQuery(trpc.ai.settings.queryOptions());
  const disabledReason = settings.data && !settings.data.configured ? settings.data.reason : null;

  return (
    <div className="grid h-[calc(100dvh-3.5rem-3rem)] min-h-[28rem] gap-4 md:grid-cols-[15rem_minmax(0,1fr)]">
      <aside className="hidden min-h-0 overflow-y-auto md:block">
        <ThreadList currentId={threadId} />
      </aside>
      <section aria-labelledby="chat-heading" className="flex min-h-0 flex-col">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <div className="min-w-0">
            <h1 id="chat-heading" className="truncate text-xl font-semibold tracking-tight">
              {thread.data?.title ?? "Assistant"}
            </h1>
            <BudgetLeft />
          </div>
          <div className="flex gap-2">
            <Button asChild variant="outline" size="sm" className="md:hidden">
              <Link href="/assistant/conversations">Conversations</Link>
            </Button>
            <Button asChild variant="ghost" size="sm">
              <Link href="/settings/assistant">
                <SettingsIcon aria-hidden="true" /> Settings
              </Link>
            </Button>
          </div>
        </div>
        {disabledReason ? <NotConfigured reason={disabledReason} /> : null}
        {thread.isPending ? (
          <div className="grid gap-3" aria-busy="true">
            <span role="status" className="sr-only">
              Loading the conversation…
            </span>
            <Skeleton className="ml-auto h-10 w-1/2" />
            <Skeleton className="h-24 w-3/4" />
          </div>
        ) : thread.isError ? (
          <SectionError
            error={thread.error}
            what="this conversation"
            onRetry={() => void thread.refetch()}
          />
        ) : (
          <Chat
            key={thread.data.id}
            threadId={thread.data.id}
            initialMessages={thread.data.messages as unknown as UIMessage[]}
            disabledReason={disabledReason}
          />
        )}
      </section>
    </div>
  );
}
