import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { createContact, deleteContacts } from "../contacts/service.ts";
import { createField, setFieldValues } from "../custom-fields/service.ts";
import { NotFoundError } from "../errors.ts";
import { createNote } from "../notes/service.ts";
import { makeUser } from "../shared/testing.ts";
import { applyInteractions, type InteractionInput } from "../sync/interactions.ts";
import { createTag, tagContacts } from "../tags/service.ts";
import { createTask } from "../tasks/service.ts";
import { setAiConsent } from "./consent.ts";
import { contactInsightInputs, INSIGHT_LIMITS } from "./insight-inputs.ts";
import {
  contactsWithInsights,
  getStoredInsight,
  recordInsightRefreshError,
  saveInsight,
} from "./insights.ts";
import { ConsentWithheldError } from "./views.ts";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const DAY = 86_400_000;
const now = new Date(Date.now() + 60_000);
const at = (days: number) => new Date(now.getTime() + days * DAY);

function email(address: string, id: string, days: number, extra: Partial<InteractionInput> = {}) {
  return {
    kind: "email" as const,
    externalId: id,
    direction: "inbound" as const,
    subject: `Subject ${id}`,
    snippet: `Snippet ${id} `.repeat(50),
    occurredAt: at(days),
    participants: [{ email: address }],
    people: [{ email: address, name: null, role: "from" }],
    ...extra,
  };
}

const insight = (contactId: string) => ({
  contactId,
  summary: "A summary.",
  nextAction: "Do a thing.",
  engagement: "steady" as const,
  engagementReason: "As usual.",
  inputHash: "a".repeat(64),
  model: "m",
  basis: { any: true },
});

describe("insight inputs", () => {
  it("gathers the record, rhythm, recent interactions, notes and open tasks, without contact details", async () => {
    const actor = await makeUser(testDb.db, "inputs@insights.test");
    const contact = await createContact(testDb.db, actor, {
      name: "Maya Lin",
      emails: ["maya@gmail.example"],
      phones: ["+44 7700 900123"],
      stage: "active",
    });
    const tags = await Promise.all(
      ["yoga", "knee"].map((name) => createTag(testDb.db, actor, { name })),
    );
    await tagContacts(testDb.db, actor, {
      contactIds: [contact.id],
      tagIds: tags.map((t) => t.id),
    });
    const field = await createField(testDb.db, actor, { label: "Goal", type: "text" });
    await setFieldValues(testDb.db, actor, {
      contactId: contact.id,
      values: { [field.id]: "Run a 10k" },
    });
    // 20 past emails every 7 days, a cancelled session, an upcoming one.
    const items: InteractionInput[] = Array.from({ length: 20 }, (_, i) =>
      email("maya@gmail.example", `e${i}`, -7 * (i + 1)),
    );
    items.push({
      kind: "session",
      externalId: "s-cancelled",
      subject: "Cancelled class",
      snippet: null,
      occurredAt: at(-2),
      status: "cancelled",
      participants: [],
      people: [{ email: "maya@gmail.example", name: null, role: "attendee" }],
    });
    items.push({
      kind: "session",
      externalId: "s-next",
      subject: "Private yoga",
      snippet: null,
      occurredAt: at(3),
      status: "confirmed",
      participants: [],
      people: [{ email: "maya@gmail.example", name: null, role: "attendee" }],
    });
    await applyInteractions(testDb.db, actor, "gmail", items, { createContacts: false, now });
    const noteIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      noteIds.push(
        (await createNote(testDb.db, actor, { contactId: contact.id, body: `Note ${i}` })).id,
      );
    }
    const later = await createTask(testDb.db, actor, {
      title: "Later",
      dueAt: at(10),
      contactId: contact.id,
    });
    const overdue = await createTask(testDb.db, actor, {
      title: "Overdue",
      dueAt: at(-1),
      contactId: contact.id,
    });
    const undated = await createTask(testDb.db, actor, { title: "Someday", contactId: contact.id });

    const { input, records } = await contactInsightInputs(testDb.db, actor, contact.id, now);
    expect(input.contact).toMatchObject({
      name: "Maya Lin",
      stage: "Active client",
      tags: ["knee", "yoga"],
      customFields: [{ field: "Goal", value: "Run a 10k" }],
    });
    const sent = JSON.stringify(input);
    expect(sent).not.toContain("maya@gmail.example");
    expect(sent).not.toContain("7700");
    expect(input.rhythm).toMatchObject({
      interactionsRecorded: 20,
      usualIntervalDays: 7,
      lastContactOn: at(-7).toISOString().slice(0, 10),
      nextSessionOn: at(3).toISOString().slice(0, 10),
      status: "within_rhythm",
      suggestedEngagement: "engaged",
    });
    expect(input.recentInteractions).toHaveLength(INSIGHT_LIMITS.interactions);
    expect(input.recentInteractions[0]).toMatchObject({ kind: "cancelled session" });
    expect(input.recentInteractions[1]).toMatchObject({
      kind: "email from them",
      subject: "Subject e0",
    });
    expect(Array.from(input.recentInteractions[1]!.snippet!).length).toBe(
      INSIGHT_LIMITS.snippetLength,
    );
    expect(input.upcomingSessions).toEqual([
      {
        on: at(3).toISOString().slice(0, 10),
        kind: "session",
        subject: "Private yoga",
        snippet: null,
      },
    ]);
    expect(input.recentNotes.map((n) => n.text)).toEqual([
      "Note 6",
      "Note 5",
      "Note 4",
      "Note 3",
      "Note 2",
    ]);
    expect(input.openTasks).toEqual([
      { title: "Overdue", dueOn: at(-1).toISOString().slice(0, 10), overdue: true },
      { title: "Later", dueOn: at(10).toISOString().slice(0, 10), overdue: false },
      { title: "Someday", dueOn: null, overdue: false },
    ]);
    expect(records.notes).toEqual(noteIds.slice(2).reverse());
    expect(records.tasks).toEqual([overdue.id, later.id, undated.id]);
    expect(records.interactions).toHaveLength(INSIGHT_LIMITS.interactions + 1);

    // Nothing new and a day later: the same input.
    const tomorrow = await contactInsightInputs(testDb.db, actor, contact.id, at(0.5));
    expect(tomorrow.input).toEqual(input);
  });

  it("refuses other users' and deleted contacts, and contacts without consent", async () => {
    const alice = await makeUser(testDb.db, "alice@insights.test");
    const bob = await makeUser(testDb.db, "bob@insights.test");
    const contact = await createContact(testDb.db, alice, { name: "Alice's client" });
    await expect(contactInsightInputs(testDb.db, bob, contact.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await setAiConsent(testDb.db, alice, { contactIds: [contact.id], consent: false });
    await expect(contactInsightInputs(testDb.db, alice, contact.id)).rejects.toBeInstanceOf(
      ConsentWithheldError,
    );
    const gone = await createContact(testDb.db, alice, { name: "Gone" });
    await deleteContacts(testDb.db, alice, { ids: [gone.id] });
    await expect(contactInsightInputs(testDb.db, alice, gone.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("stored insights", () => {
  it("stores, replaces and clears the refresh problem; never for a contact without consent", async () => {
    const actor: Actor = await makeUser(testDb.db, "store@insights.test");
    const other = await makeUser(testDb.db, "other@insights.test");
    const a = await createContact(testDb.db, actor, { name: "A" });
    const b = await createContact(testDb.db, actor, { name: "B" });
    const c = await createContact(testDb.db, actor, { name: "C" });

    await saveInsight(testDb.db, actor, insight(a.id));
    await saveInsight(testDb.db, actor, insight(b.id));
    expect(await contactsWithInsights(testDb.db, actor, [a.id, b.id, c.id])).toEqual(
      [a.id, b.id].sort(),
    );
    expect(await contactsWithInsights(testDb.db, other, [a.id, b.id])).toEqual([]);
    await expect(saveInsight(testDb.db, other, insight(c.id))).rejects.toBeInstanceOf(
      NotFoundError,
    );

    expect(
      await recordInsightRefreshError(testDb.db, actor, [a.id, c.id], "Over budget.", now),
    ).toBe(1);
    expect(await recordInsightRefreshError(testDb.db, other, [b.id], "Nope.", now)).toBe(0);
    expect(await getStoredInsight(testDb.db, actor, a.id)).toMatchObject({
      refreshError: "Over budget.",
      refreshErrorAt: now,
    });
    expect((await getStoredInsight(testDb.db, actor, b.id))?.refreshError).toBeNull();
    const replaced = await saveInsight(testDb.db, actor, {
      ...insight(a.id),
      summary: "New summary.",
    });
    expect(replaced).toMatchObject({ summary: "New summary.", refreshError: null });
    expect(await getStoredInsight(testDb.db, other, a.id)).toBeNull();

    // Consent withdrawn: the insight is gone and a late answer is not stored.
    await setAiConsent(testDb.db, actor, { contactIds: [b.id], consent: false });
    expect(await getStoredInsight(testDb.db, actor, b.id)).toBeNull();
    await expect(saveInsight(testDb.db, actor, insight(b.id))).rejects.toBeInstanceOf(
      ConsentWithheldError,
    );
    expect(await contactsWithInsights(testDb.db, actor, [a.id, b.id])).toEqual([a.id]);
  });
});
