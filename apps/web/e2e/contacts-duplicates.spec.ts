import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

/** Calls a tRPC mutation with the page's session, as the browser's client would. */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

const table = (page: Page) => page.getByRole("region", { name: "Contacts" });
const nameCells = (page: Page) => table(page).getByRole("row").locator("td:nth-child(2)");
const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const pairs = (page: Page) => page.getByRole("list", { name: "Suggested duplicates" });
const choice = (page: Page, field: string, value: RegExp) =>
  page.getByRole("radiogroup", { name: field, exact: true }).getByRole("radio", { name: value });

/**
 * Two records of one client: the same Gmail inbox written differently (letter case and a dot),
 * different phones, different stages and sources; the second has a note and a tag.
 */
async function twoRecordsOfSam(page: Page) {
  const sam = await createContactViaApi(page.request, {
    name: "Sam Rivera",
    emails: ["sam.rivera@gmail.com"],
    phones: ["+1 555 010 0100"],
    source: "Referral",
  });
  const samuel = await createContactViaApi(page.request, {
    name: "Samuel Rivera",
    emails: ["SamRivera@Gmail.com"],
    phones: ["+1 555 010 0199"],
    stage: "active",
    source: "Instagram",
  });
  await mutate(page, "notes.create", { contactId: samuel.id, body: "Prefers morning sessions" });
  const yoga = await mutate<{ id: string }>(page, "tags.create", { name: "Yoga" });
  await mutate(page, "tags.tagContacts", { contactIds: [samuel.id], tagIds: [yoga.id] });
  return { sam, samuel };
}

test("review a suggested pair, merge it field by field, then undo the merge", async ({ page }) => {
  await signUp(page, "Dana Merge", uniqueEmail("dana"));
  const { sam, samuel } = await twoRecordsOfSam(page);

  // From the contacts page to the pair, with the reason it is suggested.
  await page.goto("/contacts");
  await page.getByRole("link", { name: "Duplicates" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Duplicates" })).toBeVisible();
  const pair = pairs(page).getByRole("listitem");
  await expect(pair).toHaveCount(1);
  await expect(pair).toContainText("Sam Rivera");
  await expect(pair).toContainText("Samuel Rivera");
  await expect(pair.getByText("Same email")).toBeVisible();
  await expect(pair.getByText("Same phone")).toHaveCount(0);
  await expect(section(page, "Merge history").getByText("No merges yet.")).toBeVisible();

  // The merge view: both contacts side by side.
  await pair.getByRole("link", { name: /^Review & merge/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Merge contacts" })).toBeVisible();
  await page
    .getByRole("radiogroup", { name: "Contact to keep" })
    .getByRole("radio", { name: /^Sam Rivera/ })
    .check();
  const emails = page.getByRole("group", { name: "Emails" });
  await expect(emails.getByRole("list", { name: "Emails of Sam Rivera" })).toHaveText(
    "sam.rivera@gmail.com",
  );
  await expect(emails.getByRole("list", { name: "Emails of Samuel Rivera" })).toHaveText(
    "samrivera@gmail.com",
  );
  await expect(page.getByRole("group", { name: "Tags" })).toContainText("Yoga");

  // Pick from both sides: Samuel's name and stage, Sam's source.
  await choice(page, "Name", /^Samuel Rivera/).check();
  // With the keyboard: the arrow keys move between the two values of a field.
  await choice(page, "Stage", /^Lead/).focus();
  await page.keyboard.press("ArrowRight");
  await expect(choice(page, "Stage", /^Active client/)).toBeChecked();
  await choice(page, "Source", /^Referral/).check();
  await expect(choice(page, "Name", /^Sam Rivera/)).not.toBeChecked();
  await expect(choice(page, "Source", /^Instagram/)).not.toBeChecked();
  const result = section(page, "After the merge");
  await expect(result).toContainText("samrivera@gmail.com");
  await expect(result).toContainText("+1 555 010 0199");
  await expect(result).toContainText("From Samuel Rivera: 1 note");

  await page.getByRole("button", { name: "Merge contacts" }).click();

  // The kept contact's page: the chosen values, both emails and phones, the note and the tag.
  await expect(page).toHaveURL(new RegExp(`/contacts/${sam.id}$`));
  await expect(page.getByText("Merged Sam Rivera and Samuel Rivera.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Samuel Rivera" })).toBeVisible();
  const profile = section(page, "Profile");
  await expect(profile.getByLabel("Stage")).toHaveValue("active");
  await expect(profile.getByText("Referral")).toBeVisible();
  await expect(profile.getByText("Instagram")).toHaveCount(0);
  for (const value of [
    "sam.rivera@gmail.com",
    "samrivera@gmail.com",
    "+1 555 010 0100",
    "+1 555 010 0199",
  ]) {
    await expect(profile.getByRole("link", { name: value })).toBeVisible();
  }
  await expect(profile.getByRole("list", { name: "Tags" })).toContainText("Yoga");
  await expect(
    page.getByRole("list", { name: "Notes, newest first" }).getByRole("article"),
  ).toHaveText([/Prefers morning sessions/]);
  await expect(
    page
      .getByRole("list", { name: "Timeline, newest first" })
      .getByText("Merged with Samuel Rivera"),
  ).toBeVisible();

  // The merged contact is gone from the table.
  await page.getByRole("link", { name: "All contacts" }).click();
  await expect(nameCells(page)).toHaveText(["Samuel Rivera"]);

  // Undo from the merge history, which says what undo gives back.
  await page.getByRole("link", { name: "Duplicates" }).click();
  const history = page.getByRole("list", { name: "Merges, newest first" });
  await expect(history.getByRole("listitem")).toHaveCount(1);
  await expect(history).toContainText("Samuel Rivera merged into Samuel Rivera");
  await expect(pairs(page)).toHaveCount(0);
  await expect(page.getByText("Nothing to review", { exact: false })).toBeVisible();
  await history.getByRole("button", { name: /^Undo merge of/ }).click();
  const confirm = page.getByRole("alertdialog", { name: "Undo this merge?" });
  await expect(confirm).toContainText("comes back as a separate contact");
  await confirm.getByRole("button", { name: "Undo merge" }).click();
  await expect(page.getByText("Merge undone.")).toBeVisible();
  await expect(history.getByRole("listitem")).toContainText("Undone");
  await expect(history.getByRole("button", { name: /^Undo merge of/ })).toHaveCount(0);
  await expect(pairs(page).getByRole("listitem")).toHaveCount(1);

  // Both contacts are back as they were.
  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Sam Rivera", "Samuel Rivera"]);

  await page.goto(`/contacts/${sam.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Sam Rivera" })).toBeVisible();
  await expect(profile.getByLabel("Stage")).toHaveValue("lead");
  await expect(profile.getByText("Referral")).toBeVisible();
  await expect(profile.getByRole("link", { name: "sam.rivera@gmail.com" })).toBeVisible();
  await expect(profile.getByRole("link", { name: "+1 555 010 0100" })).toBeVisible();
  await expect(profile.getByRole("link", { name: "samrivera@gmail.com" })).toHaveCount(0);
  await expect(profile.getByRole("link", { name: "+1 555 010 0199" })).toHaveCount(0);
  await expect(profile.getByText("No tags")).toBeVisible();
  await expect(section(page, "Notes").getByText("No notes yet.", { exact: false })).toBeVisible();

  await page.goto(`/contacts/${samuel.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Samuel Rivera" })).toBeVisible();
  await expect(profile.getByLabel("Stage")).toHaveValue("active");
  await expect(profile.getByText("Instagram")).toBeVisible();
  await expect(profile.getByRole("link", { name: "samrivera@gmail.com" })).toBeVisible();
  await expect(profile.getByRole("link", { name: "+1 555 010 0199" })).toBeVisible();
  await expect(profile.getByRole("list", { name: "Tags" })).toContainText("Yoga");
  await expect(
    page.getByRole("list", { name: "Notes, newest first" }).getByRole("article"),
  ).toHaveText([/Prefers morning sessions/]);
});

test("a contact changed while the merge view is open: nothing merged, reload, merge, undo from the toast", async ({
  page,
}) => {
  await signUp(page, "Eli Stale", uniqueEmail("eli"));
  const { sam, samuel } = await twoRecordsOfSam(page);

  await page.goto(`/contacts/duplicates/merge?a=${sam.id}&b=${samuel.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Merge contacts" })).toBeVisible();
  await expect(choice(page, "Source", /^Instagram/)).toBeVisible();
  await choice(page, "Name", /^Samuel Rivera/).check();

  // Someone changes Samuel's source elsewhere in the meantime.
  await mutate(page, "contacts.update", { id: samuel.id, data: { source: "Google" } });
  await page.getByRole("button", { name: "Merge contacts" }).click();
  const result = section(page, "After the merge");
  await expect(result.getByRole("alert")).toContainText("was changed since this page was opened");
  await page.getByRole("button", { name: "Reload contacts" }).click();
  await expect(choice(page, "Source", /^Google/)).toBeVisible();
  await expect(choice(page, "Source", /^Instagram/)).toHaveCount(0);
  // The choices made before the reload are kept.
  await expect(choice(page, "Name", /^Samuel Rivera/)).toBeChecked();
  await expect(result.getByRole("alert")).toHaveCount(0);

  await page.getByRole("button", { name: "Merge contacts" }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts/${sam.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Samuel Rivera" })).toBeVisible();
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(page.getByText("Merge undone.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Sam Rivera" })).toBeVisible();
  await expect(
    section(page, "Profile").getByRole("link", { name: "samrivera@gmail.com" }),
  ).toHaveCount(0);

  await page.goto("/contacts?sort=name.asc");
  await expect(nameCells(page)).toHaveText(["Sam Rivera", "Samuel Rivera"]);
});

test("a pair that is not the same person is dismissed for good", async ({ page }) => {
  await signUp(page, "Fay Dismiss", uniqueEmail("fay"));
  await page.goto("/contacts/duplicates");
  await expect(page.getByText("Nothing to review", { exact: false })).toBeVisible();

  // One studio number, written two ways, on two different people.
  await createContactViaApi(page.request, { name: "Gil Moss", phones: ["+44 20 7946 0000"] });
  await createContactViaApi(page.request, { name: "Hana Sato", phones: ["020 7946 0000"] });
  await page.reload();
  const pair = pairs(page).getByRole("listitem");
  await expect(pair).toHaveCount(1);
  await expect(pair.getByText("Same phone")).toBeVisible();
  await pair.getByRole("button", { name: /^Not duplicates/ }).click();
  await expect(page.getByText("Marked as different people.")).toBeVisible();
  await expect(page.getByText("Nothing to review", { exact: false })).toBeVisible();

  await page.reload();
  await expect(page.getByText("Nothing to review", { exact: false })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 360, height: 780 } });

  test("the duplicates list and the merge view fit the screen", async ({ page }) => {
    await signUp(page, "Gus Phone", uniqueEmail("gus"));
    await twoRecordsOfSam(page);
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    await page.goto("/contacts/duplicates");
    await expect(pairs(page).getByRole("listitem")).toHaveCount(1);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await pairs(page)
      .getByRole("link", { name: /^Review & merge/ })
      .click();
    await expect(page.getByRole("heading", { level: 2, name: "After the merge" })).toBeVisible();
    // Each value says whose it is, since the columns are stacked.
    await expect(choice(page, "Name", /^Samuel Rivera/)).toBeVisible();
    await expect(page.getByText("from Samuel Rivera").first()).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
