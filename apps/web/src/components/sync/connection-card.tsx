"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  CalendarIcon,
  CircleCheckIcon,
  LinkIcon,
  MailIcon,
  ShieldCheckIcon,
  TriangleAlertIcon,
  UnlinkIcon,
} from "lucide-react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";
import { CONNECT_HREF, type SyncOverview } from "./shared";

type Connection = NonNullable<SyncOverview["connection"]>;

/** Not connected yet: what will be read, what never happens, and the button. */
function ConnectGoogle() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connect your Google account</CardTitle>
        <CardDescription>
          OmniCRM asks Google for read-only access. On Google’s screen, tick both boxes (Gmail and
          Calendar).
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <div className="grid gap-4 sm:grid-cols-2">
          <section aria-labelledby="reads-title" className="grid content-start gap-2">
            <h3 id="reads-title" className="text-sm font-semibold">
              What OmniCRM will read
            </h3>
            <ul className="grid gap-2 text-sm">
              <li className="flex gap-2">
                <MailIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
                <span>
                  <strong className="font-medium">Gmail, read-only:</strong> only the labels or
                  search you choose; subject, snippet, people and date. The full text only if you
                  ask for it.
                </span>
              </li>
              <li className="flex gap-2">
                <CalendarIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
                <span>
                  <strong className="font-medium">Calendar, read-only:</strong> events in the
                  calendars you choose, logged as sessions with your clients.
                </span>
              </li>
            </ul>
          </section>
          <section aria-labelledby="never-title" className="grid content-start gap-2">
            <h3 id="never-title" className="text-sm font-semibold">
              What it will never do
            </h3>
            <ul className="grid gap-2 text-sm">
              {[
                "Send, delete or change anything in your Gmail or Calendar.",
                "Sync anything before you have chosen what, seen a preview and approved it.",
                "Log people on your never-log list (your lawyer, your family…).",
              ].map((line) => (
                <li key={line} className="flex gap-2">
                  <ShieldCheckIcon
                    aria-hidden="true"
                    className="mt-0.5 size-4 shrink-0 text-primary"
                  />
                  <span>{line}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button asChild size="lg">
            <a href={CONNECT_HREF}>
              <LinkIcon aria-hidden="true" /> Connect Google
            </a>
          </Button>
          <p className="text-sm text-muted-foreground">You can pause or disconnect at any time.</p>
        </div>
      </CardContent>
    </Card>
  );
}

function DisconnectButton({ email }: { email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const disconnect = useMutation(trpc.sync.disconnect.mutationOptions());
  const confirm = () =>
    void disconnect
      .mutateAsync()
      .then(async (result) => {
        await queryClient.invalidateQueries(trpc.sync.pathFilter());
        if (result.revoked) {
          toast.success(
            "Google is disconnected. Google confirmed that OmniCRM’s access is revoked.",
          );
        } else {
          toast.warning(
            "Google is disconnected here, but Google did not confirm the revocation. To be sure, remove OmniCRM from your Google account’s third-party access page.",
            { duration: 15_000 },
          );
        }
      })
      .catch((e: unknown) =>
        toast.error(`Google is still connected: ${describeApiError(e).message}`),
      );
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button type="button" variant="outline" disabled={disconnect.isPending}>
          <UnlinkIcon aria-hidden="true" /> {disconnect.isPending ? "Disconnecting…" : "Disconnect"}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Disconnect {email}?</AlertDialogTitle>
          <AlertDialogDescription>
            Syncing stops, OmniCRM asks Google to revoke its access, and the saved access is
            deleted. What was already synced stays in your clients’ timelines. You can connect again
            later; you will choose and approve again.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Stay connected</AlertDialogCancel>
          <AlertDialogAction variant="destructive" onClick={confirm}>
            Disconnect Google
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** The Google account: connect, connected (with Disconnect), or reconnect needed. */
export function ConnectionCard({ connection }: { connection: Connection | null }) {
  if (!connection) return <ConnectGoogle />;
  if (connection.status === "reconnect_needed") {
    return (
      <section
        aria-labelledby="reconnect-title"
        className="grid gap-3 rounded-xl border-2 border-destructive/60 bg-destructive/5 p-4 sm:p-6"
      >
        <div className="flex items-start gap-3">
          <TriangleAlertIcon
            aria-hidden="true"
            className="mt-0.5 size-6 shrink-0 text-destructive"
          />
          <div className="grid gap-1">
            <h2 id="reconnect-title" className="text-lg font-semibold">
              Reconnect needed
            </h2>
            <p className="text-sm">
              Nothing syncs from{" "}
              <strong className="font-medium wrap-anywhere">{connection.googleEmail}</strong> until
              you connect it again.
            </p>
            <p className="text-sm text-muted-foreground">
              {connection.statusReason ??
                "Google no longer accepts OmniCRM’s access (the permission was withdrawn or expired)."}
            </p>
          </div>
        </div>
        <div className="flex flex-wrap gap-2 sm:pl-9">
          <Button asChild>
            <a href={CONNECT_HREF}>
              <LinkIcon aria-hidden="true" /> Reconnect Google
            </a>
          </Button>
          <DisconnectButton email={connection.googleEmail} />
        </div>
      </section>
    );
  }
  return (
    <Card className="gap-4 py-5">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <CardTitle className="flex items-center gap-2 text-base">
            <CircleCheckIcon aria-hidden="true" className="size-5 text-primary" />
            Google is connected
          </CardTitle>
          <CardDescription className="wrap-anywhere">
            <span className="font-medium text-foreground" data-testid="google-email">
              {connection.googleEmail}
            </span>{" "}
            · since {formatDateTime(connection.connectedAt)}
          </CardDescription>
          <div className="flex flex-wrap gap-1.5 pt-1">
            <Badge variant="secondary">Gmail: read-only</Badge>
            <Badge variant="secondary">Calendar: read-only</Badge>
          </div>
        </div>
        <DisconnectButton email={connection.googleEmail} />
      </CardHeader>
    </Card>
  );
}
