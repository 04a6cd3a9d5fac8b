// Admin write API: POST /api/articles, PUT and DELETE /api/articles/:slug, behind a bearer token.

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { type Article, articleFromJson, articleFromMarkdown } from "../../core/article.js";
import { ConfigError } from "../../core/config.js";
import { ArticleError } from "../../core/errors.js";
import { isSlug } from "../../core/slug.js";
import type { AppEnv } from "../env.js";
import { jsonItem } from "../json.js";
import { badRequest, HttpProblem, notFound } from "../problem.js";
import { type StoredArticle, UniqueSlugError } from "../store.js";

/** Largest request body accepted, in bytes (a D1 row holds up to 2 MB). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
const MIN_TOKEN_LENGTH = 16;

export const admin = new Hono<AppEnv>();

const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.env.ADMIN_TOKEN;
  if (!token) {
    throw new HttpProblem(403, {
      title: "Forbidden",
      detail: "the admin API is off: set the ADMIN_TOKEN secret to turn it on",
    });
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError("ADMIN_TOKEN", `is shorter than ${MIN_TOKEN_LENGTH} characters`);
  }
  const given = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!given || !(await sameSecret(given, token))) {
    // RFC 6750 section 3: a request without credentials gets no error code.
    const challenge = given ? 'Bearer realm="admin", error="invalid_token"' : 'Bearer realm="admin"';
    throw new HttpProblem(401, {
      title: "Unauthorized",
      detail: "send Authorization: Bearer <ADMIN_TOKEN>",
      headers: { "WWW-Authenticate": challenge },
    });
  }
  await next();
});

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new HttpProblem(413, {
      title: "Content Too Large",
      detail: `the request body is over ${MAX_BODY_BYTES} bytes`,
    });
  },
});

admin.post("/", requireAdmin, limitBody, async (c) => {
  const article = await readArticle(c.req.raw, c.var.config.siteUrl);
  try {
    await c.var.store.create(article);
  } catch (error) {
    if (error instanceof UniqueSlugError) {
      throw new HttpProblem(409, {
        title: "Conflict",
        detail: `an article with the slug "${article.slug}" exists; PUT /api/articles/${article.slug} replaces it`,
      });
    }
    throw error;
  }
  return written(c.req.url, await c.var.store.get(article.slug, { includeDrafts: true }), 201);
});

admin.put("/:slug", requireAdmin, limitBody, async (c) => {
  const slug = c.req.param("slug");
  if (!isSlug(slug)) throw badRequest(`"${slug}" is not a slug: lower-case ASCII words joined by "-"`);
  const article = await readArticle(c.req.raw, c.var.config.siteUrl, slug);
  if (article.slug !== slug) {
    throw new ArticleError([{ field: "slug", message: `must match the URL's slug "${slug}" (or be left out)` }]);
  }
  const existing = await c.var.store.get(slug, { includeDrafts: true });
  refuseFileArticle(existing);
  await c.var.store.put(article);
  return written(c.req.url, await c.var.store.get(slug, { includeDrafts: true }), existing ? 200 : 201);
});

admin.delete("/:slug", requireAdmin, async (c) => {
  const slug = c.req.param("slug");
  const existing = await c.var.store.get(slug, { includeDrafts: true });
  if (!existing) throw notFound(`no article has the slug "${slug}"`);
  refuseFileArticle(existing);
  await c.var.store.delete(slug);
  return c.body(null, 204);
});

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
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const options = { siteUrl, ...(slug ? { slug } : {}) };
  const text = await request.text();
  if (type === "application/json" || type.endsWith("+json")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
    }
    return articleFromJson(data, options);
  }
  if (type === "text/markdown" || type === "text/x-markdown") return articleFromMarkdown(text, options);
  throw new HttpProblem(415, {
    title: "Unsupported Media Type",
    detail: `send application/json or text/markdown, not "${type || "no Content-Type"}"`,
    headers: { "Accept-Post": "application/json, text/markdown" },
  });
}

function written(requestUrl: string, article: StoredArticle | null, status: 200 | 201): Response {
  if (!article) throw new Error("article vanished after write");
  const location = new URL(`/api/articles/${article.slug}`, requestUrl).href;
  return new Response(JSON.stringify({ ...jsonItem(article), draft: article.draft }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", location },
  });
}

/** Constant-time comparison: both sides are hashed first, so lengths leak nothing either. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
