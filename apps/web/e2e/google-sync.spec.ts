import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/users";

// The e2e server points Google at a local Google (e2e/support/serve.ts) whose consent screen
// approves at once, as the account maya@serenity-wellness.example. No Inngest server runs.
const GOOGLE_ACCOUNT = "maya@serenity-wellness.example";
const NO_JOBS =
  "No Inngest server is configured: start the Inngest Dev Server (see README) so syncs can run.";

async function openSync(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sync" }).click();
  await expect(page).toHaveURL(/\/settings\/sync$/);
  await expect(page.getByRole("heading", { level: 1, name: "Google sync" })).toBeVisible();
}

test("a practitioner connects Google, chooses, previews and approves; nothing pretends to sync", async ({
  page,
  request,
}) => {
  await signUp(page, "Maya Rivers", uniqueEmail("maya"));
  await openSync(page);

  // Background jobs cannot run here, and the page says so before anything else.
  const banner = page.getByRole("region", { name: "Syncs cannot run on this server right now" });
  await expect(banner).toContainText(NO_JOBS);

  // Not connected: what will be read, and the button.
  await expect(page.getByRole("heading", { name: "What OmniCRM will read" })).toBeVisible();
  await page.getByRole("link", { name: "Connect Google" }).click();

  // Through the local consent screen and back.
  await expect(page).toHaveURL(/\/settings\/sync$/);
  await expect(page.getByText("Google is connected.")).toBeVisible();
  await expect(page.getByTestId("google-email")).toHaveText(GOOGLE_ACCOUNT);

  const gmail = page.getByRole("region", { name: "Gmail" });
  await expect(gmail.getByRole("button", { name: "Preview" })).toBeDisabled();
  await expect(gmail.getByText("Choose labels or a search, and save, first.")).toBeVisible();

  // Choose a label and preferences, save.
  await gmail.getByRole("checkbox", { name: "Clients" }).check();
  await gmail.getByLabel("How far back the first sync reads").selectOption({ label: "1 year" });
  await gmail.getByLabel("Skip mail with more people than").fill("8");
  await gmail.getByLabel("Never log these people").fill("@lawfirm.example\nnot an address");
  await gmail.getByRole("button", { name: "Save" }).click();
  await expect(gmail.getByText("Line 2: Enter an email address")).toBeVisible();
  await gmail.getByLabel("Never log these people").fill("@lawfirm.example");
  await gmail.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your choices are saved.")).toBeVisible();

  // Preview: counts, samples and the contacts it would create.
  await gmail.getByRole("button", { name: "Preview" }).click();
  const preview = gmail.getByTestId("gmail-preview");
  await expect(preview).toBeVisible({ timeout: 30_000 });
  const counts = preview.getByRole("list", { name: "Preview counts" });
  await expect(counts).toContainText("messages in scope");
  await expect(counts).toContainText("would be logged");
  await expect(
    preview.getByRole("list", { name: "Sample items" }).getByRole("listitem"),
  ).not.toHaveCount(0);
  await expect(preview.getByText(/new contacts? would be created/)).toBeVisible();
  await expect(
    preview.getByRole("list", { name: "New contacts" }).getByRole("listitem"),
  ).not.toHaveCount(0);

  // Approve: the page says plainly that nothing syncs yet.
  await gmail.getByRole("button", { name: "Approve and start syncing" }).click();
  await expect(
    page.getByText(`Gmail is approved, but nothing syncs yet: ${NO_JOBS}`),
  ).toBeVisible();
  await expect(gmail.getByText("Approved", { exact: true })).toBeVisible();
  const syncNow = gmail.getByRole("button", { name: "Sync now" });
  await expect(syncNow).toBeDisabled();
  await expect(gmail.getByTestId("gmail-sync-now-reason")).toHaveText(
    `Sync now is off. ${NO_JOBS}`,
  );
  await expect(syncNow).toHaveAccessibleDescription(`Sync now is off. ${NO_JOBS}`);
  await expect(gmail.getByText("Never", { exact: true })).toBeVisible();
  await expect(gmail.getByText("When background jobs can run")).toBeVisible();

  // The calendar channel offers the account's calendars, the main one chosen.
  const calendar = page.getByRole("region", { name: "Google Calendar" });
  await expect(calendar.getByRole("checkbox", { name: /Main/ })).toBeChecked();

  // Nothing was synced: no contact was created by the preview or the approval.
  await page.goto("/contacts");
  await expect(page.getByText(/No contacts yet|Add your first/i).first()).toBeVisible();

  const health = (await (await request.get("/api/health")).json()) as {
    checks: { jobs: { available: boolean; reason: string } };
  };
  expect(health.checks.jobs).toMatchObject({ available: false, reason: NO_JOBS });
});

test("declining at Google's consent screen is explained plainly", async ({ page }) => {
  await signUp(page, "Kai Moreno", uniqueEmail("kai"));
  await openSync(page);
  // The user clicks "Cancel" at Google: Google sends them back with error=access_denied and
  // the state. (Playwright routes only the first request of a redirect chain, so the answer
  // is made from the app's own redirect to Google.)
  await page.route("**/api/google/connect*", async (route) => {
    const toGoogle = await route.fetch({ maxRedirects: 0 });
    const asked = new URL(toGoogle.headers().location ?? "");
    const back = new URL(asked.searchParams.get("redirect_uri") ?? "");
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("state", asked.searchParams.get("state") ?? "");
    await route.fulfill({ status: 302, headers: { location: back.toString() } });
  });
  await page.getByRole("link", { name: "Connect Google" }).click();
  await expect(page).toHaveURL(/\/settings\/sync$/);
  await expect(
    page.getByRole("alert").filter({ hasText: "Google access was not granted" }),
  ).toHaveText(
    "Google access was not granted, so nothing will sync. You can connect again at any time.",
  );
  await expect(page.getByRole("link", { name: "Connect Google" })).toBeVisible();
});
