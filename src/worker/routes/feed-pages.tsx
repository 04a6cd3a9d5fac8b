// Feed pages: /feeds, /tags/:tag/feeds and /authors/:author/feeds, the HTML page every "RSS"
// link on the site leads to (the feed files themselves are routes/feeds.ts). Cached like the
// other pages; the only ones whose policy lets the site's own script run (the copy buttons).

import { type Context, Hono } from "hono";
import { newestChangeOf } from "../../core/article.js";
import type { Scope } from "../../core/feeds/family.js";
import type { AppEnv } from "../env.js";
import { nothingAt } from "../errors.js";
import { cached } from "../http-cache.js";
import { query } from "../query.js";
import { OWN_SCRIPT_CSP } from "../security-headers.js";
import { feedPage } from "../views/feed-page.js";
import { pageContext } from "../views/page-context.js";

/** Items previewed: enough to show what a reader will get, bounded whatever the collection. */
const PREVIEW_ITEMS = 10;

export const feedPages = new Hono<AppEnv>();

// No parameters: anything in the query (utm_*, a reader's own) is ignored and shares the cache.
const noQuery = query({}, "lenient");

feedPages.get("/feeds", noQuery, (c) => serve(c, "site", ""));
for (const kind of ["tag", "author"] as const) {
  feedPages.get(`/${kind}s/:slug/feeds`, noQuery, (c) => serve(c, kind, c.req.param("slug")));
}

function serve(c: Context<AppEnv>, kind: Scope["kind"], slug: string): Promise<Response> {
  const s = c.var.services;
  return cached(c, {
    key: c.req.path,
    headers: { "content-security-policy": OWN_SCRIPT_CSP },
    render: async ({ asOf }) => {
      const list = { limit: PREVIEW_ITEMS, cursor: null, withContent: false };
      const [subject, page] = await Promise.all([
        kind === "site" ? null : (kind === "tag" ? s.tags : s.authors).find(slug, asOf),
        s.articles.list(
          kind === "tag" ? { ...list, tag: slug } : kind === "author" ? { ...list, author: slug } : list,
          asOf,
        ),
      ]);
      if (kind !== "site" && !subject) {
        throw nothingAt(c.req.path);
      }
      const scope: Scope = kind !== "site" && subject ? { kind, subject } : { kind: "site" };
      const body = await feedPage({ ...pageContext(s), scope, articles: page.items });
      return { body, contentType: "text/html; charset=utf-8", lastModified: newestChangeOf(page.items) };
    },
  });
}
