import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirectPath("/contacts?x=1")).toBe("/contacts?x=1");
    expect(safeRedirectPath("http://localhost:3000/contacts/abc", "http://localhost:3000")).toBe(
      "/contacts/abc",
    );
  });

  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "",
    null,
  ])("sends %s home", (target) => {
    expect(safeRedirectPath(target, "http://localhost:3000")).toBe("/");
  });
});
