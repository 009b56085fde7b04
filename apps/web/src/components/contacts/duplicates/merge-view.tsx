"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeftIcon, GitMergeIcon, RotateCcwIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { describeFailure } from "../detail/errors";
import { formatDay } from "../detail/time";
import { useUndoMerge } from "./use-undo-merge";

type Preview = RouterOutputs["duplicates"]["preview"];
type Side = Preview["survivor"];
type FieldOption = Preview["fields"][number];
type Counts = Side["counts"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Desktop: a label column, then one column per contact. Phones: everything stacked. */
const rowGrid = "grid gap-2 py-3 md:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)] md:gap-3";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function countsText({ notes, tasks, timelineEvents }: Counts): string {
  return [
    plural(notes, "note"),
    plural(tasks, "task"),
    plural(timelineEvents, "timeline event"),
  ].join(", ");
}

function BackLink() {
  return (
    <Button asChild variant="ghost" size="sm" className="mb-4 -ml-2">
      <Link href="/contacts/duplicates">
        <ArrowLeftIcon aria-hidden="true" /> Duplicates
      </Link>
    </Button>
  );
}

function Problem({
  title,
  message,
  requestId,
  onRetry,
}: {
  title: string;
  message: string;
  requestId?: string | null;
  onRetry?: () => void;
}) {
  return (
    <div>
      <BackLink />
      <PageHeader title={title} />
      <div className="grid justify-items-start gap-3">
        <FormAlert message={message} requestId={requestId} />
        <div className="flex flex-wrap gap-2">
          {onRetry ? (
            <Button type="button" variant="outline" onClick={onRetry}>
              <RotateCcwIcon aria-hidden="true" /> Try again
            </Button>
          ) : null}
          <Button asChild variant={onRetry ? "ghost" : "outline"}>
            <Link href="/contacts/duplicates">Back to duplicates</Link>
          </Button>
        </div>
      </div>
    </div>
  );
}

function Loading() {
  return (
    <div aria-busy="true">
      <BackLink />
      <span role="status" className="sr-only">
        Loading both contacts…
      </span>
      <Skeleton className="mb-6 h-8 w-64 max-w-full" />
      <div className="grid gap-3 md:grid-cols-2">
        <Skeleton className="h-28 w-full rounded-xl" />
        <Skeleton className="h-28 w-full rounded-xl" />
      </div>
      <Skeleton className="mt-6 h-72 w-full rounded-xl" />
    </div>
  );
}

/**
 * `/contacts/duplicates/merge?a=…&b=…[&keep=…]`: two contacts side by side, which one to keep,
 * which value of each field it keeps, what it gets in any case, then the merge.
 */
export function MergeView() {
  const searchParams = useSearchParams();
  const a = searchParams.get("a") ?? "";
  const b = searchParams.get("b") ?? "";
  const keep = searchParams.get("keep");
  if (!UUID.test(a) || !UUID.test(b) || a.toLowerCase() === b.toLowerCase()) {
    return (
      <Problem
        title="Nothing to merge"
        message="This link does not name two different contacts. Open a pair from the duplicates list."
      />
    );
  }
  return <MergeForm key={`${a}:${b}`} a={a} b={b} survivorId={keep === b ? b : a} />;
}

function MergeForm({ a, b, survivorId }: { a: string; b: string; survivorId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const undo = useUndoMerge();
  const mergedId = survivorId === a ? b : a;
  const [done, setDone] = useState(false);
  const preview = useQuery({
    ...trpc.duplicates.preview.queryOptions({ survivorId, mergedId }),
    // What is on screen is what gets merged: no silent refresh under the user's choices. A
    // change made elsewhere meanwhile is caught by the preview token when merging.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
    enabled: !done,
  });
  const merge = useMutation(trpc.duplicates.merge.mutationOptions());
  /** The contact whose value each field keeps, by field key; unset fields take the default. */
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [mergeError, setMergeError] = useState<{ stale: boolean; message: string } | null>(null);
  const [status, setStatus] = useState("");

  if (preview.isPending) return <Loading />;
  if (preview.isError && !preview.data) {
    const info = describeFailure(preview.error);
    if (info.code === "NOT_FOUND") {
      return (
        <Problem
          title="Nothing to merge"
          message="One of these contacts no longer exists: it was deleted or already merged."
        />
      );
    }
    return (
      <Problem
        title="Could not load these contacts"
        message={info.message}
        requestId={info.requestId}
        onRetry={() => void preview.refetch()}
      />
    );
  }

  const data = preview.data;
  const switching = preview.isPlaceholderData;
  const bySide = (id: string): Side => (data.survivor.id === id ? data.survivor : data.merged);
  const sides = [bySide(a), bySide(b)];
  const survivor = bySide(survivorId);
  const mergedSide = bySide(mergedId);
  const chosenSide = (field: FieldOption): string =>
    picked[field.key] ?? (field.default === "survivor" ? data.survivor.id : data.merged.id);
  const chosenValue = (field: FieldOption) =>
    chosenSide(field) === data.survivor.id ? field.survivor : field.merged;
  const nameField = data.fields.find((f) => f.key === "name");
  const keptName = nameField ? String(chosenValue(nameField) ?? survivor.name) : survivor.name;

  const chooseSurvivor = (id: string) => {
    if (id === survivorId) return;
    setMergeError(null);
    const query = new URLSearchParams({ a, b, keep: id });
    router.replace(`${pathname}?${query.toString()}`, { scroll: false });
  };

  const reload = async () => {
    setMergeError(null);
    setStatus("Reloading both contacts…");
    const result = await preview.refetch();
    setStatus(
      result.isError
        ? "Could not reload the contacts."
        : "Reloaded: both contacts are shown as they are now. Check your choices, then merge.",
    );
  };

  const submit = async () => {
    setMergeError(null);
    const fields = Object.fromEntries(
      data.fields
        .filter((f) => f.differs)
        .map((f) => [f.key, chosenSide(f) === data.survivor.id ? "survivor" : "merged"] as const),
    );
    let result;
    try {
      result = await merge.mutateAsync({
        survivorId: data.survivor.id,
        mergedId: data.merged.id,
        fields,
        previewToken: data.previewToken,
      });
    } catch (error) {
      const info = describeFailure(error);
      const stale = info.code === "CONFLICT" && /changed since/i.test(info.message);
      setMergeError({
        stale,
        message: stale
          ? `${survivor.name} or ${mergedSide.name} was changed since this page was opened, so nothing was merged. Reload to see both contacts as they are now, check your choices, then merge again.`
          : info.message,
      });
      return;
    }
    setDone(true);
    const survivorName = data.survivor.name;
    const mergedName = data.merged.name;
    router.push(`/contacts/${result.survivorId}`);
    void queryClient.invalidateQueries();
    toast.success(`Merged ${survivorName} and ${mergedName}.`, {
      description: `Their emails, phones, tags, notes, tasks and timelines are now together in ${keptName}.`,
      duration: 20_000,
      action: { label: "Undo", onClick: () => void undo(result.mergeId) },
    });
  };

  if (done) {
    return (
      <p role="status" className="py-10 text-center text-muted-foreground">
        Merged. Opening {keptName}…
      </p>
    );
  }

  return (
    <div>
      <BackLink />
      <PageHeader
        title="Merge contacts"
        description="Choose the contact to keep and, field by field, the value it keeps. Everything else is combined."
      />
      <span role="status" className="sr-only">
        {switching ? "Updating…" : status}
      </span>

      <div className="grid gap-6" aria-busy={switching || undefined}>
        <section aria-labelledby="keep-heading">
          <h2 id="keep-heading" className="mb-3 text-lg font-semibold tracking-tight">
            Contact to keep
          </h2>
          <div
            role="radiogroup"
            aria-labelledby="keep-heading"
            className="grid gap-3 md:grid-cols-2"
          >
            {sides.map((side) => {
              const kept = side.id === survivorId;
              return (
                <label
                  key={side.id}
                  className={cn(
                    "flex cursor-pointer items-start gap-3 rounded-xl border p-4 transition-colors",
                    "has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring",
                    kept ? "border-primary bg-primary/5" : "hover:bg-accent",
                  )}
                >
                  <input
                    type="radio"
                    name="survivor"
                    value={side.id}
                    checked={kept}
                    onChange={() => chooseSurvivor(side.id)}
                    className="mt-1 size-4 accent-(--primary)"
                  />
                  <span className="grid min-w-0 gap-1">
                    <span className="font-semibold wrap-anywhere">{side.name}</span>
                    <span className="text-sm text-muted-foreground">
                      Added {formatDate(side.createdAt)} · {countsText(side.counts)}
                    </span>
                    <span>
                      <Badge variant={kept ? "default" : "outline"}>
                        {kept ? "Kept" : "Merged in, then removed"}
                      </Badge>
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
        </section>

        <section aria-labelledby="fields-heading">
          <Card className="gap-0 px-4 py-4 sm:px-6">
            <h2 id="fields-heading" className="text-lg font-semibold tracking-tight">
              Fields
            </h2>
            <p className="mt-1 text-sm text-muted-foreground">
              Pick the value to keep where the two differ.
            </p>
            <div
              aria-hidden="true"
              className={cn(rowGrid, "hidden border-b text-sm font-medium md:grid")}
            >
              <span />
              {sides.map((side) => (
                <span key={side.id} className="wrap-anywhere">
                  {side.name}
                  {side.id === survivorId ? (
                    <span className="font-normal text-muted-foreground"> (kept)</span>
                  ) : null}
                </span>
              ))}
            </div>
            <div className="divide-y">
              {data.fields.map((field) =>
                field.differs ? (
                  <FieldChoice
                    key={field.key}
                    field={field}
                    sides={sides}
                    valueOf={(side) =>
                      side.id === data.survivor.id ? field.survivor : field.merged
                    }
                    chosen={chosenSide(field)}
                    onChoose={(id) => {
                      setMergeError(null);
                      setPicked((current) => ({ ...current, [field.key]: id }));
                    }}
                  />
                ) : field.survivor === null ? null : (
                  <div key={field.key} className={rowGrid}>
                    <span className="text-sm font-medium">{field.label}</span>
                    <span className="md:col-span-2">
                      <FieldValue field={field} value={field.survivor} />{" "}
                      <span className="text-sm text-muted-foreground">(the same on both)</span>
                    </span>
                  </div>
                ),
              )}
              <CombinedRow
                label="Emails"
                note="All kept"
                sides={sides}
                values={(side) => side.emails.map((e) => e.email)}
                empty="No email"
              />
              <CombinedRow
                label="Phones"
                note="All kept; a number both have is kept once"
                sides={sides}
                values={(side) => side.phones.map((p) => p.phone)}
                empty="No phone"
              />
              <CombinedRow
                label="Tags"
                note="All kept"
                sides={sides}
                values={(side) => side.tags.map((t) => t.name)}
                empty="No tags"
              />
              <CombinedRow
                label="Notes, tasks, timeline"
                note="All move to the kept contact"
                sides={sides}
                values={(side) => [countsText(side.counts)]}
                empty=""
              />
            </div>
          </Card>
        </section>

        <section aria-labelledby="result-heading">
          <Card className="gap-4 px-4 py-5 sm:px-6">
            <div>
              <h2 id="result-heading" className="text-lg font-semibold tracking-tight">
                After the merge
              </h2>
              <p className="mt-1 text-sm text-muted-foreground">
                {mergedSide.name} is merged into {survivor.name}, which keeps its link and history.
              </p>
            </div>
            <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[9rem_minmax(0,1fr)]">
              {data.fields.map((field) => {
                const value = chosenValue(field);
                if (value === null && field.key !== "name") return null;
                return (
                  <ResultRow key={field.key} label={field.label}>
                    <FieldValue field={field} value={value} />
                  </ResultRow>
                );
              })}
              <ResultRow label="Emails">{listText(data.combined.emails, "None")}</ResultRow>
              <ResultRow label="Phones">{listText(data.combined.phones, "None")}</ResultRow>
              <ResultRow label="Tags">
                {listText(
                  data.combined.tags.map((t) => t.name),
                  "None",
                )}
              </ResultRow>
              <ResultRow label="Moves over">
                From {mergedSide.name}: {countsText(mergedSide.counts)}.
              </ResultRow>
            </dl>
            <p className="text-sm text-muted-foreground">
              You can undo the merge afterwards, from the message that confirms it or from the merge
              history on the Duplicates page.
            </p>
            {mergeError ? (
              <div className="grid justify-items-start gap-2">
                <FormAlert message={mergeError.message} />
                {mergeError.stale ? (
                  <Button
                    type="button"
                    variant="outline"
                    onClick={() => void reload()}
                    disabled={preview.isFetching}
                  >
                    <RotateCcwIcon aria-hidden="true" />
                    {preview.isFetching ? "Reloading…" : "Reload contacts"}
                  </Button>
                ) : null}
              </div>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                onClick={() => void submit()}
                disabled={merge.isPending || switching || preview.isFetching}
                aria-busy={merge.isPending || undefined}
              >
                <GitMergeIcon aria-hidden="true" />
                {merge.isPending ? "Merging…" : "Merge contacts"}
              </Button>
              <Button asChild variant="ghost">
                <Link href="/contacts/duplicates">Cancel</Link>
              </Button>
            </div>
          </Card>
        </section>
      </div>
    </div>
  );
}

function listText(values: string[], empty: string): React.ReactNode {
  if (values.length === 0) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <ul className="grid gap-0.5">
      {values.map((value) => (
        <li key={value} className="wrap-anywhere">
          {value}
        </li>
      ))}
    </ul>
  );
}

function ResultRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:contents">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 wrap-anywhere">{children}</dd>
    </div>
  );
}

function FieldValue({ field, value }: { field: FieldOption; value: string | number | null }) {
  if (value === null || value === "") return <span className="text-muted-foreground">Empty</span>;
  if (field.type === "date" && typeof value === "string") return <>{formatDay(value)}</>;
  return <>{String(value)}</>;
}

/** One field whose values differ: a radio per contact. */
function FieldChoice({
  field,
  sides,
  valueOf,
  chosen,
  onChoose,
}: {
  field: FieldOption;
  sides: Side[];
  valueOf: (side: Side) => string | number | null;
  chosen: string;
  onChoose: (id: string) => void;
}) {
  const labelId = `field-${field.key}-label`;
  return (
    <div role="radiogroup" aria-labelledby={labelId} className={rowGrid}>
      <span id={labelId} className="text-sm font-medium md:pt-2.5">
        {field.label}
      </span>
      {sides.map((side) => {
        const checked = chosen === side.id;
        return (
          <label
            key={side.id}
            className={cn(
              "flex min-w-0 cursor-pointer items-start gap-2.5 rounded-md border px-3 py-2 transition-colors",
              "has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-ring",
              checked ? "border-primary bg-primary/5" : "hover:bg-accent",
            )}
          >
            <input
              type="radio"
              name={`field-${field.key}`}
              value={side.id}
              checked={checked}
              onChange={() => onChoose(side.id)}
              className="mt-1 size-4 shrink-0 accent-(--primary)"
            />
            <span className="grid min-w-0">
              <span className="wrap-anywhere">
                <FieldValue field={field} value={valueOf(side)} />
              </span>
              <span className="text-xs text-muted-foreground md:sr-only">
                <span className="sr-only">, </span>from {side.name}
              </span>
            </span>
          </label>
        );
      })}
    </div>
  );
}

/** A list both contacts' values of which the kept contact gets (emails, phones, tags). */
function CombinedRow({
  label,
  note,
  sides,
  values,
  empty,
}: {
  label: string;
  note: string;
  sides: Side[];
  values: (side: Side) => string[];
  empty: string;
}) {
  const labelId = `combined-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div role="group" aria-labelledby={labelId} className={rowGrid}>
      <span className="grid content-start">
        <span id={labelId} className="text-sm font-medium">
          {label}
        </span>
        <span className="text-xs text-muted-foreground">{note}</span>
      </span>
      {sides.map((side) => {
        const list = values(side);
        return (
          <div key={side.id} className="min-w-0 text-sm">
            <span className="text-xs text-muted-foreground md:sr-only">{side.name}: </span>
            {list.length === 0 ? (
              <span className="text-muted-foreground">{empty}</span>
            ) : (
              <ul aria-label={`${label} of ${side.name}`} className="grid gap-0.5">
                {list.map((value) => (
                  <li key={value} className="wrap-anywhere">
                    {value}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}
