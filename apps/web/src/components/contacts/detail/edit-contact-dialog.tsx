"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { toast } from "sonner";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { useTRPC } from "@/trpc/react";
import { ContactForm } from "../contact-form";
import { useContactCache, type ContactRecord } from "./contact-cache";

export type EditTarget = "name" | "emails" | "phones";

const firstInput: Record<EditTarget, string> = {
  name: "contact-name",
  emails: "contact-emails-0",
  phones: "contact-phones-0",
};

/**
 * The whole contact in the contact form (the one new contacts are added with), opened on the
 * field the user asked to change; focus goes back to the button that opened it.
 */
export function EditContactDialog({
  contact,
  target,
  onClose,
}: {
  contact: ContactRecord;
  /** Which field to start on; null keeps the dialog closed. */
  target: EditTarget | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const cache = useContactCache(contact.id);
  const update = useMutation(trpc.contacts.update.mutationOptions());
  const opener = useRef<HTMLElement | null>(null);

  return (
    <Dialog open={target !== null} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        onOpenAutoFocus={(event) => {
          opener.current =
            document.activeElement instanceof HTMLElement ? document.activeElement : null;
          const input = target ? document.getElementById(firstInput[target]) : null;
          if (input) {
            event.preventDefault();
            input.focus();
          }
        }}
        onCloseAutoFocus={(event) => {
          if (opener.current?.isConnected) {
            event.preventDefault();
            opener.current.focus();
          }
        }}
      >
        <DialogHeader>
          <DialogTitle>Edit contact</DialogTitle>
          <DialogDescription>The first email and phone are the primary ones.</DialogDescription>
        </DialogHeader>
        <ContactForm
          defaultValues={contact}
          submitLabel="Save changes"
          pendingLabel="Saving…"
          fieldErrorPrefix="data."
          onCancel={onClose}
          onSubmit={async (values) => {
            const saved = await update.mutateAsync({ id: contact.id, data: values });
            cache.set(saved);
            void cache.refresh();
            toast.success("Changes saved.");
            onClose();
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
