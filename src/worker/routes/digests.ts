// Digest web editions: /digests/daily/YYYY-MM-DD and /digests/weekly/YYYY-Www (.html, a page of
// the site; .txt, the email's plain-text part), filtered by ?tags= (any of them), and the archive
// at /digests (by year, finished editions only). Cached like the feeds.

import { Hono } from "hono";
import { newestChangeOf } from "../../core/article.js";
import { periodOf, renderDigest } from "../../core/digest/render.js";
import { type DigestWindow, parseWindow, type WindowKind, windowOf } from "../../core/digest/window.js";
import { messages } from "../../core/i18n.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { digestsWords } from "../../core/words/digests.js";
import { templates } from "../../generated/templates.js";
import type { AppEnv } from "../env.js";
import { badRequest, HttpProblem, notFound } from "../errors.js";
import { cached } from "../http-cache.js";
import { query, tagList } from "../query.js";
import { OWN_SCRIPT_CSP } from "../security-headers.js";
import type { EditionHeadlines } from "../store/archive.js";
import { MAX_WINDOW_TAGS } from "../store/articles.js";
import { digestEditionPage } from "../views/digest-edition.js";
import { digestArchivePage, emptyDigestPage } from "../views/digests.js";
import { pageContext } from "../views/page-context.js";

/** A window without articles: a friendly page for people, a problem for the text part. */
class EmptyWindow extends HttpProblem {
  constructor(
    detail: string,
    /** The names of the tags the window was filtered by. */
    readonly tags: string[],
  ) {
    super(404, { title: "Not Found", detail });
  }
}

/** The web version lists every article of the window, up to this many. */
const MAX_WEB_ITEMS = 500;

export const digests = new Hono<AppEnv>();

const digestQuery = query({ tags: tagList(MAX_WINDOW_TAGS) }, "lenient");

for (const kind of ["daily", "weekly"] as const satisfies WindowKind[]) {
  digests.get(`/digests/${kind}/:file`, digestQuery, async (c) => {
    const { services: s } = c.var;
    const { tags: tagSlugs = [], search } = c.req.valid("query");
    const m = /^(.{1,40}?)(?:\.(html|txt))?$/.exec(c.req.param("file"));
    const label = m?.[1] ?? "";
    const format = m?.[2] === "txt" ? "txt" : "html";
    const timeZone = s.digest.timeZone;
    const window = parseWindow(kind, label, timeZone);
    if (!window) {
      throw badRequest(
        kind === "daily"
          ? `"${label}" is not a date: use YYYY-MM-DD, e.g. /digests/daily/2022-01-10`
          : `"${label}" is not an ISO week: use YYYY-Www, e.g. /digests/weekly/2022-W02`,
      );
    }
    const site = s.site;
    const digestSite = { title: site.siteTitle, url: site.siteUrl, language: site.siteLanguage, timeZone };
    return cached(c, {
      key: `${c.req.path}${search}`,
      // The web edition's sign-up box takes the browser's zone by the site's own script.
      headers: format === "html" ? { "content-security-policy": OWN_SCRIPT_CSP } : undefined,
      render: async ({ asOf }) => {
        const tags = await s.tags.findAll(tagSlugs, asOf);
        const unknown = tagSlugs.filter((_, i) => !tags[i]);
        if (unknown.length > 0) {
          throw notFound(`no published article has the tag ${unknown.map((t) => `"${t}"`).join(" or ")}`);
        }
        const names = tags.flatMap((t) => (t ? [t.name] : []));
        const end = Math.min(window.end, asOf + 1);
        const articles = await s.articles.inWindow(window.start, end, tagSlugs, MAX_WEB_ITEMS);
        if (articles.length === 0) {
          const filter = names.length > 0 ? ` tagged ${names.map((n) => `“${n}”`).join(" or ")}` : "";
          throw new EmptyWindow(`no articles${filter} were published in the ${kind} digest ${label}`, names);
        }
        const webUrl = `${site.siteUrl}/digests/${kind}/${label}${search}`;
        // Links to the editions around this one, on the web version only. A filtered one links
        // the nearest editions with an article in the filter, and keeps the filter.
        const around = format === "html" ? await neighbours(s, window, tagSlugs, asOf) : null;
        const filter = tagSlugs.length > 0 ? `?${new URLSearchParams({ tags: tagSlugs.join(",") })}` : "";
        const edition = (other: string | null | undefined) => {
          const w = other ? parseWindow(kind, other, timeZone) : null;
          return w ? { window: w, url: `${site.siteUrl}/digests/${kind}/${w.label}${filter}` } : null;
        };
        const lastModified = newestChangeOf(articles);
        if (format === "html") {
          const link = (other: string | null | undefined) => {
            const e = edition(other);
            return e ? { url: e.url, period: periodOf(e.window, digestSite) } : null;
          };
          const html = await digestEditionPage(pageContext(s), {
            heading: wordsOf(digestsWords, site.siteLanguage).heading(kind, periodOf(window, digestSite)),
            intro: messages(site.siteLanguage).digestIntro(articles.length, names, site.siteTitle),
            articles,
            previous: link(around?.previous),
            next: link(around?.next),
            path: `/digests/${kind}/${label}`,
            canonical: `${site.siteUrl}/digests/${kind}/${label}${filter}`,
            tags: tagSlugs,
          });
          return { body: html, contentType: "text/html; charset=utf-8", lastModified };
        }
        const digest = renderDigest(
          {
            site: digestSite,
            window,
            articles,
            tags: names,
            webUrl,
            // A web version has no one recipient: no unsubscribe or preferences link.
            unsubscribeUrl: null,
            preferencesUrl: null,
            forEmail: false,
          },
          templates.digest,
        );
        return { body: digest.text, contentType: "text/plain; charset=utf-8", lastModified };
      },
    }).catch(async (error: unknown) => {
      if (!(error instanceof EmptyWindow) || format !== "html") throw error;
      const why = wordsOf(digestsWords, site.siteLanguage).noArticles(kind, periodOf(window, digestSite), error.tags);
      const html = await emptyDigestPage(pageContext(s), why);
      return c.html(html, 404);
    });
  });
}

/** The labels of the editions before and after `window`: any with articles, or with `tags` when given. */
async function neighbours(
  s: AppEnv["Variables"]["services"],
  window: DigestWindow,
  tags: readonly string[],
  asOf: number,
): Promise<{ previous: string | null; next: string | null }> {
  const timeZone = s.digest.timeZone;
  if (tags.length === 0) return s.articles.archive.neighbours(window, asOf, timeZone);
  const at = await s.articles.archive.taggedNeighbours(window, tags, asOf);
  const label = (instant: number | null) => (instant === null ? null : windowOf(window.kind, instant, timeZone).label);
  return { previous: label(at.previous), next: label(at.next) };
}

// The archive, one year a page: /digests is the newest year, /digests/2022 another. Finished
// editions only, so the page changes when a day ends in the site's zone, with or without a write:
// that day is part of the cache key.
for (const path of ["/digests", "/digests/:year{[0-9]{4}}"]) {
  digests.get(path, query({}, "lenient"), (c) => {
    const { services: s } = c.var;
    const asked = c.req.param("year") ?? null;
    const timeZone = s.digest.timeZone;
    // The one instant that says which days are finished, for the key and the body alike: the
    // version's asOf may be a moment older, and a body of before midnight must not be kept
    // under the key of after it.
    const now = s.now();
    return cached(c, {
      key: `${c.req.path}@${windowOf("daily", now, timeZone).label}`,
      sameWhileVersion: false,
      render: async () => {
        const archive = await s.articles.archive.year(asked, now, timeZone);
        if (asked !== null && archive.days.length === 0) {
          throw notFound(`no finished day of ${asked} has articles; see /digests for the years that have some`);
        }
        const thisWeek = windowOf("weekly", now, timeZone).label;
        const weekLabels = [...new Set(archive.days.map((d) => d.week))];
        const weekWindows = weekLabels.map((w) => (w === thisWeek ? null : parseWindow("weekly", w, timeZone)));
        // One statement for every edition of the page: its days, then its finished weeks. A
        // week whose days are all in this year counts its articles from them; one across the
        // year's edge is counted by the statement.
        const finishedWeeks = weekWindows.filter((w): w is DigestWindow => w !== null);
        const dayCounts = new Map<string, number>();
        for (const d of archive.days) dayCounts.set(d.week, (dayCounts.get(d.week) ?? 0) + d.count);
        const inYear = (w: DigestWindow) =>
          windowOf("daily", w.start, timeZone).label.startsWith(`${archive.year}-`) &&
          windowOf("daily", w.end - 1, timeZone).label.startsWith(`${archive.year}-`);
        const found = await s.articles.archive.headlines([
          ...archive.days,
          ...finishedWeeks.map((w) => ({ ...w, count: inYear(w) ? dayCounts.get(w.label) : undefined })),
        ]);
        const weekEditions = new Map(finishedWeeks.map((w, i) => [w.label, found[archive.days.length + i]]));
        const daysOf = new Map<string, { day: string; edition: EditionHeadlines }[]>();
        archive.days.forEach((d, i) => {
          const edition = found[i];
          if (edition) daysOf.set(d.week, [...(daysOf.get(d.week) ?? []), { day: d.day, edition }]);
        });
        const weeks = weekLabels.map((week) => ({
          week,
          edition: weekEditions.get(week) ?? null,
          days: daysOf.get(week) ?? [],
        }));
        const html = await digestArchivePage(pageContext(s), {
          year: archive.year,
          years: archive.years,
          weeks,
          path: c.req.path,
        });
        return { body: html, contentType: "text/html; charset=utf-8", lastModified: archive.newest };
      },
    });
  });
}
