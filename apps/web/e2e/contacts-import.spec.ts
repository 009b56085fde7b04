import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

const table = (page: Page) => page.getByRole("region", { name: "Contacts" });
const tableRow = (page: Page, name: string) =>
  table(page)
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name, exact: true }) });
const columnSelect = (page: Page, header: string) =>
  page.getByRole("combobox", { name: `Import column ${header} as`, exact: true });
const chosen = (page: Page, header: string) => columnSelect(page, header).locator("option:checked");

/**
 * A Google Contacts export as a European Excel would save it: byte-order mark, semicolons,
 * CRLF, a quoted cell holding a semicolon and a line break. Rows (the header is row 1):
 * 2 new, 3 invalid email, 4 updates Rosa (created before), 5 repeats row 2's email, 6 new.
 */
const FILE_NAME = "google-contacts.csv";
const CSV =
  "\uFEFF" +
  [
    "First Name;Last Name;E-mail 1 - Label;E-mail 1 - Value;Phone 1 - Value;Labels;Referred by;Notes",
    'Maya;Lin;* Home;maya.lin@example.com;+1 555 010 1000;Yoga ::: * myContacts;Instagram;"Prefers mornings; tea\r\nAsk about her knee"',
    "Bob;Stone;* Work;bob@not-an-email;;;;",
    "Rosa;Diaz-Moreno;;ROSA.DIAZ@example.com;+1 555 010 2000;VIP;;",
    "Maya;Again;;Maya.Lin@Example.com;;;;",
    "Theo;Park;;theo.park@example.com;;Reiki ::: Yoga;Friend;",
  ].join("\r\n") +
  "\r\n";

test("import a messy Google Contacts CSV: map, preview, run, report, undo", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, "Ada Quinn", uniqueEmail("ada"));
  await createContactViaApi(page.request, {
    name: "Rosa Diaz",
    emails: ["rosa.diaz@example.com"],
    stage: "active",
  });

  // The entry point sits beside Export on the contacts page.
  await page.goto("/contacts");
  await expect(tableRow(page, "Rosa Diaz")).toBeVisible();
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/\/contacts\/import$/);
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
  await expect(page.getByText("No imports yet.")).toBeVisible();

  // A workbook instead of a CSV: the server's explanation shows inline.
  const upload = page.getByLabel("Choose a CSV file");
  await upload.setInputFiles({
    name: "clients.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]),
  });
  await expect(page.getByRole("alert").filter({ hasText: "clients.xlsx" })).toContainText(
    "clients.xlsx: This is an Excel workbook, not a CSV file.",
  );

  await upload.setInputFiles({
    name: FILE_NAME,
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8"),
  });

  // Mapping: the Google Contacts columns are recognized; the rest is the user's to choose.
  await expect(page.getByRole("heading", { name: "Match the columns" })).toBeVisible();
  await expect(page.getByText(`${FILE_NAME} · 5 rows · 8 columns`)).toBeVisible();
  await expect(page.getByText("This looks like a Google Contacts export")).toBeVisible();
  await expect(chosen(page, "First Name")).toHaveText("First name");
  await expect(chosen(page, "Last Name")).toHaveText("Last name");
  await expect(chosen(page, "E-mail 1 - Label")).toHaveText("Don't import");
  await expect(chosen(page, "E-mail 1 - Value")).toHaveText("Email");
  await expect(chosen(page, "Phone 1 - Value")).toHaveText("Phone");
  await expect(chosen(page, "Labels")).toHaveText("Tags");
  await expect(chosen(page, "Referred by")).toHaveText("Don't import");
  // First values of each column, the quoted line break shown as ↵.
  await expect(page.getByText("Prefers mornings; tea ↵ Ask about her knee")).toBeVisible();
  await expect(page.getByText("bob@not-an-email")).toBeVisible();

  // Two columns cannot both be the first name.
  await columnSelect(page, "Notes").selectOption({ label: "First name" });
  await expect(
    page.getByText("Only one column can be the first name: “First Name” already is."),
  ).toBeVisible();
  await columnSelect(page, "Notes").selectOption({ label: "Don't import" });
  await columnSelect(page, "Referred by").selectOption({ label: "Source" });
  await expect(
    page.getByText("Each row is matched to one of your contacts by its email"),
  ).toBeVisible();
  await expect(page.getByRole("radio", { name: "Email", exact: true })).toBeChecked();
  await expect(
    page.getByRole("checkbox", { name: /Remember this mapping for files with these columns/ }),
  ).toBeChecked();
  await expect(page.getByLabel("Name of the mapping")).toHaveValue("google-contacts");
  await page.getByRole("button", { name: "Preview the import" }).click();

  // The dry run: counts and samples of every kind; nothing written yet.
  await expect(page.getByRole("heading", { name: "Check before importing" })).toBeVisible();
  await expect(page.getByText("Nothing has been written yet.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Preview counts" }).getByRole("listitem")).toHaveText(
    ["2 new contacts", "1 contact to update", "1 duplicate in the file", "1 row with problems"],
  );
  const samples = (title: string) => page.getByRole("region", { name: title });
  await expect(samples("New contacts (2)").getByRole("listitem")).toHaveText([
    /Row 2.*Maya Lin.*maya\.lin@example\.com.*\+1 555 010 1000.*Source: Instagram.*Tags: Yoga/,
    /Row 6.*Theo Park.*theo\.park@example\.com.*Source: Friend.*Tags: Reiki, Yoga/,
  ]);
  await expect(samples("Contacts to update (1)").getByRole("listitem")).toHaveText([
    /Row 4.*Rosa Diaz-Moreno.*rosa\.diaz@example\.com.*updates “Rosa Diaz”/,
  ]);
  await expect(samples("Duplicates in the file (1)").getByRole("listitem")).toHaveText([
    /Row 5.*same email “maya\.lin@example\.com” as row 2/,
  ]);
  await expect(samples("Rows with problems (1)").getByRole("listitem")).toHaveText([
    /Row 3.*“bob@not-an-email” is not a valid email/,
  ]);

  // Back to mapping keeps the choices; previewing again gives the same answer.
  await page.getByRole("button", { name: "Back to mapping" }).click();
  await expect(page.getByRole("heading", { name: "Match the columns" })).toBeVisible();
  await expect(chosen(page, "Referred by")).toHaveText("Source");
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByRole("list", { name: "Preview counts" })).toContainText("2 new contacts");

  // Nothing was written by the previews.
  await page.goto("/contacts");
  await expect(table(page).getByRole("row")).toHaveCount(2);
  await expect(tableRow(page, "Rosa Diaz")).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();

  // The preview step is gone with the reload: upload again, the mapping was remembered.
  await page.getByLabel("Choose a CSV file").setInputFiles({
    name: FILE_NAME,
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8"),
  });
  await expect(page.getByText("We used your saved mapping “google-contacts”")).toBeVisible();
  await expect(chosen(page, "Referred by")).toHaveText("Source");
  await page.getByRole("button", { name: "Preview the import" }).click();
  await expect(page.getByRole("list", { name: "Preview counts" }).getByRole("listitem")).toHaveText(
    ["2 new contacts", "1 contact to update", "1 duplicate in the file", "1 row with problems"],
  );

  // Run: the progress bar fills, then the summary.
  await page.getByRole("button", { name: "Import 3 contacts" }).click();
  const progress = page.getByRole("progressbar", {
    name: `Progress of the import of ${FILE_NAME}`,
  });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await expect(page.getByText("5 of 5 rows (100%)")).toBeVisible();
  await expect(page.getByRole("list", { name: "Import summary" }).getByRole("listitem")).toHaveText(
    [/^2 created/, /^1 updated/, /^1 skipped/, /^1 failed/],
  );

  // The problem report names the invalid row and why, and the duplicate.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the problem report (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^omnicrm-import-problems-.*\.csv$/);
  const report = await readFile(await download.path(), "utf8");
  const lines = report
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe(
    "Row,Problem,First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Value,Labels,Referred by,Notes",
  );
  expect(lines.slice(1)).toEqual([
    "3,“bob@not-an-email” is not a valid email,Bob,Stone,* Work,bob@not-an-email,,,,",
    "5,same email “maya.lin@example.com” as row 2,Maya,Again,,Maya.Lin@Example.com,,,,",
  ]);

  // Past imports lists it, and the first upload that was only previewed.
  const pastImports = page.getByRole("list", { name: "Past imports" });
  await expect(pastImports.getByRole("listitem")).toHaveCount(2);
  await expect(pastImports.getByRole("listitem").first()).toContainText(`${FILE_NAME}`);
  await expect(pastImports.getByRole("listitem").first()).toContainText("Imported");
  await expect(pastImports.getByRole("listitem").first()).toContainText(
    "2 created · 1 updated · 1 skipped · 1 failed",
  );
  await expect(pastImports.getByRole("listitem").last()).toContainText("Previewed, not imported");

  // The contacts, with the values of the file; the invalid and duplicate rows are not there.
  await page.getByRole("link", { name: "See your contacts" }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(table(page).getByRole("row")).toHaveCount(4);
  const maya = tableRow(page, "Maya Lin");
  await expect(maya).toContainText("maya.lin@example.com");
  await expect(maya).toContainText("+1 555 010 1000");
  await expect(maya).toContainText("Lead");
  await expect(maya).toContainText("Yoga");
  const theo = tableRow(page, "Theo Park");
  await expect(theo).toContainText("theo.park@example.com");
  await expect(theo).toContainText("Reiki");
  const rosa = tableRow(page, "Rosa Diaz-Moreno");
  await expect(rosa).toContainText("rosa.diaz@example.com");
  await expect(rosa).toContainText("+1 555 010 2000");
  await expect(rosa).toContainText("Active client");
  await expect(rosa).toContainText("VIP");
  await expect(table(page).getByText("Bob")).toHaveCount(0);
  await expect(table(page).getByText("Maya Again")).toHaveCount(0);
  await table(page).getByRole("link", { name: "Maya Lin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Maya Lin" })).toBeVisible();
  await expect(page.getByRole("main").getByText("Instagram")).toBeVisible();

  // Undo from the list of past imports, after a confirmation.
  await page.goto("/contacts/import");
  await page.getByRole("button", { name: `Show the import of ${FILE_NAME}` }).click();
  await expect(page.getByRole("heading", { name: "Import finished" })).toBeVisible();
  await page.getByRole("button", { name: "Undo import" }).click();
  const dialog = page.getByRole("alertdialog", { name: `Undo the import of ${FILE_NAME}?` });
  await expect(dialog).toContainText(
    "The 2 contacts it created will be deleted and the 1 contact it updated get back what they had before.",
  );
  await dialog.getByRole("button", { name: "Undo import" }).click();
  await expect(
    page
      .getByText("Import undone: 2 imported contacts deleted, 1 updated contact restored.")
      .first(),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Import undone" })).toBeVisible();
  await expect(pastImports.getByRole("listitem").first()).toContainText("Undone");

  // The imported contacts are gone and Rosa is as she was.
  await page.goto("/contacts");
  await expect(table(page).getByRole("row")).toHaveCount(2);
  const before = tableRow(page, "Rosa Diaz");
  await expect(before).toContainText("rosa.diaz@example.com");
  await expect(before).toContainText("Active client");
  await expect(before).not.toContainText("555");
  await expect(before).not.toContainText("VIP");
  await expect(table(page).getByText("Maya Lin")).toHaveCount(0);
  await expect(table(page).getByText("Theo Park")).toHaveCount(0);
});
