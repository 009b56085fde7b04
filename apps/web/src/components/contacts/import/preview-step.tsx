"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowLeftIcon, LoaderCircleIcon, UploadIcon } from "lucide-react";
import { useId } from "react";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import { stageLabel } from "../stage-badge";
import {
  formatCount,
  fullMapping,
  plural,
  withoutRowPrefix,
  type ImportMapping,
  type ImportOptions,
  type ImportPreview,
  type ImportRowSample,
  type ImportStatusRecord,
  type StagedUpload,
} from "./shared";

type Kind = keyof ImportPreview["counts"];

const kinds: {
  kind: Kind;
  tile: (n: number) => string;
  title: string;
  description: string;
  tone: string;
}[] = [
  {
    kind: "new",
    tile: (n) => (n === 1 ? "new contact" : "new contacts"),
    title: "New contacts",
    description: "No contact of yours has their email or phone: they are added.",
    tone: "border-primary/40",
  },
  {
    kind: "updated",
    tile: (n) => (n === 1 ? "contact to update" : "contacts to update"),
    title: "Contacts to update",
    description: "They match a contact you already have, which gets what the row adds.",
    tone: "border-primary/40",
  },
  {
    kind: "skipped",
    tile: (n) => (n === 1 ? "match left as it is" : "matches left as they are"),
    title: "Matches left as they are",
    description: "They match a contact you already have, which is not changed.",
    tone: "",
  },
  {
    kind: "duplicates",
    tile: (n) => (n === 1 ? "duplicate in the file" : "duplicates in the file"),
    title: "Duplicates in the file",
    description: "An earlier row of the file is about the same person: these are not imported.",
    tone: "border-amber-500/50",
  },
  {
    kind: "invalid",
    tile: (n) => (n === 1 ? "row with problems" : "rows with problems"),
    title: "Rows with problems",
    description: "These are not imported. Fix them in your file and import it again.",
    tone: "border-destructive/50",
  },
];

function SampleValues({ sample, headers }: { sample: ImportRowSample; headers: string[] }) {
  const v = sample.values;
  if (!v) {
    // A row that could not be read: its cells as they are, in the file's column order.
    const cells = headers
      .map((h) => (sample.cells[h] ?? "").replace(/\s+/g, " ").trim())
      .filter(Boolean);
    return cells.length > 0 ? (
      <p className="truncate text-muted-foreground" title={cells.join(" · ")}>
        {cells.join(" · ")}
      </p>
    ) : (
      <p className="text-muted-foreground italic">Empty row</p>
    );
  }
  const details = [
    ...v.emails,
    ...v.phones,
    v.stage ? `Stage: ${stageLabel(v.stage)}` : null,
    v.source ? `Source: ${v.source}` : null,
    v.tags.length > 0 ? `Tags: ${v.tags.join(", ")}` : null,
  ].filter((d): d is string => d !== null);
  return (
    <>
      <p className="font-medium break-words">{v.name ?? v.emails[0] ?? v.phones[0] ?? "No name"}</p>
      {details.length > 0 ? (
        <p className="break-words text-muted-foreground">{details.join(" · ")}</p>
      ) : null}
    </>
  );
}

function Samples({
  kind,
  title,
  description,
  count,
  samples,
  headers,
}: {
  kind: Kind;
  title: string;
  description: string;
  count: number;
  samples: ImportRowSample[];
  headers: string[];
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="grid gap-2">
      <div>
        <h4 id={headingId} className="font-semibold">
          {title} ({formatCount(count)})
        </h4>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      <ul className="grid gap-2">
        {samples.map((sample) => (
          <li
            key={sample.rowNumber}
            className="grid grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 gap-y-1 rounded-md border px-3 py-2 text-sm"
          >
            <span className="rounded bg-muted px-1.5 py-0.5 text-xs font-medium whitespace-nowrap">
              Row {sample.rowNumber}
            </span>
            <div className="min-w-0">
              <SampleValues sample={sample} headers={headers} />
              {sample.messages.map((message) => (
                <p
                  key={message}
                  className={cn(
                    "break-words",
                    kind === "invalid" ? "font-medium text-destructive" : "text-foreground",
                  )}
                >
                  {withoutRowPrefix(message)}
                </p>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {count > samples.length ? (
        <p className="text-sm text-muted-foreground">
          The first {formatCount(samples.length)} of {formatCount(count)} are shown.
          {kind === "invalid" || kind === "duplicates"
            ? " All of them are listed in the problem report you can download after the import."
            : null}
        </p>
      ) : null}
    </section>
  );
}

export function PreviewStep({
  upload,
  preview,
  mapping,
  options,
  onBack,
  onStarted,
}: {
  upload: StagedUpload;
  preview: ImportPreview;
  mapping: ImportMapping;
  options: ImportOptions;
  onBack: () => void;
  onStarted: (status: ImportStatusRecord) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useMutation(trpc.imports.run.mutationOptions());
  const { counts } = preview;
  const toWrite = counts.new + counts.updated;
  const shown = kinds.filter(
    (k) => counts[k.kind] > 0 || k.kind !== "skipped" || options.onMatch === "skip",
  );
  const error = run.isError ? describeApiError(run.error) : null;

  return (
    <div className="grid gap-6">
      <p className="text-sm text-muted-foreground">
        Nothing has been written yet. This is what importing{" "}
        <span className="font-medium text-foreground">{upload.fileName}</span> (
        {plural(preview.totalRows, "row")}) will do:
      </p>

      <ul
        aria-label="Preview counts"
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5"
      >
        {shown.map((k) => (
          <li
            key={k.kind}
            className={cn("grid content-start gap-0.5 rounded-lg border bg-card px-3 py-3", k.tone)}
          >
            <span className="text-2xl font-semibold tabular-nums">
              {formatCount(counts[k.kind])}
            </span>{" "}
            <span className="text-sm text-muted-foreground">{k.tile(counts[k.kind])}</span>
          </li>
        ))}
      </ul>

      <div className="grid gap-6">
        {kinds
          .filter((k) => counts[k.kind] > 0)
          .map((k) => (
            <Samples
              key={k.kind}
              kind={k.kind}
              title={k.title}
              description={k.description}
              count={counts[k.kind]}
              samples={preview.samples[k.kind]}
              headers={upload.headers}
            />
          ))}
      </div>

      {toWrite === 0 ? (
        <FormAlert message="No row of this file would be imported. Go back to the mapping, or fix the file and upload it again." />
      ) : null}
      {error ? <FormAlert message={error.message} requestId={error.requestId} /> : null}

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <Button type="button" variant="outline" onClick={onBack} disabled={run.isPending}>
          <ArrowLeftIcon aria-hidden="true" /> Back to mapping
        </Button>
        <Button
          type="button"
          disabled={toWrite === 0 || run.isPending}
          aria-busy={run.isPending || undefined}
          onClick={() =>
            run.mutate(
              {
                importId: preview.importId,
                mapping: fullMapping(upload.headers, mapping),
                options,
              },
              {
                onSuccess: (status) => {
                  // The run goes on in the background; its first status is this answer.
                  queryClient.setQueryData(
                    trpc.imports.status.queryKey({ importId: status.importId }),
                    status,
                  );
                  void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
                  onStarted(status);
                },
              },
            )
          }
        >
          {run.isPending ? (
            <LoaderCircleIcon aria-hidden="true" className="animate-spin" />
          ) : (
            <UploadIcon aria-hidden="true" />
          )}
          Import {plural(toWrite, "contact")}
        </Button>
      </div>
    </div>
  );
}
