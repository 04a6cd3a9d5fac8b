// Articles in D1: reads of public articles (as of a content version's instant, so scheduled
// articles stay hidden until their time) and writes. Every write runs as one D1 batch (one
// transaction) that also rewrites the article's index rows (whose triggers keep the tag and
// author counts), moves the article between the archive's days and bumps the content version; a
// content sync writes in several such batches (see sync). The search index follows each write
// through triggers (migration 0009), from the plain text of the body written with it.

import { type Article, type Author, person, served, type Tag, withAliases } from "../../core/article.js";
import type { StoredRecord } from "../../core/content.js";
import type { Cursor } from "../../core/cursor.js";
import { sortKey } from "../../core/names.js";
import { bodyText } from "../../core/search.js";
import type { ArchiveDays } from "./archive.js";
import { AUTHORS, type NameTable, TAGS } from "./names.js";
import type { ContentVersion } from "./version.js";

export type Source = { kind: "api" } | { kind: "file"; path: string; hash: string };

export interface StoredArticle extends Article {
  id: number;
  source: "api" | "file";
  sourcePath: string | null;
}

export interface ListQuery {
  limit: number;
  cursor?: Cursor | null;
  tag?: string;
  author?: string;
  /** Whether to read `content_html` (the largest column); listings of titles do not. */
  withContent: boolean;
}

export interface Page {
  items: StoredArticle[];
  /** Where the page of older items starts, if there is one. */
  next: Cursor | null;
  /** Where the page of newer items ends, if there is one. */
  prev: Cursor | null;
}

/** An article row as read (the search store reads the same shape). */
export interface Row {
  id: number;
  slug: string;
  title: string;
  url: string;
  published_at: number;
  updated_at: number | null;
  summary: string;
  image_url: string | null;
  image_alt: string | null;
  image_width: number | null;
  image_height: number | null;
  image_bytes: number | null;
  lang: string | null;
  draft: number;
  authors_json: string;
  tags_json: string;
  aliases_json: string;
  content_html?: string | null;
  content_bytes?: number;
  source: "api" | "file";
  source_path: string | null;
}

export const META_COLUMNS =
  "a.id, a.slug, a.title, a.url, a.published_at, a.updated_at, a.summary, a.image_url, a.image_alt, a.image_width, a.image_height, a.image_bytes, a.lang, a.draft, a.authors_json, a.tags_json, a.aliases_json, a.source, a.source_path";

const COLUMNS = [
  "slug",
  "title",
  "url",
  "published_at",
  "updated_at",
  "summary",
  "image_url",
  "image_alt",
  "image_width",
  "image_height",
  "image_bytes",
  "lang",
  "draft",
  "authors_json",
  "tags_json",
  "aliases_json",
  "content_html",
  "body_text",
  "source",
  "source_path",
  "source_hash",
] as const;

const INSERT = `INSERT INTO articles (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((_, i) => `?${i + 1}`).join(", ")})`;
const CREATE = `${INSERT} ON CONFLICT (slug) DO NOTHING`;
const UPSERT = `${INSERT} ON CONFLICT (slug) DO UPDATE SET ${COLUMNS.slice(1)
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")}`;

/**
 * Most bytes of article HTML one page of full articles carries (a page stops before the article
 * that would pass it, and always has at least one): 100 articles at the 1.6 MB limit each would
 * otherwise be 160 MB read into the Worker and sent.
 */
export const PAGE_CONTENT_BYTES = 2_000_000;

/** Articles written per content-sync batch (see sync); measured in docs/benchmarks.md, "Content sync". */
export const SYNC_CHUNK = 250;
/** Slugs per query when content sync asks which belong to API articles. */
const SLUG_QUERY = 5000;

/** Most tags a digest may be filtered by. */
export const MAX_WINDOW_TAGS = 20;

export class UniqueSlugError extends Error {}

/** Where an article stands: a draft, or public from its date on (scheduled until then). */
export type ArticleStatus = "draft" | "scheduled" | "published";

export class ArticleStore {
  constructor(
    private readonly db: D1Database,
    private readonly version: ContentVersion,
    /** Written back into the site-relative URLs of what is read (see Article). */
    private readonly siteUrl: () => string,
    /** The digest archive's days, kept in each write's batch. */
    readonly archive: ArchiveDays,
  ) {}

  /** One public article by slug, as of `asOf`. */
  async get(slug: string, asOf: number): Promise<StoredArticle | null> {
    const row = await this.db
      .prepare(
        `SELECT ${META_COLUMNS}, a.content_html FROM articles a WHERE a.slug = ?1 AND a.draft = 0 AND a.published_at <= ?2`,
      )
      .bind(slug, asOf)
      .first<Row>();
    return row ? served(fromRow(row), this.siteUrl()) : null;
  }

  /** One article by slug, drafts and scheduled articles included (for the admin API). */
  async getAny(slug: string): Promise<StoredArticle | null> {
    const row = await this.db
      .prepare(`SELECT ${META_COLUMNS}, a.content_html FROM articles a WHERE a.slug = ?1`)
      .bind(slug)
      .first<Row>();
    return row ? served(fromRow(row), this.siteUrl()) : null;
  }

  /**
   * Public articles, newest first. An "after" cursor gives the older items past it, a "before"
   * cursor the newer items ahead of it (still returned newest first).
   */
  async list(query: ListQuery, asOf: number): Promise<Page> {
    // Full articles: first their sizes, then the HTML of those that fit in PAGE_CONTENT_BYTES.
    const columns = query.withContent
      ? `${META_COLUMNS}, length(CAST(a.content_html AS BLOB)) AS content_bytes`
      : META_COLUMNS;
    const { sql, params } = pageQuery(query, columns, query.limit + 1, asOf);
    const { results } = await this.db
      .prepare(sql)
      .bind(...params)
      .all<Row>();
    let rows = results.slice(0, query.limit);
    let more = results.length > query.limit;
    if (query.withContent) {
      const fitting = fitsInPage(rows);
      if (fitting < rows.length) {
        rows = rows.slice(0, fitting);
        more = true;
      }
      const html = await this.contentOf(rows.map((row) => row.id));
      for (const row of rows) row.content_html = html.get(row.id) ?? "";
    }
    const before = query.cursor?.direction === "before";
    if (before) rows.reverse();
    const siteUrl = this.siteUrl();
    const items = rows.map((row) => served(fromRow(row), siteUrl));
    const first = items[0];
    const last = items.at(-1);
    const position = (a: StoredArticle, direction: Cursor["direction"]): Cursor => ({
      publishedAt: a.publishedAt,
      id: a.id,
      direction,
    });
    return {
      items,
      // Coming back from an older page, there is always an older page again; and vice versa.
      next: last && (before || more) ? position(last, "after") : null,
      prev: first && (before ? more : query.cursor) ? position(first, "before") : null,
    };
  }

  /**
   * Every article in one state, for the console, newest first: published (as of `now`),
   * scheduled (after `now`) or draft; a page of `limit` after the cursor's position, and where the
   * next page starts. No content. Published and scheduled walk articles_public_by_date; drafts
   * have no index (it is partial, WHERE draft = 0), so their page reads every row.
   */
  async byStatus(
    status: ArticleStatus,
    cursor: Pick<Cursor, "publishedAt" | "id"> | null,
    limit: number,
    now: number,
  ): Promise<{ items: StoredArticle[]; next: Cursor | null }> {
    const params: number[] = status === "draft" ? [] : [now];
    let sql = `SELECT ${META_COLUMNS} FROM articles a WHERE ${
      status === "draft" ? "a.draft = 1" : `a.draft = 0 AND a.published_at ${status === "published" ? "<=" : ">"} ?1`
    }`;
    if (cursor) {
      sql += ` AND (a.published_at, a.id) < (?${params.length + 1}, ?${params.length + 2})`;
      params.push(cursor.publishedAt, cursor.id);
    }
    sql += ` ORDER BY a.published_at DESC, a.id DESC LIMIT ${Math.trunc(limit) + 1}`;
    const { results } = await this.db
      .prepare(sql)
      .bind(...params)
      .all<Row>();
    const siteUrl = this.siteUrl();
    const items = results.slice(0, limit).map((row) => served(fromRow(row), siteUrl));
    const last = items.at(-1);
    return {
      items,
      next: results.length > limit && last ? { publishedAt: last.publishedAt, id: last.id, direction: "after" } : null,
    };
  }

  /** The HTML of these articles, by id (at most 101 ids: one page). */
  private async contentOf(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    if (ids.length === 0) return found;
    const { results } = await this.db
      .prepare("SELECT id, content_html FROM articles WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(ids))
      .all<{ id: number; content_html: string }>();
    for (const row of results) found.set(row.id, row.content_html);
    return found;
  }

  /** The newest publish or update time among the items `list` would return: a head query. */
  async newestChange(query: ListQuery, asOf: number): Promise<number> {
    const { sql, params } = pageQuery(query, "a.published_at, a.updated_at", query.limit, asOf);
    const row = await this.db
      .prepare(`SELECT MAX(MAX(published_at, COALESCE(updated_at, published_at))) AS newest FROM (${sql})`)
      .bind(...params)
      .first<{ newest: number | null }>();
    return row?.newest ?? 0;
  }

  /**
   * Public articles published in [start, end), newest first; with `tags`, those that carry any
   * of them (at most MAX_WINDOW_TAGS), in one query.
   */
  async inWindow(start: number, end: number, tags: readonly string[], limit: number): Promise<StoredArticle[]> {
    if (tags.length > MAX_WINDOW_TAGS) throw new RangeError(`at most ${MAX_WINDOW_TAGS} tags`);
    const byTag =
      tags.length > 0
        ? " AND a.id IN (SELECT article_id FROM article_tags WHERE tag_slug IN (SELECT value FROM json_each(?3)) AND published_at >= ?1 AND published_at < ?2)"
        : "";
    const { results } = await this.db
      .prepare(
        `SELECT ${META_COLUMNS} FROM articles a WHERE a.draft = 0 AND a.published_at >= ?1 AND a.published_at < ?2${byTag} ORDER BY a.published_at DESC, a.id DESC LIMIT ${Math.trunc(limit)}`,
      )
      .bind(start, end, ...(tags.length > 0 ? [JSON.stringify(tags)] : []))
      .all<Row>();
    const siteUrl = this.siteUrl();
    return results.map((row) => served(fromRow(row), siteUrl));
  }

  /**
   * Public articles whose publish time is in (after, upTo], oldest first, at most `limit`: the
   * scheduled articles that came out between two hourly runs (for WebSub). Read through
   * articles_public_by_date; no content.
   */
  async cameOut(
    after: number,
    upTo: number,
    limit: number,
  ): Promise<Pick<Article, "tags" | "authors" | "publishedAt">[]> {
    const { results } = await this.db
      .prepare(
        "SELECT a.published_at, a.authors_json, a.tags_json FROM articles a WHERE a.draft = 0 AND a.published_at > ?1 AND a.published_at <= ?2 ORDER BY a.published_at LIMIT ?3",
      )
      .bind(after, upTo, limit)
      .all<Pick<Row, "published_at" | "authors_json" | "tags_json">>();
    return results.map((row) => ({
      publishedAt: row.published_at,
      authors: (JSON.parse(row.authors_json) as Author[]).map(person),
      tags: JSON.parse(row.tags_json) as Tag[],
    }));
  }

  /** Creates an article; throws UniqueSlugError when the slug is taken. */
  async create(article: Article): Promise<void> {
    const { statements, articleAt } = this.writeStatements(CREATE, article, { kind: "api" });
    const inserted = (await this.write(statements))[articleAt];
    if ((inserted?.meta.changes ?? 0) === 0) throw new UniqueSlugError(article.slug);
  }

  /** Creates or replaces an article. */
  async put(article: Article, source: Source = { kind: "api" }): Promise<void> {
    await this.write(this.writeStatements(UPSERT, article, source).statements);
  }

  /** Deletes an article and its index rows; false when there was none. */
  async delete(slug: string): Promise<boolean> {
    const statements = [...this.remove(slug), this.version.bump()];
    // The article's own DELETE is the last statement of remove().
    const removed = (await this.write(statements)).at(-2);
    return (removed?.meta.changes ?? 0) > 0;
  }

  /**
   * The provenance of every file-sourced article, for content sync: one narrow read answered by
   * the covering index articles_by_source, so no article row is read.
   */
  async records(): Promise<StoredRecord[]> {
    const { results } = await this.db
      .prepare(
        "SELECT slug, source, source_path AS sourcePath, source_hash AS sourceHash FROM articles WHERE source = 'file'",
      )
      .all<StoredRecord>();
    return results;
  }

  /** Which of these slugs belong to articles published through the API (one query per 5 000). */
  async apiSlugs(slugs: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < slugs.length; i += SLUG_QUERY) {
      // One JSON parameter instead of a placeholder per slug (D1 binds at most 100); CROSS JOIN
      // keeps the list outermost, so each slug is one search of the slug index.
      const rows = await this.db
        .prepare("SELECT a.slug FROM json_each(?1) j CROSS JOIN articles a WHERE a.slug = j.value AND a.source = 'api'")
        .bind(JSON.stringify(slugs.slice(i, i + SLUG_QUERY)))
        .raw<[string]>();
      for (const [slug] of rows) found.add(slug);
    }
    return found;
  }

  /**
   * Applies a content sync in batches of `chunk` articles (upserts, then deletions), each its own
   * transaction with a version bump, calling `progress` after each. Not one transaction: after an
   * interruption some chunks are written, and running the sync again writes the rest (the stored
   * hashes make it skip what is done).
   */
  async sync(
    upserts: { article: Article; path: string; hash: string }[],
    deletions: string[],
    chunk = SYNC_CHUNK,
    progress: (done: number, total: number) => void = () => {},
  ): Promise<void> {
    const total = upserts.length + deletions.length;
    let done = 0;
    let statements: D1PreparedStatement[] = [];
    let pending = 0;
    const flush = async () => {
      statements.push(this.version.bump());
      await this.write(statements);
      done += pending;
      statements = [];
      pending = 0;
      progress(done, total);
    };
    for (const { article, path, hash } of upserts) {
      statements.push(...this.writeStatements(UPSERT, article, { kind: "file", path, hash }, false).statements);
      if (++pending === chunk) await flush();
    }
    for (const slug of deletions) {
      statements.push(...this.remove(slug));
      if (++pending === chunk) await flush();
    }
    if (pending > 0) await flush();
  }

  /** Runs a write batch and forgets the memoized version, so this isolate sees the write at once. */
  private async write(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    // Forgotten after too: a request of this isolate may read the old version during the batch.
    this.version.forget();
    try {
      return await this.db.batch(statements);
    } finally {
      this.version.forget();
    }
  }

  /** The batch that writes one article; `articleAt` is the place of the article's own statement. */
  private writeStatements(
    sql: string,
    a: Article,
    source: Source,
    bump = true,
  ): { statements: D1PreparedStatement[]; articleAt: number } {
    const authors = a.authors.map(({ name, slug, email, url }) => ({ name, slug, email, url }));
    // The archive takes the article out of the day it was in, before the write changes its time,
    // and puts it into the day it is in afterwards: as stored, so that a create which met an
    // existing slug (and changed nothing) leaves the counts as they were.
    const statements = [...this.archive.prepare(a.publishedAt, a.draft), this.archive.leave(a.slug)];
    const articleAt = statements.length;
    statements.push(
      this.db
        .prepare(sql)
        .bind(
          a.slug,
          a.title,
          a.url,
          a.publishedAt,
          a.updatedAt,
          a.summary,
          a.image?.url ?? null,
          a.image?.alt ?? null,
          a.image?.width ?? null,
          a.image?.height ?? null,
          a.image?.bytes ?? null,
          a.lang,
          a.draft ? 1 : 0,
          JSON.stringify(authors),
          JSON.stringify(a.tags),
          JSON.stringify(a.aliases ?? []),
          a.contentHtml,
          bodyText(a.contentHtml),
          source.kind,
          source.kind === "file" ? source.path : null,
          source.kind === "file" ? source.hash : null,
        ),
    );
    // Right after the article's own statement, so that a create that met an existing slug
    // (no row changed) leaves the version alone; the index rows below are rewritten as they were.
    if (bump) statements.push(this.version.bump(true));
    statements.push(...this.reindex(TAGS, a.slug, a.tags), ...this.reindex(AUTHORS, a.slug, a.authors));
    statements.push(...this.realias(a.slug), this.archive.enter(a.slug));
    return { statements, articleAt };
  }

  /** Deletes an article with its index rows (the last statement deletes the article). */
  private remove(slug: string): D1PreparedStatement[] {
    return [
      this.archive.leave(slug),
      this.unindex(TAGS, slug),
      this.unindex(AUTHORS, slug),
      this.unalias(slug),
      this.db.prepare("DELETE FROM articles WHERE slug = ?1").bind(slug),
    ];
  }

  /**
   * The public article an old path (aliases.ts's normal form) redirects to, as of `asOf`: its slug,
   * or null. One seek of article_aliases, one of the article by id.
   */
  async aliased(path: string, asOf: number): Promise<string | null> {
    return this.db
      .prepare(
        "SELECT a.slug FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.path = ?1 AND a.draft = 0 AND a.published_at <= ?2",
      )
      .bind(path, asOf)
      .first<string>("slug");
  }

  private unalias(slug: string): D1PreparedStatement {
    return this.db
      .prepare("DELETE FROM article_aliases WHERE article_id = (SELECT id FROM articles WHERE slug = ?1)")
      .bind(slug);
  }

  /**
   * The alias rows, derived from the stored aliases_json (as the index rows are, so a create that
   * met an existing slug rewrites them as they were). A path another article had moves to this one.
   */
  private realias(slug: string): D1PreparedStatement[] {
    return [
      this.unalias(slug),
      this.db
        .prepare(
          `INSERT INTO article_aliases (path, article_id)
           SELECT j.value, a.id FROM articles a, json_each(a.aliases_json) j WHERE a.slug = ?1
           ON CONFLICT (path) DO UPDATE SET article_id = excluded.article_id`,
        )
        .bind(slug),
    ];
  }

  private unindex(index: NameTable, slug: string): D1PreparedStatement {
    return this.db
      .prepare(`DELETE FROM ${index.table} WHERE article_id = (SELECT id FROM articles WHERE slug = ?1)`)
      .bind(slug);
  }

  /**
   * The index rows are derived from the stored JSON, for non-draft articles only. Each row's
   * sort key is computed here for the names written (SQL cannot fold Cyrillic); a stored name
   * that differs (a create that met an existing slug) falls back to lower() in the triggers.
   */
  private reindex(index: NameTable, slug: string, names: readonly { name: string }[]): D1PreparedStatement[] {
    const json = index === TAGS ? "tags_json" : "authors_json";
    const keys = Object.fromEntries(names.map((n) => [n.name, sortKey(n.name)]));
    return [
      this.unindex(index, slug),
      this.db
        .prepare(
          `INSERT INTO ${index.table} (article_id, ${index.slug}, ${index.name}, ${index.key}, published_at)
           SELECT a.id, j.value ->> 'slug', j.value ->> 'name', (SELECT k.value FROM json_each(?2) k WHERE k.key = j.value ->> 'name'), a.published_at
           FROM articles a, json_each(a.${json}) j WHERE a.slug = ?1 AND a.draft = 0`,
        )
        .bind(slug, JSON.stringify(keys)),
    ];
  }
}

/** Keyset paging on (published_at, id): each branch walks one index in order. */
/** How many of `rows` (in page order) fit in PAGE_CONTENT_BYTES; at least one. */
function fitsInPage(rows: readonly Row[]): number {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    total += rows[i]?.content_bytes ?? 0;
    if (i > 0 && total > PAGE_CONTENT_BYTES) return i;
  }
  return rows.length;
}

function pageQuery(
  query: ListQuery,
  columns: string,
  rows: number,
  asOf: number,
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [asOf];
  const before = query.cursor?.direction === "before";
  const index = query.tag !== undefined ? TAGS : query.author !== undefined ? AUTHORS : null;
  const [from, filter, date, id] = index
    ? [
        `${index.table} x JOIN articles a ON a.id = x.article_id`,
        `x.${index.slug} = ?2 AND x.published_at <= ?1`,
        "x.published_at",
        "x.article_id",
      ]
    : ["articles a", "a.draft = 0 AND a.published_at <= ?1", "a.published_at", "a.id"];
  const value = query.tag ?? query.author;
  if (index && value !== undefined) params.push(value);
  let sql = `SELECT ${columns} FROM ${from} WHERE ${filter}`;
  if (query.cursor) {
    sql += ` AND (${date}, ${id}) ${before ? ">" : "<"} (?${params.length + 1}, ?${params.length + 2})`;
    params.push(query.cursor.publishedAt, query.cursor.id);
  }
  const order = before ? "ASC" : "DESC";
  sql += ` ORDER BY ${date} ${order}, ${id} ${order} LIMIT ${Math.trunc(rows)}`;
  return { sql, params };
}

export function fromRow(row: Row): StoredArticle {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    url: row.url,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    summary: row.summary,
    image: row.image_url
      ? {
          url: row.image_url,
          alt: row.image_alt ?? "",
          width: row.image_width,
          height: row.image_height,
          ...(row.image_bytes === null ? {} : { bytes: row.image_bytes }),
        }
      : null,
    lang: row.lang,
    draft: row.draft === 1,
    authors: (JSON.parse(row.authors_json) as Author[]).map(person),
    tags: JSON.parse(row.tags_json) as Tag[],
    contentHtml: row.content_html ?? "",
    ...withAliases(JSON.parse(row.aliases_json) as string[]),
    source: row.source,
    sourcePath: row.source_path,
  };
}
