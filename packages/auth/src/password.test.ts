import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.ts";
import { signUpSchema } from "./password-policy.ts";

describe("password hashing", () => {
  it("stores an argon2id hash that verifies only the same password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery stapl")).toBe(false);
  });

  it("answers false, not an error, for an unknown user or a damaged hash", async () => {
    expect(await verifyPassword(null, "anything at all")).toBe(false);
    expect(await verifyPassword("not-a-hash", "anything at all")).toBe(false);
  });
});

describe("sign-up password rule", () => {
  const base = { name: "Maya Lin", email: "maya@example.com" };
  const passwordIssues = (password: string) => {
    const result = signUpSchema.safeParse({ ...base, password });
    return result.success
      ? []
      : result.error.issues.filter((i) => i.path[0] === "password").map((i) => i.message);
  };

  it("accepts a long passphrase", () => {
    expect(passwordIssues("juniper kettle orbit sails")).toEqual([]);
  });

  it.each(["password123", "aaaaaaaaaaaa", "qwertyuiop12", "mayalin2024!", "maya@example.com"])(
    "refuses the guessable %s",
    (password) => {
      expect(passwordIssues(password).join(" ")).toMatch(/too easy to guess|at least/);
    },
  );

  it("refuses passwords that are too short or too long", () => {
    expect(passwordIssues("Sh0rt!x")).toEqual(["Use at least 10 characters."]);
    expect(passwordIssues("x".repeat(129))).toEqual(["Use at most 128 characters."]);
  });

  it("normalizes the email and rejects unknown fields", () => {
    const ok = signUpSchema.parse({
      ...base,
      email: " Maya@Example.COM ",
      password: "juniper kettle orbit sails",
    });
    expect(ok.email).toBe("maya@example.com");
    expect(
      signUpSchema.safeParse({ ...base, password: "juniper kettle orbit sails", admin: true })
        .success,
    ).toBe(false);
  });
});
