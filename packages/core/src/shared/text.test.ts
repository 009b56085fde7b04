import { describe, expect, it } from "vitest";
import { deriveKey } from "./keys.ts";
import { firstLine, sameName, slugify, truncate } from "./text.ts";

describe("text helpers", () => {
  it("slugifies labels into ASCII keys", () => {
    expect(slugify("Date of birth", 60)).toBe("date_of_birth");
    expect(slugify("  Élan vital! ", 60)).toBe("elan_vital");
    expect(slugify("Straße & Øl", 60)).toBe("strasse_ol");
    expect(slugify("__On--hold__", 60)).toBe("on_hold");
    expect(slugify("a ".repeat(50), 40)).toHaveLength(39);
    expect(slugify("日本語", 60)).toBe("");
  });

  it("derives a stable key even from labels without Latin letters", () => {
    expect(deriveKey("On hold", 40, "stage")).toBe("on_hold");
    const key = deriveKey("日本語", 40, "stage");
    expect(key).toMatch(/^stage_[0-9a-f]{10}$/);
    expect(deriveKey(" 日本語 ", 40, "stage")).toBe(key);
    expect(deriveKey("中文", 40, "stage")).not.toBe(key);
  });

  it("cuts text by characters, never inside one", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("🌿".repeat(10), 5)).toBe("🌿🌿🌿🌿…");
    expect(firstLine("\n  \n  Title  \nbody", 140)).toBe("Title");
  });

  it("compares names without case", () => {
    expect(sameName("Yoga", "yOGA")).toBe(true);
    expect(sameName("Café", "CAFE\u0301")).toBe(true);
    expect(sameName("abc", "a_c")).toBe(false);
  });
});
