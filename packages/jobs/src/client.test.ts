import { describe, expect, it } from "vitest";
import {
  contactsInteractionsAdded,
  INTERACTIONS_EVENT_MAX_CONTACTS,
  interactionsAddedEvents,
} from "./client.ts";

const uuid = (n: number) => `0190b6a4-0000-7000-8000-${String(n).padStart(12, "0")}`;

describe("contacts/interactions.added events", () => {
  it("names each contact once, in chunks that fit an event, with ids derived from the run", () => {
    const ids = Array.from({ length: 1200 }, (_, i) => uuid(1199 - i));
    const events = interactionsAddedEvents({
      userId: uuid(9999),
      contactIds: [...ids, ...ids.slice(0, 10)],
      source: "gmail",
      runId: "run-1",
    });
    expect(events.map((e) => e.data.contactIds.length)).toEqual([
      INTERACTIONS_EVENT_MAX_CONTACTS,
      INTERACTIONS_EVENT_MAX_CONTACTS,
      200,
    ]);
    expect(events.flatMap((e) => e.data.contactIds)).toEqual([...ids].sort());
    expect(events.map((e) => e.id)).toEqual([
      "interactions-added:run-1:0",
      "interactions-added:run-1:1",
      "interactions-added:run-1:2",
    ]);
    expect(events.every((e) => e.name === "contacts/interactions.added")).toBe(true);
    expect(events[0]!.data).toMatchObject({ userId: uuid(9999), source: "gmail" });
    // The same run gives the same events: Inngest drops the second copy.
    expect(
      interactionsAddedEvents({
        userId: uuid(9999),
        contactIds: ids,
        source: "gmail",
        runId: "run-1",
      }).map((e) => e.id),
    ).toEqual(events.map((e) => e.id));
    expect(
      interactionsAddedEvents({ userId: uuid(1), contactIds: [], source: "calendar", runId: "r" }),
    ).toEqual([]);
  });

  it("validates against the event's schema", async () => {
    const [event] = interactionsAddedEvents({
      userId: uuid(1),
      contactIds: [uuid(2)],
      source: "calendar",
      runId: "r",
    });
    await expect(event!.validate()).resolves.toBeUndefined();
    await expect(
      contactsInteractionsAdded
        .create({ userId: "someone", contactIds: [], source: "gmail" })
        .validate(),
    ).rejects.toThrow();
  });
});
