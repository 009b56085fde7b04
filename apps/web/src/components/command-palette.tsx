"use client";

import { useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import {
  HomeIcon,
  MoonIcon,
  PlusIcon,
  RefreshCwIcon,
  SparklesIcon,
  SunIcon,
  UserIcon,
  UsersIcon,
} from "lucide-react";
import { useRouter } from "next/navigation";
import { useTheme } from "next-themes";
import { useEffect, useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { useDebouncedValue } from "@/lib/use-debounced-value";
import { useTRPC } from "@/trpc/react";

/** Cmd/Ctrl+K: jump to any contact or action from anywhere in the app. */
export function CommandPalette() {
  const trpc = useTRPC();
  const router = useRouter();
  const { resolvedTheme, setTheme } = useTheme();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const term = useDebouncedValue(search.trim(), 150);
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({
      limit: 8,
      search: term,
      sort: { field: "name", direction: "asc" },
    }),
    enabled: open && term.length > 0,
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        setOpen((current) => !current);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const go = (href: string) => {
    setOpen(false);
    setSearch("");
    router.push(href);
  };

  const dark = resolvedTheme === "dark";
  const actions = [
    { label: "Add a contact", icon: PlusIcon, run: () => go("/contacts/new") },
    { label: "Go to contacts", icon: UsersIcon, run: () => go("/contacts") },
    { label: "Go home", icon: HomeIcon, run: () => go("/") },
    { label: "Ask the assistant", icon: SparklesIcon, run: () => go("/assistant") },
    {
      label: "Assistant settings and usage",
      icon: SparklesIcon,
      run: () => go("/settings/assistant"),
    },
    { label: "Google sync settings", icon: RefreshCwIcon, run: () => go("/settings/sync") },
    {
      label: `Switch to ${dark ? "light" : "dark"} theme`,
      icon: dark ? SunIcon : MoonIcon,
      run: () => {
        setTheme(dark ? "light" : "dark");
        setOpen(false);
      },
    },
  ].filter((a) => !term || a.label.toLowerCase().includes(term.toLowerCase()));

  const item =
    "flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm aria-selected:bg-accent aria-selected:text-accent-foreground";
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent className="overflow-hidden p-0" showCloseButton={false}>
        <DialogTitle className="sr-only">Command palette</DialogTitle>
        <DialogDescription className="sr-only">Search contacts or run an action.</DialogDescription>
        <Command label="Command palette" shouldFilter={false} className="flex flex-col">
          <Command.Input
            value={search}
            onValueChange={setSearch}
            placeholder="Search contacts or type a command…"
            className="h-12 border-b bg-transparent px-4 text-sm outline-none"
          />
          <Command.List className="max-h-80 overflow-y-auto p-2">
            <Command.Empty className="px-2 py-6 text-center text-sm text-muted-foreground">
              {contacts.isFetching ? "Searching…" : "No matches."}
            </Command.Empty>
            {term && contacts.data?.items.length ? (
              <Command.Group heading="Contacts" className="text-xs text-muted-foreground">
                {contacts.data.items.map((c) => (
                  <Command.Item
                    key={c.id}
                    value={`contact-${c.id}`}
                    onSelect={() => go(`/contacts/${c.id}`)}
                    className={item}
                  >
                    <UserIcon aria-hidden="true" className="size-4" />
                    <span className="truncate text-foreground">{c.name}</span>
                    {c.email ? (
                      <span className="truncate text-xs text-muted-foreground">{c.email}</span>
                    ) : null}
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
            {actions.length > 0 ? (
              <Command.Group heading="Actions" className="text-xs text-muted-foreground">
                {actions.map((a) => (
                  <Command.Item key={a.label} value={a.label} onSelect={a.run} className={item}>
                    <a.icon aria-hidden="true" className="size-4" />
                    <span className="text-foreground">{a.label}</span>
                  </Command.Item>
                ))}
              </Command.Group>
            ) : null}
          </Command.List>
        </Command>
      </DialogContent>
    </Dialog>
  );
}
