"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MessageSquarePlusIcon, PencilIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { SectionError } from "@/components/contacts/detail/section";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";

/** The practitioner's conversations: open, start, rename and delete them. */
export function ThreadList({ currentId }: { currentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const threads = useQuery(trpc.assistant.threads.list.queryOptions({ limit: 50 }));
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; title: string } | null>(null);
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.assistant.threads.list.pathKey() });

  const create = useMutation(
    trpc.assistant.threads.create.mutationOptions({
      onSuccess: (thread) => {
        void invalidate();
        router.push(`/assistant/${thread.id}`);
      },
      onError: (error) => toast.error(describeApiError(error).message),
    }),
  );
  const rename = useMutation(
    trpc.assistant.threads.rename.mutationOptions({
      onSuccess: () => {
        setRenaming(null);
        void invalidate();
      },
      onError: (error) => toast.error(describeApiError(error).message),
    }),
  );
  const remove = useMutation(
    trpc.assistant.threads.delete.mutationOptions({
      onSuccess: ({ id }) => {
        setDeleting(null);
        void invalidate();
        toast.success("Conversation deleted.");
        if (id === currentId) router.push("/assistant");
      },
      onError: (error) => toast.error(describeApiError(error).message),
    }),
  );

  return (
    <nav aria-label="Conversations" className="grid content-start gap-2">
      <Button
        type="button"
        variant="outline"
        className="justify-start"
        disabled={create.isPending}
        onClick={() => create.mutate()}
      >
        <MessageSquarePlusIcon aria-hidden="true" /> New conversation
      </Button>
      {threads.isPending ? (
        <div className="grid gap-2" aria-busy="true">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </div>
      ) : threads.isError ? (
        <SectionError
          error={threads.error}
          what="your conversations"
          onRetry={() => void threads.refetch()}
        />
      ) : (
        <ul className="grid gap-0.5">
          {threads.data.items.map((thread) => (
            <li key={thread.id} className="group relative">
              {renaming?.id === thread.id ? (
                <form
                  className="flex gap-1"
                  onSubmit={(event) => {
                    event.preventDefault();
                    rename.mutate({ id: thread.id, title: renaming.title });
                  }}
                >
                  <Input
                    aria-label="Conversation title"
                    value={renaming.title}
                    maxLength={120}
                    autoFocus
                    onChange={(event) => setRenaming({ id: thread.id, title: event.target.value })}
                    onKeyDown={(event) => {
                      if (event.key === "Escape") setRenaming(null);
                    }}
                    className="h-9"
                  />
                  <Button
                    type="submit"
                    size="sm"
                    disabled={rename.isPending || !renaming.title.trim()}
                  >
                    Save
                  </Button>
                </form>
              ) : (
                <>
                  <Link
                    href={`/assistant/${thread.id}`}
                    aria-current={thread.id === currentId ? "page" : undefined}
                    className={cn(
                      "flex min-h-9 flex-col justify-center rounded-md py-1.5 pr-16 pl-3 text-sm hover:bg-accent",
                      "focus-visible:outline-2 focus-visible:outline-ring",
                      "aria-[current=page]:bg-accent aria-[current=page]:font-medium",
                    )}
                  >
                    <span className="truncate">{thread.title}</span>
                    <span className="text-xs text-muted-foreground">
                      {formatDate(thread.lastMessageAt)}
                    </span>
                  </Link>
                  <div className="absolute top-1 right-1 flex opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      title="Rename"
                      onClick={() => setRenaming({ id: thread.id, title: thread.title })}
                    >
                      <PencilIcon aria-hidden="true" className="size-3.5" />
                      <span className="sr-only">Rename “{thread.title}”</span>
                    </Button>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      title="Delete"
                      onClick={() => setDeleting({ id: thread.id, title: thread.title })}
                    >
                      <Trash2Icon aria-hidden="true" className="size-3.5" />
                      <span className="sr-only">Delete “{thread.title}”</span>
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      <AlertDialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete this conversation?</AlertDialogTitle>
            <AlertDialogDescription>
              “{deleting?.title}” and its messages are deleted for good. Notes and tasks it created
              stay on your records, and the audit log keeps what the assistant did.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep it</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                event.preventDefault();
                if (deleting) remove.mutate({ id: deleting.id });
              }}
              disabled={remove.isPending}
            >
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </nav>
  );
}
