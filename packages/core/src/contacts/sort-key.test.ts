import { describe, expect, it } from "vitest";
import { nameSortKey } from "./service.ts";

describe("nameSortKey", () => {
  it("folds case and accents so names sort as people expect", () => {
    const names = ["Zoë", "élodie", "Eli", "Ángel", "bea", "Åsa", "ÉMILE"];
    const sorted = [...names].sort((a, b) => (nameSortKey(a) < nameSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(["Ángel", "Åsa", "bea", "Eli", "élodie", "ÉMILE", "Zoë"]);
  });

  it("trims and keeps within the column's length", () => {
    expect(nameSortKey("  Maya  ")).toBe("maya");
    expect(nameSortKey("x".repeat(300))).toHaveLength(200);
  });
});
