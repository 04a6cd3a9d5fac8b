// The article store in D1: the only module that speaks SQL. Every write bumps the content
// version in the same batch (a D1 batch is one transaction), so caches keyed on it stay true.

import type { Article, Author, Tag } from "../core/article.js";
import type { StoredRecord } from "../core/content.js";
import type { Cursor } from "./cursor.js";

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
  /** Leave content_html out when the caller lists titles only. */
  withContent?: boolean;
}

export interface Page {
  items: StoredArticle[];
  /** Position after the last item, when there are more. */
  next: Cursor | null;
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
  content_html?: string;
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

export class UniqueSlugError extends Error {}

export class ArticleStore {
  constructor(private readonly db: D1Database) {}

  async contentVersion(): Promise<number> {
    const row = await this.db
      .prepare("SELECT value FROM meta WHERE key = 'content_version'")
      .first<{ value: number }>();
    return row?.value ?? 0;
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

  /** Public articles, newest first, from the cursor on. */
  async list(query: ListQuery): Promise<Page> {
    const columns = query.withContent === false ? LIST_COLUMNS : `${LIST_COLUMNS}, a.content_html`;
    const params: (string | number)[] = [];
    let sql: string;
    // Keyset paging on (published_at, id): each branch walks one index in order.
    if (query.tag !== undefined || query.author !== undefined) {
      const [table, column, value] =
        query.tag !== undefined
          ? ["article_tags", "tag_slug", query.tag]
          : ["article_authors", "author_slug", query.author as string];
      params.push(value);
      sql = `SELECT ${columns} FROM ${table} x JOIN articles a ON a.id = x.article_id WHERE x.${column} = ?1`;
      if (query.cursor) {
        sql += " AND (x.published_at, x.article_id) < (?2, ?3)";
        params.push(query.cursor.publishedAt, query.cursor.id);
      }
      sql += " ORDER BY x.published_at DESC, x.article_id DESC";
    } else {
      sql = `SELECT ${columns} FROM articles a WHERE a.draft = 0`;
      if (query.cursor) {
        sql += " AND (a.published_at, a.id) < (?1, ?2)";
        params.push(query.cursor.publishedAt, query.cursor.id);
      }
      sql += " ORDER BY a.published_at DESC, a.id DESC";
    }
    sql += ` LIMIT ${Math.trunc(query.limit) + 1}`;
    const { results } = await this.db
      .prepare(sql)
      .bind(...params)
      .all<Row>();
    const items = results.slice(0, query.limit).map(fromRow);
    const last = items.at(-1);
    const next = results.length > query.limit && last ? { publishedAt: last.publishedAt, id: last.id } : null;
    return { items, next };
  }

  /** A tag that at least one public article carries; its name as the newest such article spells it. */
  async tag(slug: string): Promise<Tag | null> {
    const row = await this.db
      .prepare(
        "SELECT tag_slug AS slug, tag_name AS name FROM article_tags WHERE tag_slug = ?1 ORDER BY published_at DESC LIMIT 1",
      )
      .bind(slug)
      .first<Tag>();
    return row ?? null;
  }

  async author(slug: string): Promise<Tag | null> {
    const row = await this.db
      .prepare(
        "SELECT author_slug AS slug, author_name AS name FROM article_authors WHERE author_slug = ?1 ORDER BY published_at DESC LIMIT 1",
      )
      .bind(slug)
      .first<Tag>();
    return row ?? null;
  }

  /** Every tag of public articles, most used first. */
  async tags(): Promise<TagCount[]> {
    // SQLite takes the bare tag_name from the row holding MAX(published_at): the newest spelling.
    const { results } = await this.db
      .prepare(
        "SELECT tag_slug AS slug, tag_name AS name, COUNT(*) AS count, MAX(published_at) AS newest FROM article_tags GROUP BY tag_slug ORDER BY count DESC, slug",
      )
      .all<TagCount>();
    return results.map(({ slug, name, count }) => ({ slug, name, count }));
  }

  /** Creates an article; throws UniqueSlugError when the slug is taken. */
  async create(article: Article): Promise<void> {
    try {
      await this.db.batch(this.writeStatements(INSERT, article, { kind: "api" }));
    } catch (error) {
      if (String(error).includes("UNIQUE constraint failed")) throw new UniqueSlugError(article.slug);
      throw error;
    }
  }

  /** Creates or replaces an article. */
  async put(article: Article, source: Source = { kind: "api" }): Promise<void> {
    await this.db.batch(this.writeStatements(UPSERT, article, source));
  }

  /** Deletes an article and its index rows; false when there was none. */
  async delete(slug: string): Promise<boolean> {
    const [, , removed] = await this.db.batch([
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
    await this.db.batch(statements);
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
    ];
    if (bump) statements.push(this.bumpVersion());
    return statements;
  }

  private unindex(slug: string): D1PreparedStatement[] {
    return [
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
  };
}
