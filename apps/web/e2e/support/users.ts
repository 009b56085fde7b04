import { randomBytes } from "node:crypto";
import type { ContactInput } from "@omnicrm/api/schemas";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const PASSWORD = "juniper kettle orbit sails";

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${randomBytes(4).toString("hex")}@example.com`;
}

export async function signUp(page: Page, name: string, email: string): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${name.split(" ")[0]}` }),
  ).toBeVisible();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Creates a contact through the API with the page's session, as the browser's client would. */
export async function createContactViaApi(
  request: APIRequestContext,
  contact: ContactInput,
): Promise<{ id: string }> {
  const res = await request.post("/api/trpc/contacts.create", { data: { json: contact } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { id: string } } } };
  return body.result.data.json;
}
