// Rendered editions in D1: one row per (edition, tag group), written once before any ledger row
// of that group, so every recipient of a group gets the same email and a retry a day later sends
// what was sent the first time. The recipient's own links are a mark in the render, replaced per
// recipient at send time.

export interface EditionRender {
  edition: string;
  /** JSON array of the group's tag slugs, sorted; "[]" is every article. */
  tagsKey: string;
  /** Articles in the edition for this group: 0 means nothing is sent to it. */
  articles: number;
  subject: string;
  html: string;
  text: string;
  /** The string that stands for the recipient's token in html, text and links. */
  recipientMark: string;
}

interface Row {
  edition: string;
  tags_key: string;
  articles: number;
  subject: string | null;
  html: string | null;
  text: string | null;
  recipient_mark: string | null;
}

/** Groups per get() call: a fan-out page or a send message has at most this many. */
const GET_MAX = 1000;

export class EditionStore {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
  ) {}

  /** The stored renders of `edition` for these tag groups, by tags key (absent: not rendered yet). */
  async get(edition: string, tagsKeys: readonly string[]): Promise<Map<string, EditionRender>> {
    if (tagsKeys.length > GET_MAX) throw new RangeError(`at most ${GET_MAX} groups per call`);
    const found = new Map<string, EditionRender>();
    if (tagsKeys.length === 0) return found;
    const { results } = await this.db
      .prepare(
        `SELECT * FROM edition_renders
         WHERE edition = ?1 AND tags_key IN (SELECT value FROM json_each(?2))`,
      )
      .bind(edition, JSON.stringify(tagsKeys))
      .all<Row>();
    for (const row of results) {
      found.set(row.tags_key, {
        edition: row.edition,
        tagsKey: row.tags_key,
        articles: row.articles,
        subject: row.subject ?? "",
        html: row.html ?? "",
        text: row.text ?? "",
        recipientMark: row.recipient_mark ?? "",
      });
    }
    return found;
  }

  /** Stores renders; a group already stored keeps its first render (renders racing agree on it). */
  async put(renders: readonly EditionRender[]): Promise<void> {
    if (renders.length === 0) return;
    const statement = this.db.prepare(
      `INSERT INTO edition_renders (edition, tags_key, articles, subject, html, text, recipient_mark, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (edition, tags_key) DO NOTHING`,
    );
    const now = this.now();
    await this.db.batch(
      renders.map((r) =>
        statement.bind(
          r.edition,
          r.tagsKey,
          r.articles,
          r.articles > 0 ? r.subject : null,
          r.articles > 0 ? r.html : null,
          r.articles > 0 ? r.text : null,
          r.articles > 0 ? r.recipientMark : null,
          now,
        ),
      ),
    );
  }

  /** Deletes renders stored before `before` (the retention period). Returns how many went. */
  async prune(before: number): Promise<number> {
    const result = await this.db.prepare("DELETE FROM edition_renders WHERE created_at < ?1").bind(before).run();
    return result.meta.changes;
  }

  /** How many groups of `edition` were rendered (the benchmark's renders per edition). */
  async count(edition: string): Promise<number> {
    const row = await this.db
      .prepare("SELECT count(*) AS n FROM edition_renders WHERE edition = ?1")
      .bind(edition)
      .first<{ n: number }>();
    return row?.n ?? 0;
  }
}
