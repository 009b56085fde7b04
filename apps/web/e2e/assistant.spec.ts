import { expect, test, type Page } from "@playwright/test";
import { createContactViaApi, signUp, uniqueEmail } from "./support/users";

// The model is the local OpenAI-compatible server scripted in support/model.ts.

const chatInput = (page: Page) => page.getByRole("textbox", { name: "Your question" });
const conversation = (page: Page) => page.getByRole("log", { name: "Conversation" });

async function ask(page: Page, question: string) {
  await chatInput(page).fill(question);
  await chatInput(page).press("Enter");
}

test("a question is answered from the practice's data, citing and linking the client", async ({
  page,
}) => {
  await signUp(page, "Ana Reyes", uniqueEmail("ana"));
  const maya = await createContactViaApi(page.request, {
    name: "Maya Lopez",
    emails: ["maya.lopez@gmail.com"],
    stage: "active",
  });

  await page.getByRole("link", { name: "Assistant" }).click();
  await expect(page).toHaveURL(/\/assistant\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Ask about your practice" })).toBeVisible();
  await ask(page, "Who is Maya Lopez?");

  // The question shows at once; the tool call and the streamed answer follow.
  await expect(conversation(page).getByText("Who is Maya Lopez?")).toBeVisible();
  const toolCard = conversation(page).locator('[data-tool="searchContacts"]');
  await expect(toolCard.getByText("Searched your contacts for “Maya Lopez”")).toBeVisible();
  await expect(toolCard.getByRole("link", { name: "Maya Lopez" })).toHaveAttribute(
    "href",
    `/contacts/${maya.id}`,
  );
  const answer = conversation(page).locator("p").filter({ hasText: "is one of your clients." });
  await expect(answer).toBeVisible();
  const cited = answer.getByRole("link", { name: "Maya Lopez" });
  await expect(cited).toHaveAttribute("href", `/contacts/${maya.id}`);

  // The conversation is kept, titled by its first question.
  await page.reload();
  await expect(conversation(page).getByText("is one of your clients.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Who is Maya Lopez?" })).toBeVisible();
  const threads = page.getByRole("navigation", { name: "Conversations" });
  await expect(threads.getByRole("link", { name: /Who is Maya Lopez\?/ })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // Rename it; a new conversation starts empty, and the first one is still there.
  await threads.getByRole("button", { name: "Rename “Who is Maya Lopez?”" }).click();
  await threads.getByRole("textbox", { name: "Conversation title" }).fill("About Maya");
  await threads.getByRole("button", { name: "Save" }).click();
  await expect(threads.getByRole("link", { name: /About Maya/ })).toBeVisible();
  await threads.getByRole("button", { name: "New conversation", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Ask about your practice" })).toBeVisible();
  await threads.getByRole("link", { name: /About Maya/ }).click();
  await expect(conversation(page).getByText("is one of your clients.")).toBeVisible();

  // The citation opens the client's record.
  await cited.click();
  await expect(page).toHaveURL(`/contacts/${maya.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Maya Lopez" })).toBeVisible();

  // Without consent, the assistant does not see her, and says why.
  const consent = page.getByRole("switch", { name: "AI consent" });
  await expect(consent).toBeChecked();
  await consent.click();
  await expect(consent).not.toBeChecked();
  await expect(
    page.getByText("Consent withdrawn: the assistant no longer sees this record.").first(),
  ).toBeVisible();
  await page.goto("/assistant");
  await page
    .getByRole("navigation", { name: "Conversations" })
    .getByRole("button", { name: "New conversation", exact: true })
    .click();
  await expect(page.getByRole("heading", { name: "Ask about your practice" })).toBeVisible();
  await ask(page, "Who is Maya Lopez?");
  await expect(conversation(page).getByText("No matching clients.")).toBeVisible();
  await expect(
    conversation(page)
      .getByText(
        "1 more match was left out: that client has not consented to AI use of their record.",
      )
      .first(),
  ).toBeVisible();

  // The audit log lists what the assistant did and which records it was shown.
  await page.goto("/settings/assistant");
  const audit = page.getByTestId("audit-entry");
  await expect(audit).toHaveCount(2);
  await expect(audit.nth(1)).toContainText("Searched contacts");
  await expect(audit.nth(1).getByRole("link", { name: "Maya Lopez" })).toBeVisible();
  await expect(page.getByText("OpenAI-compatible server")).toBeVisible();
  await page.getByRole("button", { name: "Test the connection" }).click();
  await expect(page.getByText(/The provider answered in \d+ ms\./)).toBeVisible();
});

test("a write action waits for the practitioner's confirmation", async ({ page }) => {
  await signUp(page, "Ana Reyes", uniqueEmail("ana"));
  const maya = await createContactViaApi(page.request, { name: "Maya Lopez", stage: "active" });
  await page.goto("/assistant");
  await ask(page, "Add a note to Maya Lopez: prefers morning sessions");

  const proposal = conversation(page).locator('[data-tool="addNote"]');
  await expect(proposal.getByText("Confirm: add a note")).toBeVisible();
  await expect(proposal.getByText("prefers morning sessions")).toBeVisible();
  await expect(proposal.getByText("Maya Lopez", { exact: true })).toBeVisible();

  // Nothing is written while it waits.
  await page.goto(`/contacts/${maya.id}`);
  const notes = page.getByRole("region", { name: "Notes", exact: true });
  await expect(notes.getByText("No notes yet")).toBeVisible();
  await page.goBack();
  await expect(proposal.getByRole("button", { name: "Confirm" })).toBeVisible();
  await proposal.getByRole("button", { name: "Confirm" }).click();
  await expect(
    conversation(page).getByText("Done: the note is on Maya Lopez's record."),
  ).toBeVisible();
  await expect(proposal.getByText("Note added.")).toBeVisible();

  await page.goto(`/contacts/${maya.id}`);
  await expect(notes.getByText("prefers morning sessions")).toBeVisible();

  // Declining another proposal changes nothing.
  await page.goto("/assistant");
  await ask(page, "Add a note to Maya Lopez: moved to evenings");
  const second = conversation(page).locator('[data-tool="addNote"]').last();
  await second.getByRole("button", { name: "Decline" }).click();
  await expect(conversation(page).getByText("Alright, I did not add it.")).toBeVisible();
  await expect(second.getByText("You declined this; nothing was changed.")).toBeVisible();
  await page.goto(`/contacts/${maya.id}`);
  await expect(notes.getByText("prefers morning sessions")).toBeVisible();
  await expect(notes.getByText("moved to evenings")).toHaveCount(0);
});

test("an answer streams, can be stopped, and a used-up budget says so in the chat", async ({
  page,
}) => {
  await signUp(page, "Ana Reyes", uniqueEmail("ana"));
  await page.goto("/assistant");

  // A long answer streams in while Stop is offered; Stop keeps what came so far.
  await ask(page, "Write a long essay about breathing");
  const essay = conversation(page).getByText(/^Breathing slowly calms/);
  await expect(essay).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  const stopped = (await essay.textContent())?.length ?? 0;
  await page.waitForTimeout(1_000);
  expect((await essay.textContent())?.length).toBe(stopped);
  await page.reload();
  await expect(conversation(page).getByText(/^Breathing slowly calms/)).toBeVisible();

  // Regenerated in full, it uses up today's budget.
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Regenerate" })).toBeVisible({ timeout: 30_000 });
  expect(
    (
      await conversation(page)
        .getByText(/^Breathing slowly calms/)
        .textContent()
    )?.length,
  ).toBeGreaterThan(stopped);

  // The next question is refused with the reason, in the chat.
  await ask(page, "Who needs my attention?");
  await expect(conversation(page).getByRole("alert")).toContainText(
    "You have used today's AI budget (20,000 tokens); it resets at midnight UTC.",
  );
  await expect(page.getByText(/^Today: 0 of 20,000 tokens left$/)).toBeVisible();
});
