// The date forms the sources write, to the ISO 8601 date-time with a zone that front matter takes,
// keeping the zone the source gave: RSS's RFC 822 (RFC 2822 3.3), Atom's and JSON Feed's RFC 3339,
// and the "YYYY-MM-DD HH:MM:SS" in UTC of WordPress's post_date_gmt and Ghost's export.
// Each returns null for text it does not read; the caller names the field.

import { instantError } from "../dates.js";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** RFC 822's zone names (RFC 2822 4.3); the military letters are left out, as RFC 2822 advises. */
const ZONES: Record<string, string> = {
  UT: "+00:00",
  GMT: "+00:00",
  Z: "+00:00",
  EST: "-05:00",
  EDT: "-04:00",
  CST: "-06:00",
  CDT: "-05:00",
  MST: "-07:00",
  MDT: "-06:00",
  PST: "-08:00",
  PDT: "-07:00",
};

const RFC822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2}|\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})$/;

const valid = (iso: string): string | null => (instantError(iso) === null ? iso : null);
const two = (n: string) => n.padStart(2, "0");

export function fromRfc822(text: string): string | null {
  const m = RFC822.exec(text.trim());
  if (!m) return null;
  const [, day, mon, year, hour, minute, second, zone] = m as unknown as string[];
  const month = MONTHS.indexOf((mon as string).toLowerCase());
  if (month < 0) return null;
  const fullYear = (year as string).length === 2 ? (Number(year) < 50 ? `20${year}` : `19${year}`) : year;
  const offset = /^[+-]\d{4}$/.test(zone as string)
    ? `${(zone as string).slice(0, 3)}:${(zone as string).slice(3)}`
    : ZONES[(zone as string).toUpperCase()];
  if (!offset) return null;
  return valid(
    `${fullYear}-${two(String(month + 1))}-${two(day as string)}T${hour}:${minute}:${second ?? "00"}${offset}`,
  );
}

/** RFC 3339 as Atom and JSON Feed write it; kept as written when valid. */
export function fromRfc3339(text: string): string | null {
  return valid(text.trim());
}

/** "2019-05-01 10:00:00" (or with a "T", fraction or "Z"), in UTC. */
export function fromUtcDateTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?Z?$/.exec(text.trim());
  return m ? valid(`${m[1]}T${m[2]}Z`) : valid(text.trim());
}
