// The HTML site: /, /articles/:slug, /tags/:tag, /authors/:author.

import { type Context, Hono } from "hono";
import { encodeCursor } from "../cursor.js";
import type { AppEnv } from "../env.js";
import { readCursor } from "../params.js";
import type { Page } from "../store.js";
import { articlePage, homePage, type ListingPage, listingPage, notFoundPage } from "../views/pages.js";

const PAGE_SIZE = 20;

export const site = new Hono<AppEnv>();

site.get("/", async (c) => {
  const cursor = readCursor(c);
  const [page, tags] = await Promise.all([
    c.var.store.list({ limit: PAGE_SIZE, cursor, body: "none" }),
    c.var.store.tags(),
  ]);
  return homePage(c, listing(c, page, cursor !== null), tags);
});

site.get("/articles/:slug", async (c) => {
  const article = await c.var.store.get(c.req.param("slug"));
  return article ? articlePage(c, article) : notFoundPage(c);
});

site.get("/tags/:tag", async (c) => {
  const cursor = readCursor(c);
  const tag = await c.var.store.tag(c.req.param("tag"));
  if (!tag) return notFoundPage(c);
  const page = await c.var.store.list({ limit: PAGE_SIZE, cursor, tag: tag.slug, body: "none" });
  return listingPage(c, "tag", tag, listing(c, page, cursor !== null));
});

site.get("/authors/:author", async (c) => {
  const cursor = readCursor(c);
  const author = await c.var.store.author(c.req.param("author"));
  if (!author) return notFoundPage(c);
  const page = await c.var.store.list({ limit: PAGE_SIZE, cursor, author: author.slug, body: "none" });
  return listingPage(c, "author", author, listing(c, page, cursor !== null));
});

function listing(c: Context<AppEnv>, page: Page, paged: boolean): ListingPage {
  return {
    articles: page.items,
    next: page.next ? `${c.req.path}?cursor=${encodeCursor(page.next)}` : null,
    first: paged ? c.req.path : null,
  };
}
