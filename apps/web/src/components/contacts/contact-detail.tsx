"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeftIcon, MailIcon, PencilIcon, PhoneIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
import { PageHeader } from "@/components/page-header";
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
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate, formatDateTime } from "@/lib/format";
import { describeApiError, useTRPC } from "@/trpc/react";
import { ContactForm } from "./contact-form";
import { StageBadge } from "./stage-badge";

export function ContactDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const contact = useQuery(trpc.contacts.byId.queryOptions({ id }));
  const update = useMutation(trpc.contacts.update.mutationOptions());
  const remove = useMutation(trpc.contacts.delete.mutationOptions());
  const restore = useMutation(trpc.contacts.restore.mutationOptions());

  const back = (
    <Button asChild variant="ghost" size="sm" className="mb-4 -ml-2">
      <Link href="/contacts">
        <ArrowLeftIcon aria-hidden="true" /> All contacts
      </Link>
    </Button>
  );

  if (contact.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading contact">
        {back}
        <Skeleton className="mb-4 h-8 w-64" />
        <Skeleton className="h-32 w-full max-w-lg" />
      </div>
    );
  }
  if (contact.isError) {
    const info = describeApiError(contact.error);
    return (
      <div>
        {back}
        <PageHeader
          title={
            info.code === "NOT_FOUND" || info.code === "BAD_REQUEST"
              ? "Contact not found"
              : "Could not load this contact"
          }
        />
        <FormAlert
          message={
            info.code === "NOT_FOUND" || info.code === "BAD_REQUEST"
              ? "This contact does not exist or was deleted."
              : info.message
          }
          requestId={info.code === "NOT_FOUND" ? null : info.requestId}
        />
      </div>
    );
  }

  const c = contact.data;
  return (
    <div>
      {back}
      <PageHeader
        title={c.name}
        description={`Added ${formatDateTime(c.createdAt)}`}
        actions={
          editing ? null : (
            <>
              <Button variant="outline" onClick={() => setEditing(true)}>
                <PencilIcon aria-hidden="true" /> Edit
              </Button>
              <AlertDialog>
                <AlertDialogTrigger asChild>
                  <Button variant="destructive">
                    <Trash2Icon aria-hidden="true" /> Delete
                  </Button>
                </AlertDialogTrigger>
                <AlertDialogContent>
                  <AlertDialogHeader>
                    <AlertDialogTitle>Delete {c.name}?</AlertDialogTitle>
                    <AlertDialogDescription>
                      It moves to Recently deleted, where you can restore it for 30 days.
                    </AlertDialogDescription>
                  </AlertDialogHeader>
                  <AlertDialogFooter>
                    <AlertDialogCancel>Keep contact</AlertDialogCancel>
                    <AlertDialogAction
                      onClick={async () => {
                        let receipt;
                        try {
                          receipt = await remove.mutateAsync({ ids: [c.id] });
                        } catch (error) {
                          toast.error(describeApiError(error).message);
                          return;
                        }
                        queryClient.removeQueries(trpc.contacts.byId.queryFilter({ id: c.id }));
                        await queryClient.invalidateQueries(trpc.contacts.list.pathFilter());
                        toast.success(`${c.name} was deleted.`, {
                          description: `You can restore it from Recently deleted until ${formatDate(receipt.undoUntil)}.`,
                          duration: 10_000,
                          action: {
                            label: "Undo",
                            onClick: () => {
                              void restore
                                .mutateAsync({ deletionId: receipt.deletionId })
                                .then(async () => {
                                  await queryClient.invalidateQueries(trpc.contacts.pathFilter());
                                  toast.success(`${c.name} was restored.`);
                                })
                                .catch((error: unknown) =>
                                  toast.error(describeApiError(error).message),
                                );
                            },
                          },
                        });
                        router.push("/contacts");
                      }}
                    >
                      Delete contact
                    </AlertDialogAction>
                  </AlertDialogFooter>
                </AlertDialogContent>
              </AlertDialog>
            </>
          )
        }
      />
      {editing ? (
        <ContactForm
          defaultValues={c}
          submitLabel="Save changes"
          pendingLabel="Saving…"
          fieldErrorPrefix="data."
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            const saved = await update.mutateAsync({ id: c.id, data: values });
            queryClient.setQueryData(trpc.contacts.byId.queryKey({ id: c.id }), saved);
            await queryClient.invalidateQueries(trpc.contacts.list.pathFilter());
            toast.success("Changes saved.");
            setEditing(false);
          }}
        />
      ) : (
        <Card className="max-w-lg">
          <CardContent>
            <dl className="grid gap-4 sm:grid-cols-[8rem_1fr]">
              <dt className="text-sm text-muted-foreground">Stage</dt>
              <dd>
                <StageBadge stage={c.stage} />
              </dd>
              <dt className="flex items-center gap-2 text-sm text-muted-foreground">
                <MailIcon aria-hidden="true" className="size-4" /> Email
              </dt>
              <dd className="break-all">
                {c.emails.length ? (
                  <ul className="grid gap-1">
                    {c.emails.map((email) => (
                      <li key={email}>
                        <a href={`mailto:${email}`} className="hover:underline">
                          {email}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-muted-foreground">Not set</span>
                )}
              </dd>
              <dt className="flex items-center gap-2 text-sm text-muted-foreground">
                <PhoneIcon aria-hidden="true" className="size-4" /> Phone
              </dt>
              <dd>
                {c.phones.length ? (
                  <ul className="grid gap-1">
                    {c.phones.map((phone) => (
                      <li key={phone}>
                        <a
                          href={`tel:${phone.replace(/[^+0-9]/g, "")}`}
                          className="hover:underline"
                        >
                          {phone}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-muted-foreground">Not set</span>
                )}
              </dd>
              {c.source ? (
                <>
                  <dt className="text-sm text-muted-foreground">Source</dt>
                  <dd>{c.source}</dd>
                </>
              ) : null}
            </dl>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
