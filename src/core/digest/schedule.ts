// The delivery schedule: which subscribers an hourly run is for, and which edition they get.
// Pure: the run's instant and the zones are arguments.
//
// A run stands for its UTC hour: runAt is read as the top of that hour (the cron fires at or a
// little after it), so a late run decides exactly as an on-time one. Each run covers the local
// wall-clock times after the previous run's and up to its own, (wall(H - 1h), wall(H)]. A
// subscriber is due in the run whose span holds their sendHour:00 local time:
// - zones with :30 or :45 offsets: Asia/Kolkata's 07:00 falls between the 01:00 UTC run (06:30)
//   and the 02:00 UTC run (07:30), so the 02:00 UTC run is due: the run whose local time is in
//   [sendHour:00, sendHour+1:00).
// - a local hour skipped by a spring-forward (New York, 02:00 on the second Sunday of March)
//   is due at the first run after it, together with the hour the clock jumped to (03:00 EDT).
// - an hour that happens twice in a fall-back (New York, 01:00 on the first Sunday of
//   November) is due at its first occurrence only; the second run's span is empty.
// So each local send time is due exactly once, as long as a zone's clock never goes back more
// than an hour at once (the ledger's unique key covers the rest).
// Weekly subscribers are due when that local send time falls on a Monday.

import type { Frequency } from "../subscription.js";
import { type DigestWindow, type WindowKind, wallClock, windowOf } from "./window.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The top of the UTC hour a run at `runAt` stands for. */
export function runHour(runAt: number): number {
  return Math.floor(runAt / HOUR) * HOUR;
}

export interface DueHour {
  /** A local send hour, 0 to 23, whose time has come in this run. */
  hour: number;
  /** Whether that send time falls on a local Monday (weekly subscribers are due too). */
  monday: boolean;
}

/**
 * The local send hours due in `timeZone` at the run `runAt`: usually one, none in the second
 * pass of a repeated hour, two after a skipped hour. The cron selects subscribers by
 * (time_zone, send_hour) from this, once per distinct zone. Throws a RangeError for a zone the
 * runtime does not know.
 */
export function dueHoursIn(timeZone: string, runAt: number): DueHour[] {
  const hour = runHour(runAt);
  const before = wallClock(hour - HOUR, timeZone);
  const now = wallClock(hour, timeZone);
  const due: DueHour[] = [];
  if (now <= before) return due;
  const today = Math.floor(now / DAY) * DAY;
  for (let h = 0; h < 24; h++) {
    // The latest local h:00 at or before now; due when the previous run had not reached it.
    let target = today + h * HOUR;
    if (target > now) target -= DAY;
    if (target > before) due.push({ hour: h, monday: new Date(target).getUTCDay() === 1 });
  }
  return due;
}

export interface ScheduledSubscriber {
  timeZone: string;
  sendHour: number;
  frequency: Frequency;
}

/** Whether the run at `runAt` owes this subscriber a digest (see the rules at the top). */
export function isDue(subscriber: ScheduledSubscriber, runAt: number): boolean {
  return dueHoursIn(subscriber.timeZone, runAt).some(
    (d) => d.hour === subscriber.sendHour && (subscriber.frequency === "daily" || d.monday),
  );
}

export interface Edition {
  kind: WindowKind;
  /** "2022-01-10" or "2022-W02", as in the web version's URL. */
  label: string;
  /** "daily/2022-01-10": the ledger's and the provider's key for this edition. */
  key: string;
  window: DigestWindow;
}

/**
 * The newest complete edition at `runAt` in the publisher's zone: the local day (or ISO week)
 * that ended last. At 00:00:00.000 local the day that just ended is complete.
 */
export function editionFor(frequency: Frequency, runAt: number, publisherTimeZone: string): Edition {
  const current = windowOf(frequency, runAt, publisherTimeZone);
  const window = windowOf(frequency, current.start - 1, publisherTimeZone);
  return { kind: window.kind, label: window.label, key: `${window.kind}/${window.label}`, window };
}
