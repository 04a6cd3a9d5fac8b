// The content version: what every cache key and ETag is built from. It is the write counter in
// `meta` (bumped in the same batch as every write) plus the newest publish time that has come:
// an article scheduled for later changes it when its time comes, without any write.

import { currentBookmark, readsOwnWrite } from "../d1-session.js";

/** How long an isolate trusts the version it last read. */
const TRUST_MS = 1000;
/** Shared caches may keep a response this long (seconds), unless a scheduled article is nearer. */
export const MAX_AGE = 300;

export interface Version {
  /** Opaque; equal tokens mean equal public content. */
  token: string;
  /** Articles published at or before this instant are public (epoch ms): the read's "now". */
  asOf: number;
  /** Seconds a shared cache may keep a response: up to MAX_AGE, less when a scheduled article is due. */
  maxAge: number;
}

interface Memo {
  /** Where the version was read (D1 Sessions): a request using it reads from there on. */
  bookmark: string | null;
  /** The token without any salt. */
  token: string;
  asOf: number;
  maxAge: number;
  /** Publish time of the next scheduled article, or Infinity. */
  next: number;
}

// Per database (one isolate may serve several: test files do); shared by every salt.
const memos = new WeakMap<D1Database, Memo>();

export class ContentVersion {
  private seen: { memo: Memo; version: Version } | null = null;

  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
    /** Added to every token: the deployment and settings, so renders made under others never show. */
    private readonly salt: string,
  ) {}

  /** The version from memory when this isolate may still trust it; no I/O. */
  fresh(): Version | null {
    const memo = this.trusted();
    return memo ? this.salted(memo) : null;
  }

  /** Where the version this isolate still trusts was read: a request that will use it starts there. */
  freshBookmark(): string | null {
    return this.trusted()?.bookmark ?? null;
  }

  private trusted(): Memo | null {
    // Reading one's own write: an isolate's memo may be older than the write.
    if (readsOwnWrite()) return null;
    const memo = memos.get(this.db);
    if (!memo) return null;
    const now = this.now();
    if (now - memo.asOf >= TRUST_MS || now < memo.asOf || now >= memo.next) return null;
    return memo;
  }

  /**
   * The current version: from memory (see fresh) or from one D1 query. A write through this
   * isolate is seen by its next request at once; other isolates see it within TRUST_MS.
   */
  async current(): Promise<Version> {
    const fresh = this.fresh();
    if (fresh) return fresh;
    const asOf = this.now();
    const row = await this.db
      .prepare(
        `SELECT (SELECT value FROM meta WHERE key = 'content_version') AS writes,
          (SELECT published_at FROM articles WHERE draft = 0 AND published_at <= ?1 ORDER BY published_at DESC LIMIT 1) AS horizon,
          (SELECT published_at FROM articles WHERE draft = 0 AND published_at > ?1 ORDER BY published_at LIMIT 1) AS next`,
      )
      .bind(asOf)
      .first<{ writes: number | null; horizon: number | null; next: number | null }>();
    const next = row?.next ?? Number.POSITIVE_INFINITY;
    const memo: Memo = {
      bookmark: currentBookmark(),
      token: `${row?.writes ?? 0}.${(row?.horizon ?? 0).toString(36)}`,
      asOf,
      maxAge: Math.max(0, Math.min(MAX_AGE, Math.ceil((next - asOf) / 1000))),
      next,
    };
    memos.set(this.db, memo);
    return this.salted(memo);
  }

  private salted(memo: Memo): Version {
    if (this.seen?.memo !== memo) {
      this.seen = { memo, version: { token: `${memo.token}.${this.salt}`, asOf: memo.asOf, maxAge: memo.maxAge } };
    }
    return this.seen.version;
  }

  /** Forgets the memo, so this isolate's next request reads the version again. */
  forget(): void {
    memos.delete(this.db);
  }

  /**
   * The statement every write batch carries. With `ifChanged`, it bumps only when the statement
   * just before it changed a row (SQLite's changes()).
   */
  bump(ifChanged = false): D1PreparedStatement {
    return this.db.prepare(
      `UPDATE meta SET value = value + 1 WHERE key = 'content_version'${ifChanged ? " AND changes() > 0" : ""}`,
    );
  }
}
