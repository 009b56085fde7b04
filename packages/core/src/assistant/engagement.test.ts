import { describe, expect, it } from "vitest";
import { rhythmFacts, timeBand, type RhythmInput } from "./engagement.ts";

const now = new Date("2026-11-23T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

/** A client added 200 days ago who was in touch every 10 days, last time `last` days ago. */
function client(last: number, extra: Partial<RhythmInput> = {}): RhythmInput {
  return {
    now,
    createdAt: daysAgo(200),
    stage: "active",
    pastCount: 11,
    firstAt: daysAgo(last + 100),
    lastAt: daysAgo(last),
    last30Count: 0,
    nextSessionAt: null,
    ...extra,
  };
}

describe("rhythm facts", () => {
  it("works out the usual interval and says how long it has been in bands, not days", () => {
    const facts = rhythmFacts(client(12));
    expect(facts).toMatchObject({
      interactionsRecorded: 11,
      lastContactOn: "2026-11-11",
      timeSinceLastContact: "1-2 weeks",
      usualIntervalDays: 10,
      nextSessionOn: null,
      status: "due",
    });
    // The same band a day later: nothing to regenerate.
    expect(rhythmFacts({ ...client(12), now: inDays(1) })).toEqual(facts);
    // Crossing 1.5 times the usual interval is news: the client is now overdue.
    expect(rhythmFacts({ ...client(12), now: inDays(4) })).toMatchObject({
      status: "overdue",
      suggestedEngagement: "cooling",
    });
    expect(timeBand(0)).toBe("under a week");
    expect(timeBand(6)).toBe("under a week");
    expect(timeBand(7)).toBe("1-2 weeks");
    expect(timeBand(45)).toBe("1-2 months");
    expect(timeBand(400)).toBe("over a year");
  });

  it.each([
    // [days since last contact, extra, engagement, status]
    [3, { last30Count: 3 }, "engaged", "within_rhythm"],
    [3, { nextSessionAt: inDays(2) }, "engaged", "within_rhythm"],
    [3, {}, "steady", "within_rhythm"],
    [14, {}, "steady", "due"],
    [20, {}, "cooling", "overdue"],
    [20, { nextSessionAt: inDays(2) }, "steady", "overdue"],
    [31, {}, "at_risk", "long_overdue"],
    [31, { nextSessionAt: inDays(2) }, "at_risk", "long_overdue"],
  ] as const)(
    "%s days since contact (%o) is %s (%s) for a client seen every 10 days",
    (days, extra, engagement, status) => {
      const facts = rhythmFacts(client(days, extra));
      expect(facts.status).toBe(status);
      expect(facts.suggestedEngagement).toBe(engagement);
      expect(facts.suggestedReason).toMatch(/\.$/);
    },
  );

  it("assumes 30 days until two interactions give a rhythm", () => {
    const one = { pastCount: 1, firstAt: daysAgo(40), lastAt: daysAgo(40) };
    expect(rhythmFacts(client(40, one))).toMatchObject({
      usualIntervalDays: null,
      status: "due",
      suggestedEngagement: "steady",
    });
    expect(
      rhythmFacts(client(50, { ...one, lastAt: daysAgo(50), firstAt: daysAgo(50) })),
    ).toMatchObject({ status: "overdue", suggestedEngagement: "cooling" });
  });

  it("calls recently added contacts new, and others never in touch cooling or at risk", () => {
    const never = { pastCount: 0, firstAt: null, lastAt: null };
    expect(rhythmFacts(client(0, { ...never, createdAt: daysAgo(3) }))).toMatchObject({
      status: "no_contact_yet",
      suggestedEngagement: "new",
      lastContactOn: null,
      timeSinceLastContact: null,
    });
    expect(
      rhythmFacts(client(0, { ...never, createdAt: daysAgo(90), nextSessionAt: inDays(1) })),
    ).toMatchObject({ suggestedEngagement: "new", nextSessionOn: "2026-11-24" });
    expect(rhythmFacts(client(0, { ...never, createdAt: daysAgo(90) }))).toMatchObject({
      suggestedEngagement: "at_risk",
    });
    expect(
      rhythmFacts(client(0, { ...never, createdAt: daysAgo(90), stage: "lead" })),
    ).toMatchObject({ suggestedEngagement: "cooling" });
    // Two interactions in their first days: new, whatever the rhythm says.
    expect(
      rhythmFacts(
        client(2, { createdAt: daysAgo(5), pastCount: 2, firstAt: daysAgo(4), lastAt: daysAgo(2) }),
      ),
    ).toMatchObject({ suggestedEngagement: "new" });
  });

  it("takes the contact's own last-interaction date when it is later (an import set it)", () => {
    const facts = rhythmFacts(
      client(0, { pastCount: 0, firstAt: null, lastAt: null, recordedLastAt: daysAgo(5) }),
    );
    expect(facts).toMatchObject({
      lastContactOn: "2026-11-18",
      status: "within_rhythm",
      suggestedEngagement: "steady",
    });
    // A future date on the record is not a contact that happened.
    expect(rhythmFacts(client(40, { recordedLastAt: inDays(3) })).lastContactOn).toBe("2026-10-14");
  });
});
