import { assistant, contacts, notes, sync, tasks, type Actor } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { startLocalModel, type LocalModel } from "@omnicrm/openai-local";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BudgetExceededError, recordUsage, type AiLimits } from "../guardrails.ts";
import { createAiProvider, type ConfiguredAiProvider } from "../provider.ts";
import { EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER } from "../redaction.ts";
import { buildInsightRequest, INSIGHT_INSTRUCTIONS } from "./prompt.ts";
import {
  AiNotConfiguredError,
  contactInsight,
  generateInsight,
  InsightGenerationError,
} from "./service.ts";

let testDb: TestDatabase;
let model: LocalModel;
beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
});
afterAll(async () => {
  await Promise.all([testDb?.drop(), model?.close()]);
});
beforeEach(() => {
  model.reset();
});

const DAY = 86_400_000;
const limits: AiLimits = {
  requestsPerMinute: 1000,
  backgroundRequestsPerMinute: 1000,
  dailyTokens: 1_000_000,
  monthlyTokens: 10_000_000,
  dailyCostUsd: 100,
  monthlyCostUsd: 1000,
};

function provider(api: "responses" | "chat" = "chat"): ConfiguredAiProvider {
  const p = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: api,
  });
  if (!p.configured) throw new Error("expected a configured provider");
  return p;
}

const answer = {
  summary: "Maya is an active yoga client who trains weekly and asked about a knee issue.",
  nextAction: "Send Maya the adapted sequence for her knee before Thursday's session.",
  engagement: "engaged",
  engagementReason: "She is in touch every week and has a session booked.",
};
const scriptAnswer = (value: object = answer) => model.script(JSON.stringify(value));

let users = 0;
async function makeUser(): Promise<Actor> {
  const user = await testDb.db.user.create({ data: { email: `insights${++users}@ai.test` } });
  return { userId: user.id };
}

/** A client with a note, an open task, two past emails and an upcoming session. */
async function makeClient(actor: Actor, name = "Maya Lin") {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@gmail.example`;
  const contact = await contacts.createContact(testDb.db, actor, {
    name,
    emails: [email],
    stage: "active",
  });
  const note = await notes.createNote(testDb.db, actor, {
    contactId: contact.id,
    body: "Knee feels better after the adapted flow. Prefers mornings.",
  });
  const task = await tasks.createTask(testDb.db, actor, {
    title: "Send the adapted sequence",
    dueAt: new Date(Date.now() + 3 * DAY),
    contactId: contact.id,
  });
  await addEmail(actor, email, "m1", -14, "Knee question");
  await addEmail(actor, email, "m2", -7, "Thanks for the session");
  await sync.applyInteractions(
    testDb.db,
    actor,
    "calendar",
    [
      {
        kind: "session",
        externalId: `${email}-s1`,
        subject: "Private yoga",
        snippet: null,
        occurredAt: new Date(Date.now() + 2 * DAY),
        status: "confirmed",
        participants: [],
        people: [{ email, name, role: "attendee" }],
      },
    ],
    { createContacts: false },
  );
  return { contact, note, task, email };
}

async function addEmail(actor: Actor, email: string, id: string, days: number, subject: string) {
  return sync.applyInteractions(
    testDb.db,
    actor,
    "gmail",
    [
      {
        kind: "email",
        externalId: `${email}-${id}`,
        direction: "inbound",
        subject,
        snippet: `${subject}: a few words from the client`,
        occurredAt: new Date(Date.now() + days * DAY),
        participants: [],
        people: [{ email, name: null, role: "from" }],
      },
    ],
    { createContacts: false },
  );
}

const opts = (api?: "responses" | "chat") => ({ provider: provider(api), guard: { limits } });

async function auditOf(actor: Actor) {
  return testDb.db.aiAuditEvent.findMany({
    where: { userId: actor.userId, feature: "insights" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

describe("generating an insight", () => {
  it.each(["chat", "responses"] as const)(
    "asks the model once (%s API) with exactly the hashed request, stores the answer, records usage and one audit entry",
    async (api) => {
      const actor = await makeUser();
      const { contact, note, task } = await makeClient(actor);

      scriptAnswer();
      const first = await generateInsight(testDb.db, actor, contact.id, opts(api));
      expect(first.generated).toBe(true);
      expect(first.view).toMatchObject({
        ai: { configured: true, model: "gpt-local" },
        consent: true,
        upToDate: true,
        changes: null,
        insight: { ...answer, model: "gpt-local", refreshError: null },
      });
      expect(first.view.insight?.basedOn).toEqual({ interactions: 3, notes: 1, tasks: 1 });

      // One request, carrying the instructions and the canonical input, and asking for JSON.
      expect(model.requests).toHaveLength(1);
      const [request] = model.requests;
      const inputs = await assistant.contactInsightInputs(testDb.db, actor, contact.id);
      const expected = buildInsightRequest(inputs.input, { modelId: "gpt-local", redact: false });
      expect(request!.messages[0]).toMatchObject({ role: "system", content: INSIGHT_INSTRUCTIONS });
      expect(request!.lastUserMessage).toBe(expected.prompt);
      expect(request!.text).toContain("Knee feels better after the adapted flow");
      expect(request!.text).toContain("Send the adapted sequence");
      expect(request!.text).toContain("Thanks for the session");
      expect(request!.text).toContain("Private yoga");
      expect(JSON.stringify(request!.body)).toContain("json_schema");

      const row = await testDb.db.contactInsight.findUniqueOrThrow({
        where: { contactId: contact.id },
      });
      expect(row).toMatchObject({
        userId: actor.userId,
        inputHash: expected.hash,
        engagement: "engaged",
        model: "gpt-local",
      });
      expect(row.inputHash).toMatch(/^[0-9a-f]{64}$/);

      const usage = await testDb.db.aiUsage.findMany({ where: { userId: actor.userId } });
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({ feature: "insights", model: "gpt-local" });
      expect(usage[0]!.inputTokens).toBeGreaterThan(100);
      expect(usage[0]!.outputTokens).toBeGreaterThan(10);

      const audit = await auditOf(actor);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        kind: "model_input",
        outcome: "ok",
        contactIds: [contact.id],
      });
      const records = audit[0]!.records as Record<string, string[]>;
      expect(records.notes).toEqual([note.id]);
      expect(records.tasks).toEqual([task.id]);
      expect(records.interactions).toEqual(inputs.records.interactions);
      expect(records.interactions).toHaveLength(3);
    },
  );

  it("answers from the cache without a model call while nothing changed, and regenerates after a new email", async () => {
    const actor = await makeUser();
    const { contact, email } = await makeClient(actor);
    scriptAnswer();
    await generateInsight(testDb.db, actor, contact.id, opts());
    expect(model.requests).toHaveLength(1);

    const again = await generateInsight(testDb.db, actor, contact.id, opts());
    expect(again.generated).toBe(false);
    expect(again.view.upToDate).toBe(true);
    expect(again.view.insight?.summary).toBe(answer.summary);
    expect(model.requests).toHaveLength(1);
    const view = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(view).toMatchObject({ upToDate: true, changes: null });
    expect(model.requests).toHaveLength(1);
    expect(await testDb.db.aiUsage.count({ where: { userId: actor.userId } })).toBe(1);
    expect(await auditOf(actor)).toHaveLength(1);

    // A new email arrives: the insight is stale, and says what is new.
    await addEmail(actor, email, "m3", -1, "Can we move Thursday?");
    const stale = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(stale.upToDate).toBe(false);
    expect(stale.changes).toMatchObject({
      newInteractions: 1,
      newNotes: 0,
      interactions: true,
      notes: false,
      tasks: false,
      record: false,
      settings: false,
    });
    expect(model.requests).toHaveLength(1);

    scriptAnswer({ ...answer, nextAction: "Reply to Maya about moving Thursday's session." });
    const refreshed = await generateInsight(testDb.db, actor, contact.id, opts());
    expect(refreshed.generated).toBe(true);
    expect(refreshed.view).toMatchObject({
      upToDate: true,
      insight: { nextAction: "Reply to Maya about moving Thursday's session." },
    });
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]!.text).toContain("Can we move Thursday?");
    expect(await auditOf(actor)).toHaveLength(2);
  });

  it("goes stale for a new note, a completed task or a changed stage, naming what changed", async () => {
    const actor = await makeUser();
    const { contact, task } = await makeClient(actor);
    scriptAnswer();
    await generateInsight(testDb.db, actor, contact.id, opts());

    await notes.createNote(testDb.db, actor, { contactId: contact.id, body: "Moving abroad." });
    await tasks.completeTask(testDb.db, actor, { id: task.id });
    const stale = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(stale.upToDate).toBe(false);
    expect(stale.changes).toMatchObject({
      newInteractions: 0,
      newNotes: 1,
      notes: true,
      tasks: true,
      interactions: false,
      record: false,
    });

    scriptAnswer();
    await generateInsight(testDb.db, actor, contact.id, opts());
    await contacts.updateContact(testDb.db, actor, { id: contact.id, data: { stage: "past" } });
    const moved = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(moved.upToDate).toBe(false);
    expect(moved.changes).toMatchObject({ record: true, notes: false, tasks: false });
    expect(model.requests).toHaveLength(2);
  });

  it("refuses a contact without AI consent and sends nothing about them", async () => {
    const actor = await makeUser();
    const { contact } = await makeClient(actor, "Noor Haddad");
    scriptAnswer();
    await generateInsight(testDb.db, actor, contact.id, opts());
    expect(model.requests).toHaveLength(1);
    model.reset();

    await assistant.setAiConsent(testDb.db, actor, { contactIds: [contact.id], consent: false });
    // Withdrawing consent deleted the insight made from their record.
    expect(await testDb.db.contactInsight.count({ where: { contactId: contact.id } })).toBe(0);

    const refusal = await generateInsight(testDb.db, actor, contact.id, opts()).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(assistant.ConsentWithheldError);
    expect((refusal as Error).message).toBe(assistant.CONSENT_WITHHELD);
    expect(model.requests).toHaveLength(0);

    const view = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(view).toMatchObject({
      consent: false,
      consentMessage: assistant.CONSENT_WITHHELD,
      insight: null,
      upToDate: null,
    });
    const audit = await auditOf(actor);
    expect(audit.at(-1)).toMatchObject({
      outcome: "refused",
      contactIds: [],
      records: null,
      detail: assistant.CONSENT_WITHHELD,
    });
    expect(model.requests).toHaveLength(0);
  });

  it("redacts emails and phone numbers when the user asked for it, and hashes what was sent", async () => {
    const actor = await makeUser();
    const { contact } = await makeClient(actor, "Ines Duarte");
    await notes.createNote(testDb.db, actor, {
      contactId: contact.id,
      body: "Her sister (ana.duarte@example.org, +351 912 345 678) may join in March.",
    });
    await assistant.updateAiSettings(testDb.db, actor, { redactContactDetails: true });

    scriptAnswer();
    await generateInsight(testDb.db, actor, contact.id, opts());
    const [request] = model.requests;
    expect(request!.text).not.toContain("ana.duarte@example.org");
    expect(request!.text).not.toContain("912 345 678");
    expect(request!.text).toContain(EMAIL_PLACEHOLDER);
    expect(request!.text).toContain(PHONE_PLACEHOLDER);
    expect(request!.text).toContain("may join in March");

    const inputs = await assistant.contactInsightInputs(testDb.db, actor, contact.id);
    const sent = buildInsightRequest(inputs.input, { modelId: "gpt-local", redact: true });
    expect(request!.lastUserMessage).toBe(sent.prompt);
    const row = await testDb.db.contactInsight.findUniqueOrThrow({
      where: { contactId: contact.id },
    });
    expect(row.inputHash).toBe(sent.hash);
    expect(sent.hash).not.toBe(
      buildInsightRequest(inputs.input, { modelId: "gpt-local", redact: false }).hash,
    );

    // Turning redaction off changes what would be sent: the insight is no longer current.
    await assistant.updateAiSettings(testDb.db, actor, { redactContactDetails: false });
    const view = await contactInsight(testDb.db, actor, contact.id, opts());
    expect(view.upToDate).toBe(false);
    expect(view.changes?.settings).toBe(true);
  });

  it("refuses over budget with the budget's message, before anything is sent", async () => {
    const actor = await makeUser();
    const { contact } = await makeClient(actor);
    await recordUsage(testDb.db, {
      userId: actor.userId,
      feature: "chat",
      model: "gpt-local",
      inputTokens: 900,
      outputTokens: 100,
    });
    const refusal = await generateInsight(testDb.db, actor, contact.id, {
      provider: provider(),
      guard: { limits: { ...limits, dailyTokens: 1000 } },
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    expect((refusal as Error).message).toBe(
      "You have used today's AI budget (1,000 tokens); it resets at midnight UTC.",
    );
    expect(model.requests).toHaveLength(0);
    expect(await testDb.db.contactInsight.count({ where: { contactId: contact.id } })).toBe(0);
    expect((await auditOf(actor)).at(-1)).toMatchObject({ outcome: "refused", contactIds: [] });
  });

  it("never reads or generates another user's contact", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { contact } = await makeClient(alice, "Alice's client");
    for (const call of [
      () => generateInsight(testDb.db, bob, contact.id, opts()),
      () => contactInsight(testDb.db, bob, contact.id, opts()),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "not_found" });
    }
    expect(model.requests).toHaveLength(0);
    expect(await testDb.db.aiAuditEvent.count({ where: { userId: bob.userId } })).toBe(0);
  });

  it("says how to configure a provider when none is", async () => {
    const actor = await makeUser();
    const { contact } = await makeClient(actor);
    const none = createAiProvider({
      OMNICRM_AI_CHAT_MODEL: "gpt-local",
      OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
      OMNICRM_AI_API: "chat",
    });
    const refusal = await generateInsight(testDb.db, actor, contact.id, { provider: none }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(AiNotConfiguredError);
    expect((refusal as Error).message).toMatch(/^The AI assistant is not configured: set/);
    const view = await contactInsight(testDb.db, actor, contact.id, { provider: none });
    expect(view).toMatchObject({ ai: { configured: false }, insight: null, upToDate: null });
    expect(model.requests).toHaveLength(0);
  });

  it("reports a failing provider and an answer that is not an insight in words, and audits what was sent", async () => {
    const actor = await makeUser();
    const { contact } = await makeClient(actor);

    model.faults.next({ type: "error", status: 500 }, { api: "chat.completions", times: 3 });
    const failed = await generateInsight(testDb.db, actor, contact.id, opts()).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(InsightGenerationError);
    expect((failed as Error).message).toBe(
      `The AI provider at ${new URL(model.baseURL).host} failed (HTTP 500); try again later.`,
    );
    expect(model.requests).toHaveLength(3); // the SDK's two retries

    model.reset();
    model.script("Here is my analysis: she seems fine.");
    const junk = await generateInsight(testDb.db, actor, contact.id, opts()).catch(
      (e: unknown) => e,
    );
    expect(junk).toBeInstanceOf(InsightGenerationError);
    expect((junk as Error).message).toBe(
      "The AI model's answer was not a valid insight; try again.",
    );
    expect(await testDb.db.contactInsight.count({ where: { contactId: contact.id } })).toBe(0);
    const audit = await auditOf(actor);
    expect(audit.map((a) => a.outcome)).toEqual(["error", "error"]);
    expect(audit.every((a) => a.contactIds[0] === contact.id)).toBe(true);
  });
});
