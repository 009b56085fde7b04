"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CircleCheckIcon,
  CircleAlertIcon,
  CpuIcon,
  EyeOffIcon,
  GaugeIcon,
  ScrollTextIcon,
} from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { LoadMore, SectionError, SectionSkeleton } from "@/components/contacts/detail/section";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Switch } from "@/components/ui/switch";
import { formatDateTime } from "@/lib/format";
import { usePages } from "@/components/contacts/detail/use-pages";
import { describeApiError, useTRPC, useTRPCClient } from "@/trpc/react";

const numbers = new Intl.NumberFormat();
const dollars = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 4,
});

function Meter({ used, budget, label }: { used: number; budget: number; label: string }) {
  const share = budget > 0 ? Math.min(1, used / budget) : 1;
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={budget}
      aria-valuenow={Math.min(used, budget)}
      className="h-2 overflow-hidden rounded-full bg-muted"
    >
      <div
        className={share >= 0.9 ? "h-full bg-destructive" : "h-full bg-primary"}
        style={{ width: `${Math.round(share * 100)}%` }}
      />
    </div>
  );
}

function Provider() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.ai.settings.queryOptions());
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const test = useMutation(
    trpc.ai.testConnection.mutationOptions({
      onSuccess: (outcome) => {
        setResult(
          outcome.ok
            ? { ok: true, text: `The provider answered in ${outcome.latencyMs} ms.` }
            : { ok: false, text: outcome.message },
        );
        void queryClient.invalidateQueries({ queryKey: trpc.ai.settings.queryKey() });
      },
      onError: (error) => setResult({ ok: false, text: describeApiError(error).message }),
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <CpuIcon aria-hidden="true" className="size-4 text-muted-foreground" /> Provider
        </CardTitle>
        <CardDescription>
          Set by the server's environment (OPENAI_API_KEY, OPENAI_BASE_URL and the model settings).
          The key is never shown.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {settings.isPending ? (
          <SectionSkeleton label="Loading the provider…" rows={2} />
        ) : settings.isError ? (
          <SectionError
            error={settings.error}
            what="the provider"
            onRetry={() => void settings.refetch()}
          />
        ) : settings.data.provider ? (
          <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
            <dt className="text-muted-foreground">Provider</dt>
            <dd>{settings.data.provider.provider}</dd>
            <dt className="text-muted-foreground">Address</dt>
            <dd className="font-mono text-xs wrap-anywhere">{settings.data.provider.baseURL}</dd>
            <dt className="text-muted-foreground">Chat model</dt>
            <dd className="font-mono text-xs">{settings.data.provider.chatModelId}</dd>
            <dt className="text-muted-foreground">Embedding model</dt>
            <dd className="font-mono text-xs">{settings.data.provider.embeddingModelId}</dd>
          </dl>
        ) : (
          <p className="text-sm">{settings.data.reason}</p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={test.isPending || !settings.data?.configured}
            onClick={() => {
              setResult(null);
              test.mutate();
            }}
          >
            {test.isPending ? "Testing…" : "Test the connection"}
          </Button>
          {result ? (
            <p
              role="status"
              className={
                result.ok
                  ? "flex items-center gap-1 text-sm text-emerald-700 dark:text-emerald-400"
                  : "flex items-center gap-1 text-sm text-destructive"
              }
            >
              {result.ok ? (
                <CircleCheckIcon aria-hidden="true" className="size-4" />
              ) : (
                <CircleAlertIcon aria-hidden="true" className="size-4" />
              )}
              {result.text}
            </p>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}

function Usage() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.ai.settings.queryOptions());
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <GaugeIcon aria-hidden="true" className="size-4 text-muted-foreground" /> Usage and budget
        </CardTitle>
        <CardDescription>
          Every model call (chat, insights, search, background indexing) is checked against these
          limits before it is made, and counted after. Over a limit, the assistant refuses and says
          when it resets.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <SectionSkeleton label="Loading usage…" rows={4} />
        ) : settings.isError ? (
          <SectionError
            error={settings.error}
            what="usage"
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <div className="grid gap-5 sm:grid-cols-2">
            {(
              [
                ["Today", settings.data.usage.today],
                ["This month", settings.data.usage.month],
              ] as const
            ).map(([label, period]) => (
              <section key={label} aria-label={label} className="grid content-start gap-2">
                <h3 className="text-sm font-semibold">{label}</h3>
                <p className="text-sm">
                  {numbers.format(period.tokens)} of {numbers.format(period.tokenBudget)} tokens ·{" "}
                  {numbers.format(period.remainingTokens)} left
                </p>
                <Meter
                  used={period.tokens}
                  budget={period.tokenBudget}
                  label={`${label}: tokens used`}
                />
                <p className="text-sm">
                  {dollars.format(period.costUsd)} of {dollars.format(period.costBudgetUsd)} ·{" "}
                  {dollars.format(period.remainingCostUsd)} left
                </p>
                <Meter
                  used={period.costUsd}
                  budget={period.costBudgetUsd}
                  label={`${label}: cost`}
                />
                <p className="text-xs text-muted-foreground">
                  Resets {formatDateTime(period.resetsAt)}
                </p>
              </section>
            ))}
            <p className="text-xs text-muted-foreground sm:col-span-2">
              At most {settings.data.usage.requestsPerMinute} model calls a minute.
            </p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function Privacy() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preferences = useQuery(trpc.assistant.preferences.queryOptions());
  const update = useMutation(
    trpc.assistant.updatePreferences.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.assistant.preferences.queryKey(), saved);
        toast.success(
          saved.redactContactDetails
            ? "Emails and phone numbers are now hidden from the model."
            : "Emails and phone numbers are sent to the model again.",
        );
      },
      onError: (error) => toast.error(describeApiError(error).message),
    }),
  );
  const checked = update.isPending
    ? (update.variables?.redactContactDetails ?? false)
    : (preferences.data?.redactContactDetails ?? false);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <EyeOffIcon aria-hidden="true" className="size-4 text-muted-foreground" /> Privacy
        </CardTitle>
        <CardDescription>
          A client who has not consented to AI use of their record is never sent to a model: switch
          consent per client on their page, or for many at once from the contacts table.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {preferences.isError ? (
          <SectionError error={preferences.error} what="your privacy settings" />
        ) : (
          <div className="flex items-start justify-between gap-4">
            <div className="grid gap-1">
              <label htmlFor="redact" className="text-sm font-medium">
                Hide emails and phone numbers from the model
              </label>
              <p className="text-sm text-muted-foreground">
                They are replaced with placeholders in everything sent: your questions, the records
                tools read, insights and search. The assistant then cannot quote them.
              </p>
            </div>
            <Switch
              id="redact"
              checked={checked}
              disabled={preferences.isPending || update.isPending}
              onCheckedChange={(value) => update.mutate({ redactContactDetails: value })}
            />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

const toolLabels: Record<string, string> = {
  searchContacts: "Searched contacts",
  getContact: "Read a client's record",
  clientsNeedingAttention: "Listed who needs attention",
  upcomingSessions: "Listed upcoming sessions",
  addNote: "Added a note",
  createTask: "Created a task",
};

const outcomeLabels: Record<
  string,
  { label: string; variant: "secondary" | "outline" | "destructive" }
> = {
  ok: { label: "done", variant: "secondary" },
  denied: { label: "declined by you", variant: "outline" },
  refused: { label: "refused", variant: "outline" },
  error: { label: "failed", variant: "destructive" },
};

function Audit() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { limit: 20 };
  const audit = usePages(trpc.assistant.audit.infiniteQueryKey(input), (cursor, signal) =>
    client.assistant.audit.query({ ...input, cursor }, { signal }),
  );
  const items = audit.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ScrollTextIcon aria-hidden="true" className="size-4 text-muted-foreground" /> Audit log
        </CardTitle>
        <CardDescription>
          Every tool the assistant ran, and which records' data went to a model, newest first.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {audit.isPending ? (
          <SectionSkeleton label="Loading the audit log…" />
        ) : audit.isError ? (
          <SectionError
            error={audit.error}
            what="the audit log"
            onRetry={() => void audit.refetch()}
          />
        ) : items.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing yet.</p>
        ) : (
          <ol className="grid divide-y">
            {items.map((event) => {
              const outcome = outcomeLabels[event.outcome] ?? outcomeLabels.ok!;
              const what =
                event.kind === "tool_call"
                  ? (toolLabels[event.tool ?? ""] ?? event.tool ?? "Tool call")
                  : `Sent to the model (${event.feature})`;
              return (
                <li key={event.id} className="grid gap-1 py-2.5 text-sm" data-testid="audit-entry">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{what}</span>
                    <Badge variant={outcome.variant}>{outcome.label}</Badge>
                    <time
                      className="ml-auto text-xs text-muted-foreground"
                      dateTime={event.createdAt.toISOString()}
                    >
                      {formatDateTime(event.createdAt)}
                    </time>
                  </div>
                  {event.detail ? <p className="text-muted-foreground">{event.detail}</p> : null}
                  {event.contacts.length > 0 ? (
                    <p className="flex flex-wrap gap-x-2 text-xs">
                      <span className="text-muted-foreground">Records:</span>
                      {event.contacts.map((c) => (
                        <Link
                          key={c.id}
                          href={`/contacts/${c.id}`}
                          className="text-primary underline-offset-4 hover:underline"
                        >
                          {c.name}
                        </Link>
                      ))}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
        <LoadMore
          label="Older entries"
          hasMore={audit.hasNextPage}
          loading={audit.isFetchingNextPage}
          error={audit.isFetchNextPageError ? audit.error : null}
          onLoad={() => void audit.fetchNextPage()}
        />
      </CardContent>
    </Card>
  );
}

/** The assistant's settings: provider, budget and usage, privacy, audit log. */
export function AssistantSettings() {
  return (
    <div className="grid gap-6">
      <Provider />
      <Usage />
      <Privacy />
      <Audit />
    </div>
  );
}
