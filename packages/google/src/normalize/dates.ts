/**
 * Deterministic date parsing: nothing here depends on the host's time zone or clock
 * (`new Date(string)` reads zone-less strings as local time, so it is only used on strings
 * that carry an explicit offset).
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** RFC 5322 §4.3 obsolete zones, in minutes east of UTC. Military letters are "-0000" (unknown → UTC). */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

// [Day,] D Mon YYYY HH:MM[:SS[.fff]] [zone] — tolerant of missing comma, extra spaces, comments.
const RFC5322_DATE =
  /^\s*(?:[a-z]{2,9}\s*,?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))?/i;

const ISO_WITH_ZONE =
  /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})\s*$/i;

/** Parses a Date header. Zone-less or unknown-zone dates are taken as UTC. Null when unparsable. */
export function parseDateHeader(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = RFC5322_DATE.exec(value);
  if (m) {
    const day = Number(m[1]);
    const month = MONTHS[(m[2] ?? "").toLowerCase()];
    let year = Number(m[3]);
    if ((m[3] ?? "").length <= 2) year += year < 50 ? 2000 : 1900;
    else if ((m[3] ?? "").length === 3) year += 1900;
    const hour = Number(m[4]);
    const minute = Number(m[5]);
    const second = m[6] ? Number(m[6]) : 0;
    if (month === undefined || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    let offsetMinutes = 0;
    if (m[7]) {
      const sign = m[7] === "-" ? -1 : 1;
      const oh = Number(m[8]);
      const om = Number(m[9]);
      if (oh > 23 || om > 59) return null;
      offsetMinutes = sign * (oh * 60 + om);
    } else if (m[10]) {
      offsetMinutes = ZONES[m[10].toLowerCase()] ?? 0;
    }
    const ms =
      Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
    return validDate(ms);
  }
  if (ISO_WITH_ZONE.test(value)) return validDate(Date.parse(value.trim().replace(" ", "T")));
  return null;
}

/** Gmail `internalDate`: epoch milliseconds as a decimal string. */
export function parseEpochMillis(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string" && !/^\s*\d{1,16}\s*$/.test(value)) return null;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms <= 0) return null;
  return validDate(ms);
}

// 8.64e15 ms is the largest representable Date.
function validDate(ms: number): Date | null {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms) : null;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Calendar all-day `date` (YYYY-MM-DD) as UTC midnight of that date. */
export function parseCalendarDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = DATE_ONLY.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  const date = new Date(Date.UTC(year, month, day));
  // Reject rolled-over dates such as 2024-02-31.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) {
    return null;
  }
  return date;
}

/**
 * Calendar `dateTime` (RFC 3339). Google always sends an offset; a zone-less value is read in
 * `timeZone` (IANA) when given, else as UTC.
 */
export function parseCalendarDateTime(
  value: string | null | undefined,
  timeZone?: string | null,
): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) {
    if (!/^\d{4}-\d{2}-\d{2}T/i.test(trimmed)) return null;
    return validDate(Date.parse(trimmed));
  }
  const m = LOCAL_DATE_TIME.exec(trimmed);
  if (!m) return null;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const wall = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    m[6] ? Number(m[6]) : 0,
    Math.floor(fraction),
  );
  if (!Number.isFinite(wall)) return null;
  if (!timeZone) return validDate(wall);
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  return validDate(second);
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

/** Offset of `timeZone` from UTC at instant `ms`, in ms (0 for an unknown zone). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  let formatter = zoneFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      formatter = null;
    }
    if (zoneFormatters.size < 256) zoneFormatters.set(timeZone, formatter);
  }
  if (!formatter) return 0;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (ms - (ms % 1000));
}
