import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support/users";

test("a practitioner signs up, signs out, and signs back in", async ({ page }) => {
  const email = uniqueEmail("maya");
  await signUp(page, "Maya Lin", email);

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.includes("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await signOut(page);
  await page.goto("/contacts");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);

  await signIn(page, email.toUpperCase());
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
});

test("sign-up explains what is wrong with each field", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Sam");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText(/This password is too easy to guess/)).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("a wrong password is refused with the same message as an unknown email", async ({ page }) => {
  const email = uniqueEmail("kim");
  await signUp(page, "Kim Park", email);
  await signOut(page);

  await signIn(page, email, "not the password at all");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "Email or password is incorrect.",
  );
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, uniqueEmail("nobody"), PASSWORD);
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "Email or password is incorrect.",
  );

  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome, Kim" })).toBeVisible();
});

test("signed-out visitors are sent to sign-in and the API refuses them", async ({
  page,
  request,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  const res = await request.get("/api/trpc/contacts.list?input=%7B%22json%22%3A%7B%7D%7D");
  expect(res.status()).toBe(401);
  expect(res.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  const body = await res.text();
  expect(body).toContain("Sign in to continue.");
  expect(body).not.toMatch(/stack|node_modules/);
});

test("the health endpoint reports the database without secrets", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; checks: { database: { status: string } } };
  expect(body.status).toBe("ok");
  expect(body.checks.database.status).toBe("up");
  expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\/|password|secret/i);
});
