// The digest archive's days (`archive_days`): each local day in DIGEST_TZ that has non-draft
// articles, with its ISO week and count. The article store adds its statements to every write
// batch; reads page by year, finished days only (not the day that holds "now"), with each
// edition's first headlines in one bounded query (`headlines`). The rows are in the zone
// `archive_zone` names: when DIGEST_TZ names another (or the table predates the articles), the
// first read rebuilds them from every publish time, once (see `build`).

import { type DigestWindow, windowOf } from "../../core/digest/window.js";

export interface ArchiveDay {
  day: string;
  week: string;
  count: number;
  /** The day's window (epoch ms, end exclusive). */
  start: number;
  end: number;
}

/** An edition's first headlines, newest first, and how many articles it has in all. */
export interface EditionHeadlines {
  count: number;
  first: { slug: string; title: string; lang: string | null }[];
}

/** Headlines the archive shows of each edition; the rest are "and N more". */
export const ARCHIVE_HEADLINES = 3;

export interface ArchiveYear {
  /** The year shown, or null when there is no public article. */
  year: string | null;
  /** Years with public articles, newest first. */
  years: string[];
  /** The year's finished days, newest first. */
  days: ArchiveDay[];
  /** The newest public publish time in the archive (for Last-Modified), or 0. */
  newest: number;
}

/** Years a page lists links to; the archive covers years 1000 to 9999 (see dates.ts). */
const MAX_YEARS = 9000;

// The day holding the article's stored publish time, if it is public (not a draft). Days are
// disjoint ranges: the row that starts last at or before the time holds it, if it ends after.
// (One seek: the end is checked on that row only, never by walking back through older days.)
const HOLDING_DAY = `start = (SELECT d.start FROM archive_days d, articles a WHERE a.slug = ?1 AND a.draft = 0
  AND d.start <= a.published_at ORDER BY d.start DESC LIMIT 1)
  AND "end" > (SELECT published_at FROM articles WHERE slug = ?1 AND draft = 0)`;

export class ArchiveDays {
  constructor(
    private readonly db: D1Database,
    /** DIGEST_TZ, or null when it is not a valid zone (writes then leave the table to a rebuild). */
    private readonly timeZone: () => string | null,
  ) {}

  /** Before an article's write or deletion: its old day loses it. */
  leave(slug: string): D1PreparedStatement {
    return this.db.prepare(`UPDATE archive_days SET count = count - 1 WHERE ${HOLDING_DAY}`).bind(slug);
  }

  /**
   * Before an article's write: its new day exists (with no article yet), and the table claims the
   * zone if it was empty. With no valid zone, the table is marked for a rebuild instead.
   */
  prepare(publishedAt: number, draft: boolean): D1PreparedStatement[] {
    const zone = this.timeZone();
    if (zone === null) return [this.db.prepare("DELETE FROM archive_zone")];
    const claim = this.db.prepare("UPDATE archive_zone SET zone = ?1 WHERE zone = '*'").bind(zone);
    if (draft) return [claim];
    const day = windowOf("daily", publishedAt, zone);
    const week = windowOf("weekly", publishedAt, zone).label;
    return [
      claim,
      this.db
        .prepare(
          'INSERT INTO archive_days (day, week, start, "end", count) VALUES (?1, ?2, ?3, ?4, 0) ON CONFLICT DO NOTHING',
        )
        .bind(day.label, week, day.start, day.end),
    ];
  }

  /** After an article's write: its day (as stored, so a create that changed nothing restores the count) gains it. */
  enter(slug: string): D1PreparedStatement {
    return this.db.prepare(`UPDATE archive_days SET count = count + 1 WHERE ${HOLDING_DAY}`).bind(slug);
  }

  /**
   * One year of the archive as of `asOf` (the newest year when `year` is null), with the list of
   * years: finished days only, those before the day that holds `asOf` in `timeZone` (every
   * article of a finished day is public, so its count is exact). Index reads only, when the
   * table is in `timeZone`.
   */
  async year(year: string | null, asOf: number, timeZone: string): Promise<ArchiveYear> {
    const today = windowOf("daily", asOf, timeZone);
    const unbuilt = await this.ensureBuilt(timeZone, asOf);
    if (unbuilt) {
      const finished = unbuilt.days.filter((d) => d.end <= today.start);
      return pageOf(finished, year, unbuilt.newest);
    }
    const [first] = await this.rows(
      'SELECT day, week, start, "end", count FROM archive_days WHERE start < ?1 AND count > 0 ORDER BY start DESC LIMIT 1',
      [today.start],
    );
    if (!first) return { year: null, years: [], days: [], newest: 0 };
    // Each year found by one seek down the day labels, which sort as the days do.
    const { results: yearRows } = await this.db
      .prepare(
        `WITH RECURSIVE y(year) AS (
           SELECT substr(?1, 1, 4)
           UNION ALL
           SELECT (SELECT substr(d.day, 1, 4) FROM archive_days d WHERE d.day < y.year AND d.count > 0 ORDER BY d.day DESC LIMIT 1)
           FROM y WHERE y.year IS NOT NULL LIMIT ${MAX_YEARS}
         ) SELECT year FROM y WHERE year IS NOT NULL`,
      )
      .bind(first.day)
      .all<{ year: string }>();
    const years = yearRows.map((r) => r.year);
    const shown = year ?? years[0] ?? null;
    if (shown === null || !years.includes(shown)) return { year: shown, years, days: [], newest: 0 };

    const days = await this.rows(
      `SELECT day, week, start, "end", count FROM archive_days WHERE day >= ?1 AND day < ?2 AND day <= ?3 AND count > 0
       ORDER BY day DESC`,
      [`${shown}-`, `${shown}.`, first.day],
    );
    const newest = await this.db
      .prepare(
        "SELECT published_at FROM articles WHERE draft = 0 AND published_at < ?1 ORDER BY published_at DESC LIMIT 1",
      )
      .bind(today.start)
      .first<{ published_at: number }>();
    return { year: shown, years, days, newest: newest?.published_at ?? 0 };
  }

  /**
   * The first ARCHIVE_HEADLINES public articles of each window (newest first) and how many it
   * has, in one statement: per window, one seek and a bounded walk of the publish-time index
   * for the headlines; the count is the window's own when it is given (a day's, from its row),
   * else counted over the window's range of that index (a week across the year's edge). Windows
   * should be finished (wholly before "now"): scheduled articles are not told apart.
   */
  async headlines(windows: readonly { start: number; end: number; count?: number }[]): Promise<EditionHeadlines[]> {
    const found: EditionHeadlines[] = windows.map(() => ({ count: 0, first: [] }));
    if (windows.length === 0) return found;
    const { results } = await this.db
      .prepare(
        `SELECT j.key AS i, a.slug, a.title, a.lang, a.published_at AS at, a.id,
           coalesce(j.value ->> 2, (SELECT count(*) FROM articles c WHERE c.draft = 0
              AND c.published_at >= j.value ->> 0 AND c.published_at < j.value ->> 1)) AS count
         FROM json_each(?1) j JOIN articles a ON a.id IN (
           SELECT f.id FROM articles f WHERE f.draft = 0 AND f.published_at >= j.value ->> 0 AND f.published_at < j.value ->> 1
           ORDER BY f.published_at DESC, f.id DESC LIMIT ${ARCHIVE_HEADLINES})`,
      )
      .bind(JSON.stringify(windows.map((w) => [w.start, w.end, w.count ?? null])))
      .all<{ i: number; slug: string; title: string; lang: string | null; at: number; id: number; count: number }>();
    results.sort((a, b) => a.i - b.i || b.at - a.at || b.id - a.id);
    for (const row of results) {
      const edition = found[row.i];
      if (!edition) continue;
      edition.count = row.count;
      edition.first.push({ slug: row.slug, title: row.title, lang: row.lang });
    }
    return found;
  }

  /**
   * The labels of the nearest editions of `window`'s kind with public articles before and after
   * it, as of `asOf`: one seek each down the days' start index. Days before a public window are
   * wholly past, so their counts are exact; the day after may be today, with only scheduled
   * articles, so it counts only if one of its articles is public.
   */
  async neighbours(
    window: DigestWindow,
    asOf: number,
    timeZone: string,
  ): Promise<{ previous: string | null; next: string | null }> {
    const label = (row: { day: string; week: string } | undefined) =>
      row ? (window.kind === "daily" ? row.day : row.week) : null;
    const unbuilt = await this.ensureBuilt(timeZone, asOf);
    if (unbuilt) {
      // Newest first, public days only.
      const previous = unbuilt.days.find((d) => d.start < window.start);
      const next = unbuilt.days.findLast((d) => d.start >= window.end);
      return { previous: label(previous), next: label(next) };
    }
    const [before, after] = await this.db.batch<{ day: string; week: string }>([
      this.db
        .prepare("SELECT day, week FROM archive_days WHERE start < ?1 AND count > 0 ORDER BY start DESC LIMIT 1")
        .bind(window.start),
      this.db
        .prepare(
          `SELECT d.day, d.week FROM archive_days d WHERE d.start >= ?1 AND d.start <= ?2 AND d.count > 0
           AND EXISTS (SELECT 1 FROM articles a WHERE a.draft = 0 AND a.published_at >= d.start AND a.published_at < d."end" AND a.published_at <= ?2)
           ORDER BY d.start LIMIT 1`,
        )
        .bind(window.end, asOf),
    ]);
    return { previous: label(before?.results[0]), next: label(after?.results[0]) };
  }

  /**
   * The publish times nearest before `window` and after it (up to `asOf`) of a public article
   * with any of `tags`: one seek per tag and side in the tag index, so a filtered web version
   * links the editions the same filter finds something in.
   */
  async taggedNeighbours(
    window: DigestWindow,
    tags: readonly string[],
    asOf: number,
  ): Promise<{ previous: number | null; next: number | null }> {
    const row = await this.db
      .prepare(
        `SELECT
           (SELECT max(p) FROM (SELECT (SELECT published_at FROM article_tags WHERE tag_slug = j.value
              AND published_at < ?2 ORDER BY published_at DESC LIMIT 1) AS p FROM json_each(?1) j)) AS previous,
           (SELECT min(p) FROM (SELECT (SELECT published_at FROM article_tags WHERE tag_slug = j.value
              AND published_at >= ?3 AND published_at <= ?4 ORDER BY published_at LIMIT 1) AS p FROM json_each(?1) j)) AS next`,
      )
      .bind(JSON.stringify(tags), window.start, window.end, asOf)
      .first<{ previous: number | null; next: number | null }>();
    return { previous: row?.previous ?? null, next: row?.next ?? null };
  }

  private async rows(sql: string, params: (string | number)[]): Promise<ArchiveDay[]> {
    const { results } = await this.db
      .prepare(sql)
      .bind(...params)
      .all<ArchiveDay>();
    return results;
  }

  /**
   * Rebuilds the table in `timeZone` unless it is already in it. One pass over every non-draft
   * publish time, newest first; windowOf keeps the last day and week it found, so time zone
   * arithmetic runs once per day rather than once per article (this is the cost the table saves,
   * paid once per change of zone). The rebuild commits only if no write came in between (the
   * content version is unchanged); if one did, this request is answered from the pass itself and
   * the next one tries again.
   */
  private async ensureBuilt(timeZone: string, asOf: number): Promise<{ days: ArchiveDay[]; newest: number } | null> {
    const zone = await this.db.prepare("SELECT zone FROM archive_zone WHERE id = 1").first<{ zone: string }>();
    if (zone?.zone === timeZone || zone?.zone === "*") return null;
    const [version, times] = await this.db.batch<{ value: number } | { published_at: number }>([
      this.db.prepare("SELECT value FROM meta WHERE key = 'content_version'"),
      this.db.prepare("SELECT published_at FROM articles WHERE draft = 0 ORDER BY published_at DESC, id DESC"),
    ]);
    const seen = (version?.results[0] as { value: number } | undefined)?.value ?? 0;
    const all = ((times?.results ?? []) as { published_at: number }[]).map((r) => r.published_at);
    const days = daysOf(all, timeZone);
    const unchanged = "(SELECT value FROM meta WHERE key = 'content_version') = ?1";
    const [, , claimed] = await this.db.batch([
      this.db.prepare(`DELETE FROM archive_days WHERE ${unchanged}`).bind(seen),
      this.db
        .prepare(
          `INSERT INTO archive_days (day, week, start, "end", count)
           SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 FROM json_each(?2) j WHERE ${unchanged}`,
        )
        .bind(seen, JSON.stringify(days.map((d) => [d.day, d.week, d.start, d.end, d.count]))),
      this.db
        .prepare(
          `INSERT INTO archive_zone (id, zone) SELECT 1, ?2 WHERE ${unchanged} ON CONFLICT (id) DO UPDATE SET zone = excluded.zone`,
        )
        .bind(seen, timeZone),
    ]);
    if ((claimed?.meta.changes ?? 0) > 0) return null;
    const published = all.filter((t) => t <= asOf);
    return { days: daysOf(published, timeZone), newest: published[0] ?? 0 };
  }
}

/** The days of publish times given newest first, newest first. */
function daysOf(times: readonly number[], timeZone: string): ArchiveDay[] {
  const days: ArchiveDay[] = [];
  let last: ArchiveDay | undefined;
  for (const t of times) {
    if (last && last.start <= t && t < last.end) {
      last.count++;
      continue;
    }
    const day = windowOf("daily", t, timeZone);
    last = { day: day.label, week: windowOf("weekly", t, timeZone).label, start: day.start, end: day.end, count: 1 };
    days.push(last);
  }
  return days;
}

/** One year's page from the whole list of finished public days, newest first. */
function pageOf(all: readonly ArchiveDay[], year: string | null, newest: number): ArchiveYear {
  const years = [...new Set(all.map((d) => d.day.slice(0, 4)))];
  const shown = year ?? years[0] ?? null;
  return {
    year: shown,
    years,
    days: all.filter((d) => d.day.slice(0, 4) === shown),
    newest: shown !== null && years.includes(shown) ? newest : 0,
  };
}
