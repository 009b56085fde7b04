"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArchiveRestoreIcon, HourglassIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatDate, formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { failureToast } from "../detail/errors";
import { EmptyState, SectionError, SectionSkeleton } from "../detail/section";
import { RelativeTime } from "../detail/time";

type DeletedContact = RouterOutputs["contacts"]["deleted"][number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const contacts = (n: number) => `${n} contact${n === 1 ? "" : "s"}`;

/** "30 days left", "5 hours left": how long until the contact is removed for good. */
export function timeLeft(until: Date, now: number): string {
  const ms = until.getTime() - now;
  if (ms <= 0) return "Being removed";
  if (ms >= 2 * DAY) return `${Math.round(ms / DAY)} days left`;
  if (ms >= 2 * HOUR) return `${Math.round(ms / HOUR)} hours left`;
  if (ms >= HOUR) return "1 hour left";
  return "Less than an hour left";
}

/** "Batch Two", "Ann, Bo and 3 others": the contacts deleted along with `item`. */
function togetherWith(batch: DeletedContact[], item: DeletedContact): string {
  const names = batch.filter((other) => other.id !== item.id).map((other) => other.name);
  if (names.length <= 2) return names.join(" and ");
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} other${names.length === 3 ? "" : "s"}`;
}

/** The time, refreshed every minute, for the countdowns. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * Recently deleted contacts, newest deletion first, each with how long it can still be
 * restored. Contacts deleted together (one bulk delete) are restored together: the server
 * restores a deletion as a whole, and the page says so.
 */
export function DeletedContacts() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const deleted = useQuery(trpc.contacts.deleted.queryOptions());
  const now = useNow();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [restoring, setRestoring] = useState<Set<string>>(new Set());
  const cardRef = useRef<HTMLDivElement>(null);

  const items = useMemo(() => deleted.data ?? [], [deleted.data]);
  const batches = useMemo(() => {
    const map = new Map<string, DeletedContact[]>();
    for (const item of items) map.set(item.deletionId, [...(map.get(item.deletionId) ?? []), item]);
    return map;
  }, [items]);
  // Selections of rows that are gone (restored, or removed for good) no longer count.
  const selectedRows = items.filter((item) => selected.has(item.deletionId));
  const allSelected = items.length > 0 && selectedRows.length === items.length;

  const toggle = (deletionId: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(deletionId)) next.delete(deletionId);
      else next.add(deletionId);
      return next;
    });

  /** Restores whole deletions; says in a toast what came back and what did not. */
  const restore = async (deletionIds: string[]) => {
    const rows = items.filter((item) => deletionIds.includes(item.deletionId));
    setRestoring((current) => new Set([...current, ...deletionIds]));
    let count = 0;
    const failed: unknown[] = [];
    for (const deletionId of deletionIds) {
      try {
        count += (await client.contacts.restore.mutate({ deletionId })).count;
      } catch (error) {
        failed.push(error);
      }
    }
    await queryClient.invalidateQueries(trpc.contacts.pathFilter());
    setRestoring((current) => new Set([...current].filter((id) => !deletionIds.includes(id))));
    setSelected((current) => new Set([...current].filter((id) => !deletionIds.includes(id))));
    // The restored rows and their buttons are gone: keep the keyboard on the list.
    if (!document.activeElement || document.activeElement === document.body) {
      cardRef.current?.focus();
    }
    if (count > 0) {
      const only = rows.length === 1 && count === 1 ? rows[0] : undefined;
      const message = only ? `${only.name} was restored.` : `${contacts(count)} restored.`;
      toast.success(message, {
        description: "Back in your contacts, as they were.",
        action: only
          ? {
              label: "Open",
              onClick: () => router.push(`/contacts/${only.id}`),
            }
          : undefined,
      });
    }
    if (failed.length > 0) {
      failureToast(
        count > 0 ? "Some contacts were not restored." : "Nothing was restored.",
        failed[0],
      );
    }
  };

  if (deleted.isPending) {
    return (
      <Card className="px-4 py-5 sm:px-6">
        <SectionSkeleton label="Loading recently deleted contacts…" rows={4} />
      </Card>
    );
  }
  if (deleted.isError && !deleted.data) {
    return (
      <Card className="px-4 py-5 sm:px-6">
        <SectionError
          error={deleted.error}
          what="the recently deleted contacts"
          onRetry={() => void deleted.refetch()}
        />
      </Card>
    );
  }

  return (
    <Card ref={cardRef} tabIndex={-1} className="gap-4 px-4 py-5 outline-none sm:px-6">
      {items.length === 0 ? (
        <EmptyState>
          Nothing here. Contacts you delete stay here for 30 days, so you can restore them.
        </EmptyState>
      ) : (
        <>
          <div
            role="toolbar"
            aria-label="Selected deleted contacts"
            className="flex flex-wrap items-center gap-x-4 gap-y-2"
          >
            <label className="flex min-h-9 cursor-pointer items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={allSelected}
                onChange={() =>
                  setSelected(allSelected ? new Set() : new Set(items.map((i) => i.deletionId)))
                }
              />
              Select all
            </label>
            <span className="text-sm text-muted-foreground" aria-live="polite">
              {selectedRows.length > 0 ? `${contacts(selectedRows.length)} selected` : null}
            </span>
            <Button
              type="button"
              size="sm"
              className="ml-auto"
              disabled={selectedRows.length === 0 || restoring.size > 0}
              onClick={() => void restore([...new Set(selectedRows.map((r) => r.deletionId))])}
            >
              <ArchiveRestoreIcon aria-hidden="true" />
              {selectedRows.length > 0
                ? `Restore ${contacts(selectedRows.length)}`
                : "Restore selected"}
            </Button>
          </div>
          <div
            aria-hidden="true"
            className="hidden border-b pb-2 text-xs font-medium text-muted-foreground md:grid md:grid-cols-[1.5rem_minmax(0,1fr)_9rem_11rem_8rem] md:gap-3"
          >
            <span />
            <span>Contact</span>
            <span>Deleted</span>
            <span>Time left</span>
            <span />
          </div>
          <ul aria-label="Recently deleted contacts" className="-mt-2 divide-y">
            {items.map((item) => {
              const batch = batches.get(item.deletionId) ?? [item];
              const others = batch.length - 1;
              const busy = restoring.has(item.deletionId);
              const left = item.undoUntil.getTime() - now;
              return (
                <li
                  key={item.id}
                  className="grid grid-cols-[1.5rem_minmax(0,1fr)] gap-x-3 gap-y-1 py-3 md:grid-cols-[1.5rem_minmax(0,1fr)_9rem_11rem_8rem] md:items-center"
                >
                  <input
                    type="checkbox"
                    className="mt-1 size-4 md:mt-0"
                    aria-label={`Select ${item.name}`}
                    checked={selected.has(item.deletionId)}
                    onChange={() => toggle(item.deletionId)}
                  />
                  <div className="min-w-0">
                    <p className="font-medium wrap-anywhere">{item.name}</p>
                    {item.email ? (
                      <p className="text-sm wrap-anywhere text-muted-foreground">{item.email}</p>
                    ) : null}
                    {others > 0 ? (
                      <p className="text-xs text-muted-foreground">
                        Deleted together with {togetherWith(batch, item)}; restored together.
                      </p>
                    ) : null}
                  </div>
                  <p className="col-start-2 text-sm text-muted-foreground md:col-start-auto">
                    Deleted <RelativeTime date={item.deletedAt} />
                  </p>
                  <p
                    className={cn(
                      "col-start-2 flex items-center gap-1.5 text-sm md:col-start-auto md:items-start",
                      left < 3 * DAY && "font-medium text-destructive",
                    )}
                    title={`Removed for good on ${formatDateTime(item.undoUntil)}`}
                  >
                    <HourglassIcon aria-hidden="true" className="size-3.5 shrink-0 md:mt-0.5" />
                    <span>
                      {timeLeft(item.undoUntil, now)}
                      <span className="text-muted-foreground md:block md:text-xs">
                        <span className="md:hidden"> · </span>until {formatDate(item.undoUntil)}
                      </span>
                    </span>
                  </p>
                  <div className="col-start-2 mt-1 md:col-start-auto md:mt-0 md:justify-self-end">
                    <Button
                      type="button"
                      variant="outline"
                      size="sm"
                      disabled={busy}
                      aria-label={
                        others > 0
                          ? `Restore ${item.name} and the ${contacts(others)} deleted with it`
                          : `Restore ${item.name}`
                      }
                      onClick={() => void restore([item.deletionId])}
                    >
                      <ArchiveRestoreIcon aria-hidden="true" />
                      {busy ? "Restoring…" : others > 0 ? `Restore ${batch.length}` : "Restore"}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
          <p className="text-xs text-muted-foreground">
            Contacts merged into another one are not listed here: undo the merge from{" "}
            <Link href="/contacts/duplicates" className="text-primary hover:underline">
              Duplicates
            </Link>{" "}
            instead.
          </p>
        </>
      )}
    </Card>
  );
}
