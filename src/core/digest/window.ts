// Digest windows in a time zone: a daily window is one local calendar day, a weekly window one
// ISO week (Monday to Monday). Days are 23 or 25 hours long across DST changes, and where a
// zone skips midnight, the day starts at its first existing instant.

export type WindowKind = "daily" | "weekly";

export interface DigestWindow {
  kind: WindowKind;
  /** "2022-01-10" or "2022-W02". */
  label: string;
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive. */
  end: number;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar date of an instant, as a comparable number yyyymmdd. */
function localDateNumber(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get("year") * 10000 + get("month") * 100 + get("day");
}

export function localDate(ms: number, timeZone: string): LocalDate {
  const n = localDateNumber(ms, timeZone);
  return { year: Math.floor(n / 10000), month: Math.floor(n / 100) % 100, day: n % 100 };
}

/** The first instant (to the minute) whose local date in `timeZone` is `date` or later. */
function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const target = date.year * 10000 + date.month * 100 + date.day;
  const utcMidnight = Date.UTC(date.year, date.month - 1, date.day);
  // Zone offsets lie within ±14 hours; search a window that surely brackets the answer.
  let lo = utcMidnight - 15 * 3_600_000;
  let hi = utcMidnight + 15 * 3_600_000;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (localDateNumber(mid, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const dayLabel = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** ISO weekday, Monday 1 to Sunday 7. */
function isoWeekday(d: LocalDate): number {
  return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

/** Years whose 1 January is a Thursday, or a Wednesday in a leap year, have 53 ISO weeks. */
export function isoWeeksInYear(year: number): number {
  const jan1 = isoWeekday({ year, month: 1, day: 1 });
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

function isoWeekOf(d: LocalDate): { year: number; week: number } {
  // The ISO week belongs to the year of its Thursday.
  const thursday = addDays(d, 4 - isoWeekday(d));
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const dayOfYear = Math.round((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / 86_400_000);
  return { year: thursday.year, week: Math.floor(dayOfYear / 7) + 1 };
}

function mondayOfIsoWeek(year: number, week: number): LocalDate {
  const jan4 = { year, month: 1, day: 4 };
  return addDays(jan4, 1 - isoWeekday(jan4) + (week - 1) * 7);
}

/** The window named by `label`, or null when the label names no real day or week. */
export function parseWindow(kind: WindowKind, label: string, timeZone: string): DigestWindow | null {
  if (kind === "daily") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label);
    if (!m) return null;
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (date.year < 1970 || dayLabel(addDays(date, 0)) !== label) return null;
    return {
      kind,
      label,
      start: startOfLocalDay(date, timeZone),
      end: startOfLocalDay(addDays(date, 1), timeZone),
    };
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || week < 1 || week > isoWeeksInYear(year)) return null;
  const monday = mondayOfIsoWeek(year, week);
  return {
    kind,
    label,
    start: startOfLocalDay(monday, timeZone),
    end: startOfLocalDay(addDays(monday, 7), timeZone),
  };
}

/** The window of the given kind that contains an instant. */
export function windowOf(kind: WindowKind, instant: number, timeZone: string): DigestWindow {
  const date = localDate(instant, timeZone);
  const label =
    kind === "daily"
      ? dayLabel(date)
      : (() => {
          const { year, week } = isoWeekOf(date);
          return `${pad(year, 4)}-W${pad(week)}`;
        })();
  return parseWindow(kind, label, timeZone) as DigestWindow;
}
