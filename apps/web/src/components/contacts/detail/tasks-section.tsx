"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import type { RouterOutputs } from "@omnicrm/api";
import { taskTitleSchema } from "@omnicrm/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ListTodoIcon, PlusIcon, Trash2Icon, TriangleAlertIcon } from "lucide-react";
import { useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { describeFailure, failureToast } from "./errors";
import { EmptyState, LoadMore, Section, SectionError, SectionSkeleton } from "./section";
import { endOfLocalDay, isSameLocalDay, RelativeTime } from "./time";
import { usePages } from "./use-pages";

type Task = RouterOutputs["tasks"]["list"]["items"][number];

const PAGE_SIZE = 50;

/** Open tasks first, soonest due first (undated last); then done tasks, latest done first. */
function arrange(tasks: Task[]): { open: Task[]; done: Task[] } {
  const open = tasks
    .filter((t) => !t.completedAt)
    .sort(
      (a, b) =>
        (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
  const done = tasks
    .filter((t) => t.completedAt)
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
  return { open, done };
}

export function TasksSection({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { contactId, status: "all" as const, limit: PAGE_SIZE };
  const queryKey = trpc.tasks.list.infiniteQueryKey(input);
  const client = useTRPCClient();
  const tasks = usePages(queryKey, (cursor, signal) =>
    client.tasks.list.query({ ...input, cursor }, { signal }),
  );

  /** Changes one task in the cached pages; returns the pages as they were, for a rollback. */
  const patch = async (id: string, change: ((task: Task) => Task) | null) => {
    await queryClient.cancelQueries({ queryKey });
    const before = queryClient.getQueryData(queryKey);
    queryClient.setQueryData(queryKey, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: change
                ? page.items.map((t) => (t.id === id ? change(t) : t))
                : page.items.filter((t) => t.id !== id),
            })),
          }
        : data,
    );
    return before;
  };
  const settle = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.tasks.list.pathFilter()),
      queryClient.invalidateQueries(trpc.timeline.list.pathFilter()),
    ]);

  const complete = useMutation(trpc.tasks.complete.mutationOptions());
  const reopen = useMutation(trpc.tasks.reopen.mutationOptions());
  const remove = useMutation(trpc.tasks.delete.mutationOptions());

  const toggle = async (task: Task, done: boolean) => {
    const before = await patch(task.id, (t) => ({ ...t, completedAt: done ? new Date() : null }));
    try {
      await (done ? complete : reopen).mutateAsync({ id: task.id });
    } catch (error) {
      queryClient.setQueryData(queryKey, before);
      failureToast(done ? "The task was not marked done." : "The task was not reopened.", error);
    } finally {
      void settle();
    }
  };

  const destroy = async (task: Task) => {
    document.getElementById("new-task-title")?.focus();
    const before = await patch(task.id, null);
    try {
      await remove.mutateAsync({ id: task.id });
      toast.success(`Task “${task.title}” deleted.`);
    } catch (error) {
      queryClient.setQueryData(queryKey, before);
      failureToast("The task was not deleted.", error);
    } finally {
      void settle();
    }
  };

  const { open, done } = arrange(tasks.data?.pages.flatMap((page) => page.items) ?? []);
  const now = new Date();

  return (
    <Section id="tasks" title="Tasks" icon={ListTodoIcon}>
      <div className="grid gap-4">
        <NewTaskForm contactId={contactId} onCreated={settle} />
        {tasks.isPending ? (
          <SectionSkeleton label="Loading tasks…" rows={2} />
        ) : tasks.isError && !tasks.data ? (
          <SectionError error={tasks.error} what="the tasks" onRetry={() => void tasks.refetch()} />
        ) : open.length + done.length === 0 ? (
          <EmptyState>No tasks yet. Add a follow-up so you don’t forget it.</EmptyState>
        ) : (
          <div className="grid gap-4">
            {open.length ? (
              <TaskList
                title={`To do (${open.length})`}
                tasks={open}
                now={now}
                onToggle={toggle}
                onDelete={destroy}
              />
            ) : (
              <p className="text-sm text-muted-foreground">Nothing left to do.</p>
            )}
            {done.length ? (
              <TaskList
                title={`Done (${done.length})`}
                tasks={done}
                now={now}
                onToggle={toggle}
                onDelete={destroy}
              />
            ) : null}
            <LoadMore
              label="Load more tasks"
              hasMore={tasks.hasNextPage}
              loading={tasks.isFetchingNextPage}
              error={tasks.isFetchNextPageError ? tasks.error : null}
              onLoad={() => void tasks.fetchNextPage()}
            />
          </div>
        )}
      </div>
    </Section>
  );
}

function TaskList({
  title,
  tasks,
  now,
  onToggle,
  onDelete,
}: {
  title: string;
  tasks: Task[];
  now: Date;
  onToggle: (task: Task, done: boolean) => Promise<void>;
  onDelete: (task: Task) => Promise<void>;
}) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">
        {title}
      </h3>
      <ul className="divide-y">
        {tasks.map((task) => (
          <TaskRow key={task.id} task={task} now={now} onToggle={onToggle} onDelete={onDelete} />
        ))}
      </ul>
    </div>
  );
}

function TaskRow({
  task,
  now,
  onToggle,
  onDelete,
}: {
  task: Task;
  now: Date;
  onToggle: (task: Task, done: boolean) => Promise<void>;
  onDelete: (task: Task) => Promise<void>;
}) {
  const id = `task-${task.id}`;
  // What the user just clicked, shown at once while the change is saved.
  const [pending, setPending] = useState<boolean | null>(null);
  const done = pending ?? task.completedAt !== null;
  const overdue = !done && task.dueAt !== null && task.dueAt.getTime() < now.getTime();
  let meta: React.ReactNode = null;
  if (done) {
    meta = task.completedAt ? (
      <>
        Done <RelativeTime date={task.completedAt} />
      </>
    ) : (
      "Done"
    );
  } else if (task.dueAt && overdue) {
    meta = (
      <>
        <span className="inline-flex items-center gap-1 rounded-sm bg-destructive/10 px-1 font-semibold text-destructive">
          <TriangleAlertIcon aria-hidden="true" className="size-3.5" /> Overdue
        </span>{" "}
        · was due {formatDate(task.dueAt)}
      </>
    );
  } else if (task.dueAt) {
    meta = isSameLocalDay(task.dueAt, now) ? "Due today" : `Due ${formatDate(task.dueAt)}`;
  }
  return (
    <li className="flex items-start gap-3 py-2" data-overdue={overdue || undefined}>
      <input
        id={id}
        type="checkbox"
        checked={done}
        onChange={(event) => {
          const checked = event.target.checked;
          setPending(checked);
          void onToggle(task, checked).finally(() => setPending(null));
        }}
        aria-describedby={meta ? `${id}-meta` : undefined}
        className="mt-0.5 size-5 shrink-0 cursor-pointer accent-primary"
      />
      <div className="min-w-0 flex-1">
        <label
          htmlFor={id}
          className={cn(
            "block cursor-pointer text-sm wrap-anywhere",
            done && "text-muted-foreground line-through",
          )}
        >
          {task.title}
        </label>
        {meta ? (
          <p id={`${id}-meta`} className="mt-0.5 text-xs text-muted-foreground">
            {meta}
          </p>
        ) : null}
      </div>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="-my-1 size-8 shrink-0 text-muted-foreground hover:text-destructive"
        onClick={() => void onDelete(task)}
        title="Delete task"
      >
        <Trash2Icon aria-hidden="true" className="size-4" />
        <span className="sr-only">Delete task “{task.title}”</span>
      </Button>
    </li>
  );
}

const newTaskSchema = z.object({ title: taskTitleSchema, due: z.string() });
type NewTask = { title: string; due: string };

function NewTaskForm({
  contactId,
  onCreated,
}: {
  contactId: string;
  onCreated: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.tasks.create.mutationOptions());
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(
    null,
  );
  const form = useForm<NewTask>({
    resolver: zodResolver(newTaskSchema as never) as unknown as Resolver<NewTask>,
    defaultValues: { title: "", due: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async ({ title, due }) => {
    setFormError(null);
    const dueAt = due ? endOfLocalDay(due) : null;
    if (due && !dueAt) {
      form.setError("due", { type: "validate", message: "Enter a valid date." });
      return;
    }
    try {
      await create.mutateAsync({ title, dueAt, contactId });
      form.reset({ title: "", due: "" });
      form.setFocus("title");
      await onCreated();
    } catch (error) {
      const info = describeFailure(error);
      const titleError = info.fieldErrors.title?.[0];
      const dueError = info.fieldErrors.dueAt?.[0];
      if (titleError) form.setError("title", { type: "server", message: titleError });
      if (dueError) form.setError("due", { type: "server", message: dueError });
      if (!titleError && !dueError) {
        setFormError({ message: info.message, requestId: info.requestId });
      }
    }
  });

  return (
    <form
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-label="Add a task"
      className="grid gap-3"
    >
      <FormAlert message={formError?.message ?? null} requestId={formError?.requestId} />
      <div className="grid gap-3 @md:grid-cols-[minmax(0,1fr)_10.5rem]">
        <FormField id="new-task-title" label="New task" error={errors.title?.message}>
          <Input
            autoComplete="off"
            maxLength={300}
            placeholder="e.g. Send the meal plan"
            {...form.register("title")}
          />
        </FormField>
        <FormField id="new-task-due" label="Due date (optional)" error={errors.due?.message}>
          <Input type="date" min="1900-01-01" max="9999-12-31" {...form.register("due")} />
        </FormField>
      </div>
      <div className="flex justify-end">
        <Button type="submit" size="sm" disabled={isSubmitting}>
          <PlusIcon aria-hidden="true" /> {isSubmitting ? "Adding…" : "Add task"}
        </Button>
      </div>
    </form>
  );
}
