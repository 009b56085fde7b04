import type { RouterOutputs } from "@omnicrm/api";
import type { CalendarPreferences, GmailPreferences, SyncStage } from "@omnicrm/api/schemas";

/** What the Google sync screens share: the API's shapes and the words for its states. */

export type SyncOverview = RouterOutputs["sync"]["overview"];
export type SyncChannel = SyncOverview["channels"][number];
export type SyncRun = RouterOutputs["sync"]["runs"][number];
export type ChannelPreview = RouterOutputs["sync"]["preview"];
export type GmailLabel = RouterOutputs["sync"]["labels"][number];
export type GoogleCalendar = RouterOutputs["sync"]["calendars"][number];
export type ChannelKind = SyncChannel["kind"];
export type { CalendarPreferences, GmailPreferences };

export const SYNC_PAGE = "/settings/sync";
export const CONNECT_HREF = `/api/google/connect?returnTo=${encodeURIComponent(SYNC_PAGE)}`;
/** While a run is running, the page asks for news this often. */
export const POLL_MS = 2000;

export const channelNames: Record<ChannelKind, string> = {
  gmail: "Gmail",
  calendar: "Google Calendar",
};

export const stageWords: Record<SyncStage, { label: string; detail: string }> = {
  not_started: { label: "Not started", detail: "Nothing has been synced yet." },
  full_sync: { label: "First sync", detail: "Reading everything you chose, once." },
  incremental: { label: "Up to date", detail: "Each sync reads only what changed since the last." },
  paused: { label: "Paused", detail: "Nothing syncs until you approve again." },
  reconnect_needed: {
    label: "Reconnect needed",
    detail: "Google no longer lets OmniCRM read this account.",
  },
  failed: { label: "Stopped by an error", detail: "The last sync did not finish." },
};

const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number) => numberFormat.format(n);

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Why records were skipped, in words (the counts come keyed by reason). */
export function skipReasonWords(reason: string, kind: ChannelKind): string {
  const item = kind === "gmail" ? "messages" : "events";
  switch (reason) {
    case "bulk":
      return "newsletters and automated mail";
    case "no_reply":
      return "from no-reply addresses";
    case "never_log":
      return `${item} with people on your never-log list`;
    case "too_many_recipients":
      return kind === "gmail" ? "sent to too many people" : "with too many attendees";
    case "no_participants":
      return `${item} with nobody but you`;
    case "not_in_scope":
      return `${item} outside what you chose`;
    case "draft":
      return "drafts";
    case "spam_or_trash":
      return "in spam or trash";
    case "cancelled_unknown":
      return "cancelled events never synced before";
    case "invalid":
      return `${item} that could not be read`;
    case "gone":
      return "deleted at Google before they could be read";
    default:
      return reason.replaceAll("_", " ");
  }
}

export function skippedTotal(skipped: Record<string, number> | undefined): number {
  return Object.values(skipped ?? {}).reduce((sum, n) => sum + n, 0);
}

/** "12 newsletters and automated mail, 3 drafts" — the biggest reasons first. */
export function skippedList(
  skipped: Record<string, number> | undefined,
  kind: ChannelKind,
): { reason: string; count: number; words: string }[] {
  return Object.entries(skipped ?? {})
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => ({ reason, count, words: skipReasonWords(reason, kind) }));
}

export const phaseWords: Record<string, string> = {
  listing: "Listing what to read",
  fetching: "Reading messages",
  events: "Reading events",
  done: "Finishing",
};

export const triggerWords: Record<string, string> = {
  manual: "Sync now",
  schedule: "Scheduled",
  approval: "First sync after approval",
  fallback: "Full sync (the changes had expired)",
};

export const modeWords: Record<string, string> = {
  full: "Full sync",
  incremental: "Changes only",
  preview: "Preview",
};

export const runStatusWords: Record<SyncRun["status"], string> = {
  running: "Running",
  succeeded: "Finished",
  failed: "Failed",
};

/** Days as people say them: "90 days", "6 months", "1 year". */
export function daysWords(days: number): string {
  if (days === 0) return "none";
  if (days % 365 === 0) return plural(days / 365, "year");
  if (days === 180) return "6 months";
  return plural(days, "day");
}

/** The never-log textarea: one address or domain per line. */
export const linesOf = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((line) => line.trim())
    .filter(Boolean);

/** Server field errors ("preferences.neverLog.2") turned into one message per form field. */
export function fieldMessages(fieldErrors: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const parts = path.split(".").filter((p) => p !== "preferences");
    const field = parts[0] ?? "_form";
    const index = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
    const message = messages[0] ?? "Not valid.";
    out[field] ??= index === null ? message : `Line ${index + 1}: ${message}`;
  }
  return out;
}
