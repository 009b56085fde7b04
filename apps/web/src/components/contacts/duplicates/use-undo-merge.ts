"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { toast } from "sonner";
import { useTRPCClient } from "@/trpc/react";
import { failureToast } from "../detail/errors";

/**
 * Undoes a merge, refreshes everything on screen (a merge touches the contacts, their notes,
 * tasks, tags, custom fields and timelines, and the duplicate suggestions) and says so in a
 * toast. Resolves to whether the merge was undone. Safe to call from a toast's action after
 * the page that made the merge is gone.
 */
export function useUndoMerge() {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return useCallback(
    async (mergeId: string): Promise<boolean> => {
      try {
        await client.duplicates.undo.mutate({ mergeId });
      } catch (error) {
        failureToast("The merge was not undone.", error);
        return false;
      }
      await queryClient.invalidateQueries();
      toast.success("Merge undone.", {
        description: "Both contacts are back as they were, each with its own notes and tasks.",
      });
      return true;
    },
    [client, queryClient],
  );
}
