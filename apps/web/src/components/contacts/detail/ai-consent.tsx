"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Switch } from "@/components/ui/switch";
import { useTRPC } from "@/trpc/react";
import { useContactCache, type ContactRecord } from "./contact-cache";
import { failureToast } from "./errors";

/**
 * Whether the assistant may use this client's record. Switching it off withdraws consent at
 * once: nothing about them is sent to a model again, and what a model derived from them is
 * deleted.
 */
export function AiConsentSwitch({ contact, labelId }: { contact: ContactRecord; labelId: string }) {
  const trpc = useTRPC();
  const cache = useContactCache(contact.id);
  const [status, setStatus] = useState("");
  const update = useMutation(
    trpc.assistant.setConsent.mutationOptions({
      onMutate: async ({ consent }) => {
        await cache.cancel();
        const before = cache.get();
        cache.update((c) => ({ ...c, aiConsent: consent }));
        return { before };
      },
      onSuccess: (_result, { consent }) => {
        const message = consent
          ? "The assistant may use this record."
          : "Consent withdrawn: the assistant no longer sees this record.";
        setStatus(message);
        toast.success(message);
      },
      onError: (error, _input, context) => {
        cache.set(context?.before);
        failureToast("Could not change the AI consent", error);
      },
      onSettled: () => void cache.refresh(),
    }),
  );
  return (
    <div className="flex w-full min-w-0 items-center justify-between gap-3">
      <span className="text-sm">
        {contact.aiConsent ? "Allowed" : <span className="text-muted-foreground">Withheld</span>}
      </span>
      <Switch
        aria-labelledby={labelId}
        checked={contact.aiConsent}
        disabled={update.isPending}
        onCheckedChange={(consent) => update.mutate({ contactIds: [contact.id], consent })}
      />
      <span className="sr-only" role="status">
        {status}
      </span>
    </div>
  );
}
