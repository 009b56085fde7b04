import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyRing, needsRotation, open, seal, VaultError } from "./vault.ts";

const key = () => randomBytes(32).toString("base64");

describe("token vault", () => {
  it("seals and opens, with a fresh IV each time", () => {
    const ring = keyRing(`k1:${key()}`);
    const a = seal(ring, '{"refreshToken":"1//secret"}', "user-1");
    const b = seal(ring, '{"refreshToken":"1//secret"}', "user-1");
    expect(a.keyId).toBe("k1");
    expect(a.sealed).not.toBe(b.sealed);
    expect(a.sealed).not.toContain("secret");
    expect(open(ring, a.sealed, "user-1")).toBe('{"refreshToken":"1//secret"}');
  });

  it("refuses an altered value and one moved to another owner", () => {
    const ring = keyRing(`k1:${key()}`);
    const { sealed } = seal(ring, "token", "user-1");
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[4]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    parts[4] = flipped.toString("base64url");
    expect(() => open(ring, parts.join("."), "user-1")).toThrow(VaultError);
    expect(() => open(ring, sealed, "user-2")).toThrow(
      "The sealed value does not open with its key: it was altered or moved.",
    );
    expect(() => open(ring, "garbage", "user-1")).toThrow("The sealed value is malformed.");
  });

  it("rotates: the new key seals, the previous key still opens, a dropped key says which", () => {
    const oldSpec = `old:${key()}`;
    const before = keyRing(oldSpec);
    const { sealed } = seal(before, "token", "u");
    const after = keyRing(`new:${key()}`, [oldSpec]);
    expect(open(after, sealed, "u")).toBe("token");
    expect(needsRotation(after, sealed)).toBe(true);
    expect(needsRotation(after, seal(after, "token", "u").sealed)).toBe(false);
    expect(() => open(keyRing(`new:${key()}`), sealed, "u")).toThrow(/The key "old"/);
  });

  it("refuses a key of the wrong size", () => {
    expect(() => keyRing(`k:${randomBytes(16).toString("base64")}`)).toThrow(VaultError);
  });
});
