// Feeds: /feed.xml, /atom.xml, /feed.json, the same under /tags/:tag/ and /authors/:author/,
// and /feeds.opml. Routes gather data; core/feeds renders; http-cache.ts answers conditionals.

import { type Context, Hono } from "hono";
import { type Cursor, encodeCursor } from "../../core/cursor.js";
import { FEED_FORMATS, type FeedFormat, feedFamily, formatByName, type Scope } from "../../core/feeds/family.js";
import { type Feed, feedItem, newestChange } from "../../core/feeds/model.js";
import { renderOpml } from "../../core/feeds/opml.js";
import { discoveryLink } from "../../core/websub.js";
import type { AppEnv } from "../env.js";
import { notFound } from "../errors.js";
import { cached } from "../http-cache.js";
import { cursor, limit, oneOf, query } from "../query.js";
import type { ListQuery } from "../store/articles.js";

const GENERATOR = "edge-feeds";
const TTL_MINUTES = 30;
// Programs at the edge read feeds from other origins.
const CORS = { "access-control-allow-origin": "*" };

type ScopeKind = "site" | "tag" | "author";

export const feeds = new Hono<AppEnv>();

const feedQuery = query({ limit, cursor }, "lenient");

for (const format of FEED_FORMATS) {
  feeds.get(`/${format.file}`, feedQuery, (c) => serveFeed(c, format, "site", ""));
  feeds.get(`/tags/:tag/${format.file}`, feedQuery, (c) => serveFeed(c, format, "tag", c.req.param("tag")));
  feeds.get(`/authors/:author/${format.file}`, feedQuery, (c) => serveFeed(c, format, "author", c.req.param("author")));
}

feeds.get("/feeds.opml", query({ format: oneOf(["rss", "atom", "json"]) }, "lenient"), async (c) => {
  const { services: s } = c.var;
  const { format: name = "rss", search } = c.req.valid("query");
  const format = formatByName(name) ?? (FEED_FORMATS[0] as FeedFormat);
  const newest = async (asOf: number) =>
    (await s.articles.list({ limit: 1, withContent: false }, asOf)).items[0]?.publishedAt ?? 0;
  return cached(c, {
    key: `${c.req.path}${search}`,
    newestChange: (v) => newest(v.asOf),
    headers: CORS,
    render: async ({ asOf }) => {
      const site = s.site;
      const [tags, authors, modified] = await Promise.all([
        s.tags.all(asOf, "count"),
        s.authors.all(asOf, "name"),
        newest(asOf),
      ]);
      const entry = (scope: Scope) => {
        const family = feedFamily(site, scope);
        return { title: family.title, xmlUrl: family.url(format), htmlUrl: family.homeUrl };
      };
      const body = renderOpml({
        title: `${site.siteTitle}: feeds`,
        modified,
        site: entry({ kind: "site" }),
        tags: tags.map((subject) => entry({ kind: "tag", subject })),
        authors: authors.map((subject) => entry({ kind: "author", subject })),
      });
      return { body, contentType: "text/x-opml; charset=utf-8", lastModified: modified };
    },
  });
});

async function serveFeed(
  c: Context<AppEnv, string, { out: { query: { limit?: number; cursor?: Cursor; search: string } } }>,
  format: FeedFormat,
  kind: ScopeKind,
  slug: string,
): Promise<Response> {
  const { services: s } = c.var;
  const params = c.req.valid("query");
  const site = s.site;
  const limit = params.limit ?? site.feedItems;
  // Pings name each feed's plain URL (core/websub.ts): only that URL is a topic worth subscribing
  // to, so a page of older items or a chosen limit advertises no hub. A malformed WEBSUB_HUB
  // fails here, loudly: a feed cannot be rendered without knowing its hub.
  const hub = params.search === "" ? s.websubHub : null;
  const self = `${site.siteUrl}${c.req.path}${params.search}`;
  const query: ListQuery = {
    limit,
    cursor: params.cursor ?? null,
    withContent: true,
    ...(kind === "tag" ? { tag: slug } : kind === "author" ? { author: slug } : {}),
  };
  return cached(c, {
    key: `${c.req.path}${params.search}`,
    newestChange: (v) => s.articles.newestChange(query, v.asOf),
    headers: hub ? { ...CORS, link: discoveryLink(hub, self) } : CORS,
    render: async ({ asOf }) => {
      // The name and the page in parallel: one round trip to D1, not two.
      const [subject, page] = await Promise.all([
        kind === "site" ? null : (kind === "tag" ? s.tags : s.authors).find(slug, asOf),
        s.articles.list(query, asOf),
      ]);
      if (kind !== "site" && !subject) throw notFound(`no published article has the ${kind} "${slug}"`);
      const scope: Scope = subject ? { kind: kind as "tag" | "author", subject } : { kind: "site" };
      const family = feedFamily(site, scope);
      const base = family.url(format);
      // Paging links keep an explicit limit, so every page has the same size.
      const pageUrl = (position: Cursor | null) => {
        const search = new URLSearchParams();
        if (params.limit !== undefined) search.set("limit", String(limit));
        if (position) search.set("cursor", encodeCursor(position));
        const text = search.toString();
        return text ? `${base}?${text}` : base;
      };
      const items = page.items.map((a) => feedItem(a, site.siteUrl));
      const feed: Feed = {
        id: base,
        title: family.title,
        description: family.description,
        language: site.siteLanguage,
        homeUrl: family.homeUrl,
        tagsUrl: `${site.siteUrl}/tags/`,
        iconUrl: `${site.siteUrl}/icon.png`,
        faviconUrl: `${site.siteUrl}/favicon.png`,
        generator: GENERATOR,
        ttl: TTL_MINUTES,
        updated: newestChange(items),
        // The URL served, on the site's origin, with the known parameters only.
        links: {
          self: `${base}${params.search}`,
          first: pageUrl(null),
          next: page.next ? pageUrl(page.next) : null,
          prev: page.prev ? pageUrl(page.prev) : null,
          ...(hub ? { hub } : {}),
        },
        items,
      };
      return { body: format.render(feed), contentType: format.contentType, lastModified: feed.updated };
    },
  });
}
