"use client";

import { contactPatchSchema } from "@omnicrm/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeftIcon, PencilIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
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
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { useContactCache, type ContactRecord } from "./detail/contact-cache";
import { CustomFieldsPanel } from "./detail/custom-fields-panel";
import { describeFailure, failureToast } from "./detail/errors";
import { EditContactDialog, type EditTarget } from "./detail/edit-contact-dialog";
import { InlineEdit } from "./detail/inline-edit";
import { InsightCard } from "./detail/insight-card";
import { NotesSection } from "./detail/notes-section";
import { ProfileCard } from "./detail/profile-card";
import { TasksSection } from "./detail/tasks-section";
import { TimelineSection } from "./detail/timeline-section";

const nameSchema = contactPatchSchema.shape.name.unwrap();

function BackLink() {
  return (
    <Button asChild variant="ghost" size="sm" className="mb-4 -ml-2">
      <Link href="/contacts">
        <ArrowLeftIcon aria-hidden="true" /> All contacts
      </Link>
    </Button>
  );
}

function PageSkeleton() {
  return (
    <div aria-busy="true">
      <BackLink />
      <span role="status" className="sr-only">
        Loading contact…
      </span>
      <Skeleton className="mb-6 h-8 w-64 max-w-full" />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <div className="grid content-start gap-6">
          <Skeleton className="h-80 w-full rounded-xl" />
          <Skeleton className="h-32 w-full rounded-xl" />
        </div>
        <div className="grid content-start gap-6">
          <Skeleton className="h-56 w-full rounded-xl" />
          <Skeleton className="h-64 w-full rounded-xl" />
        </div>
      </div>
    </div>
  );
}

/** The client record a practitioner works in: profile, custom fields, tasks, notes, timeline. */
export function ContactDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const contact = useQuery(trpc.contacts.byId.queryOptions({ id }));
  const name = contact.data?.name;

  useEffect(() => {
    if (name) document.title = `${name} · OmniCRM`;
  }, [name]);

  if (contact.isPending) return <PageSkeleton />;
  if (contact.isError) {
    const info = describeFailure(contact.error);
    const missing = info.code === "NOT_FOUND" || info.code === "BAD_REQUEST";
    return (
      <div>
        <BackLink />
        <PageHeader title={missing ? "Contact not found" : "Could not load this contact"} />
        <div className="grid justify-items-start gap-3">
          <FormAlert
            message={missing ? "This contact does not exist or was deleted." : info.message}
            requestId={missing ? null : info.requestId}
          />
          {missing ? null : (
            <Button type="button" variant="outline" onClick={() => void contact.refetch()}>
              Try again
            </Button>
          )}
        </div>
      </div>
    );
  }
  return <ContactPage contact={contact.data} />;
}

function ContactPage({ contact: c }: { contact: ContactRecord }) {
  const trpc = useTRPC();
  const cache = useContactCache(c.id);
  const update = useMutation(trpc.contacts.update.mutationOptions());
  const [editTarget, setEditTarget] = useState<EditTarget | null>(null);

  return (
    <div>
      <BackLink />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
        <InlineEdit
          id="contact-name-inline"
          label="Name"
          editLabel="Rename contact"
          value={c.name}
          schema={nameSchema}
          errorKeys={["data.name", "name"]}
          kind={{ type: "text", maxLength: 200 }}
          inputClassName="h-10 text-xl font-semibold md:text-xl"
          className="min-w-0 flex-1 basis-64 items-center gap-2"
          whileEditing={<h1 className="sr-only">{c.name}</h1>}
          buttonAfterValue
          onSave={async (newName) => {
            const saved = await update.mutateAsync({ id: c.id, data: { name: newName } });
            cache.set(saved);
            void cache.refresh();
          }}
        >
          <h1 className="text-2xl font-semibold tracking-tight wrap-anywhere">{c.name}</h1>
        </InlineEdit>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" onClick={() => setEditTarget("name")}>
            <PencilIcon aria-hidden="true" /> Edit
          </Button>
          <DeleteContact contact={c} />
        </div>
      </div>
      <EditContactDialog contact={c} target={editTarget} onClose={() => setEditTarget(null)} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <div className="grid min-w-0 content-start gap-6">
          <ProfileCard contact={c} onEditList={setEditTarget} />
          <CustomFieldsPanel contactId={c.id} />
          <TasksSection contactId={c.id} />
        </div>
        <div className="grid min-w-0 content-start gap-6">
          <InsightCard contactId={c.id} />
          <NotesSection contactId={c.id} />
          <TimelineSection contactId={c.id} />
        </div>
      </div>
    </div>
  );
}

function DeleteContact({ contact: c }: { contact: ContactRecord }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.contacts.delete.mutationOptions());
  const restore = useMutation(trpc.contacts.restore.mutationOptions());
  return (
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
            variant="destructive"
            onClick={async () => {
              let receipt;
              try {
                receipt = await remove.mutateAsync({ ids: [c.id] });
              } catch (error) {
                failureToast(`${c.name} was not deleted.`, error);
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
                        failureToast(`${c.name} was not restored.`, error),
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
  );
}
