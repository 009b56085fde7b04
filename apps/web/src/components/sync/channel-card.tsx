"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CalendarDaysIcon,
  CircleCheckIcon,
  EyeIcon,
  LoaderCircleIcon,
  MailIcon,
  PauseIcon,
  RefreshCwIcon,
  TriangleAlertIcon,
} from "lucide-react";
import type * as React from "react";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import { CalendarPreferencesForm, GmailPreferencesForm } from "./preferences-form";
import { PreviewResult } from "./preview-result";
import {
  Reconciliation,
  RunCounts,
  RunHistory,
  RunProgress,
  RunStatusBadge,
  runTitle,
} from "./run-details";
import {
  channelNames,
  POLL_MS,
  stageWords,
  type CalendarPreferences,
  type ChannelPreview,
  type GmailPreferences,
  type SyncChannel,
  type SyncOverview,
} from "./shared";

type Jobs = SyncOverview["backgroundJobs"];
type Connection = NonNullable<SyncOverview["connection"]>;

/** How long the page watches for a requested sync to start before giving up. */
const AWAIT_RUN_MS = 60_000;

function Step({
  number,
  title,
  children,
  id,
}: {
  number: number;
  title: string;
  children: React.ReactNode;
  id: string;
}) {
  return (
    <section aria-labelledby={id} className="grid gap-3">
      <h3 id={id} className="flex items-center gap-2 text-base font-semibold">
        <span
          aria-hidden="true"
          className="flex size-6 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary"
        >
          {number}
        </span>
        {title}
      </h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/** The channel's sync: stage, resume point, last and next run, progress, Sync now, Pause. */
function SyncState({
  channel,
  jobs,
  onRequested,
}: {
  channel: SyncChannel;
  jobs: Jobs;
  onRequested: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const syncNow = useMutation(trpc.sync.syncNow.mutationOptions());
  const pause = useMutation(trpc.sync.pause.mutationOptions());
  const kind = channel.kind;
  const run = channel.lastRun;
  const running = run?.status === "running";
  const approved = channel.approvedAt !== null;
  const stage = stageWords[channel.stage];
  const off = channel.blockedReason ?? (!jobs.available ? jobs.reason : null);
  const unavailable = off
    ? `Sync now is off. ${off}`
    : running
      ? "A sync is running now; its progress shows above."
      : null;
  const runs = useQuery(trpc.sync.runs.queryOptions({ kind, limit: 10 }));
  // The newest check against Google (full syncs make one), from the last run or an earlier one.
  const reconciled = run?.reconciliation ? run : runs.data?.find((r) => r.reconciliation);

  const refresh = () => queryClient.invalidateQueries(trpc.sync.pathFilter());
  const requestSync = () =>
    void syncNow
      .mutateAsync({ kind })
      .then(async () => {
        toast.success(`${channelNames[kind]} sync requested. Its progress shows here.`);
        onRequested();
        await refresh();
      })
      .catch((e: unknown) => toast.error(`Not synced: ${describeApiError(e).message}`));
  const pauseChannel = () =>
    void pause
      .mutateAsync({ kind })
      .then(async () => {
        toast.success(`${channelNames[kind]} is paused. Nothing syncs until you approve again.`);
        await refresh();
      })
      .catch((e: unknown) => toast.error(describeApiError(e).message));

  const reasonId = `${kind}-sync-now-reason`;
  return (
    <section aria-labelledby={`${kind}-sync-title`} className="grid gap-4">
      <h3 id={`${kind}-sync-title`} className="text-base font-semibold">
        Sync
      </h3>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Stage">
          <span className="font-medium">{stage.label}</span>
          <span className="block text-xs text-muted-foreground">{stage.detail}</span>
        </Fact>
        <Fact label="Resume point">
          {channel.cursor ? "Saved" : "None yet"}
          <span className="block text-xs text-muted-foreground">
            {channel.cursor
              ? "The next sync reads only what changed."
              : "The next sync reads everything you chose."}
          </span>
        </Fact>
        <Fact label="Last successful sync">
          {channel.lastSuccessAt ? formatDateTime(channel.lastSuccessAt) : "Never"}
        </Fact>
        <Fact label="Next sync">
          {channel.nextRunAt
            ? formatDateTime(channel.nextRunAt)
            : !approved
              ? "Not scheduled"
              : jobs.available
                ? "Within a few minutes"
                : "When background jobs can run"}
        </Fact>
      </dl>

      {channel.lastError ? (
        <div
          className="flex items-start gap-2 rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm"
          data-testid={`${kind}-last-error`}
        >
          <TriangleAlertIcon
            aria-hidden="true"
            className="mt-0.5 size-4 shrink-0 text-destructive"
          />
          <p>
            <span className="font-medium">Last error</span>
            {channel.lastErrorAt ? ` (${formatDateTime(channel.lastErrorAt)})` : ""}:{" "}
            {channel.lastError}
          </p>
        </div>
      ) : null}

      {run ? (
        <div className="grid gap-2 rounded-md border p-3">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium">Last run</span>
            <RunStatusBadge run={run} />
            <span className="text-muted-foreground">
              {runTitle(run)} · {formatDateTime(run.startedAt)}
            </span>
          </div>
          {running ? <RunProgress run={run} /> : null}
          <RunCounts run={run} kind={kind} />
          {run.error && run.error !== channel.lastError ? (
            <p className="text-sm text-destructive">{run.error}</p>
          ) : null}
        </div>
      ) : null}
      {reconciled ? <Reconciliation run={reconciled} kind={kind} /> : null}

      <div className="grid gap-2">
        <div className="flex flex-wrap gap-2">
          <Button
            type="button"
            onClick={requestSync}
            disabled={unavailable !== null || syncNow.isPending}
            aria-describedby={unavailable ? reasonId : undefined}
          >
            {running || syncNow.isPending ? (
              <LoaderCircleIcon aria-hidden="true" className="animate-spin" />
            ) : (
              <RefreshCwIcon aria-hidden="true" />
            )}
            {syncNow.isPending ? "Requesting…" : running ? "Syncing…" : "Sync now"}
          </Button>
          {approved ? (
            <Button
              type="button"
              variant="outline"
              onClick={pauseChannel}
              disabled={pause.isPending}
            >
              <PauseIcon aria-hidden="true" /> {pause.isPending ? "Pausing…" : "Pause"}
            </Button>
          ) : null}
        </div>
        {unavailable ? (
          <p id={reasonId} className="text-sm text-muted-foreground" data-testid={reasonId}>
            {unavailable}
          </p>
        ) : null}
      </div>

      <details className="group rounded-md border">
        <summary className="cursor-pointer rounded-md px-3 py-2 text-sm font-medium select-none hover:bg-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring">
          Run history
        </summary>
        <div className="px-3 pb-3">
          <RunHistory kind={kind} />
        </div>
      </details>
    </section>
  );
}

/** One channel (Gmail or Calendar): choose, preview, approve, then its sync. */
export function ChannelCard({
  channel,
  connection,
  backgroundJobs,
}: {
  channel: SyncChannel;
  connection: Connection;
  backgroundJobs: Jobs;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const kind = channel.kind;
  const connected = connection.status === "connected";
  const approved = channel.approvedAt !== null;
  const [dirty, setDirty] = useState(false);
  const [preview, setPreview] = useState<ChannelPreview | null>(null);
  const previewMutation = useMutation(trpc.sync.preview.mutationOptions());
  const approve = useMutation(trpc.sync.approve.mutationOptions());

  // After "Sync now" or an approval, watch for the run to start (the scheduler may take a moment).
  const [awaitingSince, setAwaitingSince] = useState<number | null>(null);
  useQuery({
    ...trpc.sync.overview.queryOptions(),
    refetchInterval: awaitingSince !== null ? POLL_MS : false,
  });
  const lastRun = channel.lastRun;
  useEffect(() => {
    if (awaitingSince === null) return;
    if (lastRun && lastRun.startedAt.getTime() >= awaitingSince - 5000) setAwaitingSince(null);
    const timer = setTimeout(() => setAwaitingSince(null), AWAIT_RUN_MS);
    return () => clearTimeout(timer);
  }, [awaitingSince, lastRun]);

  // A run that ends changed the history and maybe the contacts.
  const lastStatus = useRef(lastRun?.status);
  useEffect(() => {
    if (lastStatus.current === "running" && lastRun?.status !== "running") {
      void queryClient.invalidateQueries(trpc.sync.runs.pathFilter());
      void queryClient.invalidateQueries(trpc.contacts.pathFilter());
    }
    lastStatus.current = lastRun?.status;
  }, [lastRun?.status, queryClient, trpc]);

  const onSaved = useCallback(() => setPreview(null), []);
  const runPreview = () =>
    void previewMutation
      .mutateAsync({ kind })
      .then(setPreview)
      .catch(() => setPreview(null));
  const approveChannel = () =>
    void approve
      .mutateAsync({ kind })
      .then(async ({ firstSync }) => {
        await queryClient.invalidateQueries(trpc.sync.pathFilter());
        if (firstSync.requested) {
          toast.success(`${channelNames[kind]} is approved. The first sync has started.`);
          setAwaitingSince(Date.now());
        } else {
          toast.warning(
            `${channelNames[kind]} is approved, but nothing syncs yet: ${firstSync.reason ?? "background jobs cannot run."}`,
            { duration: 12_000 },
          );
        }
      })
      .catch((e: unknown) => toast.error(`Not approved: ${describeApiError(e).message}`));

  const previewBlocked = !connected
    ? "Reconnect Google to preview."
    : dirty
      ? "Save your changes first; the preview uses what is saved."
      : kind === "gmail" && !channel.scopeChosen
        ? "Choose labels or a search, and save, first."
        : null;
  const previewError = previewMutation.isError ? describeApiError(previewMutation.error) : null;
  const Icon = kind === "gmail" ? MailIcon : CalendarDaysIcon;
  const stage = stageWords[channel.stage];
  const showSync = approved || lastRun !== null || channel.stage === "paused";
  const titleId = `${kind}-title`;

  const setup = (
    <div className="grid gap-6">
      <Step number={1} title="Choose what to sync" id={`${kind}-step-choose`}>
        {kind === "gmail" ? (
          <GmailPreferencesForm
            key={JSON.stringify(channel.preferences)}
            saved={channel.preferences as GmailPreferences}
            connected={connected}
            onDirtyChange={setDirty}
            onSaved={onSaved}
          />
        ) : (
          <CalendarPreferencesForm
            key={JSON.stringify(channel.preferences)}
            saved={channel.preferences as CalendarPreferences}
            connected={connected}
            onDirtyChange={setDirty}
            onSaved={onSaved}
          />
        )}
      </Step>

      <Step number={2} title="Preview" id={`${kind}-step-preview`}>
        <p className="text-sm text-muted-foreground">
          OmniCRM reads a sample from Google with your saved choices and shows what it would log.
          Nothing is saved.
        </p>
        <div className="grid justify-items-start gap-2">
          <Button
            type="button"
            variant="secondary"
            onClick={runPreview}
            disabled={previewBlocked !== null || previewMutation.isPending}
            aria-describedby={previewBlocked ? `${kind}-preview-blocked` : undefined}
          >
            {previewMutation.isPending ? (
              <LoaderCircleIcon aria-hidden="true" className="animate-spin" />
            ) : (
              <EyeIcon aria-hidden="true" />
            )}
            {previewMutation.isPending
              ? "Reading a sample from Google…"
              : preview
                ? "Preview again"
                : "Preview"}
          </Button>
          {previewBlocked ? (
            <p id={`${kind}-preview-blocked`} className="text-sm text-muted-foreground">
              {previewBlocked}
            </p>
          ) : null}
        </div>
        {previewError ? (
          <FormAlert
            message={`The preview did not work. ${previewError.message}`}
            requestId={previewError.requestId}
          />
        ) : null}
        {preview && !dirty ? <PreviewResult preview={preview} /> : null}
      </Step>

      {!approved ? (
        <Step number={3} title="Approve" id={`${kind}-step-approve`}>
          {preview && !dirty ? (
            <div className="grid justify-items-start gap-2">
              <p className="text-sm text-muted-foreground">
                From then on OmniCRM reads what you chose in the background and logs it on your
                clients’ timelines. You can pause at any time.
              </p>
              <Button type="button" onClick={approveChannel} disabled={approve.isPending}>
                <CircleCheckIcon aria-hidden="true" />
                {approve.isPending ? "Approving…" : "Approve and start syncing"}
              </Button>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">
              {channel.stage === "paused"
                ? "Paused. Preview your choices, then approve to resume syncing."
                : "Run a preview first; approving is possible once you have seen what would be logged."}
            </p>
          )}
        </Step>
      ) : preview && !dirty ? (
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          <CircleCheckIcon aria-hidden="true" className="size-4 text-primary" />
          Syncing is approved; saved changes apply from the next sync.
        </p>
      ) : null}
    </div>
  );

  return (
    <Card role="region" aria-labelledby={titleId} data-testid={`${kind}-channel`} className="gap-5">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <Icon aria-hidden="true" className="size-5 text-primary" />
          <CardTitle id={titleId}>{channelNames[kind]}</CardTitle>
          <Badge
            variant={
              channel.stage === "failed" || channel.stage === "reconnect_needed"
                ? "destructive"
                : approved
                  ? "default"
                  : "outline"
            }
          >
            {approved && channel.stage === "not_started" ? "Approved" : stage.label}
          </Badge>
        </div>
        <CardDescription>
          {approved
            ? kind === "gmail"
              ? "Emails with your clients are logged on their timelines."
              : "Sessions with your clients are logged on their timelines and shown as upcoming."
            : "Not syncing. Choose what to sync, preview it, then approve."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {showSync ? (
          <SyncState
            channel={channel}
            jobs={backgroundJobs}
            onRequested={() => setAwaitingSince(Date.now())}
          />
        ) : null}
        {showSync ? (
          <details className="group rounded-lg border" open={!approved}>
            <summary
              className={cn(
                "cursor-pointer rounded-lg px-4 py-3 text-sm font-semibold select-none hover:bg-accent",
                "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
              )}
            >
              {approved ? "Change what is synced" : "Choose, preview and approve"}
            </summary>
            <div className="px-4 pt-2 pb-4">{setup}</div>
          </details>
        ) : (
          setup
        )}
      </CardContent>
    </Card>
  );
}
