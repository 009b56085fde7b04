"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BookmarkIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { describeApiError, useTRPC } from "@/trpc/react";
import { contactFiltersSchema } from "@omnicrm/api/schemas";
import {
  normalizeOrder,
  pageSizes,
  stripEmpty,
  defaultView,
  type PageSize,
  type TableView,
} from "./state";
import { contactSortFields, type ContactSortField } from "@omnicrm/api/schemas";

/** A saved view's stored state back into a table view; what no longer applies is dropped. */
function viewFromSaved(state: {
  search?: string;
  sort?: { field: string; direction: "asc" | "desc" };
  filters?: Record<string, unknown>;
  columns?: { order: string[]; hidden: string[] };
  pageSize?: number;
}): TableView {
  const filters = contactFiltersSchema.safeParse(state.filters ?? {});
  const sortOk = (contactSortFields as readonly string[]).includes(state.sort?.field ?? "");
  return {
    search: state.search ?? "",
    sort:
      sortOk && state.sort
        ? { field: state.sort.field as ContactSortField, direction: state.sort.direction }
        : defaultView.sort,
    filters: filters.success ? stripEmpty(filters.data) : {},
    columns: {
      order: normalizeOrder(state.columns?.order ?? []),
      hidden: normalizeOrder(state.columns?.hidden ?? []).filter(
        (c) => c !== "name" && (state.columns?.hidden ?? []).includes(c),
      ),
    },
    pageSize: (pageSizes as readonly number[]).includes(state.pageSize ?? 0)
      ? (state.pageSize as PageSize)
      : defaultView.pageSize,
  };
}

export function ViewsMenu({
  view,
  onApply,
}: {
  view: TableView;
  onApply: (view: TableView, name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const views = useQuery(trpc.savedViews.list.queryOptions());
  const create = useMutation(trpc.savedViews.create.mutationOptions());
  const remove = useMutation(trpc.savedViews.delete.mutationOptions());
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <BookmarkIcon aria-hidden="true" /> Views
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="min-w-56">
          <DropdownMenuLabel>Saved views</DropdownMenuLabel>
          {(views.data ?? []).length === 0 ? (
            <p className="px-2 py-1.5 text-sm text-muted-foreground">No saved views yet.</p>
          ) : null}
          {(views.data ?? []).map((saved) => (
            <div key={saved.id} className="flex items-center">
              <DropdownMenuItem
                className="flex-1"
                onSelect={() => onApply(viewFromSaved(saved.state), saved.name)}
              >
                {saved.name}
              </DropdownMenuItem>
              <Button
                variant="ghost"
                size="icon"
                className="size-7"
                aria-label={`Delete the view ${saved.name}`}
                onClick={() =>
                  remove
                    .mutateAsync({ id: saved.id })
                    .then(() => queryClient.invalidateQueries(trpc.savedViews.pathFilter()))
                    .catch((e: unknown) => toast.error(describeApiError(e).message))
                }
              >
                <Trash2Icon aria-hidden="true" />
              </Button>
            </div>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setSaving(true)}>Save current view…</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={saving} onOpenChange={setSaving}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Save this view</DialogTitle>
            <DialogDescription>
              Its search, filters, sort, columns and page size are kept under a name.
            </DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              setError(null);
              create
                .mutateAsync({
                  name,
                  state: {
                    search: view.search || undefined,
                    sort: view.sort,
                    filters: stripEmpty(view.filters),
                    columns: view.columns,
                    pageSize: view.pageSize,
                  },
                })
                .then(async () => {
                  await queryClient.invalidateQueries(trpc.savedViews.pathFilter());
                  toast.success(`View “${name}” saved.`);
                  setSaving(false);
                  setName("");
                })
                .catch((e: unknown) => {
                  const info = describeApiError(e);
                  setError(info.fieldErrors.name?.[0] ?? info.message);
                });
            }}
          >
            <FormField id="view-name" label="Name" error={error}>
              <Input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={80}
                required
              />
            </FormField>
            <DialogFooter>
              <Button type="submit" disabled={!name.trim() || create.isPending}>
                Save view
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
