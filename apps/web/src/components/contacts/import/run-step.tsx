"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CircleCheckIcon,
  CircleSlashIcon,
  DownloadIcon,
  LoaderCircleIcon,
  PlayIcon,
  RotateCcwIcon,
  TriangleAlertIcon,
  UsersIcon,
} from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import {
  canUndo,
  formatCount,
  hasReport,
  plural,
  reportHref,
  summaryOf,
  type ImportStatusRecord,
} from "./shared";
import { describeUndo, UndoImportButton, type UndoResult } from "./undo-import";

/** A running import that has not moved for this long probably stopped with the server. */
const STALL_MS = 90_000;
const POLL_MS = 1000;

export function ProgressBar({
  record,
  className,
}: {
  record: ImportStatusRecord;
  className?: string;
}) {
  const percent = Math.min(100, Math.max(0, record.percent));
  return (
    <div className={cn("grid gap-1.5", className)}>
      <div
        role="progressbar"
        aria-label={`Progress of the import of ${record.fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.floor(percent)}
        aria-valuetext={`${formatCount(record.processedRows)} of ${plural(record.totalRows, "row")}`}
        className="h-3 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn(
            "h-full rounded-full transition-[width] duration-500",
            record.status === "failed" ? "bg-destructive" : "bg-primary",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-sm text-muted-foreground tabular-nums">
        {formatCount(record.processedRows)} of {plural(record.totalRows, "row")} (
        {Math.floor(percent)}
        %)
      </p>
    </div>
  );
}

function Summary({ record }: { record: ImportStatusRecord }) {
  const s = summaryOf(record.counts);
  const tiles = [
    { label: "created", value: s.created, hint: "new contacts" },
    { label: "updated", value: s.updated, hint: "contacts you had" },
    { label: "skipped", value: s.skipped, hint: "duplicates or left as they were" },
    { label: "failed", value: s.failed, hint: "rows with problems" },
  ];
  return (
    <ul aria-label="Import summary" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {tiles.map((tile) => (
        <li
          key={tile.label}
          className={cn(
            "grid content-start gap-0.5 rounded-lg border bg-card px-3 py-3",
            tile.label === "failed" && tile.value > 0 && "border-destructive/50",
          )}
        >
          <span className="text-2xl font-semibold tabular-nums">{formatCount(tile.value)}</span>{" "}
          <span className="text-sm font-medium">{tile.label}</span>{" "}
          <span className="text-xs text-muted-foreground">({tile.hint})</span>
        </li>
      ))}
    </ul>
  );
}

const headlines: Record<string, { text: string; icon: typeof CircleCheckIcon; tone: string }> = {
  running: { text: "Importing…", icon: LoaderCircleIcon, tone: "text-primary" },
  completed: { text: "Import finished", icon: CircleCheckIcon, tone: "text-primary" },
  failed: { text: "Import stopped", icon: TriangleAlertIcon, tone: "text-destructive" },
  undone: { text: "Import undone", icon: CircleSlashIcon, tone: "text-muted-foreground" },
};

export function RunStep({
  importId,
  onRestart,
}: {
  importId: string;
  /** Starts again with another file. */
  onRestart: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.imports.status.queryOptions({ importId }),
    refetchInterval: (query) => (query.state.data?.status === "running" ? POLL_MS : false),
    refetchIntervalInBackground: true,
  });
  const resume = useMutation(trpc.imports.run.mutationOptions());
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const record = status.data;

  // When the progress last moved, to tell a slow import from one that stopped.
  const [moved, setMoved] = useState<{ rows: number; at: number } | null>(null);
  useEffect(() => {
    if (record && record.processedRows !== moved?.rows) {
      setMoved({ rows: record.processedRows, at: status.dataUpdatedAt });
    }
  }, [record, moved?.rows, status.dataUpdatedAt]);
  const stalled =
    record?.status === "running" && moved !== null && status.dataUpdatedAt - moved.at > STALL_MS;

  // Once a run ends, the list of imports and the contacts changed.
  const lastStatus = useRef(record?.status);
  useEffect(() => {
    if (!record) return;
    if (lastStatus.current === "running" && record.status !== "running") {
      void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
      void queryClient.invalidateQueries(trpc.contacts.pathFilter());
      void queryClient.invalidateQueries(trpc.tags.pathFilter());
    }
    lastStatus.current = record.status;
  }, [record, queryClient, trpc]);

  const startResume = () =>
    resume.mutate(
      { importId },
      {
        onSuccess: (next) => {
          queryClient.setQueryData(trpc.imports.status.queryKey({ importId }), next);
          setMoved({ rows: next.processedRows, at: Date.now() });
          void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
        },
      },
    );

  if (status.isPending) {
    return (
      <div aria-busy="true" className="grid gap-3">
        <span role="status" className="sr-only">
          Loading the import…
        </span>
        <Skeleton className="h-6 w-48" />
        <Skeleton className="h-3 w-full" />
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  if (!record) {
    const info = describeApiError(status.error);
    return (
      <div className="grid justify-items-start gap-3">
        <FormAlert
          message={`Could not load this import. ${info.message}`}
          requestId={info.requestId}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" onClick={() => void status.refetch()}>
            <RotateCcwIcon aria-hidden="true" /> Try again
          </Button>
          <Button type="button" variant="ghost" onClick={onRestart}>
            Import another file
          </Button>
        </div>
      </div>
    );
  }

  const headline = headlines[record.status] ?? {
    text: "Not imported yet",
    icon: CircleSlashIcon,
    tone: "text-muted-foreground",
  };
  const Icon = headline.icon;
  const resumeError = resume.isError ? describeApiError(resume.error) : null;

  return (
    <div className="grid gap-5">
      <div role="status" aria-live="polite">
        <h3 className={cn("flex items-center gap-2 text-lg font-semibold", headline.tone)}>
          <Icon
            aria-hidden="true"
            className={cn("size-5", record.status === "running" && "animate-spin")}
          />
          {headline.text}
        </h3>
        <p className="mt-1 text-sm text-muted-foreground">
          {record.fileName}
          {record.startedAt ? ` · started ${formatDateTime(record.startedAt)}` : null}
          {record.status === "completed" && record.completedAt
            ? ` · finished ${formatDateTime(record.completedAt)}`
            : null}
          {record.status === "undone" && record.undoneAt
            ? ` · undone ${formatDateTime(record.undoneAt)}`
            : null}
        </p>
      </div>

      {record.status !== "undone" ? <ProgressBar record={record} /> : null}
      {record.status === "running" ? (
        <p className="text-sm text-muted-foreground">
          You can leave this page: the import goes on, and its progress is listed under Past
          imports.
        </p>
      ) : null}

      {stalled ? (
        <div className="grid justify-items-start gap-2 rounded-md border border-amber-500/50 bg-amber-500/10 p-3 text-sm">
          <p>
            This import has not moved for over a minute. If the server restarted, it stopped: resume
            it to continue after the last rows saved (no row is imported twice).
          </p>
          <Button type="button" size="sm" onClick={startResume} disabled={resume.isPending}>
            <PlayIcon aria-hidden="true" /> Resume import
          </Button>
        </div>
      ) : null}

      {record.status === "failed" ? (
        <div className="grid justify-items-start gap-3">
          <FormAlert
            message={
              record.lastError ??
              "The import stopped before the end. Resume it to continue where it stopped, or undo it."
            }
          />
          <p className="text-sm text-muted-foreground">
            The rows saved before it stopped are kept. Resuming continues after them; no row is
            imported twice.
          </p>
          <Button
            type="button"
            onClick={startResume}
            disabled={resume.isPending}
            aria-busy={resume.isPending || undefined}
          >
            <PlayIcon aria-hidden="true" /> {resume.isPending ? "Resuming…" : "Resume import"}
          </Button>
        </div>
      ) : null}
      {resumeError ? (
        <FormAlert message={resumeError.message} requestId={resumeError.requestId} />
      ) : null}

      {status.isError ? (
        <p className="text-sm text-muted-foreground">
          Could not refresh the progress ({describeApiError(status.error).message}); trying again…
        </p>
      ) : null}

      {record.status === "undone" ? (
        <p className="text-sm text-muted-foreground">Before it was undone, this import had:</p>
      ) : null}
      {record.status !== "running" ? <Summary record={record} /> : null}
      {record.status === "running" ? (
        <p className="text-sm text-muted-foreground" aria-live="off">
          So far: {formatCount(record.counts.new)} created, {formatCount(record.counts.updated)}{" "}
          updated, {formatCount(record.counts.duplicates + record.counts.skipped)} skipped,{" "}
          {formatCount(record.counts.invalid)} failed.
        </p>
      ) : null}

      {undone ? <p className="text-sm">{describeUndo(undone)}</p> : null}

      {hasReport(record) && record.status !== "running" ? (
        <p className="text-sm">
          <a
            href={reportHref(importId)}
            download
            className="inline-flex items-center gap-1.5 font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            <DownloadIcon aria-hidden="true" className="size-4" />
            Download the problem report (CSV)
          </a>
          <span className="text-muted-foreground">
            {" "}
            — {plural(record.counts.invalid + record.counts.duplicates, "row")} not imported, each
            with the reason.
          </span>
        </p>
      ) : null}

      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
        {record.status === "completed" ? (
          <Button asChild>
            <Link href="/contacts">
              <UsersIcon aria-hidden="true" /> See your contacts
            </Link>
          </Button>
        ) : null}
        {record.status !== "running" ? (
          <Button type="button" variant="outline" onClick={onRestart}>
            Import another file
          </Button>
        ) : null}
        {canUndo(record.status) ? (
          <UndoImportButton
            record={record}
            label={record.status === "running" ? "Stop and undo" : "Undo import"}
            onUndone={setUndone}
          />
        ) : null}
      </div>
    </div>
  );
}
