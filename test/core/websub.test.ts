// WebSub's pure parts: the WEBSUB_HUB setting, which feeds a write changed, the ping and its
// queue message.

import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { ConfigError, parseWebSubHub, type SiteConfig } from "../../src/core/config.js";
import { parseDeliveryMessage } from "../../src/core/delivery.js";
import { changedTopics, discoveryLink, feedTopics, pingBody } from "../../src/core/websub.js";

const SITE = "https://news.example.com";
const site: SiteConfig = {
  siteUrl: SITE,
  siteTitle: "The Steppe Ledger",
  siteDescription: "News",
  siteLanguage: "en",
  feedItems: 20,
};
const NOW = Date.parse("2022-02-01T12:00:00Z");

function article(overrides: Partial<Article> = {}): Article {
  return {
    slug: "a",
    title: "A",
    url: `${SITE}/articles/a`,
    publishedAt: NOW - 1000,
    updatedAt: null,
    summary: "",
    image: null,
    lang: null,
    draft: false,
    authors: [{ name: "Xena", slug: "xena" }],
    tags: [
      { name: "Alpha", slug: "alpha" },
      { name: "Beta", slug: "beta" },
    ],
    contentHtml: "<p>A</p>",
    ...overrides,
  };
}

const topics = (...paths: string[]) =>
  paths.flatMap((p) => ["feed.xml", "atom.xml", "feed.json"].map((f) => `${SITE}${p}/${f}`)).sort();

function hubError(value: string): string {
  try {
    parseWebSubHub({ WEBSUB_HUB: value });
  } catch (error) {
    if (error instanceof ConfigError) return `${error.setting}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("WEBSUB_HUB", () => {
  it("is off when unset or empty", () => {
    expect(parseWebSubHub({})).toBeNull();
    expect(parseWebSubHub({ WEBSUB_HUB: "  " })).toBeNull();
  });

  it("takes an https URL, or http on a loopback host", () => {
    expect(parseWebSubHub({ WEBSUB_HUB: "https://pubsubhubbub.appspot.com" })).toBe(
      "https://pubsubhubbub.appspot.com/",
    );
    expect(parseWebSubHub({ WEBSUB_HUB: "http://127.0.0.1:8080/hub" })).toBe("http://127.0.0.1:8080/hub");
    expect(parseWebSubHub({ WEBSUB_HUB: "http://localhost:8080/hub" })).toBe("http://localhost:8080/hub");
  });

  it("names WEBSUB_HUB when it is malformed", () => {
    expect(hubError("http://hub.example.com/")).toMatch(/^WEBSUB_HUB: WEBSUB_HUB is "http:\/\/hub.example.com\/"/);
    expect(hubError("pubsubhubbub.appspot.com")).toMatch(/^WEBSUB_HUB: /);
    expect(hubError("ftp://hub.example.com/")).toMatch(/^WEBSUB_HUB: /);
    expect(hubError("https://user:pass@hub.example.com/")).toMatch(/^WEBSUB_HUB: /);
  });
});

describe("the feeds a write changed", () => {
  it("are the site's and those of each tag and author, in three formats, for a new article", () => {
    expect(changedTopics(site, null, article(), NOW).sort()).toEqual(
      topics("", "/tags/alpha", "/tags/beta", "/authors/xena"),
    );
  });

  it("include the collections the article left and those it joined", () => {
    const after = article({
      tags: [
        { name: "Beta", slug: "beta" },
        { name: "Gamma", slug: "gamma" },
      ],
      authors: [{ name: "Yuri", slug: "yuri" }],
    });
    expect(changedTopics(site, article(), after, NOW).sort()).toEqual(
      topics("", "/tags/alpha", "/tags/beta", "/tags/gamma", "/authors/xena", "/authors/yuri"),
    );
  });

  it("are those it was in for a deletion", () => {
    expect(changedTopics(site, article(), null, NOW).sort()).toEqual(
      topics("", "/tags/alpha", "/tags/beta", "/authors/xena"),
    );
  });

  it("are none when nothing a feed shows changed", () => {
    expect(changedTopics(site, article(), article(), NOW)).toEqual([]);
    expect(changedTopics(site, article(), article({ title: "B" }), NOW)).not.toEqual([]);
  });

  it("are none for drafts and for articles not yet out, but a published article made a draft leaves its feeds", () => {
    expect(changedTopics(site, null, article({ draft: true }), NOW)).toEqual([]);
    expect(changedTopics(site, article({ draft: true }), article({ draft: true, title: "B" }), NOW)).toEqual([]);
    // One millisecond in the future: not out yet; at its instant: out.
    expect(changedTopics(site, null, article({ publishedAt: NOW + 1 }), NOW)).toEqual([]);
    expect(changedTopics(site, null, article({ publishedAt: NOW }), NOW)).not.toEqual([]);
    expect(changedTopics(site, article(), article({ draft: true }), NOW).sort()).toEqual(
      topics("", "/tags/alpha", "/tags/beta", "/authors/xena"),
    );
  });

  it("name each collection once however many articles share it", () => {
    expect(feedTopics(site, [article(), article()]).sort()).toEqual(
      topics("", "/tags/alpha", "/tags/beta", "/authors/xena"),
    );
  });
});

describe("the ping", () => {
  it("is a publish form naming every topic", () => {
    const body = new URLSearchParams(pingBody([`${SITE}/feed.xml`, `${SITE}/tags/a&b/feed.json`]));
    expect(body.getAll("hub.mode")).toEqual(["publish"]);
    expect(body.getAll("hub.url")).toEqual([`${SITE}/feed.xml`, `${SITE}/tags/a&b/feed.json`]);
  });

  it("is advertised by a Link header", () => {
    expect(discoveryLink("https://hub.example/", `${SITE}/feed.xml`)).toBe(
      `<https://hub.example/>; rel="hub", <${SITE}/feed.xml>; rel="self"`,
    );
  });

  it("is carried by a queue message of 1 to 100 feed URLs", () => {
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `${SITE}/tags/t${i}/feed.xml`);
    expect(parseDeliveryMessage({ type: "websub", topics: urls(100) })).toEqual({ type: "websub", topics: urls(100) });
    expect(parseDeliveryMessage({ type: "websub", topics: urls(101) })).toBeNull();
    expect(parseDeliveryMessage({ type: "websub", topics: [] })).toBeNull();
    expect(parseDeliveryMessage({ type: "websub", topics: ["javascript:alert(1)"] })).toBeNull();
    expect(parseDeliveryMessage({ type: "websub", topics: [7] })).toBeNull();
  });
});
