import { z } from "zod";

export const syncChannelKinds = ["gmail", "calendar"] as const;
export type SyncChannelKind = (typeof syncChannelKinds)[number];

/** Where a channel is in its life; the sync page shows it in words. */
export const syncStages = [
  "not_started",
  "full_sync",
  "incremental",
  "paused",
  "reconnect_needed",
  "failed",
] as const;
export type SyncStage = (typeof syncStages)[number];

/** An address (ex@private.com) or a domain (@lawfirm.com or lawfirm.com) never to log. */
const neverLogEntry = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(320)
  .regex(
    /^(?:[^\s@]+@[^\s@]+\.[^\s@]+|@?[^\s@]+\.[^\s@]+)$/,
    "Enter an email address (name@example.com) or a domain (@example.com).",
  );

const neverLogList = z
  .array(neverLogEntry)
  .max(500, "At most 500 addresses and domains.")
  .transform((entries) => [...new Set(entries)]);

export const gmailPreferencesSchema = z.strictObject({
  /** Which mail: the messages of chosen labels, or of a Gmail search query. */
  scope: z.enum(["labels", "query"]).default("labels"),
  /** Label ids (the user picks them; there is no default, so nothing syncs the whole inbox). */
  labelIds: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  /** A Gmail search, e.g. `from:(@clinic.com) OR label:clients`. */
  query: z.string().trim().max(500).default(""),
  /** How far back the first sync reads. */
  lookbackDays: z.coerce.number().int().min(1).max(3650).default(90),
  /** Keep message bodies, not only metadata (subject, snippet, participants). */
  includeBodies: z.boolean().default(false),
  neverLog: neverLogList.default([]),
  /** Skip newsletters and automated mail (List-Unsubscribe, Precedence: bulk). */
  skipBulk: z.boolean().default(true),
  /** Skip threads with more people than this (group mail is rarely about one client). */
  maxRecipients: z.coerce.number().int().min(1).max(500).default(10),
});
export type GmailPreferences = z.output<typeof gmailPreferencesSchema>;

export const calendarPreferencesSchema = z.strictObject({
  /** Calendar ids; "primary" is the account's main calendar. */
  calendarIds: z.array(z.string().trim().min(1).max(300)).max(50).default(["primary"]),
  lookbackDays: z.coerce.number().int().min(0).max(3650).default(180),
  lookaheadDays: z.coerce.number().int().min(0).max(730).default(90),
  neverLog: neverLogList.default([]),
  /** Skip events with more attendees than this (classes and webinars). */
  maxAttendees: z.coerce.number().int().min(1).max(500).default(20),
});
export type CalendarPreferences = z.output<typeof calendarPreferencesSchema>;

/** Whether the preferences say what to sync (a label or a query was chosen). */
export function gmailScopeChosen(preferences: GmailPreferences): boolean {
  return preferences.scope === "labels"
    ? preferences.labelIds.length > 0
    : preferences.query.length > 0;
}

export const updatePreferencesSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("gmail"), preferences: gmailPreferencesSchema }),
  z.strictObject({ kind: z.literal("calendar"), preferences: calendarPreferencesSchema }),
]);
export type UpdatePreferencesInput = z.input<typeof updatePreferencesSchema>;

export const channelKindInputSchema = z.strictObject({ kind: z.enum(syncChannelKinds) });

export const syncRunListInputSchema = z.strictObject({
  kind: z.enum(syncChannelKinds),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const upcomingSessionsInputSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
