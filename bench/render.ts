// Feed render for 50 full-content items: our renderers vs the bare `feed` package on the
// same items. Ratio > 1 means ours is faster.

import { readdirSync, readFileSync } from "node:fs";
import { Feed as FeedWriter } from "feed";
import { articleFromMarkdown, served, slugFromPath } from "../src/core/article.js";
import { renderAtom } from "../src/core/feeds/atom.js";
import { renderJson } from "../src/core/feeds/json.js";
import { type Feed, feedItem, newestChange } from "../src/core/feeds/model.js";
import { renderRss } from "../src/core/feeds/rss.js";
import { compare, report } from "./lib.js";

const SITE = "https://news.example.com";

export function sampleFeed(count = 50): Feed {
  const articles = readdirSync("content")
    .filter((f) => f.endsWith(".md"))
    .map((f) =>
      served(articleFromMarkdown(readFileSync(`content/${f}`, "utf8"), { siteUrl: SITE, slug: slugFromPath(f) }), SITE),
    );
  const items = Array.from({ length: count }, (_, i) => {
    const a = articles[i % articles.length];
    if (!a) throw new Error("no content");
    return feedItem({ ...a, slug: `${a.slug}-${i}`, publishedAt: a.publishedAt - i * 60_000 }, SITE);
  });
  return {
    id: `${SITE}/feed.xml`,
    title: "The Steppe Ledger",
    description: "Regional news",
    language: "en",
    homeUrl: `${SITE}/`,
    tagsUrl: `${SITE}/tags/`,
    iconUrl: `${SITE}/icon.png`,
    faviconUrl: `${SITE}/favicon.png`,
    generator: "edge-feeds",
    ttl: 30,
    updated: newestChange(items),
    links: { self: `${SITE}/feed.xml`, first: `${SITE}/feed.xml`, next: null, prev: null },
    items,
  };
}

/** The same items, every field ours writes, handed to the bare package as its README shows. */
function bare(feed: Feed): FeedWriter {
  const writer = new FeedWriter({
    id: feed.id,
    title: feed.title,
    description: feed.description,
    link: feed.homeUrl,
    language: feed.language,
    updated: new Date(feed.updated),
    feedLinks: { rss: feed.links.self, atom: feed.links.self, json: feed.links.self },
    generator: feed.generator,
    ttl: feed.ttl,
    image: feed.iconUrl,
    favicon: feed.faviconUrl,
    author: { name: feed.title },
  });
  for (const item of feed.items) {
    writer.addItem({
      title: item.title,
      id: item.id,
      link: item.url,
      date: new Date(item.updated),
      published: new Date(item.published),
      description: item.summary,
      content: item.contentHtml,
      author: item.authors.map((a) => ({
        name: a.name,
        ...(a.email ? { email: a.email } : {}),
        ...(a.url ? { link: a.url } : {}),
      })),
      category: item.tags.map((t) => ({ name: t.name, term: t.slug, scheme: feed.tagsUrl, domain: feed.tagsUrl })),
      ...(item.image?.type ? { image: { url: item.image.url, type: item.image.type, length: 0 } } : {}),
    });
  }
  return writer;
}

export function run(): void {
  const feed = sampleFeed();
  const writer = bare(feed);
  const rows = [
    {
      name: "RSS 2.0, 50 items: renderRss vs feed.rss2()",
      ...compare({ name: "rss", a: () => renderRss(feed), b: () => writer.rss2() }),
    },
    {
      name: "Atom 1.0, 50 items: renderAtom vs feed.atom1()",
      ...compare({ name: "atom", a: () => renderAtom(feed), b: () => writer.atom1() }),
    },
    {
      name: "JSON Feed 1.1, 50 items: renderJson vs feed.json1()",
      ...compare({ name: "json", a: () => renderJson(feed), b: () => writer.json1() }),
    },
  ];
  report(rows.map((r) => ({ ...r, unit: "ms", better: "lower" as const })));
}

if (import.meta.url === `file://${process.argv[1]}`) run();
