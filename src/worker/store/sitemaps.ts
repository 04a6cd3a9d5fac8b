// The sitemaps' reads: the months that hold on-site articles (sitemap_months, migration 0011),
// one month's articles (a closed range of articles_public_by_date; the columns read come before
// content_html in the row, so no overflow page is read), and tag and author pages from their
// kept counts. Every read is one index read, bounded by URLS_PER_SITEMAP.

import { monthOf, monthRange, URLS_PER_SITEMAP } from "../../core/sitemap.js";
import { AUTHORS, type NameTable, TAGS } from "./names.js";

export interface SitemapMonth {
  month: string;
  count: number;
}

export interface SitemapPage {
  slug: string;
  /** Epoch milliseconds of its newest public change. */
  lastmod: number;
}

// An article whose canonical page is on this site: its stored URL is SITE_MARK (U+E002) and the
// path, as the triggers of migration 0011 test it.
const ON_SITE = "draft = 0 AND url = char(57346) || '/articles/' || slug";

/** Months a sitemap index lists at most: years 1000 to 9999. */
const MAX_MONTHS = 9000 * 12;

export class SitemapStore {
  constructor(private readonly db: D1Database) {}

  /** Months with public on-site articles as of `asOf`, newest first, with their counts. */
  async months(asOf: number): Promise<SitemapMonth[]> {
    const current = monthOf(asOf);
    const { end } = monthRange(current);
    // Only the month holding `asOf` can hold both public and scheduled articles; later months
    // are left out, and its scheduled ones are counted off.
    const [listed, later] = await this.db.batch<SitemapMonth | { n: number }>([
      this.db
        .prepare(`SELECT month, count FROM sitemap_months WHERE month <= ?1 ORDER BY month DESC LIMIT ${MAX_MONTHS}`)
        .bind(current),
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM articles WHERE ${ON_SITE} AND published_at > ?1 AND published_at < ?2`)
        .bind(asOf, end),
    ]);
    const scheduled = (later?.results[0] as { n: number } | undefined)?.n ?? 0;
    const months: SitemapMonth[] = [];
    for (const row of (listed?.results ?? []) as SitemapMonth[]) {
      const count = row.month === current ? row.count - scheduled : row.count;
      if (count > 0) months.push({ month: row.month, count });
    }
    return months;
  }

  /** Part `part` (from 1) of a month's public on-site articles, oldest first. */
  async articles(month: string, part: number, asOf: number): Promise<SitemapPage[]> {
    const { start, end } = monthRange(month);
    const { results } = await this.db
      .prepare(
        `SELECT slug, MAX(published_at, COALESCE(updated_at, published_at)) AS lastmod FROM articles
         WHERE ${ON_SITE} AND published_at >= ?1 AND published_at < ?2 AND published_at <= ?3
         ORDER BY published_at, id LIMIT ${URLS_PER_SITEMAP} OFFSET ?4`,
      )
      .bind(start, end, asOf, (part - 1) * URLS_PER_SITEMAP)
      .all<SitemapPage>();
    return results;
  }

  /** How many tags and authors there are, scheduled-only ones included (kept by triggers). */
  async nameCounts(): Promise<{ tags: number; authors: number }> {
    const { results } = await this.db
      .prepare("SELECT key, value FROM meta WHERE key IN ('tag_names', 'author_names')")
      .all<{ key: string; value: number }>();
    const count = (key: string) => results.find((r) => r.key === key)?.value ?? 0;
    return { tags: count("tag_names"), authors: count("author_names") };
  }

  /**
   * Part `part` of the tags' or authors' pages by slug, each with its newest public publish
   * time; a name whose articles are all scheduled is left out (so a part may hold fewer).
   */
  async names(kind: "tags" | "authors", part: number, asOf: number): Promise<SitemapPage[]> {
    const t: NameTable = kind === "tags" ? TAGS : AUTHORS;
    const { results } = await this.db
      .prepare(
        `SELECT c.slug AS slug, CASE WHEN c.newest <= ?1 THEN c.newest ELSE (SELECT x.published_at FROM ${t.table} x
           WHERE x.${t.slug} = c.slug AND x.published_at <= ?1 ORDER BY x.published_at DESC LIMIT 1) END AS lastmod
         FROM ${t.counts} c ORDER BY c.slug LIMIT ${URLS_PER_SITEMAP} OFFSET ?2`,
      )
      .bind(asOf, (part - 1) * URLS_PER_SITEMAP)
      .all<{ slug: string; lastmod: number | null }>();
    return results.flatMap((r) => (r.lastmod === null ? [] : [{ slug: r.slug, lastmod: r.lastmod }]));
  }

  /** The newest public publish or update time (the home page's lastmod), or 0. */
  async newest(asOf: number): Promise<number> {
    const row = await this.db
      .prepare(
        "SELECT published_at FROM articles WHERE draft = 0 AND published_at <= ?1 ORDER BY published_at DESC, id DESC LIMIT 1",
      )
      .bind(asOf)
      .first<{ published_at: number }>();
    return row?.published_at ?? 0;
  }
}
