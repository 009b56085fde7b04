"use client";

import { RotateCcwIcon } from "lucide-react";
import type * as React from "react";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { describeFailure } from "./errors";

/** One card of the contact page: an `<h2>` heading, optional actions, and its content. */
export function Section({
  id,
  title,
  icon: Icon,
  description,
  actions,
  className,
  children,
}: {
  id: string;
  title: string;
  icon?: React.ComponentType<{ className?: string; "aria-hidden"?: boolean | "true" }>;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section id={id} aria-labelledby={headingId} className={cn("min-w-0", className)}>
      <Card className="gap-4 py-5">
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 px-4 sm:px-6">
          <div className="min-w-0">
            <h2
              id={headingId}
              className="flex items-center gap-2 text-lg leading-tight font-semibold tracking-tight"
            >
              {Icon ? <Icon aria-hidden="true" className="size-4 text-muted-foreground" /> : null}
              {title}
            </h2>
            {description ? (
              <p className="mt-1 text-sm text-muted-foreground">{description}</p>
            ) : null}
          </div>
          {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
        </div>
        <div className="@container min-w-0 px-4 sm:px-6">{children}</div>
      </Card>
    </section>
  );
}

/** What a section shows when its data could not be loaded: the reason, the request id, a retry. */
export function SectionError({
  error,
  what,
  onRetry,
}: {
  error: unknown;
  /** e.g. "the notes" */
  what: string;
  onRetry?: () => void;
}) {
  const info = describeFailure(error);
  return (
    <div className="grid justify-items-start gap-2">
      <FormAlert message={`Could not load ${what}. ${info.message}`} requestId={info.requestId} />
      {onRetry ? (
        <Button type="button" variant="outline" size="sm" onClick={onRetry}>
          <RotateCcwIcon aria-hidden="true" /> Try again
        </Button>
      ) : null}
    </div>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return (
    <p className="rounded-md border border-dashed px-3 py-4 text-center text-sm text-muted-foreground">
      {children}
    </p>
  );
}

/** Placeholder rows while a section loads; announced through `label`. */
export function SectionSkeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div aria-busy="true" className="grid gap-3">
      <span className="sr-only" role="status">
        {label}
      </span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={cn("h-5", i % 2 ? "w-2/3" : "w-full")} />
      ))}
    </div>
  );
}

/** "Load more" for the keyset-paginated lists, and what went wrong loading the next page. */
export function LoadMore({
  label,
  hasMore,
  loading,
  error,
  onLoad,
}: {
  label: string;
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  onLoad: () => void;
}) {
  if (!hasMore && !error) return null;
  const info = error ? describeFailure(error) : null;
  return (
    <div className="mt-4 grid justify-items-center gap-2">
      {info ? (
        <FormAlert message={`Could not load more. ${info.message}`} requestId={info.requestId} />
      ) : null}
      {hasMore ? (
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={onLoad}
          disabled={loading}
          aria-busy={loading || undefined}
        >
          {loading ? "Loading…" : label}
        </Button>
      ) : null}
    </div>
  );
}
