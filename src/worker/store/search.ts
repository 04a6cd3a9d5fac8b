// Full-text search in D1: the articles_fts index (migration 0009) joined with the public
// articles as of an instant, ranked by the table's rank: bm25 with the title weighted above the
// summary above the body (set in migration 0009).

import { served } from "../../core/article.js";
import { MATCH_END, MATCH_START, QueryError } from "../../core/search.js";
import { fromRow, META_COLUMNS, type Row, type StoredArticle } from "./articles.js";

/**
 * Most matches ranked by relevance. bm25 weighs each word by how many articles hold it, which
 * FTS5 counts over every match: for a word in every one of 100 000 articles that alone is tens of
 * milliseconds of D1 time. A query matching more articles than this lists the CANDIDATES matches
 * added last, newest first (what a news reader wants of a broad search), without calling bm25.
 */
export const CANDIDATES = 1000;
/**
 * Most matches counted: a page says "more than 1 000 results" past this, so the count stops at
 * one more public match than it can name and never walks the rest.
 */
export const MAX_COUNTED = 1000;
/** Tokens around the matches in a body snippet. */
const SNIPPET_TOKENS = 24;

export interface Hit {
  article: StoredArticle;
  /** The title with its matches marked (MATCH_START, MATCH_END). */
  title: string;
  /** Where the body matched, marked; else the summary, marked where it matched. */
  snippet: string;
}

export interface Hits {
  hits: Hit[];
  /** Whether more hits follow this page. */
  more: boolean;
  /** How many public articles match, at most MAX_COUNTED + 1; when asked for. */
  total?: number;
}

interface HitRow extends Row {
  title_marked: string;
  summary_marked: string;
  body_marked: string;
}

export class SearchStore {
  constructor(
    private readonly db: D1Database,
    private readonly siteUrl: () => string,
  ) {}

  /**
   * One page of public articles matching an FTS5 expression (from core/search.ts ftsQuery), best
   * first, and with `count`, how many match (at most MAX_COUNTED + 1). Throws QueryError when
   * FTS5 rejects the expression after all.
   */
  async search(match: string, asOf: number, limit: number, offset: number, count = false): Promise<Hits> {
    let results: HitRow[];
    let total: number | undefined;
    try {
      // Two steps: the page's ids in order first (only the score and the article's draft flag
      // and date are read), then the snippets of those ten alone; in one statement, snippet()
      // would run for every match before the sort. The candidates are the CANDIDATES matches
      // added last (FTS5 walks its doclists by rowid, newest first, and stops there); `edge`
      // holds the CANDIDATES-th and the next match, so one walk says both where the candidates
      // stop and whether there are more; past CANDIDATES matches the CASE never evaluates rank,
      // so bm25 never counts every match. The snippets are read in one FTS5 query over the
      // page's rowid range: one per hit would expand a prefix word's terms again for each.
      const page = this.db
        .prepare(
          `WITH edge AS MATERIALIZED (
            SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?1
            ORDER BY rowid DESC LIMIT 2 OFFSET ${CANDIDATES - 1}
          ), bounds AS MATERIALIZED (
            SELECT COUNT(*) = 2 AS broad, COALESCE(MAX(id), 0) AS floor FROM edge
          ), page AS MATERIALIZED (
            SELECT f.rowid AS id, CASE WHEN bounds.broad THEN -p.published_at ELSE f.rank END AS score
            FROM bounds, articles_fts f JOIN articles p ON p.id = f.rowid
            WHERE f.articles_fts MATCH ?1 AND f.rowid >= bounds.floor AND p.draft = 0 AND p.published_at <= ?2
            ORDER BY score, f.rowid DESC LIMIT ${Math.trunc(limit) + 1} OFFSET ${Math.trunc(offset)}
          )
          SELECT ${META_COLUMNS},
            highlight(articles_fts, 0, ?3, ?4) AS title_marked,
            highlight(articles_fts, 1, ?3, ?4) AS summary_marked,
            snippet(articles_fts, 2, ?3, ?4, '…', ${SNIPPET_TOKENS}) AS body_marked
          FROM articles_fts CROSS JOIN page ON page.id = articles_fts.rowid JOIN articles a ON a.id = page.id
          WHERE articles_fts MATCH ?1
            AND articles_fts.rowid BETWEEN (SELECT MIN(id) FROM page) AND (SELECT MAX(id) FROM page)
          ORDER BY page.score, page.id DESC`,
        )
        .bind(match, asOf, MATCH_START, MATCH_END);
      // The count walks FTS5's matches newest first and stops at the MAX_COUNTED + 1st public
      // one: each is one seek on the articles' key. Batched: one round trip for both.
      const counting = this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM (
            SELECT 1 FROM articles_fts f JOIN articles p ON p.id = f.rowid
            WHERE f.articles_fts MATCH ?1 AND p.draft = 0 AND p.published_at <= ?2
            LIMIT ${MAX_COUNTED + 1}
          )`,
        )
        .bind(match, asOf);
      if (count) {
        const [hits, counted] = await this.db.batch<unknown>([page, counting]);
        results = (hits?.results ?? []) as HitRow[];
        total = (counted?.results[0] as { n: number } | undefined)?.n ?? 0;
      } else ({ results } = await page.all<HitRow>());
    } catch (error) {
      // ftsQuery writes only valid expressions; should one slip through, it is the reader's 400.
      if (/fts5: syntax error|unterminated string|unknown special query/.test(String(error))) {
        throw new QueryError({ kind: "notUnderstood" });
      }
      throw error;
    }
    const siteUrl = this.siteUrl();
    const hits = results.slice(0, limit).map((row) => ({
      article: served(fromRow(row), siteUrl),
      title: row.title_marked,
      snippet: row.body_marked.includes(MATCH_START) ? row.body_marked : row.summary_marked,
    }));
    return { hits, more: results.length > limit, ...(total === undefined ? {} : { total }) };
  }
}
