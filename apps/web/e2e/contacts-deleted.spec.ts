import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

const table = (page: Page) => page.getByRole("region", { name: "Contacts" });
const nameCells = (page: Page) => table(page).getByRole("row").locator("td:nth-child(2)");
const binItems = (page: Page) =>
  page.getByRole("list", { name: "Recently deleted contacts" }).getByRole("listitem");

test("deleted contacts wait in Recently deleted with the time left, and come back when restored", async ({
  page,
}) => {
  await signUp(page, "Ivy Bin", uniqueEmail("ivy"));
  const nora = await createContactViaApi(page.request, {
    name: "Nora Single",
    emails: ["nora@example.com"],
  });
  await createContactViaApi(page.request, { name: "Owen Bulk" });
  await createContactViaApi(page.request, { name: "Pia Stays" });

  await page.goto("/contacts/deleted");
  await expect(page.getByRole("heading", { level: 1, name: "Recently deleted" })).toBeVisible();
  await expect(page.getByText("Nothing here.", { exact: false })).toBeVisible();

  // One deleted from its page…
  await page.goto(`/contacts/${nora.id}`);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete contact" }).click();
  await expect(page.getByText("Nora Single was deleted.")).toBeVisible();

  // …one with the table's bulk delete.
  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Owen Bulk", "Pia Stays"]);
  await page.getByRole("checkbox", { name: "Select Owen Bulk" }).first().check();
  await page
    .getByRole("toolbar", { name: "Selected contacts" })
    .getByRole("button", { name: "Delete" })
    .click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete 1 contact" }).click();
  await expect(page.getByText("1 contact deleted.")).toBeVisible();
  await expect(nameCells(page)).toHaveText(["Pia Stays"]);

  // Both are in Recently deleted, newest first, with when and how long is left.
  await page.getByRole("link", { name: "Recently deleted" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Recently deleted" })).toBeVisible();
  await expect(binItems(page)).toHaveCount(2);
  await expect(binItems(page).nth(0)).toContainText("Owen Bulk");
  await expect(binItems(page).nth(1)).toContainText("Nora Single");
  await expect(binItems(page).nth(1)).toContainText("nora@example.com");
  for (const item of await binItems(page).all()) {
    await expect(item).toContainText("Deleted just now");
    await expect(item).toContainText("30 days left");
  }

  // Restore one: it is back in the table, the other one stays in the bin.
  await page.getByRole("button", { name: "Restore Nora Single" }).click();
  await expect(page.getByText("Nora Single was restored.")).toBeVisible();
  await expect(binItems(page)).toHaveCount(1);
  await expect(binItems(page)).toContainText("Owen Bulk");

  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Nora Single", "Pia Stays"]);
  await page.goto("/contacts/deleted");
  await expect(binItems(page)).toHaveCount(1);
  await expect(binItems(page)).toContainText("Owen Bulk");

  // Restore the selection.
  await page.getByRole("checkbox", { name: "Select Owen Bulk" }).check();
  await page.getByRole("button", { name: "Restore 1 contact" }).click();
  await expect(page.getByText("Owen Bulk was restored.")).toBeVisible();
  await expect(page.getByText("Nothing here.", { exact: false })).toBeVisible();
  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Nora Single", "Owen Bulk", "Pia Stays"]);
});

test("contacts deleted together are restored together, and the page says so", async ({ page }) => {
  await signUp(page, "Jo Batch", uniqueEmail("jo"));
  const ids = [];
  for (const name of ["Quinn One", "Rae Two"]) {
    ids.push((await createContactViaApi(page.request, { name })).id);
  }
  const res = await page.request.post("/api/trpc/contacts.delete", { data: { json: { ids } } });
  expect(res.status(), await res.text()).toBe(200);

  await page.goto("/contacts/deleted");
  await expect(binItems(page)).toHaveCount(2);
  // One deletion, listed by name.
  await expect(binItems(page).nth(0)).toContainText(
    "Quinn OneDeleted together with Rae Two; restored together.",
  );
  await expect(binItems(page).nth(1)).toContainText(
    "Rae TwoDeleted together with Quinn One; restored together.",
  );
  // Selecting one selects its whole deletion.
  await page.getByRole("checkbox", { name: "Select Quinn One" }).check();
  await expect(page.getByRole("checkbox", { name: "Select Rae Two" })).toBeChecked();
  await page
    .getByRole("button", { name: /^Restore Rae Two and the 1 contact deleted with it/ })
    .click();
  await expect(page.getByText("2 contacts restored.")).toBeVisible();
  await expect(page.getByText("Nothing here.", { exact: false })).toBeVisible();
});
