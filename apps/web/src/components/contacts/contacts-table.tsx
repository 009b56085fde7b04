"use client";

import type { RouterOutputs } from "@omnicrm/api";
import type { ContactSortField } from "@omnicrm/api/schemas";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDownIcon, ArrowUpIcon, ChevronsUpDownIcon, SearchIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
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
import { describeApiError, useTRPC } from "@/trpc/react";
import { ExportMenu } from "./export-menu";
import { StageBadge } from "./stage-badge";

type ContactRow = RouterOutputs["contacts"]["list"]["items"][number];

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, ContactRow>();
const columns = helper.columns([
  helper.accessor("name", {
    header: "Name",
    cell: (info) => (
      <Link href={`/contacts/${info.row.original.id}`} className="font-medium hover:underline">
        {info.getValue()}
      </Link>
    ),
  }),
  helper.accessor("email", {
    header: "Email",
    cell: (info) => info.getValue() ?? <span className="text-muted-foreground">—</span>,
  }),
  helper.accessor("phone", {
    header: "Phone",
    cell: (info) => info.getValue() ?? <span className="text-muted-foreground">—</span>,
  }),
  helper.accessor("stage", {
    header: "Stage",
    enableSorting: false,
    cell: (info) => <StageBadge stage={info.getValue()} />,
  }),
  helper.accessor("tags", {
    header: "Tags",
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
  helper.accessor("createdAt", {
    header: "Added",
    cell: (info) => formatDate(info.getValue()),
  }),
]);
const emptyRows: ContactRow[] = [];
const pageSizes = [10, 25, 50, 100] as const;

export function ContactsTable() {
  const trpc = useTRPC();
  const [sorting, setSorting] = useState<SortingState>([{ id: "createdAt", desc: true }]);
  const [searchText, setSearchText] = useState("");
  const search = useDebouncedValue(searchText.trim(), 250);
  const [pageSize, setPageSize] = useState<number>(25);
  const [page, setPage] = useState<{ cursor: string | null; number: number }>({
    cursor: null,
    number: 1,
  });

  const sort = sorting[0] ?? { id: "createdAt", desc: true };
  const input = {
    limit: pageSize,
    sort: {
      field: sort.id as ContactSortField,
      direction: sort.desc ? ("desc" as const) : ("asc" as const),
    },
    search: search || undefined,
    cursor: page.cursor,
  };
  const query = useQuery({
    ...trpc.contacts.list.queryOptions(input),
    placeholderData: keepPreviousData,
  });

  // Any change of what is listed starts again from the first page.
  const [listKey, setListKey] = useState(`${search}|${pageSize}`);
  if (listKey !== `${search}|${pageSize}`) {
    setListKey(`${search}|${pageSize}`);
    setPage({ cursor: null, number: 1 });
  }

  const table = useTable({
    features,
    columns,
    data: query.data?.items ?? emptyRows,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange: (updater) => {
      setSorting(updater);
      setPage({ cursor: null, number: 1 });
    },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
  });

  const rows = table.getRowModel().rows;
  const error = query.isError ? describeApiError(query.error) : null;

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative w-full max-w-sm">
          <SearchIcon
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          />
          <Input
            type="search"
            aria-label="Search contacts"
            placeholder="Search by name, email or phone"
            className="pl-8"
            value={searchText}
            maxLength={200}
            onChange={(event) => setSearchText(event.target.value)}
          />
        </div>
        <div className="ml-auto">
          <ExportMenu
            view={{
              search: search || undefined,
              sort: input.sort,
              timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
            }}
          />
        </div>
        {query.isFetching && !query.isPending ? (
          <span role="status" className="text-sm text-muted-foreground">
            Updating…
          </span>
        ) : null}
      </div>

      {error ? <FormAlert message={error.message} requestId={error.requestId} /> : null}

      <Table regionLabel="Contacts" aria-busy={query.isFetching}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const Icon =
                  sorted === "asc"
                    ? ArrowUpIcon
                    : sorted === "desc"
                      ? ArrowDownIcon
                      : ChevronsUpDownIcon;
                if (!header.column.getCanSort()) {
                  return (
                    <TableHead key={header.id}>
                      <table.FlexRender header={header} />
                    </TableHead>
                  );
                }
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
                colSpan={columns.length}
                className="h-28 text-center text-muted-foreground"
              >
                {search ? (
                  <>No contacts match “{search}”.</>
                ) : (
                  <>
                    No contacts yet.{" "}
                    <Link href="/contacts/new" className="font-medium text-primary hover:underline">
                      Add your first client
                    </Link>
                    .
                  </>
                )}
              </TableCell>
            </TableRow>
          ) : (
            rows.map((row) => (
              <TableRow key={row.id}>
                {row.getAllCells().map((cell) => (
                  <TableCell key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </TableCell>
                ))}
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>

      <nav
        aria-label="Pagination"
        className="flex flex-wrap items-center justify-between gap-3 text-sm"
      >
        <label className="flex items-center gap-2 text-muted-foreground">
          Rows per page
          <select
            className="h-9 rounded-md border border-input bg-background px-2 text-foreground"
            value={pageSize}
            onChange={(event) => setPageSize(Number(event.target.value))}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-center gap-2">
          <span className="text-muted-foreground" aria-live="polite">
            Page {page.number}
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={!query.data?.prevCursor || query.isFetching}
            onClick={() =>
              setPage((current) => ({
                cursor: current.number <= 2 ? null : (query.data?.prevCursor ?? null),
                number: Math.max(1, current.number - 1),
              }))
            }
          >
            Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={!query.data?.nextCursor || query.isFetching}
            onClick={() =>
              setPage((current) => ({
                cursor: query.data?.nextCursor ?? null,
                number: current.number + 1,
              }))
            }
          >
            Next
          </Button>
        </div>
      </nav>
    </div>
  );
}
