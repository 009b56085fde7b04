"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import type { RouterOutputs } from "@omnicrm/api";
import { noteCreateSchema, noteUpdateSchema } from "@omnicrm/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NotebookPenIcon, PencilIcon, Trash2Icon } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { FormAlert } from "@/components/form-alert";
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
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import { applyFieldErrors } from "@/lib/apply-field-errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { describeFailure, failureToast } from "./errors";
import { NoteMarkdown } from "./note-markdown";
import { EmptyState, LoadMore, Section, SectionError, SectionSkeleton } from "./section";
import { RelativeTime } from "./time";
import { usePages } from "./use-pages";

type Note = RouterOutputs["notes"]["list"]["items"][number];
type FormError = { message: string; requestId: string | null } | null;

const PAGE_SIZE = 10;
const HINT = "Markdown works: **bold**, _italic_, lists, links. Ctrl+Enter (⌘+Enter) saves.";

/** Ctrl+Enter (⌘+Enter on a Mac) submits the textarea's form; Escape calls `onEscape`. */
function shortcuts(submit: () => void, onEscape?: () => void) {
  return (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape" && onEscape) {
      event.preventDefault();
      onEscape();
    }
  };
}

function useRefreshNotes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.notes.list.pathFilter()),
      queryClient.invalidateQueries(trpc.timeline.list.pathFilter()),
    ]);
}

export function NotesSection({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { contactId, limit: PAGE_SIZE };
  const notes = usePages(trpc.notes.list.infiniteQueryKey(input), (cursor, signal) =>
    client.notes.list.query({ ...input, cursor }, { signal }),
  );
  const items = notes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Section id="notes" title="Notes" icon={NotebookPenIcon}>
      <div className="grid gap-5">
        <NoteComposer contactId={contactId} />
        {notes.isPending ? (
          <SectionSkeleton label="Loading notes…" />
        ) : notes.isError && !notes.data ? (
          <SectionError error={notes.error} what="the notes" onRetry={() => void notes.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>No notes yet. What did you talk about last time?</EmptyState>
        ) : (
          <div>
            <ul className="grid gap-3" aria-label="Notes, newest first">
              {items.map((note) => (
                <li key={note.id}>
                  <NoteItem note={note} />
                </li>
              ))}
            </ul>
            <LoadMore
              label="Load more notes"
              hasMore={notes.hasNextPage}
              loading={notes.isFetchingNextPage}
              error={notes.isFetchNextPageError ? notes.error : null}
              onLoad={() => void notes.fetchNextPage()}
            />
          </div>
        )}
      </div>
    </Section>
  );
}

function NoteComposer({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshNotes();
  const create = useMutation(trpc.notes.create.mutationOptions());
  const [formError, setFormError] = useState<FormError>(null);
  const form = useForm<{ contactId: string; body: string }>({
    resolver: zodResolver(noteCreateSchema as never) as unknown as Resolver<{
      contactId: string;
      body: string;
    }>,
    defaultValues: { contactId, body: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await create.mutateAsync(values);
      form.reset({ contactId, body: "" });
      await refresh();
      toast.success("Note saved.");
    } catch (error) {
      const info = describeFailure(error);
      if (!applyFieldErrors(form, info.fieldErrors, ["body"])) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-2">
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <FormField id="new-note" label="New note" description={HINT} error={errors.body?.message}>
        <Textarea
          rows={3}
          placeholder="How did the session go?"
          className="max-h-80"
          {...form.register("body", { onChange: () => setFormError(null) })}
          onKeyDown={shortcuts(() => void submit())}
        />
      </FormField>
      <div className="flex justify-end">
        <Button type="submit" size="sm" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Add note"}
        </Button>
      </div>
    </form>
  );
}

function NoteItem({ note }: { note: Note }) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const article = useRef<HTMLElement>(null);
  const edited = note.updatedAt.getTime() - note.createdAt.getTime() > 1000;

  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      if (!document.activeElement || document.activeElement === document.body) {
        editButton.current?.focus();
      }
    }
  }, [editing]);

  return (
    <article
      ref={article}
      aria-label={`Note from ${formatDateTime(note.createdAt)}`}
      className="rounded-lg border bg-background p-3 sm:p-4"
    >
      <div className="mb-2 flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
        <p className="text-xs text-muted-foreground">
          <RelativeTime date={note.createdAt} />
          {edited ? (
            <>
              {" · "}
              <span title={`Edited ${formatDateTime(note.updatedAt)}`}>edited</span>
            </>
          ) : null}
        </p>
        {editing ? null : (
          <div className="-my-1 -mr-1 flex gap-0.5">
            <Button
              ref={editButton}
              type="button"
              variant="ghost"
              size="sm"
              className="h-8 px-2 text-muted-foreground"
              onClick={() => setEditing(true)}
            >
              <PencilIcon aria-hidden="true" /> Edit<span className="sr-only"> note</span>
            </Button>
            <DeleteNote note={note} />
          </div>
        )}
      </div>
      {editing ? (
        <NoteEditor
          note={note}
          onDone={() => {
            // Back to the edit button, unless the user has moved on while the note was saving.
            const active = document.activeElement;
            returnFocus.current =
              !active || active === document.body || Boolean(article.current?.contains(active));
            setEditing(false);
          }}
        />
      ) : (
        <NoteMarkdown body={note.body} />
      )}
    </article>
  );
}

function NoteEditor({ note, onDone }: { note: Note; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshNotes();
  const update = useMutation(trpc.notes.update.mutationOptions());
  const [formError, setFormError] = useState<FormError>(null);
  const form = useForm<{ id: string; body: string }>({
    resolver: zodResolver(noteUpdateSchema as never) as unknown as Resolver<{
      id: string;
      body: string;
    }>,
    defaultValues: { id: note.id, body: note.body },
  });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    form.setFocus("body");
  }, [form]);

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    if (values.body.trim() === note.body) {
      onDone();
      return;
    }
    try {
      await update.mutateAsync(values);
      await refresh();
      toast.success("Note updated.");
      onDone();
    } catch (error) {
      const info = describeFailure(error);
      if (!applyFieldErrors(form, info.fieldErrors, ["body"])) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  const id = `note-${note.id}-body`;
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-2">
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <FormField
        id={id}
        label={<span className="sr-only">Edit note</span>}
        description={`${HINT} Escape cancels.`}
        error={errors.body?.message}
        className="gap-1"
      >
        <Textarea
          rows={4}
          className="max-h-96"
          {...form.register("body")}
          onKeyDown={shortcuts(() => void submit(), onDone)}
        />
      </FormField>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" size="sm" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save note"}
        </Button>
      </div>
    </form>
  );
}

function DeleteNote({ note }: { note: Note }) {
  const trpc = useTRPC();
  const refresh = useRefreshNotes();
  const remove = useMutation(trpc.notes.delete.mutationOptions());
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="h-8 px-2 text-muted-foreground hover:text-destructive"
        >
          <Trash2Icon aria-hidden="true" /> Delete<span className="sr-only"> note</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete this note?</AlertDialogTitle>
          <AlertDialogDescription>
            The note from {formatDateTime(note.createdAt)} and its timeline entry are removed for
            good.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep note</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            onClick={async () => {
              try {
                await remove.mutateAsync({ id: note.id });
              } catch (error) {
                failureToast("The note was not deleted.", error);
                return;
              }
              await refresh();
              toast.success("Note deleted.");
              // The note and its buttons are gone: continue from the composer.
              document.getElementById("new-note")?.focus();
            }}
          >
            Delete note
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
