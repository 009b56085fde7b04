// A contact's rhythm (how often and how lately they were in touch) and the engagement signal the
// rules derive from it. Pure functions of the dates, so they can be tested without a database.
//
// Everything here is deliberately coarse: the facts change when something happens (an email, a
// session) or when time crosses a threshold that matters (a client goes from "within their
// rhythm" to "overdue"), never merely because a day passed. The insight's input hash is made
// from them, so an insight is not stale just because it is a day older.

/** engaged | steady | cooling | at_risk | new, best first (new aside). */
export const ENGAGEMENT_LEVELS = ["engaged", "steady", "cooling", "at_risk", "new"] as const;
export type Engagement = (typeof ENGAGEMENT_LEVELS)[number];

/** Until a client has two recorded interactions, this is taken as their usual interval. */
export const DEFAULT_INTERVAL_DAYS = 30;

/** How long a contact counts as new (days since they were added). */
export const NEW_CONTACT_DAYS = 14;

export type RhythmStatus = "no_contact_yet" | "within_rhythm" | "due" | "overdue" | "long_overdue";

export interface RhythmInput {
  now: Date;
  createdAt: Date;
  stage: string;
  /** Past interactions (not cancelled) on record. */
  pastCount: number;
  /** The first and the last of them. */
  firstAt: Date | null;
  lastAt: Date | null;
  /** The contact's own last-interaction date (imports set it too); the later one counts. */
  recordedLastAt?: Date | null;
  /** Past interactions (not cancelled) in the 30 days before `now`. */
  last30Count: number;
  /** The next session booked (not cancelled), if any. */
  nextSessionAt: Date | null;
}

/** What the model is told about the rhythm (JSON-safe, stable from day to day). */
export interface RhythmFacts {
  interactionsRecorded: number;
  lastContactOn: string | null;
  /** A band ("1-2 weeks"), not a day count: it changes a few times, not every day. */
  timeSinceLastContact: string | null;
  /** The mean gap between recorded interactions; null until there are two. */
  usualIntervalDays: number | null;
  nextSessionOn: string | null;
  status: RhythmStatus;
  /** The rules' engagement signal, and why, in a sentence. */
  suggestedEngagement: Engagement;
  suggestedReason: string;
}

const DAY = 86_400_000;

/** "2026-11-23" (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const BANDS: [maxDays: number, label: string][] = [
  [7, "under a week"],
  [14, "1-2 weeks"],
  [30, "2-4 weeks"],
  [60, "1-2 months"],
  [90, "2-3 months"],
  [182, "3-6 months"],
  [365, "6-12 months"],
];

/** The band a number of days falls in: "under a week", "1-2 weeks", ... "over a year". */
export function timeBand(days: number): string {
  for (const [max, label] of BANDS) if (days < max) return label;
  return "over a year";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The rhythm facts and the engagement signal:
 * - new: added less than two weeks ago with at most two interactions, or never in touch yet
 *   but added within the last month or with a first session booked;
 * - at_risk: silent for more than three times their usual interval (30 days until two
 *   interactions give one), or an active client never in touch;
 * - cooling: silent for more than 1.5 times their usual interval (the home page's "needs
 *   attention" threshold) with nothing booked, or never in touch;
 * - engaged: within their usual interval, and a session booked or 3+ interactions in 30 days;
 * - steady: otherwise (within 1.5 times their usual interval, or overdue with a session booked).
 */
export function rhythmFacts(input: RhythmInput): RhythmFacts {
  const { now, pastCount, firstAt, nextSessionAt } = input;
  const ageDays = Math.floor((now.getTime() - input.createdAt.getTime()) / DAY);
  const usual =
    pastCount >= 2 && firstAt && input.lastAt
      ? Math.max(
          1,
          Math.round((input.lastAt.getTime() - firstAt.getTime()) / DAY / (pastCount - 1)),
        )
      : null;
  const recorded =
    input.recordedLastAt && input.recordedLastAt <= now ? input.recordedLastAt : null;
  const lastAt =
    input.lastAt && recorded
      ? new Date(Math.max(input.lastAt.getTime(), recorded.getTime()))
      : (input.lastAt ?? recorded);
  const base = {
    interactionsRecorded: pastCount,
    lastContactOn: lastAt ? isoDay(lastAt) : null,
    usualIntervalDays: usual,
    nextSessionOn: nextSessionAt ? isoDay(nextSessionAt) : null,
  };

  if (!lastAt) {
    const signal: [Engagement, string] =
      ageDays < 30 || nextSessionAt
        ? [
            "new",
            nextSessionAt
              ? "Recently added, with a first session booked."
              : "Recently added, with no contact recorded yet.",
          ]
        : input.stage === "active"
          ? ["at_risk", "An active client with no recorded contact."]
          : ["cooling", "No contact recorded since they were added."];
    return {
      ...base,
      timeSinceLastContact: null,
      status: "no_contact_yet",
      suggestedEngagement: signal[0],
      suggestedReason: signal[1],
    };
  }

  const since = Math.max(0, Math.floor((now.getTime() - lastAt.getTime()) / DAY));
  const interval = usual ?? DEFAULT_INTERVAL_DAYS;
  const ratio = since / interval;
  const status: RhythmStatus =
    ratio <= 1 ? "within_rhythm" : ratio <= 1.5 ? "due" : ratio <= 3 ? "overdue" : "long_overdue";
  const rhythm = usual
    ? `usually every ${plural(usual, "day")}`
    : `no usual rhythm yet (${DEFAULT_INTERVAL_DAYS} days assumed)`;
  const silent = `no contact for ${timeBand(since)}`;

  let signal: [Engagement, string];
  if (ageDays < NEW_CONTACT_DAYS && pastCount <= 2) {
    signal = ["new", `Added recently, with ${plural(pastCount, "interaction")} so far.`];
  } else if (status === "long_overdue") {
    signal = ["at_risk", `Silent well past their rhythm: ${silent}, ${rhythm}.`];
  } else if (status === "overdue" && !nextSessionAt) {
    signal = ["cooling", `Overdue for contact: ${silent}, ${rhythm}.`];
  } else if (status === "within_rhythm" && (nextSessionAt || input.last30Count >= 3)) {
    signal = [
      "engaged",
      nextSessionAt
        ? `In touch within their rhythm (${rhythm}), with a session booked.`
        : "In touch often: 3 or more interactions in the last 30 days.",
    ];
  } else {
    signal = [
      "steady",
      nextSessionAt && status === "overdue"
        ? `Overdue for contact (${silent}), but a session is booked.`
        : `In touch about as usual (${rhythm}).`,
    ];
  }
  return {
    ...base,
    timeSinceLastContact: timeBand(since),
    status,
    suggestedEngagement: signal[0],
    suggestedReason: signal[1],
  };
}
