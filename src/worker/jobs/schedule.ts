// The hourly run (Cron Trigger): for every zone with active subscribers, the local send hours
// that have just come (core/digest/schedule.ts), and for each a fan-out message naming the newest
// complete edition; weekly editions on local Mondays. It also re-queues what a dead consumer or
// an interrupted run left behind. It reads a few index entries per zone and writes nothing itself:
// the queue does the rest, so the run stays small whatever the number of subscribers.

import { type DeliveryMessage, type FanOutMessage, sendMessages } from "../../core/delivery.js";
import { dueHoursIn, editionFor, runHour } from "../../core/digest/schedule.js";
import type { Services } from "../services.js";

/** Rows re-queued per run at most, from expired claims and from stale queued rows each. */
const SWEEP_LIMIT = 1000;
/** A queued row untouched this long has no message carrying it any more (or a slow one: harmless). */
export const STALE_QUEUED_MS = 3_600_000;
const SEND_BATCH = 50;

export interface ScheduleResult {
  runHour: string;
  fanouts: FanOutMessage[];
  /** Rows queued again: claims whose lease ran out, and queued rows no message carries. */
  requeued: number;
}

export async function runSchedule(s: Services, runAt: number): Promise<ScheduleResult> {
  const hour = runHour(runAt);
  const publisherZone = s.digest.timeZone;
  const fanouts: FanOutMessage[] = [];
  for (const timeZone of await s.subscribers.activeZones()) {
    let due: ReturnType<typeof dueHoursIn>;
    try {
      due = dueHoursIn(timeZone, hour);
    } catch {
      // A zone this runtime does not know (stored before an update removed it): nobody to wake.
      console.warn(JSON.stringify({ event: "schedule.unknown-zone", timeZone }));
      continue;
    }
    for (const { hour: sendHour, monday } of due) {
      const daily = editionFor("daily", hour, publisherZone);
      fanouts.push({ type: "fanout", edition: daily.key, frequency: "daily", timeZone, sendHour, after: 0 });
      if (monday) {
        const weekly = editionFor("weekly", hour, publisherZone);
        fanouts.push({ type: "fanout", edition: weekly.key, frequency: "weekly", timeZone, sendHour, after: 0 });
      }
    }
  }
  const stranded = [
    ...(await s.deliveries.expiredClaims(SWEEP_LIMIT)).map((ids) => ({ type: "send" as const, ids })),
    ...sendMessages(await s.deliveries.staleQueued(s.now() - STALE_QUEUED_MS, SWEEP_LIMIT)),
  ];
  const messages: DeliveryMessage[] = [...fanouts, ...stranded];
  const queue = s.deliveryQueue();
  for (let start = 0; start < messages.length; start += SEND_BATCH) {
    await queue.sendBatch(messages.slice(start, start + SEND_BATCH).map((body) => ({ body })));
  }
  return {
    runHour: new Date(hour).toISOString(),
    fanouts,
    requeued: stranded.reduce((n, m) => n + m.ids.length, 0),
  };
}
