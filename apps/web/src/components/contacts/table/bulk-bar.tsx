"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DownloadIcon, SparklesIcon, TagIcon, Trash2Icon, XIcon } from "lucide-react";
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
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { saveResponseAsFile } from "@/lib/download";
import { formatDate } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";

const plural = (n: number) => `${n} contact${n === 1 ? "" : "s"}`;

/** Actions on the selected contacts, which may come from several pages. */
export function BulkBar({
  selected,
  onClear,
  onStageOptimistic,
}: {
  selected: string[];
  onClear: () => void;
  /** Shows a stage change at once; returns how to roll it back. */
  onStageOptimistic: (ids: string[], stage: string) => () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const stages = useQuery(trpc.stages.list.queryOptions());
  const tagContacts = useMutation(trpc.tags.tagContacts.mutationOptions());
  const setStage = useMutation(trpc.contacts.setStage.mutationOptions());
  const remove = useMutation(trpc.contacts.delete.mutationOptions());
  const restore = useMutation(trpc.contacts.restore.mutationOptions());
  const setConsent = useMutation(trpc.assistant.setConsent.mutationOptions());
  const refresh = () => queryClient.invalidateQueries(trpc.contacts.pathFilter());

  if (selected.length === 0) return null;
  return (
    <div
      role="toolbar"
      aria-label="Selected contacts"
      className="flex flex-wrap items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm"
    >
      <span className="font-medium" aria-live="polite">
        {plural(selected.length)} selected
      </span>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <TagIcon aria-hidden="true" /> Tag
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuLabel>Add a tag</DropdownMenuLabel>
          {(tags.data ?? []).length === 0 ? (
            <p className="px-2 py-1.5 text-muted-foreground">
              Create tags on a contact&apos;s page first.
            </p>
          ) : null}
          {(tags.data ?? []).map((tag) => (
            <DropdownMenuItem
              key={tag.id}
              onSelect={() =>
                void tagContacts
                  .mutateAsync({ contactIds: selected, tagIds: [tag.id] })
                  .then(async () => {
                    await refresh();
                    await queryClient.invalidateQueries(trpc.tags.pathFilter());
                    toast.success(`Tagged ${plural(selected.length)} “${tag.name}”.`);
                  })
                  .catch((e: unknown) => toast.error(describeApiError(e).message))
              }
            >
              {tag.name}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            Stage
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuLabel>Move to stage</DropdownMenuLabel>
          {(stages.data ?? []).map((stage) => (
            <DropdownMenuItem
              key={stage.key}
              onSelect={() => {
                const rollback = onStageOptimistic(selected, stage.key);
                void setStage
                  .mutateAsync({ ids: selected, stage: stage.key })
                  .then(async ({ count }) => {
                    toast.success(`${plural(count)} moved to ${stage.label}.`);
                    await refresh();
                  })
                  .catch((e: unknown) => {
                    rollback();
                    toast.error(`Nothing was changed: ${describeApiError(e).message}`);
                  });
              }}
            >
              {stage.label}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <SparklesIcon aria-hidden="true" /> AI consent
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuLabel>May the assistant use their records?</DropdownMenuLabel>
          {(
            [
              [true, "Allow", "may now be used by the assistant"],
              [false, "Withhold", "are no longer seen by the assistant"],
            ] as const
          ).map(([consent, label, outcome]) => (
            <DropdownMenuItem
              key={label}
              onSelect={() =>
                void setConsent
                  .mutateAsync({ contactIds: selected, consent })
                  .then(async ({ changed }) => {
                    await refresh();
                    toast.success(
                      changed === 0
                        ? "Nothing to change: they already were."
                        : `${plural(changed)} ${outcome}.`,
                    );
                  })
                  .catch((e: unknown) => toast.error(describeApiError(e).message))
              }
            >
              {label}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      <Button
        variant="outline"
        size="sm"
        onClick={() =>
          void fetch("/api/contacts/export", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ scope: "selection", ids: selected }),
          })
            .then(async (res) => {
              if (!res.ok) throw new Error("The export failed; try again.");
              await saveResponseAsFile(res, "omnicrm-contacts.csv");
            })
            .catch((e: unknown) =>
              toast.error(e instanceof Error ? e.message : "The export failed."),
            )
        }
      >
        <DownloadIcon aria-hidden="true" /> Export
      </Button>
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="destructive" size="sm">
            <Trash2Icon aria-hidden="true" /> Delete
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete {plural(selected.length)}?</AlertDialogTitle>
            <AlertDialogDescription>
              They move to Recently deleted, where you can restore them for 30 days.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep them</AlertDialogCancel>
            <AlertDialogAction
              onClick={() =>
                void remove
                  .mutateAsync({ ids: selected })
                  .then(async (receipt) => {
                    onClear();
                    await refresh();
                    toast.success(`${plural(receipt.count)} deleted.`, {
                      description: `You can restore them until ${formatDate(receipt.undoUntil)}.`,
                      duration: 10_000,
                      action: {
                        label: "Undo",
                        onClick: () =>
                          void restore
                            .mutateAsync({ deletionId: receipt.deletionId })
                            .then(async ({ count }) => {
                              await refresh();
                              toast.success(`${plural(count)} restored.`);
                            })
                            .catch((e: unknown) => toast.error(describeApiError(e).message)),
                      },
                    });
                  })
                  .catch((e: unknown) => toast.error(describeApiError(e).message))
              }
            >
              Delete {plural(selected.length)}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <Button variant="ghost" size="sm" onClick={onClear}>
        <XIcon aria-hidden="true" /> Clear selection
      </Button>
    </div>
  );
}
