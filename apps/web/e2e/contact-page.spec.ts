import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

/** Calls a tRPC mutation with the page's session, as the browser's client would. */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

/** A date input's value, `days` from today where the browser is. */
function isoDay(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test("working on a client's page: profile, tags, stage, custom fields, notes, tasks, timeline", async ({
  page,
}) => {
  await signUp(page, "Maya Lin", uniqueEmail("maya"));
  const { id } = await createContactViaApi(page.request, { name: "Rosa Diaz" });
  // A stage that will be gone by the time it is chosen, so the server refuses it.
  const paused = await mutate<{ id: string }>(page, "stages.create", { label: "Paused" });

  await page.goto(`/contacts/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Diaz" })).toBeVisible();
  for (const name of ["Profile", "Custom fields", "Tasks", "Notes", "Timeline"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  const profile = section(page, "Profile");
  const timeline = page.getByRole("list", { name: "Timeline, newest first" });
  await expect(timeline.getByText("Added to your contacts")).toBeVisible();

  // Inline rename: the schema's own error, Escape cancels, Enter saves.
  await page.getByRole("button", { name: "Rename contact" }).click();
  const nameInput = page.getByRole("textbox", { name: "Name", exact: true });
  await expect(nameInput).toBeFocused();
  await nameInput.fill("  ");
  await nameInput.press("Enter");
  await expect(page.getByText("Name is required.")).toBeVisible();
  await nameInput.press("Escape");
  await expect(page.getByRole("button", { name: "Rename contact" })).toBeFocused();
  await page.getByRole("button", { name: "Rename contact" }).click();
  await nameInput.fill("Rosa Díaz");
  await nameInput.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz" })).toBeVisible();

  // Emails and phones are edited in the contact form; they become mailto: and tel: links.
  await profile.getByRole("button", { name: "Change emails" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit contact" });
  await expect(dialog.getByLabel("Email 1 (primary)")).toBeFocused();
  await dialog.getByLabel("Email 1 (primary)").fill("Rosa@Example.com");
  await dialog.getByLabel("Phone 1 (primary)").fill("+1 555 010 2000");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(profile.getByRole("link", { name: "rosa@example.com" })).toHaveAttribute(
    "href",
    "mailto:rosa@example.com",
  );
  await expect(profile.getByRole("link", { name: "+1 555 010 2000" })).toHaveAttribute(
    "href",
    "tel:+15550102000",
  );

  // Source, in place.
  await profile.getByRole("button", { name: "Change source" }).click();
  await page.getByRole("textbox", { name: "Source" }).fill("Instagram");
  await page.getByRole("textbox", { name: "Source" }).press("Enter");
  await expect(profile.getByText("Instagram")).toBeVisible();

  // Tags: create one from the picker, remove it, add it back from the list with the keyboard.
  const tags = profile.getByRole("list", { name: "Tags" });
  await profile.getByRole("button", { name: "Add tag" }).click();
  const tagSearch = page.getByRole("combobox", { name: "Find or create a tag" });
  await tagSearch.fill("Prenatal");
  await page.getByRole("option", { name: "Create tag “Prenatal”" }).click();
  await expect(tags.getByRole("listitem")).toHaveCount(1);
  await expect(tags.getByText("Prenatal", { exact: true })).toBeVisible();
  await profile.getByRole("button", { name: "Remove tag Prenatal" }).click();
  await expect(profile.getByText("No tags")).toBeVisible();
  await profile.getByRole("button", { name: "Add tag" }).click();
  await tagSearch.fill("pren");
  const tagOptions = page.getByRole("listbox", { name: "Tags" }).getByRole("option");
  await expect(tagOptions).toHaveText(["Prenatal", "Create tag “pren”"]);
  // The same name in another case is the same tag: nothing to create.
  await tagSearch.fill("PRENATAL");
  await expect(tagOptions).toHaveText(["Prenatal"]);
  await tagSearch.press("Enter");
  await expect(tags.getByText("Prenatal", { exact: true })).toBeVisible();

  // Stage: saved as soon as it is chosen…
  const stage = profile.getByLabel("Stage");
  await stage.selectOption({ label: "Active client" });
  await expect(timeline.getByText("Stage changed to Active client")).toBeVisible();
  // …and put back, with the server's reason, when the server refuses it.
  await mutate(page, "stages.delete", { id: paused.id });
  await stage.selectOption({ label: "Paused" });
  await expect(page.getByText("The stage was not changed.").first()).toBeVisible();
  await expect(stage).toHaveValue("active");

  // Custom fields: define a text and a choice field, then fill them in place.
  const fields = section(page, "Custom fields");
  await expect(fields.getByText("No custom fields yet.", { exact: false })).toBeVisible();
  const fieldsDialog = page.getByRole("dialog", { name: "Custom fields" });
  await fields.getByRole("button", { name: "Manage fields" }).click();
  await fieldsDialog.getByLabel("Label").fill("Goal");
  await fieldsDialog.getByRole("button", { name: "Add field" }).click();
  await expect(fieldsDialog).toBeHidden();
  await fields.getByRole("button", { name: "Manage fields" }).click();
  await fieldsDialog.getByLabel("Label").fill("Plan");
  await fieldsDialog.getByLabel("Type").selectOption("select");
  await fieldsDialog.getByLabel("Choice 1").fill("Monthly");
  await fieldsDialog.getByLabel("Choice 2").fill("10-pack");
  await fieldsDialog.getByRole("button", { name: "Add field" }).click();
  await expect(fieldsDialog).toBeHidden();

  await fields.getByRole("button", { name: "Change Goal" }).click();
  await fields.getByRole("textbox", { name: "Goal" }).fill("Sleep through the night");
  await fields.getByRole("textbox", { name: "Goal" }).press("Enter");
  await expect(fields.getByText("Sleep through the night")).toBeVisible();
  await fields.getByRole("button", { name: "Change Plan" }).click();
  await fields.getByRole("combobox", { name: "Plan" }).selectOption("10-pack");
  await fields.getByRole("button", { name: "Save" }).click();
  await expect(fields.getByText("10-pack")).toBeVisible();

  // Notes: Markdown is rendered, HTML is shown as text and never run, unsafe links are not links.
  const notes = page.getByRole("list", { name: "Notes, newest first" });
  const composer = page.getByLabel("New note");
  await expect(section(page, "Notes").getByText("No notes yet.", { exact: false })).toBeVisible();
  await composer.fill(
    [
      "**Breathing** went well",
      "",
      "- walk daily",
      "- [ ] send the meal plan",
      "",
      "See [the plan](https://example.com/plan) but not [this](javascript:alert(1)).",
      "",
      "<script>window.__noteRan = true</script>",
    ].join("\n"),
  );
  await composer.press("ControlOrMeta+Enter");
  await expect(composer).toHaveValue("");
  const note = notes.getByRole("article").first();
  await expect(note.locator("strong", { hasText: "Breathing" })).toBeVisible();
  await expect(note.getByRole("listitem").filter({ hasText: "walk daily" })).toBeVisible();
  const link = note.getByRole("link", { name: "the plan" });
  await expect(link).toHaveAttribute("href", "https://example.com/plan");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(note.getByRole("link", { name: "this" })).toHaveCount(0);
  await expect(note.getByText("<script>window.__noteRan = true</script>")).toBeVisible();
  await expect(note.locator("script")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __noteRan?: boolean }).__noteRan)).toBeUndefined();

  await note.getByRole("button", { name: "Edit note" }).click();
  const editor = note.getByRole("textbox", { name: "Edit note" });
  await editor.fill("**Breathing** went *great*");
  await editor.press("ControlOrMeta+Enter");
  await expect(note.locator("em", { hasText: "great" })).toBeVisible();

  await composer.fill("A note to throw away");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByRole("article")).toHaveCount(2);
  const throwaway = notes.getByRole("article").filter({ hasText: "A note to throw away" });
  await throwaway.getByRole("button", { name: "Delete note" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete this note?" });
  await confirm.getByRole("button", { name: "Delete note" }).click();
  await expect(notes.getByRole("article")).toHaveCount(1);
  await expect(timeline.getByText("A note to throw away")).toHaveCount(0);

  // Tasks: one overdue, one undated; completing moves it to Done.
  const tasks = section(page, "Tasks");
  await tasks.getByLabel("New task").fill("Send the meal plan");
  await tasks.getByLabel("Due date (optional)").fill(isoDay(-2));
  await tasks.getByRole("button", { name: "Add task" }).click();
  const overdueTask = tasks.getByRole("listitem").filter({ hasText: "Send the meal plan" });
  await expect(overdueTask.getByText("Overdue")).toBeVisible();
  await tasks.getByLabel("New task").fill("Book a follow-up");
  await tasks.getByLabel("New task").press("Enter");
  await expect(tasks.getByRole("checkbox", { name: "Book a follow-up" })).not.toBeChecked();

  await tasks.getByRole("checkbox", { name: "Send the meal plan" }).check();
  await expect(tasks.getByRole("heading", { name: "Done (1)" })).toBeVisible();
  await expect(tasks.getByRole("checkbox", { name: "Send the meal plan" })).toBeChecked();
  await expect(overdueTask.getByText("Overdue")).toHaveCount(0);

  // The timeline has it all, newest first.
  await expect(timeline.getByRole("listitem")).toHaveText([
    /Task done: Send the meal plan/,
    /Breathing went great/,
    /Plan set to 10-pack/,
    /Goal set to Sleep through the night/,
    /Stage changed to Active client/,
    /Tagged “Prenatal”/,
    /Untagged “Prenatal”/,
    /Tagged “Prenatal”/,
    /Added to your contacts/,
  ]);

  // Everything is still there after a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Rosa Díaz" })).toBeVisible();
  await expect(tags.getByText("Prenatal", { exact: true })).toBeVisible();
  await expect(profile.getByLabel("Stage")).toHaveValue("active");
  await expect(fields.getByText("Sleep through the night")).toBeVisible();
  await expect(tasks.getByRole("checkbox", { name: "Send the meal plan" })).toBeChecked();
  await expect(notes.getByRole("article")).toHaveCount(1);
});

test("notes and the timeline load older entries on demand", async ({ page }) => {
  await signUp(page, "Ines Park", uniqueEmail("ines"));
  const { id } = await createContactViaApi(page.request, { name: "Tom Reed" });
  for (let n = 1; n <= 22; n++) {
    await mutate(page, "notes.create", { contactId: id, body: `Session ${n}` });
  }
  await page.goto(`/contacts/${id}`);

  const notes = page.getByRole("list", { name: "Notes, newest first" });
  await expect(notes.getByRole("article")).toHaveCount(10);
  await expect(notes.getByRole("article").first()).toContainText("Session 22");
  await page.getByRole("button", { name: "Load more notes" }).click();
  await expect(notes.getByRole("article")).toHaveCount(20);
  await page.getByRole("button", { name: "Load more notes" }).click();
  await expect(notes.getByRole("article")).toHaveCount(22);
  await expect(notes.getByRole("article").last()).toContainText("Session 1");
  await expect(page.getByRole("button", { name: "Load more notes" })).toHaveCount(0);

  const timeline = page.getByRole("list", { name: "Timeline, newest first" });
  await expect(timeline.getByRole("listitem")).toHaveCount(20);
  await page.getByRole("button", { name: "Load more activity" }).click();
  await expect(timeline.getByRole("listitem")).toHaveCount(23);
  await expect(timeline.getByRole("listitem").last()).toContainText("Added to your contacts");
  await expect(page.getByRole("button", { name: "Load more activity" })).toHaveCount(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 360, height: 780 } });

  test("the page fits the screen, long notes included", async ({ page }) => {
    await signUp(page, "Lena Fox", uniqueEmail("lena"));
    const { id } = await createContactViaApi(page.request, {
      name: "Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen",
    });
    await mutate(page, "notes.create", {
      contactId: id,
      body: `A very long link: https://example.com/${"a".repeat(120)}\n\n| Day | Sleep | Notes |\n| --- | --- | --- |\n| Monday | 6h | ${"restless ".repeat(8)}|`,
    });
    await page.goto(`/contacts/${id}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("list", { name: "Notes, newest first" })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
