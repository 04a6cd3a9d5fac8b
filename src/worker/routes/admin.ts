// Admin write API: POST /api/articles, PUT and DELETE /api/articles/:slug, behind a bearer token.
// The writes themselves, with their WebSub pings, are ../articles.ts, shared with the console.

import { Hono } from "hono";
import { apiItem } from "../../core/api-item.js";
import { type Article, articleFromJson, articleFromMarkdown } from "../../core/article.js";
import { ArticleError } from "../../core/errors.js";
import { isSlug } from "../../core/slug.js";
import { createArticle, putArticle, removeArticle } from "../articles.js";
import { requireAdmin } from "../auth.js";
import { mediaType, readJson, readText } from "../body.js";
import type { AppEnv } from "../env.js";
import { badRequest, HttpProblem } from "../errors.js";
import type { StoredArticle } from "../store/articles.js";
import { UniqueSlugError } from "../store/articles.js";

/** Largest request body accepted, in bytes (a D1 row holds up to 2 MB). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export const admin = new Hono<AppEnv>();

admin.post("/", requireAdmin, async (c) => {
  const { services: s } = c.var;
  const article = await readArticle(c.req.raw, s.site.siteUrl);
  try {
    return written(s.site.siteUrl, await createArticle(c, article), 201);
  } catch (error) {
    if (error instanceof UniqueSlugError) {
      throw new HttpProblem(409, {
        title: "Conflict",
        detail: `an article with the slug "${article.slug}" exists; PUT /api/articles/${article.slug} replaces it`,
      });
    }
    throw error;
  }
});

admin.put("/:slug", requireAdmin, async (c) => {
  const { services: s } = c.var;
  const slug = c.req.param("slug");
  if (!isSlug(slug)) throw badRequest(`"${slug.slice(0, 100)}" is not a slug: lower-case ASCII words joined by "-"`);
  const article = await readArticle(c.req.raw, s.site.siteUrl, slug);
  if (article.slug !== slug) {
    throw new ArticleError([{ field: "slug", message: `must match the URL's slug "${slug}" (or be left out)` }]);
  }
  const { article: after, created } = await putArticle(c, article);
  return written(s.site.siteUrl, after, created ? 201 : 200);
});

admin.delete("/:slug", requireAdmin, async (c) => {
  await removeArticle(c, c.req.param("slug"));
  return c.body(null, 204);
});

async function readArticle(request: Request, siteUrl: string, slug?: string): Promise<Article> {
  const type = mediaType(request.headers.get("content-type"));
  const json = type === "application/json" || type.endsWith("+json");
  const markdown = type === "text/markdown" || type === "text/x-markdown";
  if (!json && !markdown) {
    throw new HttpProblem(415, {
      title: "Unsupported Media Type",
      detail: `send application/json or text/markdown, not "${type.slice(0, 100) || "no Content-Type"}"`,
      headers: { "Accept-Post": "application/json, text/markdown" },
    });
  }
  const options = { siteUrl, ...(slug ? { slug } : {}) };
  // Refused with 413 as soon as it passes the limit: at once from Content-Length, or mid-stream.
  const limit = { max: MAX_BODY_BYTES };
  if (markdown) return articleFromMarkdown(await readText(request, limit), options);
  return articleFromJson(await readJson(request, limit), options);
}

function written(siteUrl: string, article: StoredArticle, status: 200 | 201): Response {
  // On the site's origin, never the Host header's.
  const location = `${siteUrl}/api/articles/${article.slug}`;
  return new Response(JSON.stringify(apiItem(article)), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", location },
  });
}
