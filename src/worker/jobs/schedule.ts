// The hourly run (Cron Trigger): for every zone with active subscribers, the local send hours
// that have just come (core/digest/schedule.ts), and for each a fan-out message naming the newest
// complete edition; weekly editions on local Mondays. It also re-queues what a dead consumer or
// an interrupted run left behind, and the confirmations a "confirm" import owes. It reads a few
// index entries per zone and writes nothing itself but those confirmations' marks: the queue does
// the rest, so the run stays small whatever the number of subscribers. Last, it
// deletes ledger rows and renders older than 14 days, and sign-ups a day after their
// confirmation link expired unconfirmed.

import { type ConfirmMessage, type DeliveryMessage, type FanOutMessage, sendMessages } from "../../core/delivery.js";
import { dueHoursIn, editionFor, runHour } from "../../core/digest/schedule.js";
import { CONFIRM_TOKEN_TTL_MS } from "../../core/token.js";
import type { Services } from "../services.js";
import type { DueSlot } from "../store/audience.js";
import { queueMessages } from "./enqueue.js";

/** Rows re-queued per run at most, from expired claims and from stale queued rows each. */
const SWEEP_LIMIT = 1000;
/** A queued row untouched this long has no message carrying it any more (or a slow one: harmless). */
export const STALE_QUEUED_MS = 3_600_000;
/** The ledger and the stored renders are kept this long. */
export const RETENTION_MS = 14 * 86_400_000;
/** Ledger rows deleted per run at most: above a million rows written a day. */
const PRUNE_LIMIT = 50_000;
/** A sign-up never confirmed is deleted this long after its last confirmation email: the link's 48 h, and a day. */
export const UNCONFIRMED_KEPT_MS = CONFIRM_TOKEN_TTL_MS + 86_400_000;
/** Unconfirmed sign-ups deleted per run at most. */
const UNCONFIRMED_LIMIT = 10_000;
/** Confirmations an import owes, queued per run at most: the consumer sends them at MAIL_RATE. */
export const CONFIRMATIONS_PER_RUN = 10_000;
/** Zone-hour slots checked per statement. */
const SLOTS_PER_QUERY = 500;

export interface ScheduleResult {
  runHour: string;
  fanouts: FanOutMessage[];
  /** Rows queued again: claims whose lease ran out, and queued rows no message carries. */
  requeued: number;
  /** Ledger rows deleted for being older than the retention period. */
  pruned: number;
  /** Sign-ups deleted for never being confirmed. */
  unconfirmed: number;
  /** Confirmation emails an import owed, queued. */
  confirmations: number;
}

export async function runSchedule(s: Services, runAt: number): Promise<ScheduleResult> {
  const hour = runHour(runAt);
  const publisherZone = s.digest.timeZone;
  const slots: DueSlot[] = [];
  for (const timeZone of await s.audience.activeZones()) {
    let due: ReturnType<typeof dueHoursIn>;
    try {
      due = dueHoursIn(timeZone, hour);
    } catch {
      // A zone this runtime does not know (stored before an update removed it): nobody to wake.
      console.warn(JSON.stringify({ event: "schedule.unknown-zone", timeZone }));
      continue;
    }
    for (const { hour: sendHour, monday } of due) {
      slots.push({ timeZone, sendHour, frequency: "daily" });
      if (monday) slots.push({ timeZone, sendHour, frequency: "weekly" });
    }
  }
  const editions = {
    daily: editionFor("daily", hour, publisherZone).key,
    weekly: editionFor("weekly", hour, publisherZone).key,
  };
  const fanouts: FanOutMessage[] = [];
  for (let start = 0; start < slots.length; start += SLOTS_PER_QUERY) {
    for (const slot of await s.audience.occupied(slots.slice(start, start + SLOTS_PER_QUERY))) {
      fanouts.push({ type: "fanout", edition: editions[slot.frequency], ...slot, after: 0 });
    }
  }
  const stranded = [
    ...(await s.deliveries.expiredClaims(SWEEP_LIMIT)).map((ids) => ({ type: "send" as const, ids })),
    ...sendMessages(await s.deliveries.staleQueued(s.now() - STALE_QUEUED_MS, SWEEP_LIMIT)),
  ];
  const owed = (await s.imports.unsentConfirmations(CONFIRMATIONS_PER_RUN)).map(
    ({ subscriber, nonce }): ConfirmMessage => ({ type: "confirm", subscriber, nonce }),
  );
  const messages: DeliveryMessage[] = [...fanouts, ...stranded, ...owed];
  await queueMessages(s.deliveryQueue(), messages);
  const cutoff = s.now() - RETENTION_MS;
  const pruned = await s.deliveries.prune(cutoff, PRUNE_LIMIT);
  await s.editions.prune(cutoff);
  const unconfirmed = await s.subscribers.deleteUnconfirmed(s.now() - UNCONFIRMED_KEPT_MS, UNCONFIRMED_LIMIT);
  return {
    pruned,
    unconfirmed,
    runHour: new Date(hour).toISOString(),
    fanouts,
    requeued: stranded.reduce((n, m) => n + m.ids.length, 0),
    confirmations: owed.length,
  };
}
