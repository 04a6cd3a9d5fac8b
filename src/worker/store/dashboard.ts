// The console dashboard's figures, in one round trip: subscribers by status and frequency (kept
// by migration 0015's triggers), confirmations and suppressions since a time (index ranges, each
// counted up to COUNT_CAP so a large list never makes the page read in proportion to it).

import type { Frequency, SubscriberStatus } from "../../core/subscription.js";

const DAY = 86_400_000;
/** Windowed counts stop here; the page shows "10,000 or more". */
export const COUNT_CAP = 10_000;

export interface DashboardFigures {
  /** Subscribers by status, then frequency; every status and frequency present, 0 when none. */
  subscribers: Record<SubscriberStatus, Record<Frequency, number>>;
  /** Subscribers whose consent was confirmed in the last 7 and 30 days (at most COUNT_CAP). */
  confirmed: { days7: number; days30: number };
  /** Addresses suppressed in the last 30 days, by reason (at most COUNT_CAP). */
  suppressed30: { bounce: number; complaint: number };
}

const STATUSES: SubscriberStatus[] = ["pending", "active", "unsubscribed", "suppressed"];

export class DashboardStore {
  constructor(private readonly db: D1Database) {}

  async figures(now: number): Promise<DashboardFigures> {
    const [counts, recent] = await this.db.batch([
      this.db.prepare("SELECT status, frequency, n FROM subscriber_counts"),
      this.db
        .prepare(
          `SELECT (SELECT count(*) FROM (SELECT 1 FROM subscribers WHERE confirmed_at >= ?1 LIMIT ?3)) AS days7,
                  (SELECT count(*) FROM (SELECT 1 FROM subscribers WHERE confirmed_at >= ?2 LIMIT ?3)) AS days30,
                  (SELECT count(*) FROM (SELECT 1 FROM suppressions WHERE reason = 'bounce' AND created_at >= ?2 LIMIT ?3)) AS bounce,
                  (SELECT count(*) FROM (SELECT 1 FROM suppressions WHERE reason = 'complaint' AND created_at >= ?2 LIMIT ?3)) AS complaint`,
        )
        .bind(now - 7 * DAY, now - 30 * DAY, COUNT_CAP),
    ]);
    const subscribers = Object.fromEntries(STATUSES.map((s) => [s, { daily: 0, weekly: 0 }])) as Record<
      SubscriberStatus,
      Record<Frequency, number>
    >;
    for (const row of (counts?.results ?? []) as { status: SubscriberStatus; frequency: Frequency; n: number }[]) {
      const byFrequency = subscribers[row.status];
      if (byFrequency && (row.frequency === "daily" || row.frequency === "weekly")) byFrequency[row.frequency] = row.n;
    }
    const windows = (recent?.results?.[0] ?? {}) as Partial<
      Record<"days7" | "days30" | "bounce" | "complaint", number>
    >;
    return {
      subscribers,
      confirmed: { days7: windows.days7 ?? 0, days30: windows.days30 ?? 0 },
      suppressed30: { bounce: windows.bounce ?? 0, complaint: windows.complaint ?? 0 },
    };
  }
}
