"use client";

import { tagNameSchema } from "@omnicrm/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Command } from "cmdk";
import { PlusIcon, XIcon } from "lucide-react";
import { Popover } from "radix-ui";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/react";
import { useContactCache, type ContactRecord, type ContactTag } from "./contact-cache";
import { describeFailure, failureToast } from "./errors";

const swatches: Record<string, string> = {
  gray: "bg-gray-500",
  red: "bg-red-500",
  orange: "bg-orange-500",
  amber: "bg-amber-500",
  green: "bg-green-600",
  teal: "bg-teal-600",
  blue: "bg-blue-600",
  indigo: "bg-indigo-500",
  purple: "bg-purple-500",
  pink: "bg-pink-500",
};

/** The tag's color as a dot; decorative, the name says which tag it is. */
export function TagSwatch({ color }: { color: string | null }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "size-2 shrink-0 rounded-full",
        (color && swatches[color]) ?? "bg-muted-foreground/50",
      )}
    />
  );
}

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();

/** The contact's tags as chips; removing a chip untags, "Add tag" tags or creates a tag. */
export function ContactTags({ contact }: { contact: ContactRecord }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cache = useContactCache(contact.id);
  const addButton = useRef<HTMLButtonElement>(null);

  const refreshTags = () =>
    Promise.all([cache.refresh(), queryClient.invalidateQueries(trpc.tags.list.pathFilter())]);

  const tag = useMutation(
    trpc.tags.tagContacts.mutationOptions({
      onSettled: () => refreshTags(),
    }),
  );
  const untag = useMutation(
    trpc.tags.untagContacts.mutationOptions({
      onSettled: () => refreshTags(),
    }),
  );
  const create = useMutation(trpc.tags.create.mutationOptions());

  const add = async (chosen: ContactTag) => {
    await cache.cancel();
    const before = cache.get();
    cache.update((c) => ({
      ...c,
      tags: [...c.tags.filter((t) => t.id !== chosen.id), chosen].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    }));
    try {
      await tag.mutateAsync({ contactIds: [contact.id], tagIds: [chosen.id] });
    } catch (error) {
      cache.set(before);
      failureToast(`Could not add the tag “${chosen.name}”.`, error);
    }
  };

  const createAndAdd = async (name: string) => {
    let created: ContactTag;
    try {
      created = await create.mutateAsync({ name });
    } catch (error) {
      failureToast(`Could not create the tag “${name}”.`, error);
      return;
    }
    await add(created);
  };

  const remove = async (removed: ContactTag) => {
    addButton.current?.focus();
    await cache.cancel();
    const before = cache.get();
    cache.update((c) => ({ ...c, tags: c.tags.filter((t) => t.id !== removed.id) }));
    try {
      await untag.mutateAsync({ contactIds: [contact.id], tagIds: [removed.id] });
    } catch (error) {
      cache.set(before);
      failureToast(`Could not remove the tag “${removed.name}”.`, error);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      {contact.tags.length ? (
        <ul className="contents" aria-label="Tags">
          {contact.tags.map((t) => (
            <li
              key={t.id}
              className="inline-flex max-w-full min-w-0 items-center gap-1.5 rounded-full border bg-background py-0.5 pr-0.5 pl-2.5 text-sm"
            >
              <TagSwatch color={t.color} />
              <span className="min-w-0 truncate">{t.name}</span>
              <button
                type="button"
                onClick={() => void remove(t)}
                title={`Remove tag ${t.name}`}
                className="inline-flex size-6 shrink-0 cursor-pointer items-center justify-center rounded-full text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring"
              >
                <XIcon aria-hidden="true" className="size-3.5" />
                <span className="sr-only">Remove tag {t.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-sm text-muted-foreground">No tags</span>
      )}
      <TagPicker
        triggerRef={addButton}
        assigned={contact.tags}
        busy={create.isPending}
        onPick={(t) => void add(t)}
        onCreate={(name) => void createAndAdd(name)}
      />
    </div>
  );
}

function TagPicker({
  triggerRef,
  assigned,
  busy,
  onPick,
  onCreate,
}: {
  triggerRef: React.RefObject<HTMLButtonElement | null>;
  assigned: ContactTag[];
  busy: boolean;
  onPick: (tag: ContactTag) => void;
  onCreate: (name: string) => void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const tags = useQuery(trpc.tags.list.queryOptions());

  const term = fold(search);
  const assignedIds = new Set(assigned.map((t) => t.id));
  const available = (tags.data ?? []).filter(
    (t) => !assignedIds.has(t.id) && (term === "" || fold(t.name).includes(term)),
  );
  const exact = [...(tags.data ?? []), ...assigned].find((t) => fold(t.name) === term);
  const parsedName = tagNameSchema.safeParse(search);
  const canCreate = term !== "" && !exact && tags.isSuccess;
  const nameError =
    canCreate && !parsedName.success ? (parsedName.error.issues[0]?.message ?? null) : null;

  const close = () => {
    setOpen(false);
    setSearch("");
  };

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch("");
      }}
    >
      <Popover.Trigger asChild>
        <Button ref={triggerRef} type="button" variant="outline" size="sm" disabled={busy}>
          <PlusIcon aria-hidden="true" /> Add tag
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          collisionPadding={12}
          className="z-50 w-72 max-w-[calc(100vw-1.5rem)] rounded-md border bg-popover text-popover-foreground shadow-md outline-none data-[state=open]:animate-pop-in"
        >
          <Command shouldFilter={false} loop label="Find or create a tag">
            <div className="border-b p-2">
              <Command.Input
                value={search}
                onValueChange={setSearch}
                maxLength={200}
                placeholder="Find or create a tag…"
                className="h-9 w-full rounded-md bg-transparent px-2 text-base outline-none placeholder:text-muted-foreground focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring md:text-sm"
              />
            </div>
            <Command.List
              label="Tags"
              className="max-h-64 overflow-y-auto p-1 [&_[cmdk-item]]:flex [&_[cmdk-item]]:cursor-pointer [&_[cmdk-item]]:items-center [&_[cmdk-item]]:gap-2 [&_[cmdk-item]]:rounded-sm [&_[cmdk-item]]:px-2 [&_[cmdk-item]]:py-2 [&_[cmdk-item]]:text-sm [&_[cmdk-item][data-disabled=true]]:cursor-not-allowed [&_[cmdk-item][data-disabled=true]]:opacity-50 [&_[cmdk-item][data-selected=true]]:bg-accent [&_[cmdk-item][data-selected=true]]:text-accent-foreground"
            >
              {tags.isPending ? (
                <Command.Loading>
                  <p className="px-2 py-3 text-sm text-muted-foreground">Loading your tags…</p>
                </Command.Loading>
              ) : null}
              {tags.isError ? (
                <p role="alert" className="px-2 py-3 text-sm text-destructive">
                  Could not load your tags. {describeFailure(tags.error).message}
                </p>
              ) : null}
              {available.map((t) => (
                <Command.Item
                  key={t.id}
                  value={t.id}
                  onSelect={() => {
                    close();
                    onPick({ id: t.id, name: t.name, color: t.color });
                  }}
                >
                  <TagSwatch color={t.color} />
                  <span className="min-w-0 truncate">{t.name}</span>
                </Command.Item>
              ))}
              {canCreate ? (
                <Command.Item
                  value={`create:${search}`}
                  disabled={nameError !== null}
                  onSelect={() => {
                    if (!parsedName.success) return;
                    close();
                    onCreate(parsedName.data);
                  }}
                >
                  <PlusIcon aria-hidden="true" className="size-4 shrink-0" />
                  <span className="min-w-0 truncate">Create tag “{search.trim()}”</span>
                </Command.Item>
              ) : null}
              {tags.isSuccess && available.length === 0 && !canCreate ? (
                <p className="px-2 py-3 text-sm text-muted-foreground">
                  {exact
                    ? `“${exact.name}” is already on this contact.`
                    : (tags.data?.length ?? 0) === 0
                      ? "You have no tags yet. Type a name to create one."
                      : "Every tag is on this contact. Type a name to create one."}
                </p>
              ) : null}
            </Command.List>
            {nameError ? (
              <p role="alert" className="border-t px-3 py-2 text-sm text-destructive">
                {nameError}
              </p>
            ) : null}
          </Command>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
