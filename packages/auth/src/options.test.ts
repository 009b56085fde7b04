import type { Db } from "@omnicrm/db";
import { afterEach, describe, expect, it, vi } from "vitest";

async function providersWith(env: Record<string, string>): Promise<string[]> {
  vi.stubEnv("NEXTAUTH_SECRET", "s".repeat(40));
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  vi.resetModules();
  const { createAuthOptions } = await import("./options.ts");
  return createAuthOptions({} as Db).providers.map((provider) => provider.id);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("auth options", () => {
  it("offers Google sign-in only when both Google settings are present", async () => {
    expect(await providersWith({ GOOGLE_CLIENT_ID: "", GOOGLE_CLIENT_SECRET: "" })).toEqual([
      "credentials",
    ]);
    expect(await providersWith({ GOOGLE_CLIENT_ID: "id.apps", GOOGLE_CLIENT_SECRET: "" })).toEqual([
      "credentials",
    ]);
    expect(
      await providersWith({ GOOGLE_CLIENT_ID: "id.apps", GOOGLE_CLIENT_SECRET: "shh" }),
    ).toEqual(["credentials", "google"]);
  });

  it("refuses to build without a strong enough secret, naming the variable", async () => {
    vi.stubEnv("NEXTAUTH_SECRET", "short");
    vi.resetModules();
    const { createAuthOptions } = await import("./options.ts");
    expect(() => createAuthOptions({} as Db)).toThrow(
      /NEXTAUTH_SECRET must be at least 32 characters/,
    );
  });
});
