// For search engines: /sitemap.xml (an index of the sitemaps under /sitemaps/) and /robots.txt,
// cached by content version like every public GET. /favicon.ico is a static file in public/.

import { Hono } from "hono";
import {
  monthRange,
  parseSitemapName,
  partsOf,
  renderRobots,
  renderSitemapIndex,
  renderUrlSet,
  type SitemapEntry,
  sitemapFile,
} from "../../core/sitemap.js";
import type { AppEnv } from "../env.js";
import { notFound } from "../errors.js";
import { cached } from "../http-cache.js";
import { query } from "../query.js";

const XML = "application/xml; charset=utf-8";

export const seo = new Hono<AppEnv>();

// Unknown parameters are ignored and never split the cache, as on every public GET.
const noQuery = query({}, "lenient");

seo.get("/robots.txt", noQuery, (c) => {
  const { services: s } = c.var;
  return cached(c, {
    key: "/robots.txt",
    render: async () => ({
      body: renderRobots(s.site.siteUrl),
      contentType: "text/plain; charset=utf-8",
      lastModified: 0,
    }),
  });
});

seo.get("/sitemap.xml", noQuery, (c) => {
  const { services: s } = c.var;
  const store = s.sitemaps;
  return cached(c, {
    key: "/sitemap.xml",
    render: async ({ asOf }) => {
      const [months, names, newest] = await Promise.all([store.months(asOf), store.nameCounts(), store.newest(asOf)]);
      const at = (file: string): SitemapEntry => ({ loc: `${s.site.siteUrl}/sitemaps/${file}` });
      const entries: SitemapEntry[] = [{ ...at("pages.xml"), lastmod: newest }];
      for (const kind of ["tags", "authors"] as const) {
        const count = names[kind];
        if (count === 0) continue;
        for (let part = 1; part <= partsOf(count); part++) entries.push(at(sitemapFile({ kind, part })));
      }
      for (const { month, count } of months) {
        for (let part = 1; part <= partsOf(count); part++)
          entries.push(at(sitemapFile({ kind: "articles", month, part })));
      }
      return { body: renderSitemapIndex(entries), contentType: XML, lastModified: newest };
    },
  });
});

seo.get("/sitemaps/:file", noQuery, (c) => {
  const { services: s } = c.var;
  const file = c.req.param("file");
  const name = parseSitemapName(file);
  const missing = () => notFound(`there is no sitemap ${file.slice(0, 80)}`);
  if (!name) throw missing();
  const store = s.sitemaps;
  const site = s.site.siteUrl;
  return cached(c, {
    key: `/sitemaps/${file}`,
    render: async ({ asOf }) => {
      let entries: SitemapEntry[];
      if (name.kind === "pages") {
        const newest = await store.newest(asOf);
        entries = ["/", "/tags", "/authors", "/digests"].map((path) => ({ loc: `${site}${path}`, lastmod: newest }));
      } else if (name.kind === "articles") {
        // A month still to come has nothing public yet: not found, like a month with nothing.
        if (monthRange(name.month).start > asOf) throw missing();
        const pages = await store.articles(name.month, name.part, asOf);
        if (pages.length === 0) throw missing();
        entries = pages.map((p) => ({ loc: `${site}/articles/${p.slug}`, lastmod: p.lastmod }));
      } else {
        const pages = await store.names(name.kind, name.part, asOf);
        if (pages.length === 0) throw missing();
        entries = pages.map((p) => ({ loc: `${site}/${name.kind}/${p.slug}`, lastmod: p.lastmod }));
      }
      const lastModified = entries.reduce((newest, e) => Math.max(newest, e.lastmod ?? 0), 0);
      return { body: renderUrlSet(entries), contentType: XML, lastModified };
    },
  });
});
