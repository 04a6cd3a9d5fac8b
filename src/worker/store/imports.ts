// Imported subscribers and suppressions in D1: one batch of records from an export file (see
// core/import/) written in one D1 batch, whatever its size up to IMPORT_BATCH. The rules are in the
// statements, so a batch applied twice, or two batches racing, change nothing the first did not:
//
// - a suppression row (unsubscribed, cleaned, bounced or complained elsewhere) adds the address's
//   salted hash to the suppressions, "import:<reason>", and suppresses a subscriber already here;
// - a subscribe row adds a subscriber only for a mailbox that has no row here and no suppression:
//   anyone already on the list (active, pending or unsubscribed) is left as they are, except that
//   with `replaceTags` an active subscriber gets the file's tags;
// - mode "confirmed": active at once, the consent record carrying the original opt-in time (else
//   the import's); mode "confirm": pending, with a confirmation link's nonce, and no email sent yet
//   (confirm_sent_at NULL): the hourly run and the import itself queue those (unsentConfirmations).

import type { Preferences, SubscriberStatus } from "../../core/subscription.js";
import { AddressHash } from "./address-hash.js";
import { randomNonce } from "./subscribers.js";

/** Records per batch at most: each is one JSON element of a bound parameter (see D1's limits). */
export const IMPORT_BATCH = 500;

export type ImportMode = "confirmed" | "confirm";

/** One mailbox of the file, as core/import reads it. */
export interface ImportEntry {
  address: string;
  /** addressKey(address): one row per key here. */
  key: string;
  /** This site's tag slugs the row named. */
  tagSlugs: readonly string[];
  optedInAt: number | null;
  outcome: { action: "subscribe" } | { action: "suppress"; reason: string };
}

export interface ImportBatchOptions {
  mode: ImportMode;
  /** The consent record's origin: the service named, and the file's name as uploaded. */
  service: string;
  file: string;
  /** For new subscribers; their tags come from the file. */
  preferences: Omit<Preferences, "tags">;
  /** Give active subscribers already here the file's tags (otherwise they are left alone). */
  replaceTags: boolean;
}

export interface ImportBatchResult {
  /** New subscribers: active, or pending on our confirmation. */
  added: number;
  /** Already on the list: left as they are. */
  kept: number;
  /** Active already, given the file's tags (replaceTags). */
  updated: number;
  /** Suppressed here: never brought back by an import. */
  blocked: number;
  /** Suppressions added. */
  suppressed: number;
  /** Suppression rows for addresses already suppressed. */
  alreadySuppressed: number;
}

export class ImportStore {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
    private readonly hashes = new AddressHash(db),
  ) {}

  async apply(entries: readonly ImportEntry[], options: ImportBatchOptions): Promise<ImportBatchResult> {
    if (entries.length > IMPORT_BATCH) throw new RangeError(`at most ${IMPORT_BATCH} records per batch`);
    const result: ImportBatchResult = {
      added: 0,
      kept: 0,
      updated: 0,
      blocked: 0,
      suppressed: 0,
      alreadySuppressed: 0,
    };
    if (entries.length === 0) return result;
    const now = this.now();
    const hashes = await Promise.all(entries.map((e) => this.hashes.of(e.key)));
    const suppress: [string, string][] = [];
    const suppressKeys: string[] = [];
    const subscribe: Record<string, unknown>[] = [];
    const status: SubscriberStatus = options.mode === "confirmed" ? "active" : "pending";
    const source = `import: ${options.service}`.slice(0, 200);
    const imported = JSON.stringify({
      service: options.service,
      file: options.file,
      importedAt: now,
      mode: options.mode,
    });
    entries.forEach((entry, i) => {
      const hash = hashes[i] ?? "";
      if (entry.outcome.action === "suppress") {
        suppress.push([hash, `import:${entry.outcome.reason}`]);
        suppressKeys.push(entry.key);
        return;
      }
      const requestedAt = entry.optedInAt ?? now;
      const tags = [...entry.tagSlugs];
      subscribe.push({
        email: entry.address,
        key: entry.key,
        hash,
        tags,
        requestedAt,
        ...(status === "pending"
          ? {
              nonce: randomNonce(),
              pending: { ...options.preferences, tags, requestedAt, source, ipHash: null },
            }
          : {}),
      });
    });
    const { frequency, timeZone, sendHour } = options.preferences;
    const subscribeJson = JSON.stringify(subscribe);
    // In order, in one transaction: the read sees the suppressions as they were before this batch.
    const [blockedRows, suppressedRows, , addedRows, updatedRows] = await this.db.batch([
      this.db
        .prepare(
          `SELECT json_extract(j.value, '$.key') AS key FROM json_each(?1) j
           WHERE EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = json_extract(j.value, '$.hash'))`,
        )
        .bind(subscribeJson),
      this.db
        .prepare(
          `INSERT INTO suppressions (email_hash, reason, created_at)
           SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2 FROM json_each(?1) WHERE true
           ON CONFLICT (email_hash) DO NOTHING
           RETURNING email_hash`,
        )
        .bind(JSON.stringify(suppress), now),
      this.db
        .prepare(
          `UPDATE subscribers SET status = 'suppressed', pending_json = NULL, confirm_nonce = NULL, updated_at = ?2
           WHERE email_key IN (SELECT value FROM json_each(?1)) AND status != 'suppressed'`,
        )
        .bind(JSON.stringify(suppressKeys), now),
      this.db
        .prepare(
          `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at,
             confirmed_at, source, pending_json, confirm_nonce, confirm_sent_at, updated_at, imported_json)
           SELECT json_extract(j.value, '$.email'), ?2, ?3, json_extract(j.value, '$.tags'), ?4, ?5,
             json_extract(j.value, '$.requestedAt'),
             CASE WHEN ?2 = 'active' THEN json_extract(j.value, '$.requestedAt') END,
             ?6, json_extract(j.value, '$.pending'), json_extract(j.value, '$.nonce'), NULL, ?7, ?8
           FROM json_each(?1) j
           WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = json_extract(j.value, '$.hash'))
           ON CONFLICT (email_key) DO NOTHING
           RETURNING id`,
        )
        .bind(subscribeJson, status, frequency, timeZone, sendHour, source, now, imported),
      // `+status`: without it SQLite walks every active subscriber by subscribers_by_status
      // instead of looking each key up.
      options.replaceTags
        ? this.db
            .prepare(
              `UPDATE subscribers SET tags_json = f.tags, updated_at = ?2
               FROM (SELECT json_extract(value, '$.key') AS key, json_extract(value, '$.tags') AS tags FROM json_each(?1)) AS f
               WHERE subscribers.email_key = f.key AND +subscribers.status = 'active' AND subscribers.tags_json != f.tags
               RETURNING id`,
            )
            .bind(subscribeJson, now)
        : this.db.prepare("SELECT 1 WHERE false"),
    ]);
    result.blocked = blockedRows?.results.length ?? 0;
    result.added = addedRows?.results.length ?? 0;
    result.updated = options.replaceTags ? (updatedRows?.results.length ?? 0) : 0;
    result.kept = subscribe.length - result.added - result.blocked - result.updated;
    result.suppressed = suppressedRows?.results.length ?? 0;
    result.alreadySuppressed = suppress.length - result.suppressed;
    return result;
  }

  /**
   * Every record, IMPORT_BATCH a D1 batch, in order; the batches' results summed. `progress` hears
   * how many records are written after each batch.
   */
  async applyAll(
    entries: readonly ImportEntry[],
    options: ImportBatchOptions,
    progress: (done: number) => void = () => {},
  ): Promise<ImportBatchResult> {
    const total: ImportBatchResult = { added: 0, kept: 0, updated: 0, blocked: 0, suppressed: 0, alreadySuppressed: 0 };
    for (let start = 0; start < entries.length; start += IMPORT_BATCH) {
      const result = await this.apply(entries.slice(start, start + IMPORT_BATCH), options);
      for (const key of Object.keys(total) as (keyof ImportBatchResult)[]) total[key] += result[key];
      progress(Math.min(entries.length, start + IMPORT_BATCH));
    }
    return total;
  }

  /**
   * Pending subscribers whose confirmation has not been sent (a "confirm" import's): at most
   * `limit`, oldest first, each marked sent now, so the caller queues each once.
   */
  async unsentConfirmations(limit: number): Promise<{ subscriber: number; nonce: string }[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
    const { results } = await this.db
      .prepare(
        `UPDATE subscribers SET confirm_sent_at = ?1
         WHERE id IN (SELECT id FROM subscribers WHERE status = 'pending' AND confirm_sent_at IS NULL ORDER BY id LIMIT ?2)
         RETURNING id, confirm_nonce`,
      )
      .bind(this.now(), limit)
      .all<{ id: number; confirm_nonce: string }>();
    return results.map((row) => ({ subscriber: row.id, nonce: row.confirm_nonce }));
  }
}
