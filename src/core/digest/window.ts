// Digest windows in a time zone: a daily window is one local calendar day, a weekly window one
// ISO week (Monday to Monday). Days are 23 or 25 hours long across DST changes, and where a
// zone skips midnight, the day starts at its first existing instant. Windows exist for every
// day and week that holds an instant from year 1000 to 9999 (see dates.ts).

import { daysInMonth, isLeapYear, MAX_INSTANT, MIN_INSTANT, utc } from "../dates.js";
import { dateTimeFormat } from "../intl.js";

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

const DAY = 86_400_000;

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let f = wallFormats.get(timeZone);
  if (!f) {
    f = dateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    wallFormats.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock time of an instant, as if it were UTC epoch ms (whole seconds). */
export function wallClock(ms: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of wallFormat(timeZone).formatToParts(ms)) {
    const n = Number(part.value);
    if (part.type === "year") year = n;
    else if (part.type === "month") month = n;
    else if (part.type === "day") day = n;
    // Some ICU versions write midnight as hour 24 of the same day.
    else if (part.type === "hour") hour = n % 24;
    else if (part.type === "minute") minute = n;
    else if (part.type === "second") second = n;
  }
  return utc(year, month, day, hour, minute, second);
}

/** The zone's offset from UTC at an instant, in ms (whole seconds, as in the tz database). */
function offsetAt(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

function dateOfWall(wall: number): LocalDate {
  const d = new Date(wall);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function localDate(ms: number, timeZone: string): LocalDate {
  return dateOfWall(wallClock(ms, timeZone));
}

const dateNumber = (d: LocalDate) => d.year * 10000 + d.month * 100 + d.day;

// Day starts are asked for again and again (each article of the archive, both ends of each
// window); the answer for a zone and a day never changes.
const dayStarts = new Map<string, number>();
const MAX_MEMO = 10_000;

/** The first instant whose local date in `timeZone` is `date` or later. */
function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const midnight = utc(date.year, date.month, date.day);
  const key = `${timeZone}\u0000${midnight}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return known;
  // Offsets a day either side bracket every offset that can apply at local midnight (offsets
  // lie within ±16 hours); midnight is midnight minus one of them, if that offset holds there.
  const before = offsetAt(midnight - DAY, timeZone);
  const after = offsetAt(midnight + DAY, timeZone);
  let start = Number.POSITIVE_INFINITY;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = midnight - offset;
    if (candidate < start && offsetAt(candidate, timeZone) === offset) start = candidate;
  }
  // Midnight does not exist (the clock skips it), or the zone changed more than once nearby.
  if (start === Number.POSITIVE_INFINITY) start = searchStart(dateNumber(date), midnight, timeZone);
  if (dayStarts.size >= MAX_MEMO) dayStarts.clear();
  dayStarts.set(key, start);
  return start;
}

/** Binary search, to the second, for the first instant whose local date is `target` or later. */
function searchStart(target: number, midnight: number, timeZone: string): number {
  let lo = midnight / 1000 - 17 * 3600;
  let hi = midnight / 1000 + 17 * 3600;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dateNumber(localDate(mid * 1000, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfWall(utc(date.year, date.month, date.day) + days * DAY);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const dayLabel = (d: LocalDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** ISO weekday, Monday 1 to Sunday 7. */
function isoWeekday(d: LocalDate): number {
  return ((new Date(utc(d.year, d.month, d.day)).getUTCDay() + 6) % 7) + 1;
}

/** Years whose 1 January is a Thursday, or a Wednesday in a leap year, have 53 ISO weeks. */
export function isoWeeksInYear(year: number): number {
  const jan1 = isoWeekday({ year, month: 1, day: 1 });
  return jan1 === 4 || (isLeapYear(year) && jan1 === 3) ? 53 : 52;
}

function isoWeekOf(d: LocalDate): { year: number; week: number } {
  // The ISO week belongs to the year of its Thursday.
  const thursday = addDays(d, 4 - isoWeekday(d));
  const dayOfYear = Math.round((utc(thursday.year, thursday.month, thursday.day) - utc(thursday.year, 1, 1)) / DAY);
  return { year: thursday.year, week: Math.floor(dayOfYear / 7) + 1 };
}

function mondayOfIsoWeek(year: number, week: number): LocalDate {
  const jan4 = { year, month: 1, day: 4 };
  return addDays(jan4, 1 - isoWeekday(jan4) + (week - 1) * 7);
}

function dailyWindow(date: LocalDate, timeZone: string): DigestWindow {
  return {
    kind: "daily",
    label: dayLabel(date),
    start: startOfLocalDay(date, timeZone),
    end: startOfLocalDay(addDays(date, 1), timeZone),
  };
}

function weeklyWindow(year: number, week: number, timeZone: string): DigestWindow {
  const monday = mondayOfIsoWeek(year, week);
  return {
    kind: "weekly",
    label: `${pad(year, 4)}-W${pad(week)}`,
    start: startOfLocalDay(monday, timeZone),
    end: startOfLocalDay(addDays(monday, 7), timeZone),
  };
}

/** Whether a window holds any supported instant (a local day can begin in 999 or end in 10000). */
const inRange = (w: DigestWindow) => w.end > MIN_INSTANT && w.start <= MAX_INSTANT;

/** The window named by `label`, or null when the label names no real day or week in range. */
export function parseWindow(kind: WindowKind, label: string, timeZone: string): DigestWindow | null {
  if (kind === "daily") {
    const m = /^(\d{4,5})-(\d{2})-(\d{2})$/.exec(label);
    if (!m) return null;
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (date.year < 999 || date.year > 10000 || date.month < 1 || date.month > 12) return null;
    if (date.day < 1 || date.day > daysInMonth(date.year, date.month) || dayLabel(date) !== label) return null;
    const w = dailyWindow(date, timeZone);
    return inRange(w) ? w : null;
  }
  const m = /^(\d{4,5})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 999 || year > 10000 || week < 1 || week > isoWeeksInYear(year)) return null;
  const w = weeklyWindow(year, week, timeZone);
  return w.label === label && inRange(w) ? w : null;
}

// The archive asks for the windows of every article, newest first: most instants fall in the
// window asked for just before.
const lastWindows = new Map<string, DigestWindow>();

/** The window of the given kind that contains an instant (from year 1000 to 9999). */
export function windowOf(kind: WindowKind, instant: number, timeZone: string): DigestWindow {
  const key = `${kind}\u0000${timeZone}`;
  const last = lastWindows.get(key);
  if (last && last.start <= instant && instant < last.end) return { ...last };
  let date = localDate(instant, timeZone);
  const windowAt = (d: LocalDate) => {
    if (kind === "daily") return dailyWindow(d, timeZone);
    const { year, week } = isoWeekOf(d);
    return weeklyWindow(year, week, timeZone);
  };
  let w = windowAt(date);
  // Where a clock goes back across midnight, an instant can read a date whose window ends
  // before it; the window that contains it is then a neighbour.
  const step = kind === "daily" ? 1 : 7;
  for (let i = 0; i < 3 && instant < w.start; i++) {
    date = addDays(date, -step);
    w = windowAt(date);
  }
  for (let i = 0; i < 3 && instant >= w.end; i++) {
    date = addDays(date, step);
    w = windowAt(date);
  }
  if (lastWindows.size >= MAX_MEMO) lastWindows.clear();
  lastWindows.set(key, w);
  return { ...w };
}

/** daily/YYYY-MM-DD or weekly/YYYY-Www naming a real day or week: an edition's key, as the ledger keeps it. */
export function isEdition(text: string): boolean {
  const m = /^(daily|weekly)\/(\d{4}-(?:\d{2}-\d{2}|W\d{2}))$/.exec(text);
  return m !== null && parseWindow(m[1] as WindowKind, m[2] ?? "", "UTC") !== null;
}
