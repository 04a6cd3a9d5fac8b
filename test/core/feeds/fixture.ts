// A feed fixture with fixed dates, built by a factory so each test starts from fresh data.

import type { Feed, FeedItem } from "../../../src/core/feeds/model.js";

export const HOSTILE_TITLE = `Q&A: <b> tags & "quotes" it's`;

export function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: "https://news.example.com/articles/first",
    url: "https://news.example.com/articles/first",
    title: "First story",
    summary: "A summary.",
    contentHtml: '<p>Body with <a href="https://news.example.com/about">a link</a>.</p>',
    published: Date.UTC(2022, 0, 10, 10, 0, 0),
    updated: Date.UTC(2022, 0, 10, 10, 0, 0),
    authors: [{ name: "Dana Kim", email: "dana@example.org", url: "https://example.org/dana" }],
    tags: [{ name: "Transit", slug: "transit" }],
    image: null,
    lang: null,
    ...overrides,
  };
}

export function feed(items: FeedItem[] = [item()], overrides: Partial<Feed> = {}): Feed {
  return {
    id: "https://news.example.com/feed.xml",
    title: "The Steppe Ledger",
    description: "Regional news",
    language: "en",
    homeUrl: "https://news.example.com/",
    tagsUrl: "https://news.example.com/tags/",
    iconUrl: "https://news.example.com/icon.png",
    faviconUrl: "https://news.example.com/favicon.png",
    generator: "edge-feeds",
    ttl: 30,
    updated: items.reduce((max, i) => Math.max(max, i.updated), 0),
    links: {
      self: "https://news.example.com/feed.xml",
      first: "https://news.example.com/feed.xml",
      next: null,
      prev: null,
    },
    items,
    ...overrides,
  };
}

/** Every kind of trouble in one item. */
export function hostileItem(): FeedItem {
  return item({
    id: "https://news.example.com/articles/hostile",
    url: "https://news.example.com/articles/hostile",
    title: HOSTILE_TITLE,
    summary: "Summary with <tags> & ]]> and ]]> twice, emoji 🎉, RTL مرحبا.",
    contentHtml: "<p>a ]]> b ]]> c &amp; <b>bold</b> 🎉 مرحبا \uFFFD</p>",
    authors: [{ name: 'Eve "<x>" & co' }],
    tags: [{ name: "<i>Tag</i> & co", slug: "i-tag-i-co" }],
    image: {
      url: "https://news.example.com/images/a.jpg?w=1&h=2",
      alt: 'A "<pic>" & more',
      type: "image/jpeg",
      bytes: 30551,
    },
    lang: "kk",
  });
}
