import { tz } from "@date-fns/tz";
import {
  addDays,
  endOfDay,
  endOfMonth,
  endOfQuarter,
  endOfWeek,
  endOfYear,
  startOfDay,
  startOfMonth,
  startOfQuarter,
  startOfWeek,
  startOfYear,
} from "date-fns";
import type { DatePreset, DateRangeValue } from "../schemas.ts";

export interface DateRange {
  from?: Date;
  to?: Date;
}

/**
 * A preset ("this week") as absolute instants in the user's time zone; weeks start on Monday.
 * `to` is inclusive.
 */
export function resolveDateRange(
  range: DateRangeValue,
  timeZone: string,
  now = new Date(),
): DateRange {
  if (!("preset" in range)) {
    return { from: range.from, to: range.to };
  }
  const options = { in: tz(timeZone) };
  const week = { ...options, weekStartsOn: 1 as const };
  const span: Record<DatePreset, () => [Date, Date]> = {
    today: () => [startOfDay(now, options), endOfDay(now, options)],
    this_week: () => [startOfWeek(now, week), endOfWeek(now, week)],
    this_month: () => [startOfMonth(now, options), endOfMonth(now, options)],
    this_quarter: () => [startOfQuarter(now, options), endOfQuarter(now, options)],
    this_year: () => [startOfYear(now, options), endOfYear(now, options)],
    last_7_days: () => [startOfDay(addDays(now, -6, options), options), endOfDay(now, options)],
    last_30_days: () => [startOfDay(addDays(now, -29, options), options), endOfDay(now, options)],
    last_90_days: () => [startOfDay(addDays(now, -89, options), options), endOfDay(now, options)],
  };
  const [from, to] = span[range.preset]();
  return { from: new Date(from.getTime()), to: new Date(to.getTime()) };
}
