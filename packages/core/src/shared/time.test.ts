import { describe, expect, it } from "vitest";
import { todayIn } from "./time.ts";

describe("todayIn", () => {
  it.each([
    ["UTC", "2026-03-10T15:00:00Z", "2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"],
    [
      "Europe/Paris",
      "2026-03-10T23:30:00Z",
      "2026-03-10T23:00:00.000Z",
      "2026-03-11T23:00:00.000Z",
    ],
    // The spring-forward day in Paris has 23 hours; the fall-back day in New York 25.
    [
      "Europe/Paris",
      "2026-03-29T12:00:00Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
    ],
    [
      "America/New_York",
      "2026-11-01T12:00:00Z",
      "2026-11-01T04:00:00.000Z",
      "2026-11-02T05:00:00.000Z",
    ],
    [
      "Pacific/Kiritimati",
      "2026-03-10T15:00:00Z",
      "2026-03-10T10:00:00.000Z",
      "2026-03-11T10:00:00.000Z",
    ],
    [
      "Asia/Kolkata",
      "2026-12-31T20:00:00Z",
      "2026-12-31T18:30:00.000Z",
      "2027-01-01T18:30:00.000Z",
    ],
  ])("finds the day around %s %s", (zone, now, start, end) => {
    const today = todayIn(new Date(now), zone);
    expect(today.start.toISOString()).toBe(start);
    expect(today.end.toISOString()).toBe(end);
  });
});
