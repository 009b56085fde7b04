"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { DownloadIcon, EyeIcon, PlayIcon, RotateCcwIcon } from "lucide-react";
import { useId } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";
import { ProgressBar } from "./run-step";
import {
  canUndo,
  formatCount,
  hasReport,
  reportHref,
  statusLabels,
  summaryOf,
  type ImportStatusRecord,
} from "./shared";
import { UndoImportButton } from "./undo-import";

const badgeVariant = {
  uploading: "outline",
  staged: "outline",
  previewed: "outline",
  running: "default",
  completed: "secondary",
  failed: "destructive",
  undone: "outline",
} as const;

function Counts({ record }: { record: ImportStatusRecord }) {
  if (record.status === "staged" || record.status === "previewed") {
    return (
      <p className="text-sm text-muted-foreground">
        {formatCount(record.totalRows)} rows uploaded; nothing was imported.
      </p>
    );
  }
  const s = summaryOf(record.counts);
  return (
    <p className="text-sm text-muted-foreground tabular-nums">
      {formatCount(s.created)} created · {formatCount(s.updated)} updated · {formatCount(s.skipped)}{" "}
      skipped · {formatCount(s.failed)} failed
    </p>
  );
}

export function PastImports({
  currentId,
  onOpen,
}: {
  /** The import the wizard shows, if any. */
  currentId: string | null;
  /** Shows an import's progress and summary in the wizard. */
  onOpen: (importId: string) => void;
}) {
  const trpc = useTRPC();
  const headingId = useId();
  const list = useQuery({
    ...trpc.imports.list.queryOptions({ limit: 20 }),
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === "running") ? 2000 : false,
  });
  const resume = useMutation(trpc.imports.run.mutationOptions());

  return (
    <section aria-labelledby={headingId} className="grid gap-3">
      <div>
        <h2 id={headingId} className="text-lg font-semibold tracking-tight">
          Past imports
        </h2>
        <p className="text-sm text-muted-foreground">
          Your last 20 imports. Undo takes an import back, even weeks later.
        </p>
      </div>

      {list.isPending ? (
        <div aria-busy="true" className="grid gap-2">
          <span role="status" className="sr-only">
            Loading your imports…
          </span>
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ) : list.isError ? (
        <div className="grid justify-items-start gap-2">
          <FormAlert
            message={`Could not load your imports. ${describeApiError(list.error).message}`}
            requestId={describeApiError(list.error).requestId}
          />
          <Button type="button" variant="outline" size="sm" onClick={() => void list.refetch()}>
            <RotateCcwIcon aria-hidden="true" /> Try again
          </Button>
        </div>
      ) : list.data.length === 0 ? (
        <p className="rounded-md border border-dashed px-3 py-6 text-center text-sm text-muted-foreground">
          No imports yet. Files you import are listed here, with their report and an undo.
        </p>
      ) : (
        <ul aria-label="Past imports" className="grid gap-2">
          {list.data.map((record) => (
            <li
              key={record.importId}
              aria-current={record.importId === currentId ? "true" : undefined}
              className="grid gap-2 rounded-lg border bg-card p-3 aria-[current=true]:border-primary/60 sm:p-4"
            >
              <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
                <div className="min-w-0">
                  <p className="font-medium break-all">{record.fileName}</p>
                  <p className="text-xs text-muted-foreground">
                    {formatDateTime(record.createdAt)}
                  </p>
                </div>
                <Badge variant={badgeVariant[record.status]}>
                  {statusLabels[record.status]}
                  {record.status === "running" ? ` ${Math.floor(record.percent)}%` : null}
                </Badge>
              </div>
              {/* The wizard above shows the progress of the import it is on. */}
              {record.status === "running" && record.importId !== currentId ? (
                <ProgressBar record={record} />
              ) : null}
              <Counts record={record} />
              {record.status === "failed" && record.lastError ? (
                <p className="text-sm text-destructive">{record.lastError}</p>
              ) : null}
              <div className="flex flex-wrap gap-2">
                {["running", "completed", "failed", "undone"].includes(record.status) &&
                record.importId !== currentId ? (
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    aria-label={`Show the import of ${record.fileName}`}
                    onClick={() => onOpen(record.importId)}
                  >
                    <EyeIcon aria-hidden="true" /> Show
                  </Button>
                ) : null}
                {record.status === "failed" ? (
                  <Button
                    type="button"
                    size="sm"
                    disabled={resume.isPending}
                    onClick={() =>
                      resume.mutate(
                        { importId: record.importId },
                        {
                          onSuccess: () => {
                            void list.refetch();
                            onOpen(record.importId);
                          },
                          onError: (e) => toast.error(describeApiError(e).message),
                        },
                      )
                    }
                  >
                    <PlayIcon aria-hidden="true" /> Resume
                  </Button>
                ) : null}
                {hasReport(record) && record.status !== "running" ? (
                  <Button asChild size="sm" variant="outline">
                    <a
                      href={reportHref(record.importId)}
                      download
                      aria-label={`Download the problem report of ${record.fileName}`}
                    >
                      <DownloadIcon aria-hidden="true" /> Report
                    </a>
                  </Button>
                ) : null}
                {canUndo(record.status) && record.importId !== currentId ? (
                  <UndoImportButton record={record} label="Undo" size="sm" />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
