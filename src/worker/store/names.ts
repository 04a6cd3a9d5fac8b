// Tags and authors of public articles: the index tables `article_tags` and `article_authors`,
// kept by the article store's writes, and their counts (`tag_counts`, `author_counts`, kept by
// triggers on those tables). Names are spelled as the newest article spells them.

import type { Tag } from "../../core/article.js";
import type { NameCursor } from "../../core/names.js";

export interface NameCount extends Tag {
  count: number;
}

export interface NamePage {
  names: NameCount[];
  /** Where the next page starts, if there is one. */
  next: NameCursor | null;
}

export interface NameTable {
  table: string;
  slug: string;
  name: string;
  /** The index rows' sort key column (see core/names.ts). */
  key: string;
  /** Articles per name, scheduled ones included (see migrations/0007). */
  counts: string;
}

export const TAGS: NameTable = {
  table: "article_tags",
  slug: "tag_slug",
  name: "tag_name",
  key: "tag_key",
  counts: "tag_counts",
};
export const AUTHORS: NameTable = {
  table: "article_authors",
  slug: "author_slug",
  name: "author_name",
  key: "author_key",
  counts: "author_counts",
};

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
        `SELECT ${slugColumn} AS slug, ${name} AS name FROM ${table} WHERE ${slugColumn} = ?1 AND published_at <= ?2 ORDER BY published_at DESC, article_id DESC LIMIT 1`,
      )
      .bind(slug, asOf)
      .first<Tag>();
    return row ?? null;
  }

  /** The names behind several slugs in one query, in the order asked; null for unknown ones. */
  async findAll(slugs: readonly string[], asOf: number): Promise<(Tag | null)[]> {
    if (slugs.length === 0) return [];
    const { table, slug: slugColumn, name } = this.table;
    // The newest spelling of each: one seek per slug down its (slug, date) index, as find() does,
    // rather than a GROUP BY that reads every row of each slug.
    const { results: rows } = await this.db
      .prepare(
        `SELECT j.value AS slug, (
           SELECT x.${name} FROM ${table} x WHERE x.${slugColumn} = j.value AND x.published_at <= ?2
           ORDER BY x.published_at DESC, x.article_id DESC LIMIT 1
         ) AS name
         FROM json_each(?1) j`,
      )
      .bind(JSON.stringify(slugs), asOf)
      .all<{ slug: string; name: string | null }>();
    const results = rows.flatMap((r) => (r.name === null ? [] : [{ slug: r.slug, name: r.name }]));
    const bySlug = new Map(results.map((r) => [r.slug, { slug: r.slug, name: r.name }]));
    return slugs.map((s) => bySlug.get(s) ?? null);
  }

  /**
   * Every name with its number of public articles; `order` is "count" (most used first) or "name".
   * Reads the kept counts and takes away the articles still scheduled after `asOf`: two index
   * reads, the second as long as the list of scheduled articles.
   */
  async all(asOf: number, order: "count" | "name"): Promise<NameCount[]> {
    const { table, slug, name, counts } = this.table;
    const [kept, scheduled] = await this.db.batch<NameCount | { slug: string }>([
      // A name whose newest article is scheduled is spelled as its newest public article spells it.
      this.db
        .prepare(
          `SELECT c.slug AS slug, c.count AS count, CASE WHEN c.newest <= ?1 THEN c.name ELSE (SELECT x.${name} FROM ${table} x
           WHERE x.${slug} = c.slug AND x.published_at <= ?1 ORDER BY x.published_at DESC, x.article_id DESC LIMIT 1) END AS name
           FROM ${counts} c`,
        )
        .bind(asOf),
      this.db.prepare(`SELECT ${slug} AS slug FROM ${table} WHERE published_at > ?1`).bind(asOf),
    ]);
    const later = new Map<string, number>();
    for (const { slug: s } of scheduled?.results ?? []) later.set(s, (later.get(s) ?? 0) + 1);
    const names: NameCount[] = [];
    for (const row of (kept?.results ?? []) as NameCount[]) {
      const count = row.count - (later.get(row.slug) ?? 0);
      if (count > 0 && row.name !== null) names.push({ slug: row.slug, name: row.name, count });
    }
    const bySlug = (a: NameCount, b: NameCount) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
    return names.sort(
      order === "count"
        ? (a, b) => b.count - a.count || bySlug(a, b)
        : (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || bySlug(a, b),
    );
  }

  /**
   * One page of the alphabetical index (by sort key, then slug) after `after`: names with at
   * least one article public at `asOf`. Walks the (sort_key, slug) index; each name costs one
   * seek for its scheduled articles, and a name whose every article is scheduled is skipped.
   */
  async page(asOf: number, after: NameCursor | null, limit: number): Promise<NamePage> {
    const { table, slug, name, counts } = this.table;
    const scheduled = `(SELECT COUNT(*) FROM ${table} x WHERE x.${slug} = c.slug AND x.published_at > ?1)`;
    const { results } = await this.db
      .prepare(
        `SELECT c.slug AS slug, c.sort_key AS key, c.count - ${scheduled} AS count,
         CASE WHEN c.newest <= ?1 THEN c.name ELSE (SELECT x.${name} FROM ${table} x
           WHERE x.${slug} = c.slug AND x.published_at <= ?1 ORDER BY x.published_at DESC, x.article_id DESC LIMIT 1) END AS name
         FROM ${counts} c
         WHERE ${after ? "(c.sort_key, c.slug) > (?2, ?3) AND " : ""}c.count > ${scheduled}
         ORDER BY c.sort_key, c.slug LIMIT ${Math.trunc(limit) + 1}`,
      )
      .bind(asOf, ...(after ? [after.key, after.slug] : []))
      .all<NameCount & { key: string }>();
    const rows = results.slice(0, limit);
    const last = rows.at(-1);
    return {
      names: rows.map((r) => ({ slug: r.slug, name: r.name, count: r.count })),
      next: last && results.length > limit ? { key: last.key, slug: last.slug } : null,
    };
  }
}
