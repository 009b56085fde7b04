"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/trpc/react";

export type ContactRecord = RouterOutputs["contacts"]["byId"];
export type ContactTag = ContactRecord["tags"][number];

/**
 * Reads and writes the contact in the query cache, for optimistic updates, and refreshes what
 * depends on it once the server has answered.
 */
export function useContactCache(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const key = trpc.contacts.byId.queryKey({ id });
    return {
      get: () => queryClient.getQueryData(key),
      set: (contact: ContactRecord | undefined) => queryClient.setQueryData(key, contact),
      update: (change: (contact: ContactRecord) => ContactRecord) =>
        queryClient.setQueryData(key, (contact) => (contact ? change(contact) : contact)),
      /** Stops refetches in flight from overwriting an optimistic change. */
      cancel: () => queryClient.cancelQueries({ queryKey: key }),
      /** The contact itself, the contacts table and the timeline. */
      refresh: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: key }),
          queryClient.invalidateQueries(trpc.contacts.list.pathFilter()),
          queryClient.invalidateQueries(trpc.timeline.list.pathFilter()),
        ]),
    };
  }, [id, queryClient, trpc]);
}
