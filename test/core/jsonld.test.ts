import { describe, expect, it } from "vitest";
import { headline, jsonLdText, newsArticle } from "../../src/core/jsonld.js";

const site = {
  siteUrl: "https://news.example.com",
  siteTitle: "The Steppe Ledger",
  siteDescription: "News.",
  siteLanguage: "en",
};
const article = {
  title: "Trams return",
  summary: "They do.",
  url: "https://news.example.com/articles/trams",
  pageUrl: "https://news.example.com/articles/trams",
  publishedAt: Date.UTC(2022, 0, 10, 4),
  updatedAt: null,
  lang: "en",
  image: null,
  authors: [],
  tags: [],
};

describe("newsArticle", () => {
  it("gives an image its size only when both sides are known", () => {
    const sized = newsArticle(
      { ...article, image: { url: "https://x.example/a.png", width: 1200, height: 630 } },
      site,
    );
    expect(sized.image).toEqual([{ "@type": "ImageObject", url: "https://x.example/a.png", width: 1200, height: 630 }]);
    const half = newsArticle(
      { ...article, image: { url: "https://x.example/a.png", width: 1200, height: null } },
      site,
    );
    expect(half.image).toEqual([{ "@type": "ImageObject", url: "https://x.example/a.png" }]);
  });
});

describe("headline", () => {
  it("keeps 110 characters and cuts 111 at a word, never inside an emoji", () => {
    const exact = `${"a".repeat(108)} b`;
    expect(Array.from(exact)).toHaveLength(110);
    expect(headline(exact)).toBe(exact);
    const over = `${"a".repeat(108)} bc`;
    expect(headline(over)).toBe(`${"a".repeat(108)}…`);
    const emoji = "🚀".repeat(111);
    expect(headline(emoji)).toBe(`${"🚀".repeat(109)}…`);
  });
});

describe("jsonLdText", () => {
  it("writes no <, > or & and parses back to the same data", () => {
    const data = { t: "</script><!-- & \u2028" };
    const text = jsonLdText(data);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(data);
  });
});
