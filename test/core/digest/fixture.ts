// Digest fixtures with fixed dates.

import type { Article } from "../../../src/core/article.js";
import type { DigestInput } from "../../../src/core/digest/render.js";
import { parseWindow } from "../../../src/core/digest/window.js";

export function article(i: number, overrides: Partial<Article> = {}): Article {
  return {
    slug: `story-${i}`,
    title: `Story number ${i}`,
    url: `https://news.example.com/articles/story-${i}`,
    publishedAt: Date.UTC(2022, 0, 10, 12, 0) - i * 60_000,
    updatedAt: null,
    summary: `Summary of story ${i}, plain text.`,
    image:
      i % 3 === 0
        ? { url: `https://news.example.com/images/${i}.png`, alt: `Picture ${i}`, width: null, height: null }
        : null,
    lang: null,
    draft: false,
    authors: [{ name: "Dana Kim", slug: "dana-kim" }],
    tags: [{ name: "Transit", slug: "transit" }],
    contentHtml: "<p>Body.</p>",
    ...overrides,
  };
}

export function input(articles: Article[], overrides: Partial<DigestInput> = {}): DigestInput {
  const window = parseWindow("daily", "2022-01-10", "Asia/Almaty");
  if (!window) throw new Error("bad window");
  return {
    site: { title: "The Steppe Ledger", url: "https://news.example.com", language: "en", timeZone: "Asia/Almaty" },
    window,
    articles,
    tags: [],
    webUrl: "https://news.example.com/digests/daily/2022-01-10",
    unsubscribeUrl: "https://news.example.com/unsubscribe?token=TOKEN",
    preferencesUrl: null,
    reason: "You get this email because you subscribed to the daily digest of The Steppe Ledger.",
    forEmail: true,
    ...overrides,
  };
}
