import { describe, expect, it } from "vitest";
import { plainSummary, safeUrl } from "./text";

describe("safeUrl", () => {
  it.each([
    "https://example.com/plan",
    "http://example.com",
    "mailto:rosa@example.com",
    "tel:+15550102000",
    "  HTTPS://EXAMPLE.COM  ",
  ])("lets notes link to %s", (url) => {
    expect(safeUrl(url)).toBe(url.trim());
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "/contacts",
    "//evil.example",
    "ftp://example.com",
    "",
  ])("refuses %s", (url) => {
    expect(safeUrl(url)).toBeNull();
  });
});

describe("plainSummary", () => {
  it.each([
    ["## First session", "First session"],
    ["**Breathing** went *great*", "Breathing went great"],
    ["- [ ] send the meal plan", "send the meal plan"],
    ["1. walk daily", "walk daily"],
    ["> quoted", "quoted"],
    ["See [the plan](https://example.com/plan)", "See the plan"],
    ["`code` and ~~gone~~", "code and gone"],
    ["__strong__ and _soft_", "strong and soft"],
    ["keeps snake_case_words and 2 * 3 * 4", "keeps snake_case_words and 2 * 3 * 4"],
    ["<script>alert(1)</script>", "<script>alert(1)</script>"],
  ])("shows %j as %j", (summary, plain) => {
    expect(plainSummary("note.added", summary)).toBe(plain);
  });

  it("leaves other entries and all-markup lines as they are", () => {
    expect(plainSummary("task.completed", "Task done: **x**")).toBe("Task done: **x**");
    expect(plainSummary("note.added", "##")).toBe("##");
  });
});
