"use client";

import { useQuery } from "@tanstack/react-query";
import { RotateCcwIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import {
  formatCount,
  modeWords,
  phaseWords,
  plural,
  runStatusWords,
  skippedList,
  triggerWords,
  type ChannelKind,
  type SyncRun,
} from "./shared";

/** A running run's progress bar: the phase in words and done of total. */
export function RunProgress({ run }: { run: SyncRun }) {
  const { done, total, phase } = run.progress;
  const known = typeof total === "number" && total > 0;
  const percent = known ? Math.min(100, Math.round(((done ?? 0) / total) * 100)) : null;
  const phaseText = phaseWords[phase ?? ""] ?? "Starting";
  return (
    <div className="grid gap-1.5" data-testid="run-progress">
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={
          known ? `${phaseText}: ${formatCount(done ?? 0)} of ${formatCount(total)}` : phaseText
        }
        className="h-3 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn(
            "h-full rounded-full bg-primary transition-[width] duration-500",
            percent === null && "w-1/3 animate-pulse",
          )}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="text-sm text-muted-foreground tabular-nums" aria-live="polite">
        {phaseText}
        {known ? ` · ${formatCount(done ?? 0)} of ${formatCount(total)} (${percent}%)` : "…"}
      </p>
    </div>
  );
}

/** A run's counts in words: read, stored, logged, new contacts, skipped and why. */
export function RunCounts({ run, kind }: { run: SyncRun; kind: ChannelKind }) {
  const c = run.counts;
  const item = kind === "gmail" ? "message" : "event";
  const skipped = skippedList(c.skipped, kind);
  const facts = [
    c.listed !== undefined ? `${plural(c.listed, item)} listed` : null,
    c.fetched !== undefined ? `${formatCount(c.fetched)} read` : null,
    c.stored !== undefined ? `${formatCount(c.stored)} stored` : null,
    c.interactions !== undefined ? `${formatCount(c.interactions)} logged` : null,
    c.contactsCreated !== undefined ? plural(c.contactsCreated, "new contact") : null,
    c.cancelled ? `${plural(c.cancelled, "cancelled session")} removed` : null,
  ].filter((f): f is string => f !== null);
  if (facts.length === 0 && skipped.length === 0 && run.status !== "running") return null;
  return (
    <div className="grid gap-1 text-sm">
      <p>{facts.length > 0 ? facts.join(" · ") : "Starting…"}</p>
      {skipped.length > 0 ? (
        <p className="text-muted-foreground">
          Skipped: {skipped.map((s) => `${formatCount(s.count)} ${s.words}`).join(", ")}.
        </p>
      ) : null}
    </div>
  );
}

/** What Google lists against what is stored, after a full sync. */
export function Reconciliation({ run, kind }: { run: SyncRun; kind: ChannelKind }) {
  const r = run.reconciliation;
  if (!r) return null;
  const item = kind === "gmail" ? "message" : "event";
  return (
    <div
      className={cn(
        "grid gap-1 rounded-md border px-3 py-2 text-sm",
        r.missing > 0 ? "border-amber-500/50 bg-amber-500/10" : "bg-muted/40",
      )}
      data-testid="reconciliation"
    >
      <p className="font-medium">Check against Google</p>
      <p>
        Google lists {plural(r.listed, item)}; {formatCount(r.stored)} are stored
        {r.missing > 0 ? `, ${formatCount(r.missing)} missing` : ", none missing"}.
      </p>
      {r.missing > 0 ? (
        <p className="text-muted-foreground">
          Missing ones are usually {item}s deleted at Google while the sync ran.
        </p>
      ) : null}
      <p className="text-xs text-muted-foreground">
        Checked {formatDateTime(new Date(r.checkedAt))}
      </p>
    </div>
  );
}

const statusVariant: Record<SyncRun["status"], "default" | "secondary" | "destructive"> = {
  running: "default",
  succeeded: "secondary",
  failed: "destructive",
};

export function RunStatusBadge({ run }: { run: SyncRun }) {
  return <Badge variant={statusVariant[run.status]}>{runStatusWords[run.status]}</Badge>;
}

export function runTitle(run: SyncRun): string {
  return `${modeWords[run.mode] ?? run.mode} · ${triggerWords[run.trigger] ?? run.trigger}`;
}

/** The channel's past runs, newest first. */
export function RunHistory({ kind }: { kind: ChannelKind }) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.sync.runs.queryOptions({ kind, limit: 10 }));
  if (runs.isPending) {
    return (
      <div aria-busy="true" className="grid gap-2">
        <span role="status" className="sr-only">
          Loading the run history…
        </span>
        <Skeleton className="h-12 w-full" />
        <Skeleton className="h-12 w-full" />
      </div>
    );
  }
  if (runs.isError) {
    return (
      <div className="grid justify-items-start gap-2 text-sm">
        <p role="alert" className="text-destructive">
          Could not load the run history. {describeApiError(runs.error).message}
        </p>
        <Button type="button" size="sm" variant="outline" onClick={() => void runs.refetch()}>
          <RotateCcwIcon aria-hidden="true" /> Try again
        </Button>
      </div>
    );
  }
  if (runs.data.length === 0) {
    return <p className="text-sm text-muted-foreground">No sync has run yet.</p>;
  }
  return (
    <ol className="grid divide-y rounded-md border" aria-label="Run history">
      {runs.data.map((run) => (
        <li key={run.id} className="grid gap-1.5 px-3 py-2.5">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <RunStatusBadge run={run} />
            <span className="font-medium">{runTitle(run)}</span>
            <span className="text-muted-foreground">
              {formatDateTime(run.startedAt)}
              {run.finishedAt
                ? ` · ${Math.max(1, Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000))} s`
                : ""}
            </span>
          </div>
          {run.status === "running" ? <RunProgress run={run} /> : null}
          <RunCounts run={run} kind={kind} />
          {run.error ? <p className="text-sm text-destructive">{run.error}</p> : null}
          <Reconciliation run={run} kind={kind} />
        </li>
      ))}
    </ol>
  );
}
