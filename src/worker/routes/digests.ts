// Web versions of the digests: /digests/daily/YYYY-MM-DD and /digests/weekly/YYYY-Www
// (.html by default, .txt for the text part), ?tags=a,b; and /digests, the archive.

import { type Context, Hono } from "hono";
import { type RenderedDigest, renderDigest } from "../../core/digest/render.js";
import { parseWindow, type WindowKind, windowOf } from "../../core/digest/window.js";
import { isSlug } from "../../core/slug.js";
import { templates } from "../../generated/templates.js";
import type { AppEnv } from "../env.js";
import { cached } from "../http-cache.js";
import { onlyParams } from "../params.js";
import { badRequest, HttpProblem, notFound } from "../problem.js";
import { digestArchivePage, emptyDigestPage } from "../views/pages.js";

/** A window without articles: a friendly page for people, a problem for the text part. */
class EmptyWindow extends HttpProblem {}

/** The web version lists every article of the window, up to this many. */
const MAX_WEB_ITEMS = 500;

export const digests = new Hono<AppEnv>();

for (const kind of ["daily", "weekly"] as const) {
  digests.get(`/digests/${kind}/:file`, (c) => serveDigest(c, kind));
}

digests.get("/digests", async (c) => {
  onlyParams(c, []);
  const { config, store } = c.var;
  return cached(c, {
    version: await store.contentVersion(),
    key: c.req.path,
    newestChange: async () => 0,
    render: async () => {
      const times = await store.publishTimes();
      const weeks = new Map<string, Map<string, number>>();
      for (const t of times) {
        const week = windowOf("weekly", t, config.digestTz).label;
        const day = windowOf("daily", t, config.digestTz).label;
        const days = weeks.get(week) ?? new Map<string, number>();
        days.set(day, (days.get(day) ?? 0) + 1);
        weeks.set(week, days);
      }
      const html = await digestArchivePage(
        c,
        [...weeks].map(([week, days]) => ({ week, days: [...days].map(([day, count]) => ({ day, count })) })),
      );
      return { body: html, contentType: "text/html; charset=utf-8", lastModified: times[0] ?? 0 };
    },
  });
});

async function serveDigest(c: Context<AppEnv>, kind: WindowKind): Promise<Response> {
  onlyParams(c, ["tags"]);
  const { config, store } = c.var;
  const m = /^(.+?)(?:\.(html|txt))?$/.exec(c.req.param("file") ?? "");
  const label = m?.[1] ?? "";
  const format = m?.[2] === "txt" ? "txt" : "html";
  const window = parseWindow(kind, label, config.digestTz);
  if (!window) {
    throw badRequest(
      kind === "daily"
        ? `"${label}" is not a date: use YYYY-MM-DD, e.g. /digests/daily/2022-01-10`
        : `"${label}" is not an ISO week: use YYYY-Www, e.g. /digests/weekly/2022-W02`,
    );
  }
  const tagSlugs = (c.req.query("tags") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const bad = tagSlugs.find((t) => !isSlug(t));
  if (bad !== undefined) throw badRequest(`"${bad}" in tags is not a tag slug (lower-case words joined by "-")`);
  const url = new URL(c.req.url);
  return cached(c, {
    version: await store.contentVersion(),
    key: `${url.pathname}${url.search}`,
    newestChange: async () => 0,
    render: async () => {
      const tags = await Promise.all(tagSlugs.map((slug) => store.tag(slug)));
      const unknown = tagSlugs.find((_, i) => !tags[i]);
      if (unknown !== undefined) throw notFound(`no published article has the tag "${unknown}"`);
      const articles = await store.inWindow(window.start, window.end, tagSlugs, MAX_WEB_ITEMS);
      if (articles.length === 0) {
        throw new EmptyWindow(404, { title: "Not Found", detail: `no articles in the ${kind} digest ${label}` });
      }
      const webUrl = `${config.siteUrl}/digests/${kind}/${label}${url.search}`;
      const digest: RenderedDigest = renderDigest(
        {
          site: {
            title: config.siteTitle,
            url: config.siteUrl,
            language: config.siteLanguage,
            timeZone: config.digestTz,
          },
          window,
          articles,
          tags: tags.flatMap((t) => (t ? [t.name] : [])),
          webUrl,
          unsubscribeUrl: `${config.siteUrl}/unsubscribe`,
          reason: `This is the web version of the ${kind} digest of ${config.siteTitle}.`,
          forEmail: false,
        },
        templates.digest,
      );
      const lastModified = Math.max(...articles.map((a) => Math.max(a.publishedAt, a.updatedAt ?? 0)));
      return format === "txt"
        ? { body: digest.text, contentType: "text/plain; charset=utf-8", lastModified }
        : { body: digest.html, contentType: "text/html; charset=utf-8", lastModified };
    },
  }).catch((error: unknown) => {
    if (error instanceof EmptyWindow && format === "html") return emptyDigestPage(c, kind, label);
    throw error;
  });
}
