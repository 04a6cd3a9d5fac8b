// The time zones a reader can choose: the canonical IANA zones (current spellings, one list
// entry each) grouped by region with a city label and the current UTC offset, and the one way
// any other spelling (Asia/Calcutta, Europe/Kiev, US/Eastern, "asia/almaty") becomes canonical.
// Offsets come from the table scripts/build-time-zones.ts generates (a binary search per zone),
// since one Intl.DateTimeFormat per zone costs tens of milliseconds on a cold isolate; outside the
// table's years they are asked of Intl. Pure: the time is always passed in.

import { dateTimeFormat } from "./intl.js";
import { ALIASES, FIXED, FROM_MINUTE, SCHEDULED, SCHEDULES, UNTIL_MINUTE } from "./time-zone-data.js";

export const REGIONS = [
  "Africa",
  "America",
  "Antarctica",
  "Arctic",
  "Asia",
  "Atlantic",
  "Australia",
  "Europe",
  "Indian",
  "Pacific",
  "UTC",
] as const;
export type Region = (typeof REGIONS)[number];

export interface Zone {
  /** The canonical IANA name, the value stored and posted. */
  name: string;
  region: Region;
  /** "Sao Paulo", "Buenos Aires", "Indianapolis (Indiana)": as IANA writes the city. */
  city: string;
  /** The zone's other spellings, for matching the browser's zone. */
  aliases: readonly string[];
}

export interface ZoneChoice extends Zone {
  /** Minutes east of UTC at the time asked about. */
  offset: number;
}

/** Longest name looked up: every IANA name is shorter. */
const MAX_NAME_LENGTH = 64;
// America/Indiana/Knox and the like: the state tells the city apart; Argentina's cities need no help.
const STATES = new Set(["Indiana", "Kentucky", "North_Dakota"]);

let zones: readonly Zone[] | null = null;
let byLowerName: ReadonlyMap<string, string> | null = null;

/** Every canonical zone, UTC included, in name order. */
export function allZones(): readonly Zone[] {
  if (zones) return zones;
  const aliases = new Map<string, string[]>();
  for (const [alias, name] of Object.entries(ALIASES)) {
    const list = aliases.get(name);
    if (list) list.push(alias);
    else aliases.set(name, [alias]);
  }
  const names = [...Object.keys(FIXED), ...Object.keys(SCHEDULED)].sort();
  zones = names.map((name) => ({ name, ...place(name), aliases: aliases.get(name) ?? [] }));
  return zones;
}

function place(name: string): { region: Region; city: string } {
  const parts = name.split("/");
  const region = (REGIONS as readonly string[]).includes(parts[0] ?? "") ? (parts[0] as Region) : "UTC";
  const words = (s: string) => s.replaceAll("_", " ");
  const city = words(parts[parts.length - 1] ?? name);
  const state = parts.length === 3 ? (parts[1] as string) : "";
  return { region, city: STATES.has(state) ? `${city} (${words(state)})` : city };
}

/**
 * The canonical name of a zone given in any spelling this table knows (any letter case, an old
 * name, a link), or null. Every zone input and every stored zone goes through it.
 */
export function canonicalZone(name: string): string | null {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  if (Object.hasOwn(FIXED, name) || Object.hasOwn(SCHEDULED, name)) return name;
  if (Object.hasOwn(ALIASES, name)) return ALIASES[name] ?? null;
  if (!byLowerName) {
    const map = new Map<string, string>();
    for (const zone of allZones()) map.set(zone.name.toLowerCase(), zone.name);
    for (const [alias, zone] of Object.entries(ALIASES)) map.set(alias.toLowerCase(), zone);
    byLowerName = map;
  }
  return byLowerName.get(name.toLowerCase()) ?? null;
}

/** Minutes east of UTC in `zone` (canonical, or any name Intl knows) at `ms`. */
export function zoneOffset(zone: string, ms: number): number {
  const minute = Math.floor(ms / 60_000);
  if (minute >= FROM_MINUTE && minute < UNTIL_MINUTE) {
    const fixed = FIXED[zone];
    if (fixed !== undefined) return fixed;
    const index = SCHEDULED[zone];
    const schedule = index === undefined ? undefined : SCHEDULES[index];
    if (schedule) return scheduledOffset(schedule, minute);
  }
  return intlOffset(zone, ms);
}

/** The offset in force at `minute`: [offset, change1, offset1, change2, offset2, ...], changes ascending. */
function scheduledOffset(schedule: readonly number[], minute: number): number {
  const changes = (schedule.length - 1) / 2;
  let lo = 0; // changes before index lo have happened
  let hi = changes;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((schedule[1 + 2 * mid] as number) <= minute) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? (schedule[0] as number) : (schedule[2 * lo] as number);
}

const LONG_OFFSET = /^GMT([+-])(\d\d):(\d\d)$/;

function intlOffset(zone: string, ms: number): number {
  const parts = dateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(ms);
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = LONG_OFFSET.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** "UTC+05:00", "UTC−03:30" (a minus sign), "UTC+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "\u2212" : "+";
  const abs = Math.abs(minutes);
  const two = (n: number) => String(n).padStart(2, "0");
  return `UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

export interface ZoneGroup {
  region: Region;
  zones: readonly ZoneChoice[];
}

/**
 * Changes only when some zone's offset changes: the minute of the latest change at or before
 * `ms` (the table's start before the first), or past the table the hour. A page listing offsets
 * is cached under it.
 */
export function zoneEpoch(ms: number): number {
  const minute = Math.floor(ms / 60_000);
  if (minute < FROM_MINUTE || minute >= UNTIL_MINUTE) return Math.floor(minute / 60) * 60;
  let latest = FROM_MINUTE;
  for (const schedule of SCHEDULES) {
    for (let i = 1; i < schedule.length && (schedule[i] as number) <= minute; i += 2) {
      latest = Math.max(latest, schedule[i] as number);
    }
  }
  return latest;
}

let memo: { epoch: number; groups: readonly ZoneGroup[] } | null = null;

/** The zones by region (in REGIONS order), each region's sorted by offset at `ms`, then city. */
export function zoneGroups(ms: number): readonly ZoneGroup[] {
  const epoch = zoneEpoch(ms);
  if (memo?.epoch === epoch) return memo.groups;
  const groups = sortedGroups(ms);
  memo = { epoch, groups };
  return groups;
}

function sortedGroups(ms: number): readonly ZoneGroup[] {
  const groups = new Map<Region, ZoneChoice[]>(REGIONS.map((r) => [r, []]));
  for (const zone of allZones()) groups.get(zone.region)?.push({ ...zone, offset: zoneOffset(zone.name, ms) });
  const out: ZoneGroup[] = [];
  for (const [region, list] of groups) {
    if (list.length === 0) continue;
    list.sort((a, b) => a.offset - b.offset || (a.city < b.city ? -1 : a.city > b.city ? 1 : 0));
    out.push({ region, zones: list });
  }
  return out;
}
