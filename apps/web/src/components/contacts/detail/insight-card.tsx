"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { matchQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CheckIcon,
  CircleAlertIcon,
  LoaderCircleIcon,
  RefreshCwIcon,
  ShieldOffIcon,
  SparklesIcon,
  WandSparklesIcon,
} from "lucide-react";
import Link from "next/link";
import { useEffect } from "react";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { describeFailure } from "./errors";
import { describeBasis, describeChanges, ENGAGEMENT_LABELS, type Engagement } from "./insight-text";
import { EmptyState, Section, SectionError, SectionSkeleton } from "./section";
import { RelativeTime } from "./time";

type View = RouterOutputs["insights"]["byContact"];
type Insight = NonNullable<View["insight"]>;

const ENGAGEMENT_STYLES: Record<Engagement, string> = {
  engaged:
    "border-emerald-600/30 bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  steady: "border-sky-600/30 bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  cooling: "border-amber-600/40 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  at_risk: "border-red-600/40 bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200",
  new: "border-violet-600/30 bg-violet-50 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
};

export function EngagementBadge({ engagement }: { engagement: Engagement }) {
  return (
    <Badge
      variant="outline"
      className={cn("text-xs", ENGAGEMENT_STYLES[engagement])}
      data-engagement={engagement}
    >
      {ENGAGEMENT_LABELS[engagement]}
    </Badge>
  );
}

/**
 * The assistant's view of this client: a summary, the next best action and an engagement
 * signal, generated on demand and kept until something new happens. Reading it never calls a
 * model; Generate / Refresh does, only when the client's record changed since.
 */
export function InsightCard({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { contactId };
  const view = useQuery(trpc.insights.byContact.queryOptions(input));
  const generate = useMutation(
    trpc.insights.generate.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueryData(trpc.insights.byContact.queryKey(input), result.view);
      },
      // Refused (consent withdrawn, AI settings changed meanwhile): show the current state.
      onError: () => void queryClient.invalidateQueries(trpc.insights.byContact.queryFilter(input)),
    }),
  );

  // Whatever changes this client's record (a note, a task, a stage, a synced email) also
  // refreshes their timeline: the insight's freshness is checked again then.
  useEffect(() => {
    const timeline = trpc.timeline.list.pathFilter();
    return queryClient.getQueryCache().subscribe((event) => {
      if (
        event.type === "updated" &&
        event.action.type === "invalidate" &&
        matchQuery(timeline, event.query)
      ) {
        void queryClient.invalidateQueries(trpc.insights.byContact.queryFilter({ contactId }));
      }
    });
  }, [contactId, queryClient, trpc]);

  const data = view.data;
  const insight = data?.insight ?? null;
  const generating = generate.isPending;
  const canGenerate = Boolean(data?.ai.configured && data.consent);
  const upToDate = data?.upToDate === true;

  const action = canGenerate ? (
    <Button
      type="button"
      size="sm"
      variant={insight && upToDate ? "outline" : "default"}
      disabled={generating || (insight !== null && upToDate)}
      aria-busy={generating || undefined}
      title={insight && upToDate ? "Nothing new since this insight was generated." : undefined}
      onClick={() => generate.mutate(input)}
    >
      {generating ? (
        <LoaderCircleIcon aria-hidden="true" className="animate-spin" />
      ) : insight ? (
        <RefreshCwIcon aria-hidden="true" />
      ) : (
        <WandSparklesIcon aria-hidden="true" />
      )}
      {generating ? "Generating…" : insight ? "Refresh" : "Generate"}
    </Button>
  ) : null;

  return (
    <Section
      id="insight"
      title="Insight"
      icon={SparklesIcon}
      description="Summary, next best action and engagement, from this client's record."
      actions={action}
    >
      {view.isPending ? (
        <SectionSkeleton label="Loading the insight…" rows={3} />
      ) : view.isError ? (
        <SectionError error={view.error} what="the insight" onRetry={() => void view.refetch()} />
      ) : (
        <div className="grid gap-4" aria-busy={generating || undefined}>
          {!data!.consent ? (
            <Notice icon={ShieldOffIcon} title="AI consent withdrawn">
              {data!.consentMessage}
            </Notice>
          ) : !data!.ai.configured ? (
            <Notice icon={CircleAlertIcon} title="AI is not configured">
              {data!.ai.reason} Then restart OmniCRM.{" "}
              <Link
                href="/settings/assistant"
                className="text-primary underline-offset-4 hover:underline"
              >
                Assistant settings
              </Link>{" "}
              show what is active.
            </Notice>
          ) : null}
          {generate.isError ? <GenerateFailure error={generate.error} /> : null}
          {generating && !insight ? (
            <div className="grid gap-2" role="status" aria-label="Generating the insight…">
              <Skeleton className="h-5 w-24" />
              <Skeleton className="h-4 w-full" />
              <Skeleton className="h-4 w-5/6" />
              <Skeleton className="h-10 w-full" />
            </div>
          ) : insight ? (
            <InsightBody
              insight={insight}
              view={data!}
              dimmed={generating}
              canGenerate={canGenerate}
            />
          ) : canGenerate ? (
            <EmptyState>
              No insight yet. Generate one from this client’s record, emails, sessions, notes and
              tasks.
            </EmptyState>
          ) : null}
        </div>
      )}
    </Section>
  );
}

function InsightBody({
  insight,
  view,
  dimmed,
  canGenerate,
}: {
  insight: Insight;
  view: View;
  dimmed: boolean;
  canGenerate: boolean;
}) {
  const changes = view.changes ? describeChanges(view.changes) : [];
  return (
    <div className={cn("grid gap-4 transition-opacity", dimmed && "opacity-60")}>
      {view.upToDate === false && canGenerate ? (
        <p
          className="rounded-md border border-amber-500/40 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          data-testid="insight-stale"
        >
          <span className="font-medium">New activity since this insight</span>
          {changes.length > 0 ? `: ${changes.join(", ")}.` : "."} Refresh to bring it up to date.
        </p>
      ) : null}
      {insight.refreshError ? (
        <p className="text-sm text-muted-foreground" data-testid="insight-refresh-error">
          <CircleAlertIcon aria-hidden="true" className="mr-1 inline size-3.5 align-[-2px]" />
          Not refreshed in the background
          {insight.refreshErrorAt ? (
            <>
              {" "}
              (<RelativeTime date={insight.refreshErrorAt} />)
            </>
          ) : null}
          : {insight.refreshError}
        </p>
      ) : null}
      <div className="grid gap-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-muted-foreground">Engagement</span>
          <EngagementBadge engagement={insight.engagement} />
        </div>
        <p className="text-sm">{insight.engagementReason}</p>
      </div>
      <p className="leading-relaxed" data-testid="insight-summary">
        {insight.summary}
      </p>
      <div className="rounded-md border bg-muted/40 px-3 py-2.5">
        <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
          Next best action
        </p>
        <p className="mt-1 font-medium" data-testid="insight-next-action">
          {insight.nextAction}
        </p>
      </div>
      <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-muted-foreground">
        {view.upToDate ? (
          <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-300">
            <CheckIcon aria-hidden="true" className="size-3.5" /> Up to date ·
          </span>
        ) : null}
        <span>
          Generated <RelativeTime date={insight.generatedAt} /> with {insight.model}.
        </span>
        <span>{describeBasis(insight.basedOn)}</span>
      </p>
    </div>
  );
}

function Notice({
  icon: Icon,
  title,
  children,
}: {
  icon: React.ComponentType<{ className?: string; "aria-hidden"?: "true" }>;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex items-start gap-2.5 rounded-md border bg-muted/40 px-3 py-2.5 text-sm">
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      <div>
        <p className="font-medium">{title}</p>
        <p className="text-muted-foreground">{children}</p>
      </div>
    </div>
  );
}

/** Why Generate / Refresh did not work: the budget's words, consent, or the provider's problem. */
function GenerateFailure({ error }: { error: unknown }) {
  const info = describeFailure(error);
  if (info.code === "TOO_MANY_REQUESTS") {
    return (
      <Notice icon={CircleAlertIcon} title="AI budget reached">
        {info.message}{" "}
        <Link
          href="/settings/assistant"
          className="text-primary underline-offset-4 hover:underline"
        >
          See your usage
        </Link>
        .
      </Notice>
    );
  }
  return (
    <FormAlert message={`No insight was generated. ${info.message}`} requestId={info.requestId} />
  );
}
