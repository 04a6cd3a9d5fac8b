// Admin write API: POST /api/articles, PUT and DELETE /api/articles/:slug, behind a bearer token.
// Each write that changes a public feed pings the WebSub hub afterwards (jobs/websub.ts).

import { type Context, Hono } from "hono";
import { apiItem } from "../../core/api-item.js";
import { type Article, articleFromJson, articleFromMarkdown } from "../../core/article.js";
import { ArticleError } from "../../core/errors.js";
import { isSlug } from "../../core/slug.js";
import { changedTopics } from "../../core/websub.js";
import { requireAdmin } from "../auth.js";
import { mediaType, readJson, readText } from "../body.js";
import type { AppEnv } from "../env.js";
import { badRequest, HttpProblem, notFound } from "../errors.js";
import { queuePings } from "../jobs/websub.js";
import type { StoredArticle } from "../store/articles.js";
import { UniqueSlugError } from "../store/articles.js";

/** Largest request body accepted, in bytes (a D1 row holds up to 2 MB). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export const admin = new Hono<AppEnv>();

admin.post("/", requireAdmin, async (c) => {
  const { services: s } = c.var;
  const article = await readArticle(c.req.raw, s.site.siteUrl);
  try {
    await s.articles.create(article);
  } catch (error) {
    if (error instanceof UniqueSlugError) {
      throw new HttpProblem(409, {
        title: "Conflict",
        detail: `an article with the slug "${article.slug}" exists; PUT /api/articles/${article.slug} replaces it`,
      });
    }
    throw error;
  }
  const after = await s.articles.getAny(article.slug);
  pingAfterResponse(c, null, after);
  return written(s.site.siteUrl, after, 201);
});

admin.put("/:slug", requireAdmin, async (c) => {
  const { services: s } = c.var;
  const slug = c.req.param("slug");
  if (!isSlug(slug)) throw badRequest(`"${slug.slice(0, 100)}" is not a slug: lower-case ASCII words joined by "-"`);
  const article = await readArticle(c.req.raw, s.site.siteUrl, slug);
  if (article.slug !== slug) {
    throw new ArticleError([{ field: "slug", message: `must match the URL's slug "${slug}" (or be left out)` }]);
  }
  const existing = await s.articles.getAny(slug);
  refuseFileArticle(existing);
  await s.articles.put(article);
  const after = await s.articles.getAny(slug);
  pingAfterResponse(c, existing, after);
  return written(s.site.siteUrl, after, existing ? 200 : 201);
});

admin.delete("/:slug", requireAdmin, async (c) => {
  const { services: s } = c.var;
  const slug = c.req.param("slug");
  const existing = await s.articles.getAny(slug);
  if (!existing) throw notFound(`no article has the slug "${slug.slice(0, 100)}"`);
  refuseFileArticle(existing);
  await s.articles.delete(slug);
  pingAfterResponse(c, existing, null);
  return c.body(null, 204);
});

/**
 * Tells the WebSub hub which feeds the write changed, after the response: the pings go on the
 * delivery queue (whose consumer retries them), so neither the hub nor the queue delays the
 * publisher, and a WebSub problem (a bad WEBSUB_HUB) is logged, never the write's error.
 */
function pingAfterResponse(c: Context<AppEnv>, before: StoredArticle | null, after: StoredArticle | null): void {
  const s = c.var.services;
  const work = (async () => {
    if (!s.websubHub) return;
    await queuePings(s, changedTopics(s.site, before, after, s.now()));
  })().catch((error: unknown) => {
    console.error(
      JSON.stringify({ event: "websub.not-queued", error: error instanceof Error ? error.message : String(error) }),
    );
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in tests): the work runs on regardless.
  }
}

/** Articles from content/ are owned by their files: the next sync would undo an API edit. */
function refuseFileArticle(existing: StoredArticle | null): void {
  if (existing?.source === "file") {
    throw new HttpProblem(409, {
      title: "Conflict",
      detail: `"${existing.slug}" comes from ${existing.sourcePath}; edit that file and run content sync`,
    });
  }
}

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

function written(siteUrl: string, article: StoredArticle | null, status: 200 | 201): Response {
  if (!article) throw new Error("article vanished after write");
  // On the site's origin, never the Host header's.
  const location = `${siteUrl}/api/articles/${article.slug}`;
  return new Response(JSON.stringify(apiItem(article)), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", location },
  });
}
