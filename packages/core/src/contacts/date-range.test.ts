import { describe, expect, it } from "vitest";
import { resolveDateRange } from "./date-range.ts";

// Wednesday 2026-11-18, 23:30 in New York, which is already Thursday in UTC.
const now = new Date("2026-11-19T04:30:00Z");

describe("resolveDateRange", () => {
  it("resolves presets in the user's time zone", () => {
    expect(resolveDateRange({ preset: "today" }, "America/New_York", now)).toEqual({
      from: new Date("2026-11-18T05:00:00.000Z"),
      to: new Date("2026-11-19T04:59:59.999Z"),
    });
    expect(resolveDateRange({ preset: "today" }, "UTC", now).from).toEqual(
      new Date("2026-11-19T00:00:00.000Z"),
    );
  });

  it("starts weeks on Monday and covers whole months, quarters and years", () => {
    expect(resolveDateRange({ preset: "this_week" }, "Europe/Berlin", now)).toEqual({
      from: new Date("2026-11-15T23:00:00.000Z"),
      to: new Date("2026-11-22T22:59:59.999Z"),
    });
    expect(resolveDateRange({ preset: "this_month" }, "UTC", now).from).toEqual(
      new Date("2026-11-01T00:00:00.000Z"),
    );
    expect(resolveDateRange({ preset: "this_quarter" }, "UTC", now).from).toEqual(
      new Date("2026-10-01T00:00:00.000Z"),
    );
    expect(resolveDateRange({ preset: "this_year" }, "UTC", now).to).toEqual(
      new Date("2026-12-31T23:59:59.999Z"),
    );
    expect(resolveDateRange({ preset: "last_7_days" }, "UTC", now).from).toEqual(
      new Date("2026-11-13T00:00:00.000Z"),
    );
  });

  it("passes custom ranges through", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    expect(resolveDateRange({ from }, "UTC", now)).toEqual({ from, to: undefined });
  });
});
