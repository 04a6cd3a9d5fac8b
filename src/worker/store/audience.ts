// Who a digest run goes to, read from the subscribers table: the zones and send slots that have
// active subscribers, a slot's subscribers a page at a time, and the addresses to send to.

import type { Frequency, SubscriberStatus } from "../../core/subscription.js";

/** A zone, a local send hour and a frequency: who an hourly run may be for. */
export interface DueSlot {
  timeZone: string;
  sendHour: number;
  frequency: Frequency;
}

export class AudienceStore {
  constructor(private readonly db: D1Database) {}

  /**
   * The time zones of active subscribers, each once: one index seek per zone (a skip scan
   * written out), so the hourly run reads a few dozen index entries, not every subscriber.
   */
  async activeZones(): Promise<string[]> {
    const { results } = await this.db
      .prepare(
        `WITH RECURSIVE zones(zone) AS (
           SELECT (SELECT min(time_zone) FROM subscribers WHERE status = 'active')
           UNION ALL
           SELECT (SELECT min(time_zone) FROM subscribers WHERE status = 'active' AND time_zone > zones.zone)
           FROM zones WHERE zones.zone IS NOT NULL
           LIMIT 1000
         )
         SELECT zone FROM zones WHERE zone IS NOT NULL`,
      )
      .all<{ zone: string }>();
    return results.map((row) => row.zone);
  }

  /** Those of `slots` (zone, send hour, frequency) that at least one active subscriber has: one seek each. */
  async occupied(slots: readonly DueSlot[]): Promise<DueSlot[]> {
    if (slots.length === 0) return [];
    const { results } = await this.db
      .prepare(
        `SELECT value FROM json_each(?1) AS slot
         WHERE EXISTS (
           SELECT 1 FROM subscribers
           WHERE status = 'active' AND time_zone = json_extract(slot.value, '$[0]')
             AND send_hour = json_extract(slot.value, '$[1]') AND frequency = json_extract(slot.value, '$[2]')
         )`,
      )
      .bind(JSON.stringify(slots.map((slot) => [slot.timeZone, slot.sendHour, slot.frequency])))
      .all<{ value: string }>();
    return results.map((row) => {
      const [timeZone, sendHour, frequency] = JSON.parse(row.value) as [string, number, Frequency];
      return { timeZone, sendHour, frequency };
    });
  }

  /**
   * One page of the active subscribers of a zone and send hour who take `frequency`, by id after
   * `after`: what an hourly run fans out.
   */
  async due(
    page: { timeZone: string; sendHour: number; frequency: Frequency; after: number },
    limit: number,
  ): Promise<{ id: number; tags: string[] }[]> {
    const { results } = await this.db
      .prepare(
        `SELECT id, tags_json FROM subscribers
         WHERE status = 'active' AND time_zone = ?1 AND send_hour = ?2 AND id > ?4 AND frequency = ?3
         ORDER BY id LIMIT ?5`,
      )
      .bind(page.timeZone, page.sendHour, page.frequency, page.after, Math.min(Math.max(limit, 1), 10_000))
      .all<{ id: number; tags_json: string }>();
    return results.map((row) => ({ id: row.id, tags: JSON.parse(row.tags_json) as string[] }));
  }

  /** Address and status of each of `ids` that still exists (at most 1000), for sending. */
  async recipients(ids: readonly number[]): Promise<Map<number, { email: string; status: SubscriberStatus }>> {
    if (ids.length > 1000) throw new RangeError("recipients: at most 1000 ids");
    const found = new Map<number, { email: string; status: SubscriberStatus }>();
    if (ids.length === 0) return found;
    const { results } = await this.db
      .prepare("SELECT id, email, status FROM subscribers WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(ids))
      .all<{ id: number; email: string; status: SubscriberStatus }>();
    for (const row of results) found.set(row.id, { email: row.email, status: row.status });
    return found;
  }
}
