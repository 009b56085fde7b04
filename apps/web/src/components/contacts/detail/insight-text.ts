import type { RouterOutputs } from "@omnicrm/api";

type View = RouterOutputs["insights"]["byContact"];
export type InsightChanges = NonNullable<View["changes"]>;
export type Engagement = NonNullable<View["insight"]>["engagement"];

export const ENGAGEMENT_LABELS: Record<Engagement, string> = {
  engaged: "Engaged",
  steady: "Steady",
  cooling: "Cooling",
  at_risk: "At risk",
  new: "New",
};

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What is new since an insight was generated, as short phrases: "2 new emails or sessions",
 * "1 new note", "tasks changed", ... Empty when nothing is known to have changed.
 */
export function describeChanges(changes: InsightChanges): string[] {
  const phrases: string[] = [];
  if (changes.newInteractions > 0) {
    phrases.push(count(changes.newInteractions, "new email or session", "new emails or sessions"));
  } else if (changes.interactions || changes.upcomingSessions) {
    phrases.push("emails or sessions changed");
  }
  if (changes.newNotes > 0) phrases.push(count(changes.newNotes, "new note", "new notes"));
  else if (changes.notes) phrases.push("notes changed");
  if (changes.tasks) phrases.push("tasks changed");
  if (changes.record) phrases.push("the record changed");
  if (changes.rhythm && phrases.length === 0) phrases.push("time since the last contact");
  if (changes.settings) phrases.push("AI settings changed");
  return phrases;
}

/** "Based on 3 emails and sessions, 1 note and 2 open tasks." */
export function describeBasis(basedOn: { interactions: number; notes: number; tasks: number }) {
  const parts = [
    count(basedOn.interactions, "email or session", "emails and sessions"),
    count(basedOn.notes, "note", "notes"),
    count(basedOn.tasks, "open task", "open tasks"),
  ];
  return `Based on ${parts.slice(0, -1).join(", ")} and ${parts.at(-1)!}.`;
}
