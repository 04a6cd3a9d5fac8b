// The delivery ledger in D1: the only module that speaks its SQL. A row moves queued -> sending ->
// sent (or failed, dead); each move is one statement whose WHERE holds the conditions that allow
// it, and RETURNING (or the change count) says whether this caller made it. Id lists are bound as
// one JSON array (json_each), so no statement comes near D1's 100 bound parameters.

export type DeliveryStatus = "queued" | "sending" | "sent" | "failed" | "dead";

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ["queued", "sending", "sent", "failed", "dead"];

/** One recipient of an edition and the render group they share. */
export interface DeliveryInput {
  subscriberId: number;
  tagsKey: string;
}

/** A row this caller claimed: it alone may send it until `leaseUntil`. */
export interface ClaimedDelivery {
  id: number;
  /** The claim that took it: rows of one claim go to the provider together. */
  claim: string;
  edition: string;
  subscriberId: number;
  tagsKey: string;
  attempts: number;
  leaseUntil: number;
}

export interface Delivery {
  id: number;
  edition: string;
  subscriberId: number;
  tagsKey: string;
  status: DeliveryStatus;
  attempts: number;
  providerId: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

/** How a claim's rows ended, written in one D1 batch. */
export interface Settlement {
  sent: { id: number; providerId: string | null }[];
  /** Permanent errors: never tried again. */
  failed: { id: number; error: string }[];
  /** Transient errors: back to queued for the next attempt. */
  released: { id: number; error: string }[];
}

export interface DeliveryPage {
  rows: Delivery[];
  /** Pass back as `cursor` for the next page; null after the last. */
  next: number | null;
}

export interface EditionPage {
  items: { edition: string; counts: Record<DeliveryStatus, number> }[];
  /** The last edition of this page, to pass back as `cursor`; null after the last page. */
  next: string | null;
}

/** Rows per enqueue call: the cron calls again for larger editions. */
export const ENQUEUE_MAX = 10_000;
/** Rows per INSERT statement of an enqueue batch. */
const ENQUEUE_CHUNK = 500;
/** Ids per claim or markDead call (a queue message names at most this many rows). */
export const IDS_MAX = 1000;
/** Rows per page of expiredLeases and list. */
export const PAGE_MAX = 500;
const ERROR_MAX_LENGTH = 500;
const KEY_MAX_LENGTH = 200;

interface Row {
  id: number;
  edition: string;
  subscriber_id: number;
  tags_key: string;
  status: DeliveryStatus;
  attempts: number;
  lease_until: number | null;
  claim: string | null;
  provider_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export class DeliveryStore {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
  ) {}

  /**
   * Writes one queued row per recipient of `edition`, in one D1 batch (one transaction). A
   * (subscriber, edition) that already has a row is left as it is. Returns the ids of the new rows.
   */
  async enqueue(edition: string, rows: readonly DeliveryInput[]): Promise<number[]> {
    checkKey("edition", edition);
    if (rows.length > ENQUEUE_MAX) throw new RangeError(`enqueue: at most ${ENQUEUE_MAX} rows per call`);
    for (const row of rows) {
      if (!Number.isSafeInteger(row.subscriberId)) throw new RangeError("enqueue: subscriberId must be an integer");
      checkKey("tagsKey", row.tagsKey);
    }
    if (rows.length === 0) return [];
    const now = this.now();
    const statement = this.db.prepare(
      `INSERT INTO deliveries (edition, subscriber_id, tags_key, status, created_at, updated_at)
       SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), 'queued', ?2, ?2
       FROM json_each(?3) WHERE true
       ON CONFLICT (subscriber_id, edition) DO NOTHING
       RETURNING id`,
    );
    const statements: D1PreparedStatement[] = [];
    for (let start = 0; start < rows.length; start += ENQUEUE_CHUNK) {
      const chunk = rows.slice(start, start + ENQUEUE_CHUNK).map((row) => [row.subscriberId, row.tagsKey]);
      statements.push(statement.bind(edition, now, JSON.stringify(chunk)));
    }
    const results = await this.db.batch<{ id: number }>(statements);
    return results.flatMap((result) => result.results.map((row) => row.id));
  }

  /**
   * Takes the rows of `ids` that are queued, or sending with a lease that has run out: they become
   * sending until now + leaseMs, one attempt more. One statement, so two claims racing for the same
   * rows get disjoint sets. Returns the rows this call took.
   */
  async claim(ids: readonly number[], leaseMs: number): Promise<ClaimedDelivery[]> {
    checkIds(ids);
    if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0)
      throw new RangeError("claim: leaseMs must be a positive integer");
    if (ids.length === 0) return [];
    const now = this.now();
    const claim = crypto.randomUUID();
    const { results } = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?2, claim = ?4,
           updated_at = ?1
         WHERE id IN (SELECT value FROM json_each(?3))
           AND (status = 'queued' OR (status = 'sending' AND lease_until <= ?1))
         RETURNING id, edition, subscriber_id, tags_key, attempts, lease_until`,
      )
      .bind(now, now + leaseMs, JSON.stringify(ids), claim)
      .all<Row>();
    return results
      .map((row) => ({
        id: row.id,
        claim,
        edition: row.edition,
        subscriberId: row.subscriber_id,
        tagsKey: row.tags_key,
        attempts: row.attempts,
        leaseUntil: row.lease_until ?? now + leaseMs,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Retries ran out (the dead-letter queue): unsent rows of `ids` become dead. Returns how many. */
  async markDead(ids: readonly number[], reason: string): Promise<number> {
    checkIds(ids);
    if (ids.length === 0) return 0;
    const now = this.now();
    const result = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'dead', lease_until = NULL, updated_at = ?3,
           last_error = substr(?2 || coalesce(' (last error: ' || last_error || ')', ''), 1, ${ERROR_MAX_LENGTH})
         WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('queued', 'sending')
         RETURNING id`,
      )
      .bind(JSON.stringify(ids), shortError(reason), now)
      .all();
    return result.results.length;
  }

  /**
   * Settles a claim's rows in one D1 batch (one round trip, at most three statements): sent,
   * failed for good, or released to queued. Rows that are no longer sending are left alone.
   * Returns how many rows changed.
   */
  async settle(outcome: Settlement): Promise<number> {
    const now = this.now();
    const statements: D1PreparedStatement[] = [];
    if (outcome.sent.length > 0) {
      checkIds(outcome.sent.map((row) => row.id));
      const rows = outcome.sent.map((row) => [row.id, row.providerId?.slice(0, KEY_MAX_LENGTH) ?? null]);
      statements.push(
        this.db
          .prepare(
            `UPDATE deliveries SET status = 'sent', lease_until = NULL, sent_at = ?2, updated_at = ?2,
               provider_id = (SELECT json_extract(value, '$[1]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = deliveries.id)
             WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1)) AND status = 'sending'
             RETURNING id`,
          )
          .bind(JSON.stringify(rows), now),
      );
    }
    for (const [status, rows] of [
      ["failed", outcome.failed],
      ["queued", outcome.released],
    ] as const) {
      if (rows.length === 0) continue;
      checkIds(rows.map((row) => row.id));
      statements.push(
        this.db
          .prepare(
            `UPDATE deliveries SET status = ?2, lease_until = NULL, updated_at = ?3,
               last_error = (SELECT json_extract(value, '$[1]') FROM json_each(?1) WHERE json_extract(value, '$[0]') = deliveries.id)
             WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1)) AND status = 'sending'
             RETURNING id`,
          )
          .bind(JSON.stringify(rows.map((row) => [row.id, shortError(row.error)])), status, now),
      );
    }
    if (statements.length === 0) return 0;
    const results = await this.db.batch(statements);
    // Rows returned, not meta.changes: D1 counts the delivery_editions triggers' writes there too.
    return results.reduce((sum, result) => sum + result.results.length, 0);
  }

  /**
   * Sending rows whose lease has run out (a consumer died holding them), oldest lease first, as
   * the claims that took them: each list is sent again as one batch, so it gets the idempotency
   * key it had. A claim cut by the limit is left for the next call.
   */
  async expiredClaims(limit: number): Promise<number[][]> {
    const size = pageSize(limit);
    const { results } = await this.db
      .prepare(
        `SELECT id, claim FROM deliveries WHERE status = 'sending' AND lease_until <= ?1
         ORDER BY lease_until, claim, id LIMIT ?2`,
      )
      .bind(this.now(), size + 1)
      .all<{ id: number; claim: string | null }>();
    const groups: { claim: string | null; ids: number[] }[] = [];
    for (const row of results.slice(0, size)) {
      const last = groups[groups.length - 1];
      if (last && last.claim === row.claim) last.ids.push(row.id);
      else groups.push({ claim: row.claim, ids: [row.id] });
    }
    const next = results[size];
    if (next && groups.length > 1 && groups[groups.length - 1]?.claim === next.claim) groups.pop();
    return groups.map((group) => group.ids);
  }

  /**
   * Ids of rows queued and untouched since `before`, oldest first: a run that died between
   * writing its rows and queueing them, or messages lost. Sending them again is safe: a row is
   * claimed once.
   */
  async staleQueued(before: number, limit: number): Promise<number[]> {
    const { results } = await this.db
      .prepare(
        `SELECT id FROM deliveries WHERE status = 'queued' AND updated_at <= ?1
         ORDER BY updated_at, id LIMIT ?2`,
      )
      .bind(before, pageSize(limit))
      .all<{ id: number }>();
    return results.map((row) => row.id);
  }

  /**
   * An operator's retry: the dead rows of `edition` go back to queued, attempts and last error
   * kept (they say what happened before). One statement. Returns the ids that moved, to be queued.
   */
  async requeueDead(edition: string): Promise<number[]> {
    checkKey("edition", edition);
    const { results } = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'queued', lease_until = NULL, updated_at = ?2
         WHERE edition = ?1 AND status = 'dead'
         RETURNING id`,
      )
      .bind(edition, this.now())
      .all<{ id: number }>();
    return results.map((row) => row.id).sort((a, b) => a - b);
  }

  /**
   * Deletes up to `limit` rows written before `before` (the retention period), oldest first, and
   * records the cut-off in settings. Returns how many went.
   */
  async prune(before: number, limit: number): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
    const deleted = await this.db
      .prepare(
        `DELETE FROM deliveries WHERE id IN (
           SELECT id FROM deliveries WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)
         RETURNING id`,
      )
      .bind(before, limit)
      .all();
    const count = deleted.results.length;
    if (count > 0) {
      await this.db
        .prepare(
          `INSERT INTO settings (key, value) VALUES ('deliveries_pruned_before', ?1)
           ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), ?1)`,
        )
        .bind(before)
        .run();
    }
    return count;
  }

  /** Rows written before this time may have been deleted (0: nothing ever was). */
  async prunedBefore(): Promise<number> {
    const row = await this.db
      .prepare("SELECT value FROM settings WHERE key = 'deliveries_pruned_before'")
      .first<{ value: string }>();
    return row ? Number(row.value) : 0;
  }

  /**
   * How many rows of `edition` are in each status (every status present, 0 when none): one row of
   * delivery_editions, which triggers keep with every ledger write (migration 0013).
   */
  async counts(edition: string): Promise<Record<DeliveryStatus, number>> {
    const row = await this.db
      .prepare("SELECT queued, sending, sent, failed, dead FROM delivery_editions WHERE edition = ?1 LIMIT 1")
      .bind(edition)
      .first<Record<DeliveryStatus, number>>();
    return countsOf(row);
  }

  /**
   * The editions in the ledger, newest first (by their first day; a week before a day starting on
   * its Monday), each with its counts, after the edition `cursor` (null for the first page).
   */
  async editions(cursor: string | null, limit: number): Promise<EditionPage> {
    const size = pageSize(limit);
    const statement =
      cursor === null
        ? this.db
            .prepare(
              `SELECT edition, queued, sending, sent, failed, dead FROM delivery_editions
               ORDER BY starts_on DESC, edition DESC LIMIT ?1`,
            )
            .bind(size + 1)
        : this.db
            .prepare(
              `SELECT edition, queued, sending, sent, failed, dead FROM delivery_editions
               WHERE (starts_on, edition) < (${STARTS_ON("?2")}, ?2)
               ORDER BY starts_on DESC, edition DESC LIMIT ?1`,
            )
            .bind(size + 1, cursor);
    const { results } = await statement.all<Record<DeliveryStatus, number> & { edition: string }>();
    const items = results.slice(0, size).map((row) => ({ edition: row.edition, counts: countsOf(row) }));
    return { items, next: results.length > size ? (items[items.length - 1]?.edition ?? null) : null };
  }

  /** The rows of `edition` in `status`, by id, after `cursor` (null for the first page). */
  async list(edition: string, status: DeliveryStatus, cursor: number | null, limit: number): Promise<DeliveryPage> {
    const size = pageSize(limit);
    const { results } = await this.db
      .prepare(
        `SELECT * FROM deliveries WHERE edition = ?1 AND status = ?2 AND id > ?3
         ORDER BY id LIMIT ?4`,
      )
      .bind(edition, status, cursor ?? 0, size + 1)
      .all<Row>();
    const page = results.slice(0, size).map(toDelivery);
    const last = page[page.length - 1];
    return { rows: page, next: results.length > size && last ? last.id : null };
  }
}

/** The first day of an edition key (SQL), as migration 0013 computes it for delivery_editions.starts_on. */
const STARTS_ON = (key: string) => `COALESCE(CASE
  WHEN ${key} GLOB 'daily/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(substr(${key}, 7))
  WHEN ${key} GLOB 'weekly/[0-9][0-9][0-9][0-9]-W[0-9][0-9]' THEN date(
    substr(${key}, 8, 4) || '-01-04',
    '-' || ((CAST(strftime('%w', substr(${key}, 8, 4) || '-01-04') AS INTEGER) + 6) % 7) || ' days',
    '+' || ((CAST(substr(${key}, 14, 2) AS INTEGER) - 1) * 7) || ' days')
END, '')`;

function countsOf(row: Record<DeliveryStatus, number> | null): Record<DeliveryStatus, number> {
  return {
    queued: row?.queued ?? 0,
    sending: row?.sending ?? 0,
    sent: row?.sent ?? 0,
    failed: row?.failed ?? 0,
    dead: row?.dead ?? 0,
  };
}

function toDelivery(row: Row): Delivery {
  return {
    id: row.id,
    edition: row.edition,
    subscriberId: row.subscriber_id,
    tagsKey: row.tags_key,
    status: row.status,
    attempts: row.attempts,
    providerId: row.provider_id,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

function checkKey(name: string, value: string): void {
  if (value.length === 0 || value.length > KEY_MAX_LENGTH) {
    throw new RangeError(`${name} must be 1 to ${KEY_MAX_LENGTH} characters`);
  }
}

function checkIds(ids: readonly number[]): void {
  if (ids.length > IDS_MAX) throw new RangeError(`at most ${IDS_MAX} ids per call`);
  if (!ids.every(Number.isSafeInteger)) throw new RangeError("ids must be integers");
}

function pageSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  return Math.min(limit, PAGE_MAX);
}

/** Provider errors can carry whole response bodies; the ledger keeps their start. */
function shortError(error: string): string {
  return error.length > ERROR_MAX_LENGTH ? `${error.slice(0, ERROR_MAX_LENGTH - 1)}…` : error;
}
