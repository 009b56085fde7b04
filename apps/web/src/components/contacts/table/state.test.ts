import { describe, expect, it } from "vitest";
import {
  defaultView,
  normalizeOrder,
  viewFromSearchParams,
  viewToSearchParams,
  type TableView,
} from "./state";

describe("table view in the URL", () => {
  it("round-trips a full view", () => {
    const view: TableView = {
      search: "maya",
      sort: { field: "name", direction: "asc" },
      filters: {
        stages: ["active"],
        tagIds: ["0190b6a4-0000-7000-8000-000000000001"],
        tagMode: "all",
        createdAt: { preset: "this_month" },
        noInteraction: true,
      },
      columns: {
        order: ["name", "stage", "email", "phone", "tags", "lastInteractionAt", "createdAt"],
        hidden: ["phone"],
      },
      pageSize: 100,
    };
    const params = viewToSearchParams(view, { cursor: "abc", number: 3 });
    expect(viewFromSearchParams(new URLSearchParams(params.toString()))).toEqual(view);
    expect(params.get("after")).toBe("abc");
    expect(params.get("p")).toBe("3");
  });

  it("keeps the default view's URL empty", () => {
    expect(viewToSearchParams(defaultView).toString()).toBe("");
  });

  it("ignores what it cannot read instead of failing", () => {
    const view = viewFromSearchParams(
      new URLSearchParams({
        sort: "password.asc",
        f: "{not json",
        size: "7",
        hide: "name,bogus,email",
        q: "x".repeat(300),
      }),
    );
    expect(view.sort).toEqual(defaultView.sort);
    expect(view.filters).toEqual({});
    expect(view.pageSize).toBe(defaultView.pageSize);
    expect(view.columns.hidden).toEqual(["email"]);
    expect(view.search).toHaveLength(200);
    const badFilter = viewFromSearchParams(
      new URLSearchParams({ f: JSON.stringify({ stages: ["<script>"] }) }),
    );
    expect(badFilter.filters).toEqual({});
  });

  it("completes a column order and keeps the name first", () => {
    expect(normalizeOrder(["email", "name", "bogus"])).toEqual([
      "name",
      "email",
      "phone",
      "stage",
      "tags",
      "lastInteractionAt",
      "createdAt",
    ]);
  });
});
