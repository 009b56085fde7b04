"use client";

import { useQuery } from "@tanstack/react-query";
import { RotateCcwIcon, ServerCogIcon, XIcon } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { describeApiError, useTRPC } from "@/trpc/react";
import { ChannelCard } from "./channel-card";
import { ConnectionCard } from "./connection-card";
import { NotConfigured } from "./not-configured";
import { POLL_MS } from "./shared";

export type SyncNotice =
  | { kind: "error"; code: string; message: string; requestId: string | null }
  | { kind: "connected" };

const knownErrors = new Set([
  "access_denied",
  "connect_failed",
  "google_error",
  "invalid_request",
  "not_configured",
  "signed_out",
]);

/** What came back from "Connect Google" (the callback's ?error / ?connected), shown once. */
function useCallbackNotice(notice: SyncNotice | null) {
  const router = useRouter();
  const pathname = usePathname();
  const [shown, setShown] = useState(() =>
    notice?.kind === "error"
      ? {
          ...notice,
          message: knownErrors.has(notice.code)
            ? notice.message
            : "Google could not be connected. Try again.",
        }
      : null,
  );
  const handled = useRef(false);
  useEffect(() => {
    if (handled.current || !notice) return;
    handled.current = true;
    if (notice.kind === "connected") toast.success("Google is connected.");
    // The query string has done its job: a reload must not show it again.
    router.replace(pathname, { scroll: false });
  }, [notice, router, pathname]);
  return [shown, () => setShown(null)] as const;
}

function BackgroundJobsBanner({ reason }: { reason: string }) {
  return (
    <section
      aria-labelledby="jobs-banner-title"
      className="flex items-start gap-3 rounded-lg border border-amber-500/50 bg-amber-500/10 px-4 py-3 text-sm"
    >
      <ServerCogIcon
        aria-hidden="true"
        className="mt-0.5 size-5 shrink-0 text-amber-700 dark:text-amber-400"
      />
      <div className="grid gap-1">
        <h2 id="jobs-banner-title" className="font-semibold">
          Syncs cannot run on this server right now
        </h2>
        <p>{reason}</p>
        <p className="text-muted-foreground">
          You can still connect Google, choose what to sync, preview and approve. Nothing is synced
          until background jobs run.
        </p>
      </div>
    </section>
  );
}

/** The Google sync page: connection, then Gmail and Calendar, each previewed before approval. */
export function SyncSettings({
  callbackUrl,
  notice,
}: {
  callbackUrl: string;
  notice: SyncNotice | null;
}) {
  const trpc = useTRPC();
  const overview = useQuery({
    ...trpc.sync.overview.queryOptions(),
    refetchInterval: (query) =>
      query.state.data?.channels.some((c) => c.lastRun?.status === "running") ? POLL_MS : false,
    refetchIntervalInBackground: false,
  });
  const [shown, dismiss] = useCallbackNotice(notice);

  const alert =
    shown?.kind === "error" ? (
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <FormAlert message={shown.message} requestId={shown.requestId} />
        </div>
        <Button type="button" variant="ghost" size="icon" onClick={dismiss}>
          <XIcon aria-hidden="true" />
          <span className="sr-only">Dismiss</span>
        </Button>
      </div>
    ) : null;

  if (overview.isPending) {
    return (
      <div aria-busy="true" className="grid gap-4">
        <span role="status" className="sr-only">
          Loading Google sync…
        </span>
        {alert}
        <Skeleton className="h-36 w-full rounded-xl" />
        <Skeleton className="h-64 w-full rounded-xl" />
      </div>
    );
  }
  if (overview.isError) {
    const info = describeApiError(overview.error);
    return (
      <div className="grid justify-items-start gap-3">
        {alert}
        <FormAlert
          message={`Could not load Google sync. ${info.message}`}
          requestId={info.requestId}
        />
        <Button type="button" variant="outline" onClick={() => void overview.refetch()}>
          <RotateCcwIcon aria-hidden="true" /> Try again
        </Button>
      </div>
    );
  }

  const data = overview.data;
  if (!data.googleConfigured) {
    return (
      <div className="grid gap-4">
        {alert}
        <NotConfigured missing={data.googleMissing} callbackUrl={callbackUrl} />
      </div>
    );
  }
  const connected = data.connection !== null && data.connection.status !== "disconnected";
  return (
    <div className="grid gap-6">
      {alert}
      {!data.backgroundJobs.available ? (
        <BackgroundJobsBanner
          reason={data.backgroundJobs.reason ?? "Background jobs are not available."}
        />
      ) : null}
      <ConnectionCard connection={connected ? data.connection : null} />
      {connected ? (
        <div className="grid gap-6">
          {data.channels.map((channel) => (
            <ChannelCard
              key={channel.kind}
              channel={channel}
              connection={data.connection!}
              backgroundJobs={data.backgroundJobs}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
