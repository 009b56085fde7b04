import { DAY_MS } from "./clock.ts";

/** The RRULE subset the generator and tests use: FREQ, INTERVAL, COUNT, UNTIL, BYDAY. */
export interface Rrule {
  freq: "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
  interval: number;
  count?: number;
  /** UNTIL as an instant (inclusive). */
  until?: number;
  /** Weekdays, 0 = Sunday. */
  byDay?: number[];
}

const DAY_CODES: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

export function parseRrule(line: string): Rrule {
  const body = line.replace(/^RRULE:/i, "");
  const parts = new Map<string, string>();
  for (const piece of body.split(";")) {
    const [key, value] = piece.split("=");
    if (key && value) parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = parts.get("FREQ");
  if (freq !== "DAILY" && freq !== "WEEKLY" && freq !== "MONTHLY" && freq !== "YEARLY")
    throw new Error(`Unsupported RRULE ${line}`);
  const rule: Rrule = { freq, interval: Math.max(1, Number(parts.get("INTERVAL") ?? 1)) };
  const count = parts.get("COUNT");
  if (count) rule.count = Number(count);
  const until = parts.get("UNTIL");
  if (until) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(until);
    if (!m) throw new Error(`Bad UNTIL in ${line}`);
    const [, y, mo, d, h, mi, s] = m;
    rule.until = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 23),
      Number(mi ?? 59),
      Number(s ?? 59),
    );
  }
  const byDay = parts.get("BYDAY");
  if (byDay)
    rule.byDay = byDay.split(",").map((code) => {
      const day = DAY_CODES[code.replace(/^[+-]?\d+/, "")];
      if (day === undefined) throw new Error(`Bad BYDAY in ${line}`);
      return day;
    });
  return rule;
}

const daysInMonth = (year: number, month0: number): number =>
  new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/**
 * The local dates (days since the epoch) a rule produces from `startDay`, in order and
 * unbounded: the caller applies COUNT, UNTIL and its own window.
 */
export function* occurrenceDays(startDay: number, rule: Rrule): Generator<number> {
  const start = new Date(startDay * DAY_MS);
  const year = start.getUTCFullYear();
  const month0 = start.getUTCMonth();
  const dom = start.getUTCDate();
  const weekday = start.getUTCDay();
  switch (rule.freq) {
    case "DAILY":
      for (let k = 0; ; k++) yield startDay + k * rule.interval;
    case "WEEKLY": {
      const days = [...new Set(rule.byDay ?? [weekday])].sort(
        (a, b) => ((a + 6) % 7) - ((b + 6) % 7),
      );
      const weekStart = startDay - ((weekday + 6) % 7);
      for (let k = 0; ; k++) {
        const base = weekStart + k * 7 * rule.interval;
        for (const d of days) {
          const day = base + ((d + 6) % 7);
          if (day >= startDay) yield day;
        }
      }
    }
    case "MONTHLY":
      for (let k = 0; ; k++) {
        const m = month0 + k * rule.interval;
        const y = year + Math.floor(m / 12);
        const mm = ((m % 12) + 12) % 12;
        if (dom <= daysInMonth(y, mm)) yield Math.floor(Date.UTC(y, mm, dom) / DAY_MS);
      }
    case "YEARLY":
      for (let k = 0; ; k++) {
        const y = year + k * rule.interval;
        if (dom <= daysInMonth(y, month0)) yield Math.floor(Date.UTC(y, month0, dom) / DAY_MS);
      }
  }
}
