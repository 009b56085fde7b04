import type { ContactPage } from "@omnicrm/core";
import superjson, { type SuperJSONResult, type SuperJSONValue } from "superjson";
import { describe, expect, it, vi } from "vitest";
import { compactContactPage, transformer } from "./transformer.ts";

const page: ContactPage = {
  items: [
    {
      id: "0b9f7d0e-8a7e-4c57-9a43-5d1f0c2b7a11",
      name: 'Zoë O\'Brien, "Zo"',
      email: "zoe@gmail.com",
      phone: "+1 (555) 010-0200",
      stage: "active",
      tags: [
        { id: "7d3c9a2e-1f4b-4e8a-9c6d-2b5a8e1f0c33", name: "Prenatal", color: "#ff8800" },
        { id: "9a1e4c7b-3d2f-4b6a-8e5c-1f0d7a9b2c44", name: "Yoga", color: null },
      ],
      lastInteractionAt: new Date("2026-11-30T08:15:30.123Z"),
      createdAt: new Date("2024-02-29T23:59:59.999Z"),
      updatedAt: new Date("2026-12-01T00:00:00.000Z"),
    },
    {
      id: "2c4e6a8b-0d1f-4a3c-8e5b-7d9f1b3d5e66",
      name: "=cmd|' /C calc'!A0",
      email: null,
      phone: null,
      stage: "lead",
      tags: [],
      lastInteractionAt: null,
      createdAt: new Date("1970-01-01T00:00:00.000Z"),
      updatedAt: new Date("2026-12-06T12:00:00.000Z"),
    },
  ],
  nextCursor: "eyJmIjoibmFtZSJ9",
  prevCursor: null,
};

const overTheWire = (value: SuperJSONValue) =>
  transformer.deserialize<ContactPage>(
    JSON.parse(JSON.stringify(transformer.serialize(value))) as SuperJSONResult,
  );

describe("the API's transformer", () => {
  it("brings a compact contacts page back as the same page, dates as Dates", () => {
    const back = overTheWire(compactContactPage(page));
    expect(back).toStrictEqual(page);
    expect(back.items[0]!.lastInteractionAt).toBeInstanceOf(Date);
    expect(back.items[1]!.lastInteractionAt).toBeNull();
  });

  it("encodes a page that another copy of the module marked, as in a server bundle", async () => {
    vi.resetModules();
    const other = await import("./transformer.ts");
    expect(other.compactContactPage).not.toBe(compactContactPage);
    const encoded = transformer.serialize(other.compactContactPage(page));
    expect(JSON.stringify(encoded)).not.toContain("createdAt");
    expect(overTheWire(other.compactContactPage(page))).toStrictEqual(page);
  });

  it("keeps a page wrapped inside another result, and an empty page", () => {
    const empty: ContactPage = { items: [], nextCursor: null, prevCursor: null };
    const back = overTheWire({ pages: [compactContactPage(page), compactContactPage(empty)] });
    expect(back).toStrictEqual({ pages: [page, empty] });
  });

  it("sends rows as tuples without the per-date annotations superjson would add", () => {
    const compact = JSON.stringify(transformer.serialize(compactContactPage(page)));
    const plain = superjson.stringify(page);
    expect(compact.length).toBeLessThan(plain.length * 0.75);
    expect(compact).not.toContain("createdAt");
  });

  it("leaves every other value to superjson's own encoding", () => {
    const value = { at: new Date("2026-12-06T00:00:00Z"), ids: new Set(["a"]), n: 1n };
    expect(transformer.serialize(value)).toStrictEqual(superjson.serialize(value));
    expect(overTheWire(value)).toStrictEqual(value);
  });
});
