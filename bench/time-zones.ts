// The time zone list with current offsets (the sign-up and preference forms): ours reads the
// generated transition table; the baseline asks Intl for each zone's offset, as a page would
// without the table. "cold" builds every formatter anew, as the first request of an isolate
// does; "warm" reuses them. Ratio > 1 means ours is faster.

import { allZones, zoneGroups } from "../src/core/time-zones.js";
import { compare, report } from "./lib.js";

function intlOffsets(formats: Map<string, Intl.DateTimeFormat> | null, ms: number): number {
  let sum = 0;
  for (const zone of allZones()) {
    let format = formats?.get(zone.name);
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", { timeZone: zone.name, timeZoneName: "longOffset" });
      formats?.set(zone.name, format);
    }
    sum += format.formatToParts(ms).length;
  }
  return sum;
}

export function run(): void {
  // Winter and summer in turn, so ours computes every list anew (it keeps one per offset change).
  const year = new Date().getUTCFullYear() + 1;
  const times = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)];
  let turn = 0;
  const now = () => times[turn++ % 2] as number;
  const warm = new Map<string, Intl.DateTimeFormat>();
  const ours = () => zoneGroups(now());
  const cold = compare({ name: "cold", a: ours, b: () => intlOffsets(null, now()) }, 7, 3);
  const hot = compare({ name: "warm", a: ours, b: () => intlOffsets(warm, now()) });
  report([
    {
      name: `${allZones().length} zones by region with offsets, vs Intl per zone (cold)`,
      ...cold,
      unit: "ms",
      better: "lower",
    },
    {
      name: `${allZones().length} zones by region with offsets, vs Intl per zone (warm)`,
      ...hot,
      unit: "ms",
      better: "lower",
    },
  ]);
}
