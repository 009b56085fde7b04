"use client";

import type { RouterOutputs } from "@omnicrm/api";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  ArrowDownIcon,
  ArrowUpIcon,
  ChevronsUpDownIcon,
  SearchIcon,
  UploadIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { FormAlert } from "@/components/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { useDebouncedValue } from "@/lib/use-debounced-value";
import { cn } from "@/lib/utils";
import { describeApiError, useTRPC } from "@/trpc/react";
import { ExportMenu } from "./export-menu";
import { StageBadge } from "./stage-badge";
import { BulkBar } from "./table/bulk-bar";
import { ColumnsMenu } from "./table/columns-menu";
import { FiltersBar } from "./table/filters-bar";
import {
  columnLabels,
  countFilters,
  pageSizes,
  viewFromSearchParams,
  viewToSearchParams,
  type ColumnId,
  type PageSize,
  type TableView,
} from "./table/state";
import { ViewsMenu } from "./table/views-menu";

type ContactRow = RouterOutputs["contacts"]["list"]["items"][number];
type ListData = RouterOutputs["contacts"]["list"];

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, ContactRow>();
const dash = <span className="text-muted-foreground">—</span>;
const allColumns = helper.columns([
  helper.accessor("name", {
    id: "name",
    header: columnLabels.name,
    cell: (info) => (
      <Link
        href={`/contacts/${info.row.original.id}`}
        className="font-medium hover:underline"
        tabIndex={-1}
      >
        {info.getValue()}
      </Link>
    ),
  }),
  helper.accessor("email", {
    id: "email",
    header: columnLabels.email,
    cell: (info) => info.getValue() ?? dash,
  }),
  helper.accessor("phone", {
    id: "phone",
    header: columnLabels.phone,
    cell: (info) => info.getValue() ?? dash,
  }),
  helper.accessor("stage", {
    id: "stage",
    header: columnLabels.stage,
    cell: (info) => <StageBadge stage={info.getValue()} />,
  }),
  helper.accessor("tags", {
    id: "tags",
    header: columnLabels.tags,
    enableSorting: false,
    cell: (info) => (
      <span className="flex flex-wrap gap-1">
        {info.getValue().map((tag) => (
          <Badge key={tag.id} variant="outline">
            {tag.name}
          </Badge>
        ))}
      </span>
    ),
  }),
  helper.accessor("lastInteractionAt", {
    id: "lastInteractionAt",
    header: columnLabels.lastInteractionAt,
    cell: (info) => {
      const value = info.getValue();
      return value ? formatDate(value) : dash;
    },
  }),
  helper.accessor("createdAt", {
    id: "createdAt",
    header: columnLabels.createdAt,
    cell: (info) => formatDate(info.getValue()),
  }),
]);
const columnById = new Map(allColumns.map((column) => [column.id as ColumnId, column]));
const emptyRows: ContactRow[] = [];
const ROW_HEIGHT = 49;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

export function ContactsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(
    () => viewFromSearchParams(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );
  const page = {
    cursor: searchParams.get("after"),
    number: Math.max(1, Number(searchParams.get("p")) || 1),
  };
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  // Every change of what is listed is a new URL (so the URL reproduces the screen) and starts
  // again from the first page.
  const navigate = (next: TableView, nextPage?: { cursor: string | null; number: number }) => {
    const query = viewToSearchParams(next, nextPage).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  const [searchText, setSearchText] = useState(view.search);
  const debouncedSearch = useDebouncedValue(searchText.trim(), 250);
  // Set when the user opens a contact: a search still waiting for its debounce must not pull
  // them back to the list.
  const leaving = useRef(false);
  useEffect(() => {
    if (leaving.current) return;
    if (debouncedSearch !== view.search) navigate({ ...view, search: debouncedSearch });
    // Only the debounced text drives navigation; the view itself comes from the URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSearch]);

  const input = {
    limit: view.pageSize,
    sort: view.sort,
    search: view.search || undefined,
    filters: view.filters,
    timeZone,
    cursor: page.cursor,
  };
  const queryOptions = trpc.contacts.list.queryOptions(input);
  const query = useQuery({ ...queryOptions, placeholderData: keepPreviousData });

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [focused, setFocused] = useState(-1);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "/" && !isTyping(event.target)) {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const visibleColumns: ColumnId[] = view.columns.order.filter(
    (id) => !view.columns.hidden.includes(id),
  );
  const columns = useMemo(
    () => visibleColumns.map((id) => columnById.get(id)!),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [visibleColumns.join(",")],
  );
  const sorting: SortingState = [{ id: view.sort.field, desc: view.sort.direction === "desc" }];
  const table = useTable({
    features,
    columns,
    data: query.data?.items ?? emptyRows,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first)
        navigate({
          ...view,
          sort: {
            field: first.id as TableView["sort"]["field"],
            direction: first.desc ? "desc" : "asc",
          },
        });
    },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    sortDescFirst: false,
  });
  const rows = table.getRowModel().rows;
  const error = query.isError ? describeApiError(query.error) : null;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const padTop = virtualRows[0]?.start ?? 0;
  const padBottom = virtualRows.length ? virtualizer.getTotalSize() - virtualRows.at(-1)!.end : 0;

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const pageIds = rows.map((r) => r.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));

  const onTableKey = (event: React.KeyboardEvent) => {
    if (isTyping(event.target) && event.target !== event.currentTarget) return;
    const move = (to: number) => {
      const index = Math.max(0, Math.min(rows.length - 1, to));
      setFocused(index);
      virtualizer.scrollToIndex(index);
      event.preventDefault();
    };
    if (event.key === "ArrowDown" || event.key === "j") move(focused + 1);
    else if (event.key === "ArrowUp" || event.key === "k") move(focused - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(rows.length - 1);
    else if (event.key === "Enter" && rows[focused]) {
      leaving.current = true;
      router.push(`/contacts/${rows[focused].id}`);
    } else if (event.key === "x" && rows[focused]) {
      event.preventDefault();
      toggle(rows[focused].id);
    }
  };

  const onStageOptimistic = (ids: string[], stage: string) => {
    const key = queryOptions.queryKey;
    const previous = queryClient.getQueryData<ListData>(key);
    queryClient.setQueryData<ListData>(key, (old) =>
      old
        ? { ...old, items: old.items.map((c) => (ids.includes(c.id) ? { ...c, stage } : c)) }
        : old,
    );
    return () => queryClient.setQueryData(key, previous);
  };

  const emptyMessage =
    view.search || countFilters(view.filters) > 0 ? (
      <>No contacts match this search and these filters.</>
    ) : (
      <>
        No contacts yet.{" "}
        <Link href="/contacts/new" className="font-medium text-primary hover:underline">
          Add your first client
        </Link>
        .
      </>
    );

  return (
    <div
      className="grid gap-3"
      onClickCapture={(event) => {
        if (event.target instanceof Element && event.target.closest("a[href^='/contacts/']"))
          leaving.current = true;
      }}
    >
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative w-full max-w-sm">
          <SearchIcon
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          />
          <Input
            ref={searchRef}
            type="search"
            aria-label="Search contacts"
            aria-keyshortcuts="/"
            placeholder="Search by name, email or phone  ( / )"
            className="pl-8"
            value={searchText}
            maxLength={200}
            onChange={(event) => setSearchText(event.target.value)}
          />
        </div>
        <div className="ml-auto flex flex-wrap gap-2">
          <ViewsMenu
            view={view}
            onApply={(next, name) => {
              setSearchText(next.search);
              navigate(next);
              setSelected(new Set());
              document.title = `${name} · Contacts · OmniCRM`;
            }}
          />
          <ColumnsMenu
            columns={view.columns}
            onChange={(columns) => navigate({ ...view, columns }, page)}
          />
          <ExportMenu
            view={{
              search: view.search || undefined,
              filters: view.filters,
              sort: view.sort,
              timeZone,
            }}
          />
          <Button variant="outline" asChild>
            <Link href="/contacts/import">
              <UploadIcon aria-hidden="true" /> Import
            </Link>
          </Button>
        </div>
      </div>
      <FiltersBar filters={view.filters} onChange={(filters) => navigate({ ...view, filters })} />
      <BulkBar
        selected={[...selected]}
        onClear={() => setSelected(new Set())}
        onStageOptimistic={onStageOptimistic}
      />

      {error ? <FormAlert message={error.message} requestId={error.requestId} /> : null}
      {query.isFetching && !query.isPending ? (
        <span role="status" className="sr-only">
          Updating…
        </span>
      ) : null}

      {/* Wide screens: the table, rows virtualized so large pages stay smooth. */}
      <div
        ref={scrollRef}
        className="hidden max-h-[70vh] overflow-auto rounded-md border md:block"
        tabIndex={0}
        role="region"
        aria-label="Contacts"
        aria-busy={query.isFetching}
        onKeyDown={onTableKey}
        onFocus={() => focused === -1 && rows.length > 0 && setFocused(0)}
      >
        <Table containerClassName="overflow-visible">
          <TableHeader className="sticky top-0 z-10 bg-background">
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                <TableHead className="w-10">
                  <input
                    type="checkbox"
                    aria-label="Select all contacts on this page"
                    checked={allOnPage}
                    onChange={() =>
                      setSelected((current) => {
                        const next = new Set(current);
                        for (const id of pageIds) {
                          if (allOnPage) next.delete(id);
                          else next.add(id);
                        }
                        return next;
                      })
                    }
                  />
                </TableHead>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  if (!header.column.getCanSort()) {
                    return (
                      <TableHead key={header.id}>
                        <table.FlexRender header={header} />
                      </TableHead>
                    );
                  }
                  const Icon =
                    sorted === "asc"
                      ? ArrowUpIcon
                      : sorted === "desc"
                        ? ArrowDownIcon
                        : ChevronsUpDownIcon;
                  return (
                    <TableHead
                      key={header.id}
                      aria-sort={
                        sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"
                      }
                    >
                      <button
                        type="button"
                        className="-ml-2 inline-flex items-center gap-1 rounded-md px-2 py-1 hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <Icon aria-hidden="true" className="size-3.5 opacity-70" />
                        <span className="sr-only">
                          {sorted
                            ? `, sorted ${sorted === "asc" ? "ascending" : "descending"}`
                            : ", sort"}
                        </span>
                      </button>
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {query.isPending ? (
              Array.from({ length: 5 }, (_, i) => (
                <TableRow key={`skeleton-${i}`}>
                  <TableCell />
                  {columns.map((_, j) => (
                    <TableCell key={j}>
                      <Skeleton className="h-5 w-full max-w-40" />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            ) : rows.length === 0 ? (
              <TableRow>
                <TableCell
                  colSpan={columns.length + 1}
                  className="h-28 text-center text-muted-foreground"
                >
                  {emptyMessage}
                </TableCell>
              </TableRow>
            ) : (
              <>
                {padTop > 0 ? (
                  <tr aria-hidden="true">
                    <td style={{ height: padTop }} />
                  </tr>
                ) : null}
                {virtualRows.map((virtualRow) => {
                  const row = rows[virtualRow.index]!;
                  const isFocused = virtualRow.index === focused;
                  return (
                    <TableRow
                      key={row.id}
                      data-index={virtualRow.index}
                      aria-selected={selected.has(row.id)}
                      data-focused={isFocused || undefined}
                      className={cn(
                        isFocused && "bg-accent outline-2 -outline-offset-2 outline-ring",
                      )}
                      onClick={() => setFocused(virtualRow.index)}
                    >
                      <TableCell>
                        <input
                          type="checkbox"
                          aria-label={`Select ${row.original.name}`}
                          checked={selected.has(row.id)}
                          onChange={() => toggle(row.id)}
                          tabIndex={-1}
                        />
                      </TableCell>
                      {row.getAllCells().map((cell) => (
                        <TableCell key={cell.id}>
                          <table.FlexRender cell={cell} />
                        </TableCell>
                      ))}
                    </TableRow>
                  );
                })}
                {padBottom > 0 ? (
                  <tr aria-hidden="true">
                    <td style={{ height: padBottom }} />
                  </tr>
                ) : null}
              </>
            )}
          </TableBody>
        </Table>
      </div>

      {/* Phones: a readable list. */}
      <ul className="grid gap-2 md:hidden" aria-label="Contacts list">
        {query.isPending ? (
          <li>
            <Skeleton className="h-16 w-full" />
          </li>
        ) : rows.length === 0 ? (
          <li className="rounded-md border p-4 text-center text-sm text-muted-foreground">
            {emptyMessage}
          </li>
        ) : (
          rows.map((row) => {
            const c = row.original;
            return (
              <li key={c.id} className="flex items-start gap-3 rounded-md border p-3">
                <input
                  type="checkbox"
                  className="mt-1"
                  aria-label={`Select ${c.name}`}
                  checked={selected.has(c.id)}
                  onChange={() => toggle(c.id)}
                />
                <div className="min-w-0 flex-1">
                  <div className="flex items-center justify-between gap-2">
                    <Link
                      href={`/contacts/${c.id}`}
                      className="truncate font-medium hover:underline"
                    >
                      {c.name}
                    </Link>
                    <StageBadge stage={c.stage} />
                  </div>
                  <p className="truncate text-sm text-muted-foreground">
                    {c.email ?? c.phone ?? "No email or phone"}
                  </p>
                  {c.tags.length ? (
                    <p className="mt-1 flex flex-wrap gap-1">
                      {c.tags.map((tag) => (
                        <Badge key={tag.id} variant="outline">
                          {tag.name}
                        </Badge>
                      ))}
                    </p>
                  ) : null}
                </div>
              </li>
            );
          })
        )}
      </ul>

      <nav
        aria-label="Pagination"
        className="flex flex-wrap items-center justify-between gap-3 text-sm"
      >
        <label className="flex items-center gap-2 text-muted-foreground">
          Rows per page
          <select
            className="h-9 rounded-md border border-input bg-background px-2 text-foreground"
            value={view.pageSize}
            onChange={(event) =>
              navigate({ ...view, pageSize: Number(event.target.value) as PageSize })
            }
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <p className="hidden text-xs text-muted-foreground lg:block">
          Keys: / search · ↑↓ or j/k move · Enter open · x select
        </p>
        <div className="flex items-center gap-2">
          <span className="text-muted-foreground" aria-live="polite">
            Page {page.number}
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={!query.data?.prevCursor || query.isFetching}
            onClick={() =>
              navigate(view, {
                cursor: page.number <= 2 ? null : (query.data?.prevCursor ?? null),
                number: page.number - 1,
              })
            }
          >
            Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={!query.data?.nextCursor || query.isFetching}
            onClick={() =>
              navigate(view, { cursor: query.data?.nextCursor ?? null, number: page.number + 1 })
            }
          >
            Next
          </Button>
        </div>
      </nav>
    </div>
  );
}
