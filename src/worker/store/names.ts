// Tags and authors of public articles: the index tables `article_tags` and `article_authors`,
// kept by the article store's writes. Names are spelled as the newest article spells them.

import type { Tag } from "../../core/article.js";

export interface NameCount extends Tag {
  count: number;
}

export interface NameTable {
  table: string;
  slug: string;
  name: string;
}

export const TAGS: NameTable = { table: "article_tags", slug: "tag_slug", name: "tag_name" };
export const AUTHORS: NameTable = { table: "article_authors", slug: "author_slug", name: "author_name" };

export class NameIndex {
  constructor(
    private readonly db: D1Database,
    private readonly table: NameTable,
  ) {}

  /** The name behind a slug, if an article public at `asOf` carries it. */
  async find(slug: string, asOf: number): Promise<Tag | null> {
    const { table, slug: slugColumn, name } = this.table;
    const row = await this.db
      .prepare(
        `SELECT ${slugColumn} AS slug, ${name} AS name FROM ${table} WHERE ${slugColumn} = ?1 AND published_at <= ?2 ORDER BY published_at DESC LIMIT 1`,
      )
      .bind(slug, asOf)
      .first<Tag>();
    return row ?? null;
  }

  /** The names behind several slugs in one query, in the order asked; null for unknown ones. */
  async findAll(slugs: readonly string[], asOf: number): Promise<(Tag | null)[]> {
    if (slugs.length === 0) return [];
    const { table, slug: slugColumn, name } = this.table;
    // SQLite takes the bare name from the row holding MAX(published_at): the newest spelling.
    const { results } = await this.db
      .prepare(
        `SELECT ${slugColumn} AS slug, ${name} AS name, MAX(published_at) AS newest FROM ${table}
         WHERE ${slugColumn} IN (SELECT value FROM json_each(?1)) AND published_at <= ?2 GROUP BY ${slugColumn}`,
      )
      .bind(JSON.stringify(slugs), asOf)
      .all<Tag>();
    const bySlug = new Map(results.map((r) => [r.slug, { slug: r.slug, name: r.name }]));
    return slugs.map((s) => bySlug.get(s) ?? null);
  }

  /** Every name with its number of public articles; `order` is "count" (most used first) or "name". */
  async all(asOf: number, order: "count" | "name"): Promise<NameCount[]> {
    const { table, slug, name } = this.table;
    const { results } = await this.db
      .prepare(
        `SELECT ${slug} AS slug, ${name} AS name, COUNT(*) AS count, MAX(published_at) AS newest FROM ${table}
         WHERE published_at <= ?1 GROUP BY ${slug} ORDER BY ${order === "count" ? "count DESC, slug" : "name, slug"}`,
      )
      .bind(asOf)
      .all<NameCount>();
    return results.map(({ slug, name, count }) => ({ slug, name, count }));
  }
}
