import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

async function mutate(page: Page, path: string, input: unknown): Promise<void> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
}

// The end-to-end server has a (local) AI provider but no Inngest server: nothing can be indexed
// by meaning, so search works by keyword and the index status says why.
test("search from the navigation finds notes and contacts as you type, says why nothing is indexed by meaning, and opens the client", async ({
  page,
}) => {
  await signUp(page, "Iris Stone", uniqueEmail("iris"));
  const maria = await createContactViaApi(page.request, { name: "Maria Lopez" });
  await mutate(page, "notes.create", {
    contactId: maria.id,
    body: "Knee pain after long runs\nWe worked on hip mobility.",
  });
  await createContactViaApi(page.request, { name: "Kneeland Park" });

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Search" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();
  const box = page.getByRole("searchbox", { name: "Search contacts, notes, emails and sessions" });
  await box.pressSequentially("kne", { delay: 40 });
  await expect(page).toHaveURL(/q=kne/);
  await expect(page.getByText("2 results for “kne”")).toBeVisible();
  await expect(
    page.getByText(/^Background jobs cannot run, so nothing new is indexed/),
  ).toBeVisible();
  await expect(page.getByText("Waiting to be indexed")).toBeVisible();

  await page.getByRole("button", { name: "Notes" }).click();
  await expect(page.getByText("1 result for “kne”")).toBeVisible();
  const result = page.getByRole("link", { name: /Knee pain after long runs/ });
  await expect(result.getByText("Keyword", { exact: true })).toBeVisible();
  await result.click();
  await expect(page.getByRole("heading", { level: 1, name: "Maria Lopez" })).toBeVisible();
});
