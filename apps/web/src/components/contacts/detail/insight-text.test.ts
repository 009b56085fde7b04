import { describe, expect, it } from "vitest";
import { describeBasis, describeChanges, type InsightChanges } from "./insight-text";

const none: InsightChanges = {
  newInteractions: 0,
  newNotes: 0,
  interactions: false,
  upcomingSessions: false,
  notes: false,
  tasks: false,
  record: false,
  rhythm: false,
  settings: false,
};

describe("insight texts", () => {
  it("says what is new since the insight", () => {
    expect(describeChanges({ ...none, newInteractions: 2, interactions: true })).toEqual([
      "2 new emails or sessions",
    ]);
    expect(
      describeChanges({ ...none, newInteractions: 1, newNotes: 1, notes: true, tasks: true }),
    ).toEqual(["1 new email or session", "1 new note", "tasks changed"]);
    expect(describeChanges({ ...none, upcomingSessions: true, record: true })).toEqual([
      "emails or sessions changed",
      "the record changed",
    ]);
    expect(describeChanges({ ...none, rhythm: true })).toEqual(["time since the last contact"]);
    expect(describeChanges({ ...none, rhythm: true, newNotes: 2 })).toEqual(["2 new notes"]);
    expect(describeChanges({ ...none, settings: true })).toEqual(["AI settings changed"]);
    expect(describeChanges(none)).toEqual([]);
  });

  it("says what it was based on", () => {
    expect(describeBasis({ interactions: 3, notes: 1, tasks: 0 })).toBe(
      "Based on 3 emails and sessions, 1 note and 0 open tasks.",
    );
    expect(describeBasis({ interactions: 1, notes: 2, tasks: 1 })).toBe(
      "Based on 1 email or session, 2 notes and 1 open task.",
    );
  });
});
