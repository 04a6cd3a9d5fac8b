// Writes src/core/time-zone-data.ts: the zones a reader can choose (zone.tab's, one or more per
// country, in their current IANA spelling, plus UTC), every other spelling the runtime or tzdata
// knows for them (links, and the names ICU still returns, like Asia/Calcutta), and each zone's UTC
// offsets over the coming years as transition tables, so a page shows current offsets without one
// Intl.DateTimeFormat per zone. Run `npm run build:time-zones` after a tzdata or ICU update; the
// output is committed (it needs the system's tzdata, which a Worker build does not have).
//
// Sources: /usr/share/zoneinfo/zone.tab and tzdata.zi (Debian's tzdata), and Node's ICU for the
// offsets and for which names are one zone.

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const ZONEINFO = process.env.ZONEINFO ?? "/usr/share/zoneinfo";
const outFile = resolve(process.cwd(), "src/core/time-zone-data.ts");
/** The table covers this many years from the start of the current one; past it the Worker asks Intl. */
const YEARS = 12;
const MINUTE = 60_000;
const DAY = 86_400_000;

const tab = readFileSync(`${ZONEINFO}/zone.tab`, "utf8");
const canonical = tab
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("#"))
  .map((line) => line.split("\t")[2] as string);
const zi = readFileSync(`${ZONEINFO}/tzdata.zi`, "utf8");
const version = /^# version (\S+)/.exec(zi)?.[1] ?? "unknown";
const tzNames = zi
  .split("\n")
  .filter((line) => line.startsWith("Z ") || line.startsWith("L "))
  .map((line) => {
    const parts = line.split(" ");
    return (line.startsWith("Z ") ? parts[1] : parts[2]) as string;
  });

const UTC_NAMES = ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"];
const GMT_NAMES = ["GMT", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "GMT+0", "GMT-0", "GMT0", "Etc/Greenwich"];

/** ICU's id for a name (its own canonical spelling, often the old one), or null when unknown. */
function icuId(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const known = new Set([...canonical, ...tzNames, ...Intl.supportedValuesOf("timeZone")]);
const canonicalOf = new Map<string, string>(); // ICU id -> zone.tab name
for (const zone of canonical) {
  const id = icuId(zone);
  if (id === null) throw new Error(`Node's ICU does not know ${zone}`);
  if (!canonicalOf.has(id)) canonicalOf.set(id, zone);
}
const aliases = new Map<string, string>();
for (const name of known) {
  if (canonical.includes(name)) continue;
  if (UTC_NAMES.includes(name) || GMT_NAMES.includes(name)) continue;
  const id = icuId(name);
  const target = id === null ? undefined : canonicalOf.get(id);
  if (target !== undefined) aliases.set(name, target);
}
for (const name of [...UTC_NAMES, ...GMT_NAMES]) if (name !== "UTC") aliases.set(name, "UTC");

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Minutes east of UTC in `zone` at `ms`. */
function offsetAt(zone: string, ms: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const year = new Date().getUTCFullYear();
const from = Date.UTC(year, 0, 1);
const until = Date.UTC(year + YEARS, 0, 1);

/** [offset at `from`, then minute of each change and the offset after it, ...]. */
function schedule(zone: string): number[] {
  const out = [offsetAt(zone, from)];
  let offset = out[0] as number;
  for (let day = from + DAY; day <= until; day += DAY) {
    const next = offsetAt(zone, day);
    if (next === offset) continue;
    let lo = day - DAY; // offset here is `offset`
    let hi = day; // and here `next`
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
      if (offsetAt(zone, mid) === offset) lo = mid;
      else hi = mid;
    }
    out.push(hi / MINUTE, next);
    offset = next;
  }
  return out;
}

const fixed: Record<string, number> = { UTC: 0 };
const scheduled: Record<string, number> = {};
const schedules: number[][] = [];
const scheduleIndex = new Map<string, number>();
for (const zone of canonical) {
  const s = schedule(zone);
  if (s.length === 1) {
    fixed[zone] = s[0] as number;
    continue;
  }
  const key = s.join(",");
  let index = scheduleIndex.get(key);
  if (index === undefined) {
    index = schedules.length;
    schedules.push(s);
    scheduleIndex.set(key, index);
  }
  scheduled[zone] = index;
}

const sorted = <T>(record: Record<string, T>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const json = (value: unknown) => JSON.stringify(value);

const source = `// Generated by scripts/build-time-zones.ts from tzdata ${version} and ICU ${process.versions.icu} (tz ${process.versions.tz}): do not edit.
// The zones a reader can choose, their other spellings, and their UTC offsets ${year}-${year + YEARS - 1}.

/** The table's range, in minutes since 1970 (UTC): offsets outside it are asked of Intl. */
export const FROM_MINUTE = ${from / MINUTE};
export const UNTIL_MINUTE = ${until / MINUTE};

/** Zones whose offset does not change in the range: minutes east of UTC. */
export const FIXED: Readonly<Record<string, number>> = ${json(sorted(fixed))};

/** Zones whose offset changes in the range: the index of their schedule. */
export const SCHEDULED: Readonly<Record<string, number>> = ${json(sorted(scheduled))};

/** Each: the offset at FROM_MINUTE, then pairs of (minute of a change, offset from then on). */
export const SCHEDULES: readonly (readonly number[])[] = ${json(schedules)};

/** Other spellings of the zones above, each to its current name. */
export const ALIASES: Readonly<Record<string, string>> = ${json(sorted(Object.fromEntries(aliases)))};
`;
writeFileSync(outFile, source);
console.log(
  `build-time-zones: ${canonical.length + 1} zones (${Object.keys(scheduled).length} changing, ${schedules.length} schedules), ${aliases.size} aliases -> src/core/time-zone-data.ts`,
);
