"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Undo2Icon } from "lucide-react";
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
import { describeApiError, useTRPC } from "@/trpc/react";
import { plural, type ImportStatusRecord } from "./shared";

export type UndoResult = RouterOutputs["imports"]["undo"];

/** One sentence of what an undo did. */
export function describeUndo(result: UndoResult): string {
  if (result.alreadyUndone) return "This import had already been undone.";
  const parts = [
    result.contactsDeleted > 0
      ? `${plural(result.contactsDeleted, "imported contact")} deleted`
      : null,
    result.contactsMovedToBin > 0
      ? `${plural(result.contactsMovedToBin, "contact")} changed since the import moved to Recently deleted`
      : null,
    result.contactsRestored > 0
      ? `${plural(result.contactsRestored, "updated contact")} restored`
      : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0
    ? "Import undone: it had not changed any contact."
    : `Import undone: ${parts.join(", ")}.`;
}

/** "Undo" with a confirmation that says what will happen; refreshes contacts and imports. */
export function UndoImportButton({
  record,
  label = "Undo import",
  size = "default",
  onUndone,
}: {
  record: ImportStatusRecord;
  label?: string;
  size?: "default" | "sm";
  onUndone?: (result: UndoResult) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const undo = useMutation(trpc.imports.undo.mutationOptions());
  const restore = useMutation(trpc.contacts.restore.mutationOptions());
  const { counts } = record;

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.imports.pathFilter()),
      queryClient.invalidateQueries(trpc.contacts.pathFilter()),
      queryClient.invalidateQueries(trpc.tags.pathFilter()),
    ]);

  const confirm = () =>
    void undo
      .mutateAsync({ importId: record.importId })
      .then(async (result) => {
        await refresh();
        onUndone?.(result);
        const deletionId = result.deletionId;
        toast.success(describeUndo(result), {
          duration: deletionId ? 15_000 : undefined,
          action: deletionId
            ? {
                label: "Keep the changed ones",
                onClick: () =>
                  void restore
                    .mutateAsync({ deletionId })
                    .then(async ({ count }) => {
                      await refresh();
                      toast.success(`${plural(count, "contact")} restored.`);
                    })
                    .catch((e: unknown) => toast.error(describeApiError(e).message)),
              }
            : undefined,
        });
      })
      .catch((e: unknown) => toast.error(`Nothing was undone: ${describeApiError(e).message}`));

  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button
          type="button"
          variant="outline"
          size={size}
          disabled={undo.isPending}
          aria-busy={undo.isPending || undefined}
          aria-label={label === "Undo" ? `Undo the import of ${record.fileName}` : undefined}
        >
          <Undo2Icon aria-hidden="true" /> {undo.isPending ? "Undoing…" : label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Undo the import of {record.fileName}?</AlertDialogTitle>
          <AlertDialogDescription>
            {record.status === "running" ? "The import stops first. " : null}
            {counts.new > 0
              ? `The ${plural(counts.new, "contact")} it created will be deleted`
              : "It created no contact"}
            {counts.updated > 0
              ? ` and the ${plural(counts.updated, "contact")} it updated get back what they had before.`
              : "."}{" "}
            Contacts you have changed since the import are moved to Recently deleted instead of
            being deleted.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep the import</AlertDialogCancel>
          <AlertDialogAction variant="destructive" onClick={confirm}>
            Undo import
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
