// The renderers on their own: well-formed output, the `feed` package's defects fixed, exact bytes.

import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { Feed as FeedWriter } from "feed";
import { describe, expect, it, vi } from "vitest";
import { renderAtom } from "../../../src/core/feeds/atom.js";
import { renderJson } from "../../../src/core/feeds/json.js";
import { renderRss } from "../../../src/core/feeds/rss.js";
import { feed, HOSTILE_TITLE, hostileItem, item } from "./fixture.js";

// XMLValidator misses two well-formedness errors that matter here, so check them too:
// a raw "<" in an attribute value (XML 1.0 3.1) and "]]>" outside CDATA (2.4).
const rawLtInAttribute = (xml: string) => /<[^>]*=\s*"[^"]*<[^"]*"/.test(xml);
const wellFormed = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(rawLtInAttribute(xml)).toBe(false);
  expect(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "")).not.toContain("]]>");
};

describe.each([
  ["RSS", renderRss],
  ["Atom", renderAtom],
])("%s", (_, render) => {
  it("stays well-formed with hostile text in every element and attribute", () => {
    const xml = render(feed([hostileItem(), item()], { title: 'Site & "<Co>"' }));
    wellFormed(xml);
    const parsed = parseFeed(xml);
    expect(parsed.title).toBe('Site & "<Co>"');
    expect(parsed.items[0]?.title).toBe(HOSTILE_TITLE);
    expect(parsed.items[0]?.authors[0]?.name).toBe('Eve "<x>" & co');
    expect(parsed.items[0]?.categories[0]?.label).toBe("<i>Tag</i> & co");
    expect(parsed.items[0]?.content).toContain("a ]]> b ]]> c");
    expect(parsed.items[0]?.content).toContain("<b>bold</b> 🎉 مرحبا");
    expect(parsed.items[0]?.media[0]?.url).toBe("https://news.example.com/images/a.jpg?w=1&h=2");
  });

  it("gives an image's length in bytes when it is known, and no made-up length otherwise", () => {
    const known = parseFeed(render(feed([hostileItem()]))).items[0]?.media ?? [];
    expect(known.map((m) => m.length)).toEqual(known.map(() => 30551));
    expect(known.length).toBeGreaterThan(0);
    const unknown = hostileItem();
    unknown.image = { url: "https://news.example.com/images/b.png", alt: "", type: "image/png", bytes: null };
    const xml = render(feed([unknown]));
    expect(xml).not.toContain("30551");
    expect(xml).not.toMatch(/fileSize|length="(?!0")/);
    // An image without alt text gets no blank title (a validator warning in Atom).
    expect(xml).not.toContain('title=""');
    expect(parseFeed(xml).items[0]?.media[0]?.url).toBe("https://news.example.com/images/b.png");
  });

  it("has no clock in it: the same feed renders to the same bytes, dated by its newest item", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
      const a = render(feed());
      vi.setSystemTime(new Date("2031-06-15T12:34:56Z"));
      const b = render(feed());
      expect(a).toBe(b);
      expect(a).not.toContain("2030");
    } finally {
      vi.useRealTimers();
    }
    const a = render(feed());
    expect(parseFeed(a).updated?.toISOString()).toBe("2022-01-10T10:00:00.000Z");
  });

  it("writes RFC 5005 paging links", () => {
    const xml = render(
      feed([item()], {
        links: {
          self: "https://news.example.com/feed.xml?limit=1&cursor=b",
          first: "https://news.example.com/feed.xml?limit=1",
          next: "https://news.example.com/feed.xml?limit=1&cursor=c",
          prev: "https://news.example.com/feed.xml?limit=1&cursor=a",
        },
      }),
    );
    wellFormed(xml);
    for (const [rel, query] of [
      ["self", "limit=1&amp;cursor=b"],
      ["first", "limit=1"],
      ["next", "limit=1&amp;cursor=c"],
      ["previous", "limit=1&amp;cursor=a"],
    ]) {
      expect(xml).toMatch(
        new RegExp(
          `<(atom:)?link[^>]*rel="${rel}"[^>]*feed\\.xml\\?${query}"|<(atom:)?link[^>]*feed\\.xml\\?${query}"[^>]*rel="${rel}"`,
        ),
      );
    }
  });
});

describe("the feed package's defects, each fixed", () => {
  it('feed escapes only & in attributes; ours escapes < and " too', () => {
    const bare = new FeedWriter({
      title: "t",
      id: "https://x.example/",
      link: "https://x.example/",
      updated: new Date(0),
    });
    bare.addItem({
      title: "t",
      link: "https://x.example/a",
      date: new Date(0),
      category: [{ name: '<i>"x"</i>', term: "x" }],
    });
    expect(rawLtInAttribute(bare.atom1())).toBe(true);
    wellFormed(renderAtom(feed([item({ tags: [{ name: '<i>"x"</i>', slug: "x" }] })])));
  });

  it("feed writes raw titles into Atom as type=html, so markup in a title renders; ours are escaped", () => {
    const bare = new FeedWriter({
      title: "t",
      id: "https://x.example/",
      link: "https://x.example/",
      updated: new Date(0),
    });
    bare.addItem({ title: "Use <b>bold</b> & more", link: "https://x.example/a", date: new Date(0) });
    expect(bare.atom1()).toContain('<title type="html"><![CDATA[Use <b>bold</b> & more]]></title>');
    const xml = renderAtom(feed([item({ title: HOSTILE_TITLE })]));
    expect(xml).toContain(
      `<title type="html">Q&amp;amp;A: &amp;lt;b&amp;gt; tags &amp;amp; &amp;quot;quotes&amp;quot; it&amp;#39;s</title>`,
    );
    expect(parseFeed(xml).items[0]?.title).toBe(HOSTILE_TITLE);
  });

  it("writes RSS plain text with hexadecimal references for & and <, as the RSS profile asks", () => {
    expect(renderRss(feed([item({ title: HOSTILE_TITLE })]))).toContain(
      "<title>Q&#x26;A: &#x3C;b&gt; tags &#x26; &quot;quotes&quot; it&#39;s</title>",
    );
  });

  it("feed leaves Atom categories without a term; ours carry the slug", () => {
    expect(renderAtom(feed())).toContain(
      '<category label="Transit" scheme="https://news.example.com/tags/" term="transit"/>',
    );
  });

  it("feed splits only the first ]]> of a CDATA section; ours splits all", () => {
    const bare = new FeedWriter({
      title: "t",
      id: "https://x.example/",
      link: "https://x.example/",
      updated: new Date(0),
    });
    bare.addItem({ title: "t", link: "https://x.example/a", date: new Date(0), content: "a ]]> b ]]> c" });
    expect(parseFeed(bare.rss2()).items[0]?.content).not.toBe("a ]]> b ]]> c");
    const xml = renderRss(feed([item({ contentHtml: "a ]]> b ]]> c" })]));
    wellFormed(xml);
    expect(parseFeed(xml).items[0]?.content).toBe("a ]]> b ]]> c");
  });

  it("feed puts the time of the request into lastBuildDate; ours the newest item's", () => {
    const bare = new FeedWriter({ title: "t", id: "https://x.example/", link: "https://x.example/" });
    expect(bare.rss2()).toContain(`<lastBuildDate>${new Date().toUTCString().slice(0, 16)}`);
    expect(renderRss(feed())).toContain("<lastBuildDate>Mon, 10 Jan 2022 10:00:00 GMT</lastBuildDate>");
  });

  it("feed throws on relative URLs; ours are absolute before they reach it", () => {
    const bare = new FeedWriter({ title: "t", id: "https://x.example/", link: "/relative", updated: new Date(0) });
    expect(() => bare.rss2()).toThrow();
    expect(() => renderRss(feed())).not.toThrow();
  });

  it("feed writes JSON Feed 1.0 with one author; ours is 1.1 with authors and language", () => {
    const bare = new FeedWriter({ title: "t", id: "https://x.example/", link: "https://x.example/" });
    expect(JSON.parse(bare.json1()).version).toBe("https://jsonfeed.org/version/1");
    const json = JSON.parse(renderJson(feed([hostileItem()])));
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.language).toBe("en");
    expect(json.items[0]).toMatchObject({
      id: "https://news.example.com/articles/hostile",
      title: HOSTILE_TITLE,
      authors: [{ name: 'Eve "<x>" & co' }],
      language: "kk",
      date_published: "2022-01-10T10:00:00Z",
    });
    expect(typeof json.items[0].id).toBe("string");
  });
});

describe("exact bytes", () => {
  const fixed = () =>
    feed(
      [
        hostileItem(),
        item({ id: "https://news.example.com/articles/second", url: "https://elsewhere.example/s", title: "Second" }),
      ],
      {
        links: {
          self: "https://news.example.com/feed.xml",
          first: "https://news.example.com/feed.xml",
          next: "https://news.example.com/feed.xml?cursor=abc",
          prev: null,
        },
      },
    );
  it("RSS", async () => {
    await expect(renderRss(fixed())).toMatchFileSnapshot("__snapshots__/feed.xml");
  });
  it("Atom", async () => {
    await expect(renderAtom(fixed())).toMatchFileSnapshot("__snapshots__/atom.xml");
  });
  it("JSON Feed", async () => {
    await expect(JSON.stringify(JSON.parse(renderJson(fixed())), null, 2)).toMatchFileSnapshot(
      "__snapshots__/feed.json",
    );
  });
});
