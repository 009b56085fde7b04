"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/react";
import { ContactForm } from "./contact-form";

export function NewContact() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.contacts.create.mutationOptions());
  return (
    <ContactForm
      submitLabel="Save contact"
      pendingLabel="Saving…"
      onCancel={() => router.push("/contacts")}
      onSubmit={async (values) => {
        const contact = await create.mutateAsync(values);
        await queryClient.invalidateQueries(trpc.contacts.pathFilter());
        toast.success(`${contact.name} was added.`);
        router.push(`/contacts/${contact.id}`);
      }}
    />
  );
}
