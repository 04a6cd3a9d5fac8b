// The subscriber export's reads: every subscriber with its consent record (the ip hash as stored),
// then every suppression (a salted hash, never an address), each in keyset pages on its primary
// key, so a page is one index range however far into the list it starts.

import type { ExportedSubscriber, ExportedSuppression } from "../../core/subscriber-export.js";
import { COLUMNS, type Row, toSubscriber } from "./subscribers.js";

export interface ExportPage<T, K> {
  items: T[];
  /** The key after which the next page starts; null after the last. */
  next: K | null;
}

export class SubscriberExport {
  constructor(private readonly db: D1Database) {}

  /** Subscribers with an id above `afterId`, in id order, at most `limit`. */
  async subscribers(afterId: number, limit: number): Promise<ExportPage<ExportedSubscriber, number>> {
    const { results } = await this.db
      .prepare(`SELECT ${COLUMNS}, ip_hash FROM subscribers WHERE id > ?1 ORDER BY id LIMIT ?2`)
      .bind(afterId, limit + 1)
      .all<Row & { ip_hash: string | null }>();
    const page = results.slice(0, limit);
    const items = page.map((row) => {
      const s = toSubscriber(row);
      return {
        email: s.email,
        status: s.status,
        frequency: s.preferences.frequency,
        tags: s.preferences.tags,
        timeZone: s.preferences.timeZone,
        sendHour: s.preferences.sendHour,
        requestedAt: s.requestedAt,
        confirmedAt: s.confirmedAt,
        source: s.source,
        unsubscribedAt: s.unsubscribedAt,
        ipHash: row.ip_hash,
      };
    });
    return { items, next: results.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** Suppressions with a hash above `afterHash`, in hash order, at most `limit`. */
  async suppressions(afterHash: string, limit: number): Promise<ExportPage<ExportedSuppression, string>> {
    const { results } = await this.db
      .prepare(
        "SELECT email_hash, reason, created_at FROM suppressions WHERE email_hash > ?1 ORDER BY email_hash LIMIT ?2",
      )
      .bind(afterHash, limit + 1)
      .all<{ email_hash: string; reason: string; created_at: number }>();
    const page = results.slice(0, limit);
    const items = page.map((r) => ({ emailHash: r.email_hash, reason: r.reason, createdAt: r.created_at }));
    return { items, next: results.length > limit ? (page.at(-1)?.email_hash ?? null) : null };
  }
}
