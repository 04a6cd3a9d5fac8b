// Public JSON API: GET /api/articles and GET /api/articles/:slug, CORS "*", drafts and
// scheduled articles never shown, cached and conditional like the feeds. Queries are strict.

import { Hono } from "hono";
import { cors } from "hono/cors";
import { apiItem } from "../../core/api-item.js";
import { newestChangeOf } from "../../core/article.js";
import { encodeCursor } from "../../core/cursor.js";
import type { AppEnv } from "../env.js";
import { fieldProblem, notFound } from "../errors.js";
import { cached } from "../http-cache.js";
import { cursor, limit, query, slug } from "../query.js";

export const api = new Hono<AppEnv>();

api.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 }));

const JSON_TYPE = "application/json; charset=utf-8";
// In every cached answer too: a 304 given before routing never passes the cors middleware.
const CORS = { "access-control-allow-origin": "*" };

api.get("/articles", query({ limit, cursor, tag: slug("tag"), author: slug("author") }, "strict"), async (c) => {
  const { services: s } = c.var;
  const params = c.req.valid("query");
  if (params.tag !== undefined && params.author !== undefined) {
    throw fieldProblem({ field: "author", message: "cannot be given with tag: filter by tag or by author, not both" });
  }
  return cached(c, {
    key: `${c.req.path}${params.search}`,
    headers: CORS,
    render: async ({ asOf }) => {
      if (params.tag !== undefined && !(await s.tags.find(params.tag, asOf))) {
        throw notFound(`no published article has the tag "${params.tag}"`);
      }
      if (params.author !== undefined && !(await s.authors.find(params.author, asOf))) {
        throw notFound(`no published article is by "${params.author}"`);
      }
      const page = await s.articles.list(
        {
          limit: params.limit ?? s.site.feedItems,
          cursor: params.cursor ?? null,
          withContent: true,
          ...(params.tag !== undefined ? { tag: params.tag } : {}),
          ...(params.author !== undefined ? { author: params.author } : {}),
        },
        asOf,
      );
      let next: string | null = null;
      if (page.next) {
        // On the site's origin, never the Host header's.
        const url = new URL(`${s.site.siteUrl}${c.req.path}${params.search}`);
        url.searchParams.set("cursor", encodeCursor(page.next));
        next = url.href;
      }
      const body = JSON.stringify({ items: page.items.map(apiItem), next });
      const lastModified = newestChangeOf(page.items);
      return { body, contentType: JSON_TYPE, lastModified };
    },
  });
});

api.get("/articles/:slug", query({}, "strict"), async (c) => {
  const { services: s } = c.var;
  const slug = c.req.param("slug");
  return cached(c, {
    key: c.req.path,
    headers: CORS,
    render: async ({ asOf }) => {
      const article = await s.articles.get(slug, asOf);
      if (!article) throw notFound(`no published article has the slug "${slug}"`);
      return {
        body: JSON.stringify(apiItem(article)),
        contentType: JSON_TYPE,
        lastModified: newestChangeOf([article]),
      };
    },
  });
});
