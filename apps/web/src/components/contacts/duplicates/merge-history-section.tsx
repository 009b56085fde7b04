"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { HistoryIcon, Undo2Icon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
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
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { EmptyState, LoadMore, Section, SectionError, SectionSkeleton } from "../detail/section";
import { RelativeTime } from "../detail/time";
import { usePages } from "../detail/use-pages";
import { useUndoMerge } from "./use-undo-merge";

type Merge = RouterOutputs["duplicates"]["merges"]["items"][number];

const PAGE_SIZE = 10;

/** What undoing a merge gives back, in the user's words. */
export function undoExplanation(mergedName: string, survivorName: string): string {
  return (
    `${mergedName} comes back as a separate contact with its own emails, phones, tags, custom ` +
    `fields, notes, tasks and timeline. ${survivorName} gets back the values it had before the ` +
    `merge; changes made to it since are kept.`
  );
}

function UndoButton({ merge }: { merge: Merge }) {
  const undo = useUndoMerge();
  const [busy, setBusy] = useState(false);
  const survivorName = merge.survivor.name;
  const mergedName = merge.merged.name;
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={busy}
          aria-label={`Undo merge of ${mergedName} into ${survivorName}`}
        >
          <Undo2Icon aria-hidden="true" /> {busy ? "Undoing…" : "Undo"}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Undo this merge?</AlertDialogTitle>
          <AlertDialogDescription>
            {undoExplanation(mergedName, survivorName)}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep merged</AlertDialogCancel>
          <AlertDialogAction
            onClick={() => {
              setBusy(true);
              void undo(merge.id).finally(() => setBusy(false));
            }}
          >
            Undo merge
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function MergeItem({ merge }: { merge: Merge }) {
  const { survivor, merged } = merge;
  return (
    <li className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 py-3">
      <div className="min-w-0 flex-1 basis-64">
        <p className="wrap-anywhere">
          <span className="font-medium">{merged.name}</span>
          <span className="text-muted-foreground"> merged into </span>
          {survivor.deleted ? (
            <span className="font-medium">{survivor.name}</span>
          ) : (
            <Link
              href={`/contacts/${survivor.id}`}
              className="font-medium underline-offset-4 hover:underline"
            >
              {survivor.name}
            </Link>
          )}
        </p>
        <p className="text-sm text-muted-foreground">
          <RelativeTime date={merge.createdAt} />
          {merge.undoneAt ? null : merge.canUndo ? null : (
            <>
              {" "}
              · Cannot be undone while {survivor.name} is deleted or merged into another contact:
              restore it (or undo that merge) first.
            </>
          )}
        </p>
      </div>
      {merge.undoneAt ? (
        <Badge variant="outline">
          Undone&nbsp;
          <RelativeTime date={merge.undoneAt} />
        </Badge>
      ) : merge.canUndo ? (
        <UndoButton merge={merge} />
      ) : null}
    </li>
  );
}

/** The user's merges, newest first, each with Undo while it can be undone. */
export function MergeHistorySection() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { limit: PAGE_SIZE };
  const pages = usePages(trpc.duplicates.merges.infiniteQueryKey(input), (cursor, signal) =>
    client.duplicates.merges.query({ ...input, cursor }, { signal }),
  );
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Section
      id="merge-history"
      title="Merge history"
      icon={HistoryIcon}
      description="Undo a merge to get both contacts back as they were."
    >
      {pages.isPending ? (
        <SectionSkeleton label="Loading the merge history…" rows={2} />
      ) : pages.isError && !pages.data ? (
        <SectionError
          error={pages.error}
          what="the merge history"
          onRetry={() => void pages.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>No merges yet.</EmptyState>
      ) : (
        <>
          <ul aria-label="Merges, newest first" className="-my-3 divide-y">
            {items.map((merge) => (
              <MergeItem key={merge.id} merge={merge} />
            ))}
          </ul>
          <LoadMore
            label="Load older merges"
            hasMore={pages.hasNextPage}
            loading={pages.isFetchingNextPage}
            error={pages.isFetchNextPageError ? pages.error : null}
            onLoad={() => void pages.fetchNextPage()}
          />
        </>
      )}
    </Section>
  );
}
