import type { Metadata } from "next";
import { headers } from "next/headers";
import { appOrigin } from "@omnicrm/api";
import { PageHeader } from "@/components/page-header";
import { SyncSettings } from "@/components/sync/sync-settings";

export const metadata: Metadata = { title: "Google sync" };
export const dynamic = "force-dynamic";

export default async function SyncSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const first = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value) ?? null;
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
  let origin = "http://localhost:3000";
  try {
    origin = appOrigin(new Request(`${proto}://${host}/`));
  } catch {
    // A malformed Host header: the instructions show a placeholder origin.
  }
  const error = first(params.error);

  return (
    <>
      <PageHeader
        title="Google sync"
        description="Log your client emails and sessions from Gmail and Google Calendar, read-only. You choose what is read, see a preview, and approve before anything syncs."
      />
      <SyncSettings
        callbackUrl={`${origin}/api/google/callback`}
        notice={
          error
            ? {
                kind: "error",
                code: error.slice(0, 40),
                message: (
                  first(params.message) ?? "Google could not be connected. Try again."
                ).slice(0, 400),
                requestId: first(params.requestId)?.slice(0, 64) ?? null,
              }
            : first(params.connected) === "1"
              ? { kind: "connected" }
              : null
        }
      />
    </>
  );
}
