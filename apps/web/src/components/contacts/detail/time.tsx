import { formatDate, formatDateTime } from "@/lib/format";

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 minutes ago", "yesterday", "in 3 days"; null beyond a week either way. */
export function formatRelative(date: Date, now: number = Date.now()): string | null {
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  if (abs < 45 * MINUTE) return relativeFormat.format(Math.round(diff / MINUTE), "minute");
  if (abs < 22 * HOUR) return relativeFormat.format(Math.round(diff / HOUR), "hour");
  if (abs < 7 * DAY) return relativeFormat.format(Math.round(diff / DAY), "day");
  return null;
}

/** A moment, relative when recent ("2 hours ago"), with the exact date and time on hover. */
export function RelativeTime({ date, className }: { date: Date; className?: string }) {
  const absolute = formatDateTime(date);
  const relative = formatRelative(date);
  return (
    <time dateTime={date.toISOString()} title={absolute} className={className}>
      {relative ?? formatDate(date)}
    </time>
  );
}

/** A calendar day stored as "YYYY-MM-DD" (custom date fields), written for people. */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  date.setUTCFullYear(Number(match[1]));
  return dayFormat.format(date);
}

/**
 * The moment a task picked with a date input is due: the end of that day where the user is, so
 * it becomes overdue only once the day is over. Null for a blank or malformed input.
 */
export function endOfLocalDay(day: string): Date | null {
  const match = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whether two moments fall on the same day where the user is. */
export function isSameLocalDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}
