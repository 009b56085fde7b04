import {
  contactFiltersSchema,
  contactSortFields,
  type ContactFilters,
  type ContactSortField,
} from "@omnicrm/api/schemas";
import { z } from "zod";

/** The table's columns, in their default order. */
export const columnIds = [
  "name",
  "email",
  "phone",
  "stage",
  "tags",
  "lastInteractionAt",
  "createdAt",
] as const;
export type ColumnId = (typeof columnIds)[number];
export const columnLabels: Record<ColumnId, string> = {
  name: "Name",
  email: "Email",
  phone: "Phone",
  stage: "Stage",
  tags: "Tags",
  lastInteractionAt: "Last interaction",
  createdAt: "Added",
};
export const pageSizes = [10, 25, 50, 100, 200] as const;
export type PageSize = (typeof pageSizes)[number];

/** Everything that decides what the table shows; the URL and saved views hold exactly this. */
export interface TableView {
  search: string;
  sort: { field: ContactSortField; direction: "asc" | "desc" };
  filters: ContactFilters;
  columns: { order: ColumnId[]; hidden: ColumnId[] };
  pageSize: PageSize;
}

export const defaultView: TableView = {
  search: "",
  sort: { field: "createdAt", direction: "desc" },
  filters: {},
  columns: { order: [...columnIds], hidden: [] },
  pageSize: 50,
};

const columnListSchema = z
  .string()
  .transform((value) =>
    value.split(",").filter((c): c is ColumnId => (columnIds as readonly string[]).includes(c)),
  );

/** Completes a column order: unknown ids dropped, missing ones appended, name always first. */
export function normalizeOrder(order: readonly string[]): ColumnId[] {
  const known = order.filter((c): c is ColumnId => (columnIds as readonly string[]).includes(c));
  const unique = [...new Set(known)].filter((c) => c !== "name");
  return ["name", ...unique, ...columnIds.filter((c) => c !== "name" && !unique.includes(c))];
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a view from the URL; anything invalid falls back to the default, silently. */
export function viewFromSearchParams(params: URLSearchParams): TableView {
  const [field, direction] = (params.get("sort") ?? "").split(".");
  const sortOk =
    (contactSortFields as readonly string[]).includes(field ?? "") &&
    (direction === "asc" || direction === "desc");
  const filters = contactFiltersSchema.safeParse(parseJson(params.get("f")) ?? {});
  const size = Number(params.get("size"));
  return {
    search: (params.get("q") ?? "").slice(0, 200),
    sort: sortOk ? { field: field as ContactSortField, direction: direction } : defaultView.sort,
    filters: filters.success ? stripEmpty(filters.data) : {},
    columns: {
      order: normalizeOrder(columnListSchema.parse(params.get("order") ?? "")),
      hidden: columnListSchema.parse(params.get("hide") ?? "").filter((c) => c !== "name"),
    },
    pageSize: (pageSizes as readonly number[]).includes(size)
      ? (size as PageSize)
      : defaultView.pageSize,
  };
}

/** Drops empty lists and defaults, so URLs and saved views stay short. */
export function stripEmpty(filters: ContactFilters): ContactFilters {
  const out: ContactFilters = {};
  if (filters.tagIds?.length) {
    out.tagIds = filters.tagIds;
    if (filters.tagMode === "all") out.tagMode = "all";
  }
  if (filters.stages?.length) out.stages = filters.stages;
  if (filters.createdAt) out.createdAt = filters.createdAt;
  if (filters.lastInteractionAt) out.lastInteractionAt = filters.lastInteractionAt;
  if (filters.noInteraction) out.noInteraction = true;
  if (filters.custom?.length) out.custom = filters.custom;
  return out;
}

export function viewToSearchParams(
  view: TableView,
  page?: { cursor: string | null; number: number },
): URLSearchParams {
  const params = new URLSearchParams();
  if (view.search) params.set("q", view.search);
  if (
    view.sort.field !== defaultView.sort.field ||
    view.sort.direction !== defaultView.sort.direction
  ) {
    params.set("sort", `${view.sort.field}.${view.sort.direction}`);
  }
  const filters = stripEmpty(view.filters);
  if (Object.keys(filters).length > 0) params.set("f", JSON.stringify(filters));
  if (view.pageSize !== defaultView.pageSize) params.set("size", String(view.pageSize));
  if (view.columns.hidden.length) params.set("hide", view.columns.hidden.join(","));
  if (view.columns.order.join(",") !== columnIds.join(","))
    params.set("order", view.columns.order.join(","));
  if (page?.cursor) {
    params.set("after", page.cursor);
    params.set("p", String(page.number));
  }
  return params;
}

export function countFilters(filters: ContactFilters): number {
  return Object.keys(stripEmpty(filters)).filter((k) => k !== "tagMode").length;
}
