// Feeds: /feed.xml, /atom.xml, /feed.json, the same under /tags/:tag/ and /authors/:author/,
// and /feeds.opml. Routes gather data; core/feeds renders; http-cache.ts answers conditionals.

import { type Context, Hono } from "hono";
import { renderAtom } from "../../core/feeds/atom.js";
import { renderJson } from "../../core/feeds/json.js";
import { type Feed, feedItem, newestChange } from "../../core/feeds/model.js";
import { renderOpml } from "../../core/feeds/opml.js";
import { renderRss } from "../../core/feeds/rss.js";
import { type Cursor, encodeCursor } from "../cursor.js";
import type { AppEnv } from "../env.js";
import { cached } from "../http-cache.js";
import { onlyParams, readCursor, readLimit } from "../params.js";
import { notFound } from "../problem.js";
import type { ListQuery } from "../store.js";

const FORMATS = {
  "feed.xml": { render: renderRss, contentType: "application/rss+xml; charset=utf-8" },
  "atom.xml": { render: renderAtom, contentType: "application/atom+xml; charset=utf-8" },
  "feed.json": { render: renderJson, contentType: "application/feed+json; charset=utf-8" },
} as const;
type FeedFile = keyof typeof FORMATS;

const GENERATOR = "edge-feeds";
const TTL_MINUTES = 30;
// Programs at the edge read feeds from other origins.
const CORS = { "access-control-allow-origin": "*" };

type Scope = { kind: "site" } | { kind: "tag"; slug: string } | { kind: "author"; slug: string };

export const feeds = new Hono<AppEnv>();

for (const file of Object.keys(FORMATS) as FeedFile[]) {
  feeds.get(`/${file}`, (c) => serveFeed(c, file, { kind: "site" }));
  feeds.get(`/tags/:tag/${file}`, (c) => serveFeed(c, file, { kind: "tag", slug: c.req.param("tag") }));
  feeds.get(`/authors/:author/${file}`, (c) => serveFeed(c, file, { kind: "author", slug: c.req.param("author") }));
}

feeds.get("/feeds.opml", async (c) => {
  onlyParams(c, []);
  const { config, store } = c.var;
  const version = await store.contentVersion();
  const newest = async () => (await store.list({ limit: 1, body: "none" })).items[0]?.publishedAt ?? 0;
  return cached(c, {
    version,
    key: c.req.path,
    newestChange: newest,
    headers: CORS,
    render: async () => {
      const [tags, authors, modified] = await Promise.all([store.tags(), store.authors(), newest()]);
      const entry = (prefix: string, title: string) => ({
        title,
        xmlUrl: `${config.siteUrl}${prefix}/feed.xml`,
        htmlUrl: `${config.siteUrl}${prefix || "/"}`,
      });
      const body = renderOpml({
        title: `${config.siteTitle}: feeds`,
        modified,
        site: entry("", config.siteTitle),
        tags: tags.map((t) => entry(`/tags/${t.slug}`, `${config.siteTitle}: ${t.name}`)),
        authors: authors.map((a) => entry(`/authors/${a.slug}`, `${config.siteTitle}: ${a.name}`)),
      });
      return { body, contentType: "text/x-opml; charset=utf-8", lastModified: modified };
    },
  });
});

async function serveFeed(c: Context<AppEnv>, file: FeedFile, scope: Scope): Promise<Response> {
  onlyParams(c, ["limit", "cursor"]);
  const { config, store } = c.var;
  const limit = readLimit(c, config.feedItems);
  const cursor = readCursor(c);
  const query: ListQuery = {
    limit,
    cursor,
    ...(scope.kind === "tag" ? { tag: scope.slug } : scope.kind === "author" ? { author: scope.slug } : {}),
  };
  const url = new URL(c.req.url);
  const version = await store.contentVersion();
  return cached(c, {
    version,
    key: `${url.pathname}${url.search}`,
    newestChange: () => store.newestChange(query),
    headers: CORS,
    render: async () => {
      const subject =
        scope.kind === "site"
          ? { name: config.siteTitle, slug: "" }
          : await (scope.kind === "tag" ? store.tag(scope.slug) : store.author(scope.slug));
      if (!subject) throw notFound(`no published article has the ${scope.kind} "${"slug" in scope ? scope.slug : ""}"`);
      const page = await store.list({ ...query, body: file === "feed.json" ? "json" : "html" });
      const prefix = scope.kind === "site" ? "" : `/${scope.kind}s/${subject.slug}`;
      const base = `${config.siteUrl}${prefix}/${file}`;
      // Paging links keep an explicit limit, so every page has the same size.
      const pageUrl = (position: Cursor | null) => {
        const params = new URLSearchParams();
        if (c.req.query("limit") !== undefined) params.set("limit", String(limit));
        if (position) params.set("cursor", encodeCursor(position));
        const search = params.toString();
        return search ? `${base}?${search}` : base;
      };
      const items = page.items.map((a) => ({
        ...feedItem(a, config.siteUrl),
        ...(a.feedJson ? { json: a.feedJson } : {}),
      }));
      const feed: Feed = {
        id: base,
        title: scope.kind === "site" ? config.siteTitle : `${config.siteTitle}: ${subject.name}`,
        description:
          scope.kind === "site"
            ? config.siteDescription
            : scope.kind === "tag"
              ? `Articles tagged “${subject.name}” from ${config.siteTitle}`
              : `Articles by ${subject.name} from ${config.siteTitle}`,
        language: config.siteLanguage,
        homeUrl: `${config.siteUrl}${prefix || "/"}`,
        tagsUrl: `${config.siteUrl}/tags/`,
        iconUrl: `${config.siteUrl}/icon.png`,
        faviconUrl: `${config.siteUrl}/favicon.png`,
        generator: GENERATOR,
        ttl: TTL_MINUTES,
        updated: newestChange(items),
        // The URL served, on the site's origin.
        links: {
          self: `${config.siteUrl}${url.pathname}${url.search}`,
          first: pageUrl(null),
          next: page.next ? pageUrl(page.next) : null,
          prev: page.prev ? pageUrl(page.prev) : null,
        },
        items,
      };
      const format = FORMATS[file];
      return { body: format.render(feed), contentType: format.contentType, lastModified: feed.updated };
    },
  });
}
