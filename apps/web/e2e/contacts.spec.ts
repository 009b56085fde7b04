import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signIn, signOut, signUp, uniqueEmail } from "./support/users";

const table = (page: Page) => page.getByRole("region", { name: "Contacts" });

test("create, find, edit and delete a contact; another user never sees it", async ({ page }) => {
  const maya = uniqueEmail("maya");
  await signUp(page, "Maya Lin", maya);

  await page.getByRole("link", { name: "Contacts" }).first().click();
  await expect(table(page).getByText("No contacts yet.")).toBeVisible();
  await page.getByRole("link", { name: "Add contact" }).click();

  // The browser checks with the same schema as the API.
  await page.getByLabel("Name").fill("Rosa Diaz");
  await page.getByLabel("Email 1 (primary)").fill("rosa@");
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();

  await page.getByLabel("Email 1 (primary)").fill("Rosa.Diaz@Gmail.com");
  await page.getByLabel("Phone 1 (primary)").fill("+1 555 010 2000");
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Diaz" })).toBeVisible();
  await expect(page.getByText("rosa.diaz@gmail.com")).toBeVisible();
  const contactUrl = page.url();

  // A duplicate email is reported on the email field by the server.
  await page.goto("/contacts/new");
  await page.getByLabel("Name").fill("Rosa Again");
  await page.getByLabel("Email 1 (primary)").fill("rosa.diaz@gmail.com");
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByText("Rosa Diaz already has this email.")).toBeVisible();

  await page.goto("/contacts");
  await page.getByRole("searchbox", { name: "Search contacts" }).fill("rosa");
  await expect(page).toHaveURL(/q=rosa/);
  await expect(table(page).getByRole("row")).toHaveCount(2);
  await table(page).getByRole("link", { name: "Rosa Diaz" }).click();

  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Name").fill("Rosa Díaz-Moreno");
  await page.getByLabel("Phone 1 (primary)").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz-Moreno" })).toBeVisible();
  await expect(page.getByText("Not set")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz-Moreno" })).toBeVisible();

  // Another practitioner: no trace of Maya's client, not even by its address.
  await signOut(page);
  await signUp(page, "Noor Haddad", uniqueEmail("noor"));
  await page.goto("/contacts");
  await expect(table(page).getByText("No contacts yet.")).toBeVisible();
  await page.goto(contactUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Contact not found" })).toBeVisible();
  await expect(page.getByText("Rosa")).toHaveCount(0);
  const id = contactUrl.split("/").pop()!;
  const res = await page.request.post("/api/trpc/contacts.delete", {
    data: { json: { ids: [id] } },
  });
  expect(res.status()).toBe(404);
  await signOut(page);

  // Back as Maya: the contact is intact, then deleted for good.
  await signIn(page, maya);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome, Maya" })).toBeVisible();
  await page.goto(contactUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz-Moreno" })).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Delete Rosa Díaz-Moreno?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Delete contact" }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.getByText("Rosa Díaz-Moreno was deleted.")).toBeVisible();
  await expect(table(page).getByText("No contacts yet.")).toBeVisible();

  // Undo brings it back, with everything it had.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Rosa Díaz-Moreno was restored.")).toBeVisible();
  await expect(table(page).getByRole("link", { name: "Rosa Díaz-Moreno" })).toBeVisible();
  await table(page).getByRole("link", { name: "Rosa Díaz-Moreno" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz-Moreno" })).toBeVisible();
  await expect(page.getByRole("main").getByText("rosa.diaz@gmail.com")).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete contact" }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(table(page).getByText("No contacts yet.")).toBeVisible();
  await page.goto(contactUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Contact not found" })).toBeVisible();
});

test("sorting and paging through the table", async ({ page }) => {
  await signUp(page, "Ada Quinn", uniqueEmail("ada"));
  const names = [
    "Yara",
    "bea",
    "Abel",
    "Zoe",
    "Cleo",
    "Dana",
    "Eli",
    "Fern",
    "Gio",
    "Hana",
    "Ivo",
    "Juno",
  ];
  for (const name of names) await createContactViaApi(page.request, { name });

  await page.goto("/contacts");
  // A choice made before the page has hydrated is lost: choose until the URL shows it.
  await expect(async () => {
    await page.getByLabel("Rows per page").selectOption("10");
    await expect(page).toHaveURL(/[?&]size=10\b/, { timeout: 1000 });
  }).toPass();
  await page.getByRole("button", { name: /^Name/ }).click();
  const firstColumn = () => table(page).getByRole("row").locator("td:nth-child(2)");
  await expect(firstColumn()).toHaveText([
    "Abel",
    "bea",
    "Cleo",
    "Dana",
    "Eli",
    "Fern",
    "Gio",
    "Hana",
    "Ivo",
    "Juno",
  ]);
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute(
    "aria-sort",
    "ascending",
  );

  await page.getByRole("button", { name: "Next" }).click();
  await expect(firstColumn()).toHaveText(["Yara", "Zoe"]);
  await expect(page.getByText("Page 2")).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();

  await page.getByRole("button", { name: "Previous" }).click();
  await expect(firstColumn()).toHaveCount(10);
  await expect(firstColumn().first()).toHaveText("Abel");

  await page.getByRole("button", { name: /^Name/ }).click();
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  await expect(firstColumn().first()).toHaveText("Zoe");
});
