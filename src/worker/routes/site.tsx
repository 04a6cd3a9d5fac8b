// The HTML site: /, /articles/:slug, /tags, /authors, /tags/:tag, /authors/:author, cached like the feeds.

import { Hono } from "hono";
import { newestChangeOf } from "../../core/article.js";
import { type Cursor, encodeCursor } from "../../core/cursor.js";
import { encodeNameCursor } from "../../core/names.js";
import type { AppEnv } from "../env.js";
import { nothingAt } from "../errors.js";
import { cached } from "../http-cache.js";
import { cursor, nameCursor, query } from "../query.js";
import { OWN_SCRIPT_CSP } from "../security-headers.js";
import type { Page } from "../store/articles.js";
import { articlePage } from "../views/article.js";
import type { ListingPage } from "../views/components.js";
import { homePage } from "../views/home.js";
import { listingPage } from "../views/listing.js";
import { nameIndexPage } from "../views/name-index.js";
import { pageContext } from "../views/page-context.js";

const PAGE_SIZE = 20;
/** Names per page of /tags and /authors. */
const NAMES_PAGE_SIZE = 200;
const HTML = "text/html; charset=utf-8";
/** The pages with a sign-up box load public/zone.js, which fills in the reader's time zone. */
const ZONE_SCRIPT_HEADERS = { "content-security-policy": OWN_SCRIPT_CSP };

export const site = new Hono<AppEnv>();

const pageQuery = query({ cursor }, "lenient");

site.get("/", pageQuery, (c) => {
  const { services: s } = c.var;
  const params = c.req.valid("query");
  return cached(c, {
    key: `/${params.search}`,
    headers: ZONE_SCRIPT_HEADERS,
    render: async ({ asOf }) => {
      const [page, tags] = await Promise.all([
        s.articles.list({ limit: PAGE_SIZE, cursor: params.cursor ?? null, withContent: false }, asOf),
        s.tags.all(asOf, "count"),
      ]);
      return html(await homePage(pageContext(s), listing(c.req.path, page, params.cursor), tags), page);
    },
  });
});

site.get("/articles/:slug", query({}, "lenient"), (c) => {
  const { services: s } = c.var;
  const slug = c.req.param("slug");
  return cached(c, {
    key: c.req.path,
    headers: ZONE_SCRIPT_HEADERS,
    render: async ({ asOf }) => {
      const article = await s.articles.get(slug, asOf);
      if (!article) throw nothingAt(c.req.path);
      return {
        body: await articlePage(pageContext(s), article),
        contentType: HTML,
        lastModified: newestChangeOf([article]),
      };
    },
  });
});

for (const kind of ["tag", "author"] as const) {
  site.get(`/${kind}s`, query({ cursor: nameCursor }, "lenient"), (c) => {
    const { services: s } = c.var;
    const params = c.req.valid("query");
    return cached(c, {
      key: `${c.req.path}${params.search}`,
      render: async ({ asOf }) => {
        const page = await (kind === "tag" ? s.tags : s.authors).page(asOf, params.cursor ?? null, NAMES_PAGE_SIZE);
        const body = await nameIndexPage(pageContext(s), {
          kind,
          names: page.names,
          next: page.next ? `${c.req.path}?cursor=${encodeNameCursor(page.next)}` : null,
          first: params.cursor ? c.req.path : null,
        });
        // Counts change with no article's date to show for it: validated by ETag only.
        return { body, contentType: HTML, lastModified: 0 };
      },
    });
  });

  site.get(`/${kind}s/:slug`, pageQuery, (c) => {
    const { services: s } = c.var;
    const params = c.req.valid("query");
    const slug = c.req.param("slug");
    return cached(c, {
      key: `${c.req.path}${params.search}`,
      headers: ZONE_SCRIPT_HEADERS,
      render: async ({ asOf }) => {
        const query = { limit: PAGE_SIZE, cursor: params.cursor ?? null, withContent: false };
        const [subject, page] = await Promise.all([
          (kind === "tag" ? s.tags : s.authors).find(slug, asOf),
          s.articles.list(kind === "tag" ? { ...query, tag: slug } : { ...query, author: slug }, asOf),
        ]);
        if (!subject) throw nothingAt(c.req.path);
        return html(await listingPage(pageContext(s), kind, subject, listing(c.req.path, page, params.cursor)), page);
      },
    });
  });
}

function html(body: string, page: Page) {
  const lastModified = newestChangeOf(page.items);
  return { body, contentType: HTML, lastModified };
}

function listing(path: string, page: Page, cursor: Cursor | undefined): ListingPage {
  return {
    articles: page.items,
    next: page.next ? `${path}?cursor=${encodeCursor(page.next)}` : null,
    first: cursor ? path : null,
    self: cursor ? `${path}?cursor=${encodeCursor(cursor)}` : path,
  };
}
