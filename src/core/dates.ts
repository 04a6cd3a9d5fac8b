// Instants: parsing ISO 8601 date-times that carry a zone, and RFC 3339 output. Instants run
// from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, so every one has a four-digit year in
// UTC and round-trips exactly through formatInstant and parseInstant.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/** The first and last supported instants, in epoch milliseconds. */
export const MIN_INSTANT = utc(1000, 1, 1);
export const MAX_INSTANT = utc(10000, 1, 1) - 1;

export const INSTANT_FORMAT_MESSAGE =
  'must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"';
export const INSTANT_RANGE_MESSAGE =
  "must be from year 1000 to 9999 in UTC (1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z)";

/** Epoch milliseconds of a UTC calendar date and time, for any year (no two-digit-year rule). */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  // Date.UTC would read years 0-99 as 1900-1999; setUTCFullYear takes the year as written.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of the text, or a message saying why it is not a supported instant. */
function read(text: string): number | string {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return INSTANT_FORMAT_MESSAGE;
  const [, y, mo, d, h, mi, s = "00", frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return INSTANT_FORMAT_MESSAGE;
  if (day < 1 || day > daysInMonth(year, month)) return INSTANT_FORMAT_MESSAGE;
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || "0");
    if (oh > 23 || om > 59) return INSTANT_FORMAT_MESSAGE;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // Milliseconds from the digits themselves (finer digits are dropped), not by float arithmetic.
  const ms = frac ? Number(frac.slice(1, 4).padEnd(3, "0")) : 0;
  const instant = utc(year, month, day, hour, minute, second, ms) - offset * 60_000;
  if (!(instant >= MIN_INSTANT && instant <= MAX_INSTANT)) return INSTANT_RANGE_MESSAGE;
  return instant;
}

/**
 * Epoch milliseconds of an ISO 8601 date-time with a zone ("2022-01-10T16:00:00+06:00"), or
 * null when the text is not one, lacks a zone, names a day that does not exist, or lies
 * outside years 1000 to 9999 in UTC.
 */
export function parseInstant(text: string): number | null {
  const result = read(text);
  return typeof result === "number" ? result : null;
}

/** Why `text` is not a supported instant (malformed, or out of range), or null when it is one. */
export function instantError(text: string): string | null {
  const result = read(text);
  return typeof result === "number" ? null : result;
}

/** RFC 3339 in UTC, without fractional seconds when there are none: "2022-01-10T10:00:00Z". */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
