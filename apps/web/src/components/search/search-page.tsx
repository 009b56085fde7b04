"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { SEARCH_KINDS, SEARCH_QUERY_MAX, type SearchKind } from "@omnicrm/api/schemas";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CalendarDaysIcon,
  CircleAlertIcon,
  InfoIcon,
  LoaderCircleIcon,
  MailIcon,
  SearchIcon,
  SparklesIcon,
  StickyNoteIcon,
  UserIcon,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";

type Outcome = RouterOutputs["search"]["query"];
type Result = Outcome["results"][number];
type Status = RouterOutputs["search"]["status"];

const DEBOUNCE_MS = 300;

const KIND_LABELS: Record<SearchKind, { one: string; many: string; icon: LucideIcon }> = {
  contact: { one: "Contact", many: "Contacts", icon: UserIcon },
  note: { one: "Note", many: "Notes", icon: StickyNoteIcon },
  email: { one: "Email", many: "Emails", icon: MailIcon },
  session: { one: "Session", many: "Sessions", icon: CalendarDaysIcon },
};

const numbers = new Intl.NumberFormat("en-US");
const dates = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function SearchPage({ initialQuery }: { initialQuery: string }) {
  const trpc = useTRPC();
  const inputId = useId();
  const [text, setText] = useState(initialQuery);
  const [kinds, setKinds] = useState<SearchKind[]>([]);
  const query = useDebounced(text.replace(/\s+/g, " ").trim(), DEBOUNCE_MS);

  // The URL reproduces the search, so it can be bookmarked or shared with yourself.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }, [query]);

  const results = useQuery({
    ...trpc.search.query.queryOptions({ query, ...(kinds.length ? { kinds } : {}) }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const toggleKind = (kind: SearchKind) =>
    setKinds((current) =>
      current.includes(kind) ? current.filter((k) => k !== kind) : [...current, kind],
    );

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <section aria-label="Search" className="flex min-w-0 flex-col gap-4">
        <div className="relative">
          <label htmlFor={inputId} className="sr-only">
            Search contacts, notes, emails and sessions
          </label>
          <SearchIcon
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
          />
          <Input
            id={inputId}
            type="search"
            autoFocus
            autoComplete="off"
            maxLength={SEARCH_QUERY_MAX}
            placeholder="Try “knee pain after running” or “wants to reschedule”"
            value={text}
            onChange={(event) => setText(event.target.value)}
            className="h-11 pl-9 text-base"
          />
          {results.isFetching ? (
            <LoaderCircleIcon
              aria-label="Searching"
              className="absolute top-1/2 right-3 size-4 -translate-y-1/2 animate-spin text-muted-foreground"
            />
          ) : null}
        </div>

        <div role="group" aria-label="Kinds of results" className="flex flex-wrap gap-2">
          <Button
            type="button"
            size="sm"
            variant={kinds.length === 0 ? "default" : "outline"}
            aria-pressed={kinds.length === 0}
            onClick={() => setKinds([])}
          >
            All
          </Button>
          {SEARCH_KINDS.map((kind) => {
            const { many, icon: Icon } = KIND_LABELS[kind];
            const on = kinds.includes(kind);
            return (
              <Button
                key={kind}
                type="button"
                size="sm"
                variant={on ? "default" : "outline"}
                aria-pressed={on}
                onClick={() => toggleKind(kind)}
              >
                <Icon aria-hidden="true" />
                {many}
              </Button>
            );
          })}
        </div>

        <Results
          query={query}
          outcome={results.data}
          error={results.error}
          pending={results.isPending && query.length > 0}
        />
      </section>

      <IndexStatus />
    </div>
  );
}

function Results({
  query,
  outcome,
  error,
  pending,
}: {
  query: string;
  outcome: Outcome | undefined;
  error: unknown;
  pending: boolean;
}) {
  if (!query) {
    return (
      <p className="rounded-md border border-dashed px-4 py-10 text-center text-sm text-muted-foreground">
        Type to search. Results match your words and, once your records are indexed, what you mean:
        “trouble sleeping” also finds “wakes up at 4am”.
      </p>
    );
  }
  if (error) {
    const info = describeApiError(error);
    return (
      <p role="alert" className="text-sm text-destructive">
        {info.message}
        {info.requestId ? (
          <span className="block text-xs">Request id: {info.requestId}</span>
        ) : null}
      </p>
    );
  }
  if (pending || !outcome) {
    return <p className="text-sm text-muted-foreground">Searching…</p>;
  }
  return (
    <div className="flex flex-col gap-3">
      {outcome.meaning.reason ? (
        <p
          role="status"
          className="flex items-start gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm"
        >
          <InfoIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{outcome.meaning.reason} Showing keyword matches.</span>
        </p>
      ) : null}
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {outcome.results.length === 0
          ? `Nothing found for “${outcome.query}”.`
          : `${outcome.results.length} result${outcome.results.length === 1 ? "" : "s"} for “${outcome.query}”`}
      </p>
      <ol className="flex flex-col gap-2">
        {outcome.results.map((result) => (
          <li key={result.id}>
            <ResultItem result={result} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function ResultItem({ result }: { result: Result }) {
  const { one, icon: Icon } = KIND_LABELS[result.kind];
  const body = (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <Icon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
        <span className="sr-only">{one}:</span>
        <span className="min-w-0 font-medium group-hover:underline">{result.title}</span>
        <span className="ml-auto flex gap-1">
          {result.matchedBy.map((reason) => (
            <Badge
              key={reason}
              variant={reason === "meaning" ? "secondary" : "outline"}
              title={
                reason === "meaning"
                  ? `Close in meaning (similarity ${result.similarity ?? "?"})`
                  : "Contains your words"
              }
            >
              {reason === "meaning" ? <SparklesIcon aria-hidden="true" /> : null}
              {reason === "meaning" ? "Meaning" : "Keyword"}
            </Badge>
          ))}
        </span>
      </div>
      {result.snippet.length > 0 ? (
        <p className="mt-1 line-clamp-3 text-sm text-muted-foreground">
          {result.snippet.map((part, index) =>
            part.highlight ? (
              <mark
                key={index}
                className="rounded-sm bg-yellow-200/70 px-0.5 text-foreground dark:bg-yellow-500/30"
              >
                {part.text}
              </mark>
            ) : (
              <span key={index}>{part.text}</span>
            ),
          )}
        </p>
      ) : null}
      <p className="mt-1 text-xs text-muted-foreground">
        {one}
        {result.contact && result.kind !== "contact" ? ` · ${result.contact.name}` : ""} ·{" "}
        {dates.format(result.occurredAt)}
      </p>
    </>
  );
  const classes =
    "group block rounded-lg border bg-card px-4 py-3 transition-colors hover:bg-accent/50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring";
  return result.href ? (
    <Link href={result.href} className={classes}>
      {body}
    </Link>
  ) : (
    <div className={classes}>{body}</div>
  );
}

function IndexStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.search.status.queryOptions(),
    // While records wait and the index can run, follow it.
    refetchInterval: (q) => {
      const data = q.state.data;
      return data && data.counts.waiting > 0 && data.backgroundJobs.available ? 5_000 : false;
    },
  });
  const reindex = useMutation(trpc.search.reindex.mutationOptions());
  const data = status.data;

  return (
    <Card className="h-fit gap-4 py-5">
      <CardHeader className="px-5">
        <CardTitle className="flex items-center gap-2 text-base">
          <SparklesIcon aria-hidden="true" className="size-4" />
          Search by meaning
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 px-5 text-sm">
        {!data ? (
          <p className="text-muted-foreground">Loading…</p>
        ) : (
          <>
            {data.meaning.available ? (
              <dl className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1">
                <dt>Indexed by meaning</dt>
                <dd className="text-right font-medium tabular-nums">
                  {numbers.format(data.counts.indexed)}
                </dd>
                <dt>Waiting to be indexed</dt>
                <dd className="text-right font-medium tabular-nums">
                  {numbers.format(data.counts.waiting)}
                </dd>
                <dt title="Clients who have not consented to AI use: found by keyword only">
                  Keyword only (no AI consent)
                </dt>
                <dd className="text-right font-medium tabular-nums">
                  {numbers.format(data.counts.withoutConsent)}
                </dd>
              </dl>
            ) : null}
            {data.counts.total > 0 && data.meaning.available ? (
              <div
                className="h-2 overflow-hidden rounded-full bg-muted"
                role="progressbar"
                aria-label="Share indexed by meaning"
                aria-valuemin={0}
                aria-valuemax={data.counts.total - data.counts.withoutConsent}
                aria-valuenow={data.counts.indexed}
              >
                <div
                  className="h-full bg-primary"
                  style={{
                    width: `${Math.round((100 * data.counts.indexed) / Math.max(1, data.counts.total - data.counts.withoutConsent))}%`,
                  }}
                />
              </div>
            ) : null}
            <Reasons status={data} />
            {data.model ? (
              <p className="text-xs text-muted-foreground">
                {data.model.id}, {data.model.dimensions} dimensions
                {data.backend.name
                  ? ` · ${data.backend.name === "pgvector" ? "pgvector" : "in-process index"}`
                  : ""}
              </p>
            ) : null}
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={
                !data.meaning.available || !data.backgroundJobs.available || reindex.isPending
              }
              onClick={() =>
                reindex.mutate(undefined, {
                  onSuccess: () => {
                    toast.success("Indexing started.");
                    void queryClient.invalidateQueries({ queryKey: trpc.search.status.queryKey() });
                  },
                  onError: (error) => toast.error(describeApiError(error).message),
                })
              }
            >
              Index now
            </Button>
          </>
        )}
      </CardContent>
    </Card>
  );
}

function Reasons({ status }: { status: Status }) {
  const lines: { tone: "info" | "warn"; text: string }[] = [];
  if (status.meaning.reason) lines.push({ tone: "warn", text: status.meaning.reason });
  if (status.job.status === "paused" || status.job.status === "failed") {
    if (status.job.reason) lines.push({ tone: "warn", text: status.job.reason });
  } else if (status.job.status === "running") {
    lines.push({ tone: "info", text: "Indexing now…" });
  }
  if (
    status.meaning.available &&
    !status.backgroundJobs.available &&
    status.backgroundJobs.reason
  ) {
    lines.push({
      tone: "warn",
      text: `Background jobs cannot run, so nothing new is indexed: ${status.backgroundJobs.reason}`,
    });
  }
  if (lines.length === 0) return null;
  return (
    <ul className="flex flex-col gap-2">
      {lines.map((line) => (
        <li
          key={line.text}
          className={cn(
            "flex items-start gap-2 rounded-md px-2 py-1.5 text-xs",
            line.tone === "warn" ? "bg-amber-500/10" : "bg-muted",
          )}
        >
          {line.tone === "warn" ? (
            <CircleAlertIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
          ) : (
            <InfoIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
          )}
          <span>{line.text}</span>
        </li>
      ))}
    </ul>
  );
}
