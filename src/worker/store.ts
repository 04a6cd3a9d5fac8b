// The article store in D1: the only module that speaks SQL. Every write bumps the content
// version in the same batch (a D1 batch is one transaction), so caches keyed on it stay true.

import type { Article, Author, Tag } from "../core/article.js";
import type { StoredRecord } from "../core/content.js";
import { jsonFeedItem } from "../core/feeds/json.js";
import { feedItem } from "../core/feeds/model.js";
import type { Cursor } from "./cursor.js";

export type Source = { kind: "api" } | { kind: "file"; path: string; hash: string };

export interface StoredArticle extends Article {
  id: number;
  source: "api" | "file";
  sourcePath: string | null;
  /** The JSON Feed item stored at write time, when the list asked for it. */
  feedJson: string | null;
}

export interface ListQuery {
  limit: number;
  cursor?: Cursor | null;
  tag?: string;
  author?: string;
  /**
   * What to carry besides the metadata: the HTML ("html", the default), the stored JSON Feed
   * item ("json"; HTML only for articles without one), or nothing ("none").
   */
  body?: "html" | "json" | "none";
}

export interface Page {
  items: StoredArticle[];
  /** Where the page of older items starts, if there is one. */
  next: Cursor | null;
  /** Where the page of newer items ends, if there is one. */
  prev: Cursor | null;
}

export interface TagCount extends Tag {
  count: number;
}

interface Row {
  id: number;
  slug: string;
  title: string;
  url: string;
  published_at: number;
  updated_at: number | null;
  summary: string;
  image_url: string | null;
  image_alt: string | null;
  lang: string | null;
  draft: number;
  authors_json: string;
  tags_json: string;
  content_html?: string | null;
  json_item?: string | null;
  source: "api" | "file";
  source_path: string | null;
}

const LIST_COLUMNS =
  "a.id, a.slug, a.title, a.url, a.published_at, a.updated_at, a.summary, a.image_url, a.image_alt, a.lang, a.draft, a.authors_json, a.tags_json, a.source, a.source_path";

const COLUMNS = [
  "slug",
  "title",
  "url",
  "published_at",
  "updated_at",
  "summary",
  "image_url",
  "image_alt",
  "lang",
  "draft",
  "authors_json",
  "tags_json",
  "content_html",
  "source",
  "source_path",
  "source_hash",
] as const;

const INSERT = `INSERT INTO articles (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((_, i) => `?${i + 1}`).join(", ")})`;
const UPSERT = `${INSERT} ON CONFLICT (slug) DO UPDATE SET ${COLUMNS.slice(1)
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")}`;

interface NameIndex {
  table: string;
  slug: string;
  name: string;
}
const TAGS: NameIndex = { table: "article_tags", slug: "tag_slug", name: "tag_name" };
const AUTHORS: NameIndex = { table: "article_authors", slug: "author_slug", name: "author_name" };

/** How long an isolate trusts the content version it last read. */
export const VERSION_TTL_MS = 1000;
const versions = new WeakMap<D1Database, { value: number; at: number }>();

export class UniqueSlugError extends Error {}

export class ArticleStore {
  /** `siteUrl` is where stored JSON Feed items point (as article URLs do). */
  constructor(
    private readonly db: D1Database,
    private readonly siteUrl: string,
  ) {}

  /**
   * The content version, read from D1 at most once per VERSION_TTL_MS per isolate: the hot
   * path (a cached feed, a 304) then needs no I/O at all. A write through this isolate is seen
   * by its next request at once; other isolates see it within VERSION_TTL_MS.
   */
  async contentVersion(): Promise<number> {
    const memo = versions.get(this.db);
    if (memo && Date.now() - memo.at < VERSION_TTL_MS) return memo.value;
    const row = await this.db
      .prepare("SELECT value FROM meta WHERE key = 'content_version'")
      .first<{ value: number }>();
    const value = row?.value ?? 0;
    versions.set(this.db, { value, at: Date.now() });
    return value;
  }

  /** One article by slug; drafts only when asked for. */
  async get(slug: string, options: { includeDrafts?: boolean } = {}): Promise<StoredArticle | null> {
    const row = await this.db
      .prepare(`SELECT ${LIST_COLUMNS}, a.content_html FROM articles a WHERE a.slug = ?1`)
      .bind(slug)
      .first<Row>();
    if (!row || (row.draft && !options.includeDrafts)) return null;
    return fromRow(row);
  }

  /**
   * Public articles, newest first. An "after" cursor gives the older items past it, a "before"
   * cursor the newer items ahead of it (still returned newest first).
   */
  async list(query: ListQuery): Promise<Page> {
    const body = query.body ?? "html";
    const columns =
      body === "none"
        ? LIST_COLUMNS
        : body === "html"
          ? `${LIST_COLUMNS}, a.content_html`
          : `${LIST_COLUMNS}, j.item AS json_item, CASE WHEN j.item IS NULL THEN a.content_html END AS content_html`;
    const { sql, params } = pageQuery(query, columns, query.limit + 1, body === "json");
    const { results } = await this.db
      .prepare(sql)
      .bind(...params)
      .all<Row>();
    const more = results.length > query.limit;
    const rows = results.slice(0, query.limit);
    const before = query.cursor?.direction === "before";
    if (before) rows.reverse();
    const items = rows.map(fromRow);
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

  /** Public articles published in [start, end), newest first, optionally with any of `tags`. */
  async inWindow(start: number, end: number, tags: string[], limit: number): Promise<StoredArticle[]> {
    const byTag =
      tags.length > 0
        ? ` AND a.id IN (SELECT article_id FROM article_tags WHERE tag_slug IN (${tags.map(() => "?").join(", ")}) AND published_at >= ?1 AND published_at < ?2)`
        : "";
    const { results } = await this.db
      .prepare(
        `SELECT ${LIST_COLUMNS} FROM articles a WHERE a.draft = 0 AND a.published_at >= ?1 AND a.published_at < ?2${byTag} ORDER BY a.published_at DESC, a.id DESC LIMIT ${Math.trunc(limit)}`,
      )
      .bind(start, end, ...tags)
      .all<Row>();
    return results.map(fromRow);
  }

  /** Publish times of every public article, newest first (for the digest archive). */
  async publishTimes(): Promise<number[]> {
    const rows = await this.db
      .prepare("SELECT published_at FROM articles WHERE draft = 0 ORDER BY published_at DESC")
      .raw<[number]>();
    return rows.map(([t]) => t);
  }

  /** The newest publish or update time among the items `list` would return: a head query. */
  async newestChange(query: ListQuery): Promise<number> {
    const { sql, params } = pageQuery(query, "a.published_at, a.updated_at", query.limit);
    const row = await this.db
      .prepare(`SELECT MAX(MAX(published_at, COALESCE(updated_at, 0))) AS newest FROM (${sql}) LIMIT 1`)
      .bind(...params)
      .first<{ newest: number | null }>();
    return row?.newest ?? 0;
  }

  /** A tag that at least one public article carries; its name as the newest such article spells it. */
  tag(slug: string): Promise<Tag | null> {
    return this.name(TAGS, slug);
  }

  /** An author of at least one public article. */
  author(slug: string): Promise<Tag | null> {
    return this.name(AUTHORS, slug);
  }

  /** Every tag of public articles, most used first. */
  tags(): Promise<TagCount[]> {
    return this.names(TAGS, "count DESC, slug");
  }

  /** Every author of public articles, by name. */
  authors(): Promise<TagCount[]> {
    return this.names(AUTHORS, "name, slug");
  }

  private async name(index: NameIndex, slug: string): Promise<Tag | null> {
    const row = await this.db
      .prepare(
        `SELECT ${index.slug} AS slug, ${index.name} AS name FROM ${index.table} WHERE ${index.slug} = ?1 ORDER BY published_at DESC LIMIT 1`,
      )
      .bind(slug)
      .first<Tag>();
    return row ?? null;
  }

  private async names(index: NameIndex, order: string): Promise<TagCount[]> {
    // SQLite takes the bare name from the row holding MAX(published_at): the newest spelling.
    const { results } = await this.db
      .prepare(
        `SELECT ${index.slug} AS slug, ${index.name} AS name, COUNT(*) AS count, MAX(published_at) AS newest FROM ${index.table} GROUP BY ${index.slug} ORDER BY ${order}`,
      )
      .all<TagCount>();
    return results.map(({ slug, name, count }) => ({ slug, name, count }));
  }

  /** Creates an article; throws UniqueSlugError when the slug is taken. */
  async create(article: Article): Promise<void> {
    try {
      await this.write(this.writeStatements(INSERT, article, { kind: "api" }));
    } catch (error) {
      if (String(error).includes("UNIQUE constraint failed")) throw new UniqueSlugError(article.slug);
      throw error;
    }
  }

  /** Creates or replaces an article. */
  async put(article: Article, source: Source = { kind: "api" }): Promise<void> {
    await this.write(this.writeStatements(UPSERT, article, source));
  }

  /** Deletes an article and its index rows; false when there was none. */
  async delete(slug: string): Promise<boolean> {
    const [, , , removed] = await this.write([
      ...this.unindex(slug),
      this.db.prepare("DELETE FROM articles WHERE slug = ?1").bind(slug),
      this.bumpVersion(),
    ]);
    return (removed?.meta.changes ?? 0) > 0;
  }

  /** The stored provenance of every article, for content sync. */
  async records(): Promise<StoredRecord[]> {
    const { results } = await this.db
      .prepare("SELECT slug, source, source_path AS sourcePath, source_hash AS sourceHash FROM articles")
      .all<StoredRecord>();
    return results;
  }

  /** Applies a content sync in one transaction: upserts and deletions, one version bump. */
  async sync(upserts: { article: Article; path: string; hash: string }[], deletions: string[]): Promise<void> {
    if (upserts.length === 0 && deletions.length === 0) return;
    const statements: D1PreparedStatement[] = [];
    for (const { article, path, hash } of upserts) {
      statements.push(...this.writeStatements(UPSERT, article, { kind: "file", path, hash }, false));
    }
    for (const slug of deletions) {
      statements.push(...this.unindex(slug), this.db.prepare("DELETE FROM articles WHERE slug = ?1").bind(slug));
    }
    statements.push(this.bumpVersion());
    await this.write(statements);
  }

  /** Runs a write batch and forgets the memoized version, so this isolate sees the write at once. */
  private async write(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    // Forgotten after too: a request of this isolate may read the old version during the batch.
    versions.delete(this.db);
    try {
      return await this.db.batch(statements);
    } finally {
      versions.delete(this.db);
    }
  }

  private writeStatements(sql: string, a: Article, source: Source, bump = true): D1PreparedStatement[] {
    const authors = a.authors.map(({ name, slug, email, url }) => ({ name, slug, email, url }));
    const statements = [
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
          a.lang,
          a.draft ? 1 : 0,
          JSON.stringify(authors),
          JSON.stringify(a.tags),
          a.contentHtml,
          source.kind,
          source.kind === "file" ? source.path : null,
          source.kind === "file" ? source.hash : null,
        ),
      ...this.unindex(a.slug),
      // The index rows are derived from the stored JSON, for public articles only.
      this.db
        .prepare(
          "INSERT INTO article_tags (article_id, tag_slug, tag_name, published_at) SELECT a.id, j.value ->> 'slug', j.value ->> 'name', a.published_at FROM articles a, json_each(a.tags_json) j WHERE a.slug = ?1 AND a.draft = 0",
        )
        .bind(a.slug),
      this.db
        .prepare(
          "INSERT INTO article_authors (article_id, author_slug, author_name, published_at) SELECT a.id, j.value ->> 'slug', j.value ->> 'name', a.published_at FROM articles a, json_each(a.authors_json) j WHERE a.slug = ?1 AND a.draft = 0",
        )
        .bind(a.slug),
      this.db
        .prepare("INSERT INTO article_json (article_id, item) SELECT id, ?2 FROM articles WHERE slug = ?1")
        .bind(a.slug, jsonFeedItem(feedItem(a, this.siteUrl))),
    ];
    if (bump) statements.push(this.bumpVersion());
    return statements;
  }

  private unindex(slug: string): D1PreparedStatement[] {
    return [
      this.db
        .prepare("DELETE FROM article_json WHERE article_id = (SELECT id FROM articles WHERE slug = ?1)")
        .bind(slug),
      this.db
        .prepare("DELETE FROM article_tags WHERE article_id = (SELECT id FROM articles WHERE slug = ?1)")
        .bind(slug),
      this.db
        .prepare("DELETE FROM article_authors WHERE article_id = (SELECT id FROM articles WHERE slug = ?1)")
        .bind(slug),
    ];
  }

  private bumpVersion(): D1PreparedStatement {
    return this.db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'content_version'");
  }
}

/** Keyset paging on (published_at, id): each branch walks one index in order. */
function pageQuery(
  query: ListQuery,
  columns: string,
  rows = query.limit + 1,
  withJson = false,
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const before = query.cursor?.direction === "before";
  const index = query.tag !== undefined ? TAGS : query.author !== undefined ? AUTHORS : null;
  const [from, filter, date, id] = index
    ? [
        `${index.table} x JOIN articles a ON a.id = x.article_id`,
        `x.${index.slug} = ?`,
        "x.published_at",
        "x.article_id",
      ]
    : ["articles a", "a.draft = 0", "a.published_at", "a.id"];
  const value = query.tag ?? query.author;
  if (index && value !== undefined) params.push(value);
  const join = withJson ? " LEFT JOIN article_json j ON j.article_id = a.id" : "";
  let sql = `SELECT ${columns} FROM ${from}${join} WHERE ${filter}`;
  if (query.cursor) {
    sql += ` AND (${date}, ${id}) ${before ? ">" : "<"} (?, ?)`;
    params.push(query.cursor.publishedAt, query.cursor.id);
  }
  const order = before ? "ASC" : "DESC";
  sql += ` ORDER BY ${date} ${order}, ${id} ${order} LIMIT ${Math.trunc(rows)}`;
  return { sql, params };
}

function fromRow(row: Row): StoredArticle {
  const authors = (JSON.parse(row.authors_json) as Author[]).map(({ name, slug, email, url }) => ({
    name,
    slug,
    ...(email ? { email } : {}),
    ...(url ? { url } : {}),
  }));
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    url: row.url,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    summary: row.summary,
    image: row.image_url ? { url: row.image_url, alt: row.image_alt ?? "" } : null,
    lang: row.lang,
    draft: row.draft === 1,
    authors,
    tags: JSON.parse(row.tags_json) as Tag[],
    contentHtml: row.content_html ?? "",
    source: row.source,
    sourcePath: row.source_path,
    feedJson: row.json_item ?? null,
  };
}
