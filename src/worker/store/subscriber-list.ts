// The console's reads of subscribers: the filtered, keyset-paged list (and so the CSV export),
// one subscriber's consent record, and their delivery history.
//
// Each page walks one index: the address key (subscribers_by_key) for a prefix search, in address
// order; else (status, id) or the id, in sign-up order. A filter that no index serves (frequency,
// tag, or status beside a prefix) is checked on the rows walked, and a page walks at most `window`
// of them: a rare match must not make one page read the whole list. Such a page says how many it
// searched, and its `next` goes on from there.

import type { ListCursor, SubscriberFilter } from "../../core/subscriber-filter.js";
import { prefixEnd } from "../../core/subscriber-filter.js";
import type { DeliveryStatus } from "./deliveries.js";
import { COLUMNS, type Row, type Subscriber, toSubscriber } from "./subscribers.js";

export interface ListPage {
  items: Subscriber[];
  /** The `after` of the next page; null after the last. */
  next: string | null;
  /** Rows walked when the window ran out before the page filled (the page is the matches among them). */
  searched: number | null;
}

export interface ConsentRecord {
  subscriber: Subscriber;
  /** Whether a salted hash of the client's address is kept (never the hash itself). */
  ipHashKept: boolean;
  /** The last confirmation email, for the ten-minute cooldown. */
  confirmSentAt: number | null;
  /** A confirmation link is waiting to apply a request. */
  awaitingConfirmation: boolean;
  /** Brought in by an import: from which service and file, when, in which mode (store/imports.ts). */
  imported: { service: string; file: string; importedAt: number; mode: string } | null;
}

export interface HistoryRow {
  edition: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: number | null;
}

/** Deliveries shown on a subscriber's page, newest first. */
export const HISTORY_MAX = 50;

export class SubscriberList {
  constructor(private readonly db: D1Database) {}

  async page(filter: SubscriberFilter, after: ListCursor | null, limit: number, window: number): Promise<ListPage> {
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `?${params.length}`;
    };
    let access: string;
    let key: "email_key" | "id";
    let accessCount: number;
    const residual: string[] = [];
    if (filter.prefix !== undefined) {
      key = "email_key";
      const from = after?.kind === "key" ? `email_key > ${bind(after.key)}` : `email_key >= ${bind(filter.prefix)}`;
      access = `${from} AND email_key < ${bind(prefixEnd(filter.prefix))}`;
      accessCount = params.length;
      if (filter.status !== undefined) residual.push(`status = ${bind(filter.status)}`);
    } else {
      key = "id";
      const from = `id > ${bind(after?.kind === "id" ? after.id : 0)}`;
      access = filter.status === undefined ? from : `status = ${bind(filter.status)} AND ${from}`;
      accessCount = params.length;
    }
    if (filter.frequency !== undefined) residual.push(`frequency = ${bind(filter.frequency)}`);
    if (filter.tag !== undefined) {
      residual.push(`EXISTS (SELECT 1 FROM json_each(tags_json) WHERE value = ${bind(filter.tag)})`);
    }
    const cursorOf = (row: Row & { email_key: string }) => (key === "id" ? String(row.id) : row.email_key);

    if (residual.length === 0) {
      const { results } = await this.db
        .prepare(
          `SELECT ${COLUMNS}, email_key FROM subscribers WHERE ${access} ORDER BY ${key} LIMIT ${bind(limit + 1)}`,
        )
        .bind(...params)
        .all<Row & { email_key: string }>();
      const last = results[limit - 1];
      return {
        items: results.slice(0, limit).map(toSubscriber),
        next: results.length > limit && last ? cursorOf(last) : null,
        searched: null,
      };
    }
    const accessParams = params.slice(0, accessCount);
    const w = bind(window);
    const n = bind(limit + 1);
    // The window as a subquery with its own LIMIT: the filters outside it cannot lengthen the walk.
    const [rows, walk] = await this.db.batch([
      this.db
        .prepare(
          `SELECT ${COLUMNS}, email_key FROM (
             SELECT ${COLUMNS}, email_key FROM subscribers WHERE ${access} ORDER BY ${key} LIMIT ${w}
           ) WHERE ${residual.join(" AND ")} ORDER BY ${key} LIMIT ${n}`,
        )
        .bind(...params),
      this.db
        .prepare(
          `SELECT count(*) AS walked, max(${key}) AS last FROM (
             SELECT ${key} FROM subscribers WHERE ${access} ORDER BY ${key} LIMIT ?${accessParams.length + 1}
           )`,
        )
        .bind(...accessParams, window),
    ]);
    const results = (rows?.results ?? []) as (Row & { email_key: string })[];
    const walked = (walk?.results?.[0] ?? { walked: 0, last: null }) as {
      walked: number;
      last: number | string | null;
    };
    const last = results[limit - 1];
    if (results.length > limit && last) {
      return { items: results.slice(0, limit).map(toSubscriber), next: cursorOf(last), searched: null };
    }
    const more = walked.walked >= window && walked.last !== null;
    return {
      items: results.map(toSubscriber),
      next: more ? String(walked.last) : null,
      searched: more ? walked.walked : null,
    };
  }

  /** One subscriber's consent record and status; null if unknown. */
  async consent(id: number): Promise<ConsentRecord | null> {
    const row = await this.db
      .prepare(
        `SELECT ${COLUMNS}, ip_hash IS NOT NULL AS ip_kept, confirm_sent_at, pending_json IS NOT NULL AS awaiting,
           imported_json
         FROM subscribers WHERE id = ?1`,
      )
      .bind(id)
      .first<
        Row & { ip_kept: number; confirm_sent_at: number | null; awaiting: number; imported_json: string | null }
      >();
    if (!row) return null;
    return {
      subscriber: toSubscriber(row),
      ipHashKept: row.ip_kept === 1,
      confirmSentAt: row.confirm_sent_at,
      awaitingConfirmation: row.awaiting === 1,
      imported: row.imported_json === null ? null : (JSON.parse(row.imported_json) as ConsentRecord["imported"]),
    };
  }

  /**
   * The subscriber's deliveries, newest first, at most HISTORY_MAX. The (subscriber_id, edition)
   * key finds them; the sort is of one subscriber's rows, which the retention period keeps few.
   */
  async history(id: number): Promise<HistoryRow[]> {
    const { results } = await this.db
      .prepare(
        `SELECT edition, status, attempts, last_error, sent_at FROM deliveries
         WHERE subscriber_id = ?1 ORDER BY id DESC LIMIT ?2`,
      )
      .bind(id, HISTORY_MAX)
      .all<{
        edition: string;
        status: DeliveryStatus;
        attempts: number;
        last_error: string | null;
        sent_at: number | null;
      }>();
    return results.map((r) => ({
      edition: r.edition,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: r.sent_at,
    }));
  }
}
