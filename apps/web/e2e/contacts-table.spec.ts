import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

const table = (page: Page) => page.getByRole("region", { name: "Contacts" });
const nameCells = (page: Page) => table(page).getByRole("row").locator("td:nth-child(2)");

async function call(page: Page, path: string, input: unknown): Promise<unknown> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

test("search, filter, sort, keyboard and a saved view, all reproduced by the URL", async ({
  page,
}) => {
  await signUp(page, "Ada Quinn", uniqueEmail("ada"));
  await createContactViaApi(page.request, { name: "Zoe Active", stage: "active" });
  await createContactViaApi(page.request, { name: "Abel Active", stage: "active" });
  await createContactViaApi(page.request, { name: "Lena Lead" });
  await createContactViaApi(page.request, { name: "Pia Past", stage: "past" });

  await page.goto("/contacts");
  await page.getByRole("group", { name: "Filters" }).getByRole("button", { name: "Stage" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Active client" }).click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /^Name/ }).click();
  await expect(nameCells(page)).toHaveText(["Abel Active", "Zoe Active"]);
  await expect(page).toHaveURL(/sort=name\.asc/);

  // The URL alone brings back the same screen.
  await page.reload();
  await expect(nameCells(page)).toHaveText(["Abel Active", "Zoe Active"]);
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute(
    "aria-sort",
    "ascending",
  );

  await page.getByRole("button", { name: "Views" }).click();
  await page.getByRole("menuitem", { name: "Save current view…" }).click();
  await page.getByLabel("Name").fill("Active clients A-Z");
  await page.getByRole("button", { name: "Save view" }).click();
  await expect(page.getByText("View “Active clients A-Z” saved.")).toBeVisible();

  await page.goto("/contacts");
  await expect(nameCells(page)).toHaveCount(4);
  await page.getByRole("button", { name: "Views" }).click();
  await page.getByRole("menuitem", { name: "Active clients A-Z" }).click();
  await expect(nameCells(page)).toHaveText(["Abel Active", "Zoe Active"]);

  // Keyboard: / focuses search; in the table arrows move, x selects, Enter opens.
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox", { name: "Search contacts" })).toBeFocused();
  await page.keyboard.type("zoe");
  await expect(nameCells(page)).toHaveText(["Zoe Active"]);
  await page.getByRole("searchbox", { name: "Search contacts" }).fill("");
  await expect(nameCells(page)).toHaveCount(2);
  await table(page).focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("x");
  await expect(page.getByRole("toolbar", { name: "Selected contacts" })).toContainText(
    "1 contact selected",
  );
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Zoe Active" })).toBeVisible();
});

test("bulk tag and stage, export the selection and read it back, delete and undo", async ({
  page,
}) => {
  await signUp(page, "Bea Bulk", uniqueEmail("bea"));
  for (const name of ["Cleo One", "Dora Two", "Emil Three"]) {
    await createContactViaApi(page.request, {
      name,
      emails: [`${name.split(" ")[0]!.toLowerCase()}@gmail.com`],
    });
  }
  await call(page, "tags.create", { name: "Retreat 2027" });

  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Cleo One", "Dora Two", "Emil Three"]);
  await page.getByRole("checkbox", { name: "Select Cleo One" }).first().check();
  await page.getByRole("checkbox", { name: "Select Emil Three" }).first().check();
  const bar = page.getByRole("toolbar", { name: "Selected contacts" });
  await expect(bar).toContainText("2 contacts selected");

  await bar.getByRole("button", { name: "Tag", exact: true }).click();
  await page.getByRole("menuitem", { name: "Retreat 2027" }).click();
  await expect(page.getByText("Tagged 2 contacts “Retreat 2027”.")).toBeVisible();
  await expect(table(page).getByRole("row", { name: /Cleo One/ })).toContainText("Retreat 2027");

  await bar.getByRole("button", { name: "Stage", exact: true }).click();
  await page.getByRole("menuitem", { name: "Past client" }).click();
  await expect(table(page).getByRole("row", { name: /Emil Three/ })).toContainText("Past client");
  await expect(table(page).getByRole("row", { name: /Dora Two/ })).toContainText("Lead");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    bar.getByRole("button", { name: "Export" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^omnicrm-contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toMatch(
    /^Name,Email,Other emails,Phone,Other phones,Stage,Source,Tags,Created,Last interaction/,
  );
  expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
    "Cleo One,cleo@gmail.com",
    "Emil Three,emil@gmail.com",
  ]);
  expect(lines[1]).toContain("past,,Retreat 2027");

  await bar.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete 2 contacts" }).click();
  await expect(page.getByText("2 contacts deleted.")).toBeVisible();
  await expect(nameCells(page)).toHaveText(["Dora Two"]);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("2 contacts restored.")).toBeVisible();
  await expect(nameCells(page)).toHaveText(["Cleo One", "Dora Two", "Emil Three"]);
});
