// Subscribers' sign-up lifecycle in D1: request, confirm, preferences, unsubscribe, erase
// (audience.ts reads who a digest goes to; suppressions.ts keeps the addresses never mailed). Each
// change is one statement, so that two requests racing for the same address cannot both win: the
// conditions that decide an outcome sit in the write's WHERE, and RETURNING says who won.

import type { Preferences, SubscriberStatus } from "../../core/subscription.js";
import { addressKey } from "../../core/subscription.js";
import { AddressHash } from "./address-hash.js";

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  preferences: Preferences;
  requestedAt: number;
  confirmedAt: number | null;
  source: string;
  unsubscribedAt: number | null;
}

/** `status` is the subscriber's status now: "active" means the link will replace their preferences. */
export type RequestOutcome =
  | { kind: "send"; subscriberId: number; nonce: string; status: SubscriberStatus }
  | { kind: "quiet" };

/** At most one confirmation email per mailbox in this many milliseconds (subscription bombing). */
export const CONFIRM_RESEND_MS = 10 * 60 * 1000;
/** The page a request came from is a consent record, not a log: longer paths are cut here. */
const SOURCE_MAX_LENGTH = 200;
/** Subscribers per page of list(). */
export const LIST_MAX = 500;

export interface Row {
  id: number;
  email: string;
  status: SubscriberStatus;
  frequency: Preferences["frequency"];
  tags_json: string;
  time_zone: string;
  send_hour: number;
  requested_at: number;
  confirmed_at: number | null;
  source: string;
  unsubscribed_at: number | null;
}

/** ?1, an id from a link, as the id of the row it names now: a variant merged away names its survivor. */
const RESOLVED_ID = "coalesce((SELECT subscriber_id FROM subscriber_merges WHERE merged_id = ?1), ?1)";

export const COLUMNS =
  "id, email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at, source, unsubscribed_at";

/** What a confirmation link will apply: the preferences and the consent record of that request. */
interface Pending {
  frequency: Preferences["frequency"];
  tags: string[];
  timeZone: string;
  sendHour: number;
  requestedAt: number;
  source: string;
  ipHash: string | null;
}

export class SubscriberStore {
  /** `hashes`: one per Services, so the salt is read once however many stores hash. */
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
    private readonly hashes = new AddressHash(db),
  ) {}

  /**
   * Records a subscribe request. A new mailbox gets a 'pending' row; a known one (in any letter
   * case: one row per addressKey) keeps its status and its address as first given, and gets these
   * preferences as pending, applied when its new link is confirmed. "quiet" when the address is
   * suppressed or a confirmation went out less than ten minutes ago: nothing changes.
   */
  async request(input: {
    email: string;
    preferences: Preferences;
    source: string;
    ip: string | null;
  }): Promise<RequestOutcome> {
    const now = this.now();
    const [emailHash, ipHash] = await Promise.all([
      this.hashes.of(addressKey(input.email)),
      input.ip === null ? null : this.hashes.of(input.ip),
    ]);
    const nonce = randomNonce();
    const { frequency, tags, timeZone, sendHour } = input.preferences;
    const source = input.source.slice(0, SOURCE_MAX_LENGTH);
    const pending: Pending = { frequency, tags, timeZone, sendHour, requestedAt: now, source, ipHash };
    // The SELECT yields no row for a suppressed address, so neither the insert nor the update runs.
    const row = await this.db
      .prepare(
        `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, source,
           ip_hash, pending_json, confirm_nonce, confirm_sent_at, updated_at)
         SELECT ?1, 'pending', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6, ?6
         WHERE NOT EXISTS (SELECT 1 FROM suppressions WHERE email_hash = ?11)
         ON CONFLICT (email_key) DO UPDATE SET
           pending_json = excluded.pending_json, confirm_nonce = excluded.confirm_nonce,
           confirm_sent_at = excluded.confirm_sent_at, updated_at = excluded.updated_at
         WHERE subscribers.status != 'suppressed'
           AND (subscribers.confirm_sent_at IS NULL OR subscribers.confirm_sent_at <= ?6 - ?12)
         RETURNING id, status`,
      )
      .bind(
        input.email,
        frequency,
        JSON.stringify(tags),
        timeZone,
        sendHour,
        now,
        source,
        ipHash,
        JSON.stringify(pending),
        nonce,
        emailHash,
        CONFIRM_RESEND_MS,
      )
      .first<{ id: number; status: SubscriberStatus }>();
    return row ? { kind: "send", subscriberId: row.id, nonce, status: row.status } : { kind: "quiet" };
  }

  /** Whether anyone has ever been on the list: a subscriber row or a suppression. */
  async hadAudience(): Promise<boolean> {
    const row = await this.db
      .prepare(
        "SELECT EXISTS (SELECT 1 FROM subscribers LIMIT 1) OR EXISTS (SELECT 1 FROM suppressions LIMIT 1) AS had",
      )
      .first<{ had: number }>();
    return row?.had === 1;
  }

  /** Applies the pending request whose link carries `nonce`: 'active', nonce spent. Null if unknown or used. */
  async confirm(id: number, nonce: string): Promise<Subscriber | null> {
    const now = this.now();
    const row = await this.db
      .prepare(
        `UPDATE subscribers SET
           status = 'active',
           frequency = json_extract(pending_json, '$.frequency'),
           tags_json = json_extract(pending_json, '$.tags'),
           time_zone = json_extract(pending_json, '$.timeZone'),
           send_hour = json_extract(pending_json, '$.sendHour'),
           requested_at = json_extract(pending_json, '$.requestedAt'),
           source = json_extract(pending_json, '$.source'),
           ip_hash = json_extract(pending_json, '$.ipHash'),
           confirmed_at = ?3, unsubscribed_at = NULL, pending_json = NULL, confirm_nonce = NULL, updated_at = ?3
         WHERE id = ?1 AND confirm_nonce = ?2 AND pending_json IS NOT NULL AND status != 'suppressed'
         RETURNING ${COLUMNS}`,
      )
      .bind(id, nonce, now)
      .first<Row>();
    return row ? toSubscriber(row) : null;
  }

  /**
   * What a link carrying `nonce` would confirm, under the same conditions as confirm(): the
   * subscriber as now and the preferences the link applies. Null if it would not. Reads only.
   */
  async awaitingConfirmation(
    id: number,
    nonce: string,
  ): Promise<{ subscriber: Subscriber; preferences: Preferences } | null> {
    const row = await this.db
      .prepare(
        `SELECT ${COLUMNS}, pending_json FROM subscribers
         WHERE id = ?1 AND confirm_nonce = ?2 AND pending_json IS NOT NULL AND status != 'suppressed'`,
      )
      .bind(id, nonce)
      .first<Row & { pending_json: string }>();
    if (!row) return null;
    const { frequency, tags, timeZone, sendHour } = JSON.parse(row.pending_json) as Pending;
    return { subscriber: toSubscriber(row), preferences: { frequency, tags, timeZone, sendHour } };
  }

  /**
   * A new confirmation link for a sign-up still pending, keeping the request it confirms (its
   * preferences and consent record): the publisher's "resend". Under request()'s ten-minute
   * cooldown: "cooldown" with the time of the last email when one went out less than ten minutes
   * ago. Null if unknown.
   */
  async renewConfirmation(
    id: number,
  ): Promise<{ kind: "send"; nonce: string } | { kind: "cooldown"; sentAt: number } | { kind: "not-pending" } | null> {
    const now = this.now();
    const nonce = randomNonce();
    const renewed = await this.db
      .prepare(
        `UPDATE subscribers SET confirm_nonce = ?2, confirm_sent_at = ?3, updated_at = ?3
         WHERE id = ?1 AND status = 'pending' AND pending_json IS NOT NULL
           AND (confirm_sent_at IS NULL OR confirm_sent_at <= ?3 - ?4)
         RETURNING id`,
      )
      .bind(id, nonce, now, CONFIRM_RESEND_MS)
      .first<{ id: number }>();
    if (renewed) return { kind: "send", nonce };
    const row = await this.db
      .prepare("SELECT status, pending_json IS NOT NULL AS awaiting, confirm_sent_at FROM subscribers WHERE id = ?1")
      .bind(id)
      .first<{ status: SubscriberStatus; awaiting: number; confirm_sent_at: number | null }>();
    if (!row) return null;
    if (row.status !== "pending" || !row.awaiting || row.confirm_sent_at === null) return { kind: "not-pending" };
    return { kind: "cooldown", sentAt: row.confirm_sent_at };
  }

  /** The subscriber with this id, or the one it was merged into (migration 0012): ids come from links. */
  async get(id: number): Promise<Subscriber | null> {
    const row = await this.db
      .prepare(`SELECT ${COLUMNS} FROM subscribers WHERE id = ${RESOLVED_ID}`)
      .bind(id)
      .first<Row>();
    return row ? toSubscriber(row) : null;
  }

  /** Looks a mailbox up in any letter case (normalise the address first). */
  async findByEmail(email: string): Promise<Subscriber | null> {
    const row = await this.db
      .prepare(`SELECT ${COLUMNS} FROM subscribers WHERE email_key = ?1`)
      .bind(addressKey(email))
      .first<Row>();
    return row ? toSubscriber(row) : null;
  }

  /**
   * Subscribers by id after `afterId` (0 for the first page), only those in `status` when given.
   * `next` is the id to pass back as `afterId`, null after the last page.
   */
  async list(
    status: SubscriberStatus | undefined,
    afterId: number,
    limit: number,
  ): Promise<{ items: Subscriber[]; next: number | null }> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > LIST_MAX) {
      throw new RangeError(`limit must be 1 to ${LIST_MAX}`);
    }
    // Two statements, not "(?2 IS NULL OR status = ?2)": that form keeps SQLite from using the
    // (status, id) index, and a filtered page would walk every subscriber.
    const statement =
      status === undefined
        ? this.db
            .prepare(`SELECT ${COLUMNS} FROM subscribers WHERE id > ?1 ORDER BY id LIMIT ?2`)
            .bind(afterId, limit + 1)
        : this.db
            .prepare(`SELECT ${COLUMNS} FROM subscribers WHERE status = ?3 AND id > ?1 ORDER BY id LIMIT ?2`)
            .bind(afterId, limit + 1, status);
    const { results } = await statement.all<Row>();
    const items = results.slice(0, limit).map(toSubscriber);
    const last = items[items.length - 1];
    return { items, next: results.length > limit && last ? last.id : null };
  }

  /**
   * Saves the preference form; the status is unchanged. A confirmation link still waiting applies
   * these too, so what the subscriber chose last is what they get. Null if unknown or suppressed.
   */
  async updatePreferences(id: number, preferences: Preferences): Promise<Subscriber | null> {
    const row = await this.db
      .prepare(
        `UPDATE subscribers SET frequency = ?2, tags_json = ?3, time_zone = ?4, send_hour = ?5, updated_at = ?6,
           pending_json = json_set(pending_json, '$.frequency', ?2, '$.tags', json(?3), '$.timeZone', ?4, '$.sendHour', ?5)
         WHERE id = ?1 AND status != 'suppressed'
         RETURNING ${COLUMNS}`,
      )
      .bind(
        id,
        preferences.frequency,
        JSON.stringify(preferences.tags),
        preferences.timeZone,
        preferences.sendHour,
        this.now(),
      )
      .first<Row>();
    return row ? toSubscriber(row) : null;
  }

  /**
   * Stops all mail to this subscriber. Idempotent: a second call keeps the first time. A suppressed
   * subscriber stays suppressed and is returned as it is. Null if unknown.
   */
  async unsubscribe(id: number): Promise<Subscriber | null> {
    const now = this.now();
    const row = await this.db
      .prepare(
        `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?2, updated_at = ?2
         WHERE id = ${RESOLVED_ID} AND status IN ('pending', 'active')
         RETURNING ${COLUMNS}`,
      )
      .bind(id, now)
      .first<Row>();
    return row ? toSubscriber(row) : this.get(id);
  }

  /** Deletes the row; a suppression keeps only its salted hash. False if there was no such row. */
  async erase(id: number): Promise<boolean> {
    const result = await this.db.prepare(`DELETE FROM subscribers WHERE id = ${RESOLVED_ID}`).bind(id).run();
    return result.meta.changes > 0;
  }

  /**
   * Deletes at most `limit` sign-ups never confirmed whose last confirmation email went out
   * before `before`, oldest first: a stranger's address typed into the form is not kept. Rows
   * 'active' with new preferences waiting are not 'pending', and stay. Returns how many went.
   */
  async deleteUnconfirmed(before: number, limit: number): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
    // Counted by RETURNING: D1's meta.changes also counts what the deliveries_erase trigger deletes.
    const { results } = await this.db
      .prepare(
        `DELETE FROM subscribers WHERE id IN (
           SELECT id FROM subscribers WHERE status = 'pending' AND confirm_sent_at < ?1
           ORDER BY confirm_sent_at LIMIT ?2)
         RETURNING id`,
      )
      .bind(before, limit)
      .all<{ id: number }>();
    return results.length;
  }
}

export function toSubscriber(row: Row): Subscriber {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    preferences: {
      frequency: row.frequency,
      tags: JSON.parse(row.tags_json) as string[],
      timeZone: row.time_zone,
      sendHour: row.send_hour,
    },
    requestedAt: row.requested_at,
    confirmedAt: row.confirmed_at,
    source: row.source,
    unsubscribedAt: row.unsubscribed_at,
  };
}

/** 128 random bits, base64url: the single-use secret of one confirmation link. */
function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
