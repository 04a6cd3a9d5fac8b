// The log mailer's outbox in D1 (migrations/0016_outbox.sql): every message MAILER=log "sends",
// the newest KEEP of them, listed newest first for the console and each kept whole as its .eml.

/** Messages kept: each insert drops what falls below the newest this many, in the same batch. */
export const KEEP = 200;
/** Rows a list page holds at most. */
export const PAGE_MAX = 50;
/** Bytes of a kept .eml at most: D1 refuses a row over 2 MB; a digest is some tens of KB. */
export const EML_MAX = 1_000_000;

/** What the log mailer keeps of one message. */
export interface OutboxEntry {
  /** 'transactional' (a confirmation) or 'broadcast' (a digest): the MailMessage's kind. */
  kind: string;
  /** The From, To and Subject headers' text, decoded, on one line. */
  from: string;
  to: string;
  subject: string;
  messageId: string;
  /** The whole message, RFC 5322 (core/eml.ts). */
  eml: string;
  /** Its length in bytes. */
  size: number;
}

/** One row of the outbox's list. */
export interface OutboxItem {
  id: number;
  /** Epoch milliseconds. */
  createdAt: number;
  kind: string;
  from: string;
  to: string;
  subject: string;
  size: number;
}

export interface OutboxMessage extends OutboxItem {
  messageId: string;
  eml: string;
}

export interface OutboxPage {
  items: OutboxItem[];
  /** The cursor of the next (older) page, or null on the last one. */
  next: number | null;
}

interface Row {
  id: number;
  created_at: number;
  kind: string;
  sender: string;
  recipient: string;
  subject: string;
  size: number;
  message_id?: string;
  eml?: string;
}

const LIST_COLUMNS = "id, created_at, kind, sender, recipient, subject, size";

export class OutboxStore {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
  ) {}

  /** Keeps one message and answers its id; the oldest beyond the newest KEEP go in the same batch. */
  async keep(entry: OutboxEntry): Promise<number> {
    if (entry.size > EML_MAX) throw new RangeError(`the message is ${entry.size} bytes, over ${EML_MAX}`);
    const [inserted] = await this.db.batch<{ id: number }>([
      this.db
        .prepare(
          `INSERT INTO outbox (created_at, kind, sender, recipient, subject, message_id, eml, size)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id`,
        )
        .bind(this.now(), entry.kind, entry.from, entry.to, entry.subject, entry.messageId, entry.eml, entry.size),
      // A range closed at both ends of the primary key: only the rows deleted are read. D1 runs a
      // batch as one transaction and writes one at a time, so concurrent sends never leave more.
      this.db
        .prepare(
          `DELETE FROM outbox
           WHERE id BETWEEN (SELECT min(id) FROM outbox) AND (SELECT max(id) FROM outbox) - ?1`,
        )
        .bind(KEEP),
    ]);
    const id = inserted?.results[0]?.id;
    if (id === undefined) throw new Error("the outbox insert returned no id");
    return id;
  }

  /**
   * A page of the list, newest first: the messages older than `cursor` (a previous page's `next`),
   * or the newest when it is null; `limit` 1 to PAGE_MAX.
   */
  async list(cursor: number | null, limit: number): Promise<OutboxPage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
      throw new RangeError(`limit must be an integer from 1 to ${PAGE_MAX}`);
    }
    if (cursor !== null && !Number.isSafeInteger(cursor)) throw new RangeError("cursor must be an integer");
    const { results } = await this.db
      .prepare(`SELECT ${LIST_COLUMNS} FROM outbox WHERE id < ?1 ORDER BY id DESC LIMIT ?2`)
      .bind(cursor ?? Number.MAX_SAFE_INTEGER, limit + 1)
      .all<Row>();
    const items = results.slice(0, limit).map(itemOf);
    return { items, next: results.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  /** One kept message with its .eml, or null (never kept, or trimmed since). */
  async get(id: number): Promise<OutboxMessage | null> {
    if (!Number.isSafeInteger(id)) return null;
    const row = await this.db
      .prepare(`SELECT ${LIST_COLUMNS}, message_id, eml FROM outbox WHERE id = ?1`)
      .bind(id)
      .first<Row>();
    if (!row) return null;
    return { ...itemOf(row), messageId: row.message_id ?? "", eml: row.eml ?? "" };
  }

  /** Messages kept now (at most KEEP). */
  async count(): Promise<number> {
    // Every kept id is within KEEP of the newest (keep() trims below): a closed range of the key.
    const n = await this.db
      .prepare(
        `SELECT count(*) AS n FROM outbox
         WHERE id BETWEEN (SELECT max(id) FROM outbox) - ?1 + 1 AND (SELECT max(id) FROM outbox)`,
      )
      .bind(KEEP)
      .first<number>("n");
    return n ?? 0;
  }
}

function itemOf(row: Row): OutboxItem {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    from: row.sender,
    to: row.recipient,
    subject: row.subject,
    size: row.size,
  };
}
