// Public JSON API: GET /api/articles and GET /api/articles/:slug, CORS "*", drafts never shown.

import { Hono } from "hono";
import { cors } from "hono/cors";
import { encodeCursor } from "../cursor.js";
import type { AppEnv } from "../env.js";
import { jsonItem } from "../json.js";
import { onlyParams, readCursor, readLimit } from "../params.js";
import { badRequest, notFound } from "../problem.js";

export const api = new Hono<AppEnv>();

api.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 }));

api.get("/articles", async (c) => {
  onlyParams(c, ["limit", "cursor", "tag", "author"]);
  const { config, store } = c.var;
  const limit = readLimit(c, config.feedItems);
  const cursor = readCursor(c);
  const tag = c.req.query("tag");
  const author = c.req.query("author");
  if (tag !== undefined && author !== undefined) throw badRequest("filter by tag or by author, not both");
  if (tag !== undefined && !(await store.tag(tag))) throw notFound(`no published article has the tag "${tag}"`);
  if (author !== undefined && !(await store.author(author))) throw notFound(`no published article is by "${author}"`);
  const page = await store.list({
    limit,
    cursor,
    ...(tag !== undefined ? { tag } : {}),
    ...(author !== undefined ? { author } : {}),
  });
  let next: string | null = null;
  if (page.next) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", encodeCursor(page.next));
    next = url.href;
  }
  return c.json({ items: page.items.map(jsonItem), next });
});

api.get("/articles/:slug", async (c) => {
  onlyParams(c, []);
  const article = await c.var.store.get(c.req.param("slug"));
  if (!article) throw notFound(`no published article has the slug "${c.req.param("slug")}"`);
  return c.json(jsonItem(article));
});
