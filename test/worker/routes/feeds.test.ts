// Feed routes end to end: every format parsed back with real feed parsers, paging, caching.

import { extractFromJson, extractFromXml } from "@extractus/feed-extractor";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, request } from "../helpers.js";

const HOSTILE_TITLE = `Q&A: <b> tags & "quotes" it's`;

beforeAll(async () => {
  const articles = [
    fixture({
      slug: "hostile",
      title: HOSTILE_TITLE,
      date: "2022-03-09T12:00:00+06:00",
      tags: ["Transit", "Қоғам"],
      authors: [{ name: 'Eve "<x>" & co', email: "eve@example.org" }],
      markdown: "a ]]> b <script>x</script> [rel](other) 🎉 مرحبا",
      lang: "kk",
      image: { url: "/images/a.png", alt: "A <pic>" },
    }),
    fixture({
      slug: "elsewhere",
      title: "Lives elsewhere",
      date: "2022-03-08T09:00:00Z",
      url: "https://elsewhere.example/story",
      tags: ["Culture"],
    }),
    fixture({
      slug: "updated",
      title: "Updated later",
      date: "2022-03-07T09:00:00Z",
      updated: "2022-03-10T09:00:00Z",
      tags: ["Transit"],
      authors: ["Dana Kim", "Zoë Ortega"],
    }),
    fixture({ slug: "secret", title: "Draft", date: "2022-03-11T09:00:00Z", draft: true, tags: ["Transit"] }),
  ];
  for (let i = 1; i <= 9; i++) {
    articles.push(
      fixture({ slug: `plain-${i}`, title: `Plain ${i}`, date: `2022-02-0${i}T09:00:00Z`, tags: ["Transit"] }),
    );
  }
  for (const article of articles) expect((await admin("POST", "/api/articles", article)).status).toBe(201);
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await request(path, { headers });
  return { res, body: await res.text() };
}

interface Seen {
  id: string;
  title: string;
  link: string;
  date: string;
  authors: string[];
}

async function readAll(prefix: string): Promise<Record<"rss" | "atom" | "json", Seen[]>> {
  const [rss, atom, json] = await Promise.all([
    get(`${prefix}/feed.xml?limit=100`),
    get(`${prefix}/atom.xml?limit=100`),
    get(`${prefix}/feed.json?limit=100`),
  ]);
  const fromXml = (xml: string): Seen[] =>
    parseFeed(xml).items.map((i) => ({
      id: i.id ?? "",
      title: i.title ?? "",
      link: i.url ?? "",
      date: i.published?.toISOString() ?? "",
      authors: [i.authors.map((a) => a.name ?? "").join(", ")],
    }));
  const document = JSON.parse(json.body) as {
    items: { id: string; title: string; url: string; date_published: string; authors?: { name: string }[] }[];
  };
  return {
    rss: fromXml(rss.body),
    atom: fromXml(atom.body),
    json: document.items.map((i) => ({
      id: i.id,
      title: i.title,
      link: i.url,
      date: new Date(i.date_published).toISOString(),
      authors: [(i.authors ?? []).map((a) => a.name).join(", ")],
    })),
  };
}

describe("the site feed in three formats", () => {
  it("says the same thing in every format: id, title as plain text, link, date, authors", async () => {
    const { rss, atom, json } = await readAll("");
    expect(json).toHaveLength(12);
    expect(rss).toEqual(json);
    expect(atom).toEqual(json);
    expect(json[0]).toEqual({
      id: "https://news.example.com/articles/hostile",
      title: HOSTILE_TITLE,
      link: "https://news.example.com/articles/hostile",
      date: "2022-03-09T06:00:00.000Z",
      authors: ['Eve "<x>" & co'],
    });
    expect(json.find((i) => i.id.endsWith("/elsewhere"))?.link).toBe("https://elsewhere.example/story");
    expect(json.map((i) => i.title)).not.toContain("Draft");
  });

  it("shows every author of a multi-author item, each correctly paired", async () => {
    const [rss, atom, json] = await Promise.all([
      get("/feed.xml?limit=100"),
      get("/atom.xml?limit=100"),
      get("/feed.json?limit=100"),
    ]);
    const id = "https://news.example.com/articles/updated";
    const rssItem = parseFeed(rss.body).items.find((i) => i.id === id);
    // One dc:creator: readers that keep one (feedparser, newsboat keep the last) still show both.
    expect(rssItem?.authors.map((a) => a.name)).toEqual(["Dana Kim, Zoë Ortega"]);
    expect(rss.body.match(/<dc:creator>/g)?.length).toBe(rss.body.match(/<item>/g)?.length);
    const atomItem = parseFeed(atom.body).items.find((i) => i.id === id);
    expect(atomItem?.authors.map((a) => a.name)).toEqual(["Dana Kim", "Zoë Ortega"]);
    // No emails in Atom: feedparser lends an author without one the previous author's email.
    expect(atom.body).not.toContain("<email>");
    const jsonItem = (JSON.parse(json.body) as { items: { id: string; authors: { name: string }[] }[] }).items.find(
      (i) => i.id === id,
    );
    expect(jsonItem?.authors.map((a) => a.name)).toEqual(["Dana Kim", "Zoë Ortega"]);
  });

  it("reads the same through a second parser", async () => {
    const rss = extractFromXml((await get("/feed.xml?limit=100")).body, { descriptionMaxLen: 0 });
    const atom = extractFromXml((await get("/atom.xml?limit=100")).body, { descriptionMaxLen: 0 });
    const json = extractFromJson(JSON.parse((await get("/feed.json?limit=100")).body), { descriptionMaxLen: 0 });
    const pick = (r: typeof rss) => r.entries?.map((e) => [e.id, e.title, e.link]);
    expect(pick(rss)).toEqual(pick(json));
    expect(pick(atom)).toEqual(pick(json));
    // This parser dates RSS items by pubDate and Atom entries by <updated>, as each format intends.
    const document = JSON.parse((await get("/feed.json?limit=100")).body) as {
      items: { date_published: string; date_modified: string }[];
    };
    const iso = (d: string) => new Date(d).toISOString();
    expect(rss.entries?.map((e) => iso(e.published ?? ""))).toEqual(document.items.map((i) => iso(i.date_published)));
    expect(atom.entries?.map((e) => iso(e.published ?? ""))).toEqual(document.items.map((i) => iso(i.date_modified)));
  });

  it.each([
    ["/feed.xml", "application/rss+xml; charset=utf-8"],
    ["/atom.xml", "application/atom+xml; charset=utf-8"],
    ["/feed.json", "application/feed+json; charset=utf-8"],
    ["/tags/transit/feed.xml", "application/rss+xml; charset=utf-8"],
    ["/authors/dana-kim/atom.xml", "application/atom+xml; charset=utf-8"],
    ["/feeds.opml", "text/x-opml; charset=utf-8"],
  ])("serves %s as %s, readable from any origin", async (path, type) => {
    const { res } = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("names the URL served as rel=self, query included", async () => {
    const rss = (await get("/feed.xml?limit=3")).body;
    expect(rss).toContain(
      '<atom:link href="https://news.example.com/feed.xml?limit=3" rel="self" type="application/rss+xml"/>',
    );
    const atom = (await get("/tags/transit/atom.xml")).body;
    expect(atom).toContain('<link rel="self" href="https://news.example.com/tags/transit/atom.xml"/>');
    const json = JSON.parse((await get("/feed.json")).body) as { feed_url: string };
    expect(json.feed_url).toBe("https://news.example.com/feed.json");
  });

  it("carries full content, summary, categories with terms, images, and the article's language", async () => {
    const atom = parseFeed((await get("/atom.xml")).body);
    const first = atom.items[0];
    // The summary is derived from the body as plain text: markup and scripts gone.
    expect(first?.description).toBe("a ]]> b rel 🎉 مرحبا");
    expect(first?.content).toContain('<a href="https://news.example.com/articles/other">rel</a>');
    expect(first?.content).not.toContain("<script");
    expect(first?.categories.map((c) => c.term)).toEqual(["transit", "qogam"]);
    expect(first?.media[0]).toMatchObject({ url: "https://news.example.com/images/a.png", mimeType: "image/png" });
    expect((await get("/atom.xml")).body).toContain('<entry xml:lang="kk">');
    const rss = (await get("/feed.xml")).body;
    expect(rss).toContain("<dc:creator>Eve &quot;&#x3C;x&gt;&quot; &#x26; co</dc:creator>");
    expect(rss).toContain("<dc:language>kk</dc:language>");
  });
});

describe("tag and author feeds", () => {
  it("hold only their own articles, drafts never", async () => {
    const tag = await readAll("/tags/transit");
    expect(tag.json.map((i) => i.id.split("/").pop())).toEqual([
      "hostile",
      "updated",
      ...Array.from({ length: 9 }, (_, i) => `plain-${9 - i}`),
    ]);
    expect(tag.rss).toEqual(tag.json);
    const author = await readAll("/authors/zoe-ortega");
    expect(author.atom.map((i) => i.title)).toEqual(["Updated later"]);
  });

  it("answer 404 for an unknown tag or author", async () => {
    for (const path of ["/tags/nope/feed.xml", "/authors/nobody/feed.json", "/tags/nope/atom.xml"]) {
      const { res } = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    }
  });
});

describe("paging", () => {
  it("walks the whole feed through rel=next with nothing lost or repeated, in every format", async () => {
    const all = (JSON.parse((await get("/feed.json?limit=100")).body) as { items: { id: string }[] }).items.map(
      (i) => i.id,
    );
    expect(all).toHaveLength(12);
    for (const file of ["feed.xml", "atom.xml"]) {
      const seen: string[] = [];
      let next: string | undefined = `/${file}?limit=5`;
      let pages = 0;
      while (next) {
        const body: string = (await get(next)).body;
        seen.push(...parseFeed(body).items.map((i) => i.id ?? ""));
        next = /<(?:atom:)?link[^>]*rel="next"[^>]*>/
          .exec(body)?.[0]
          .match(/href="([^"]+)"/)?.[1]
          ?.replaceAll("&amp;", "&");
        pages++;
      }
      expect(pages).toBe(3);
      // Every item once, in the order of the whole feed.
      expect(seen).toEqual(all);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let next: string | undefined = "/feed.json?limit=5";
    while (next) {
      const page = JSON.parse((await get(next)).body) as { items: { id: string }[]; next_url?: string };
      seen.push(...page.items.map((i) => i.id));
      sizes.push(page.items.length);
      next = page.next_url;
    }
    expect(sizes).toEqual([5, 5, 2]);
    expect(seen).toEqual(all);
  });

  it("links back with rel=previous and rel=first", async () => {
    const first = (await get("/atom.xml?limit=5")).body;
    expect(first).not.toContain('rel="previous"');
    const nextHref =
      /rel="next" type="application\/atom\+xml" href="([^"]+)"/.exec(first)?.[1]?.replaceAll("&amp;", "&") ?? "";
    const second = (await get(nextHref)).body;
    expect(second).toContain(
      '<link rel="first" type="application/atom+xml" href="https://news.example.com/atom.xml?limit=5"/>',
    );
    const prevHref =
      /rel="previous" type="application\/atom\+xml" href="([^"]+)"/.exec(second)?.[1]?.replaceAll("&amp;", "&") ?? "";
    const back = parseFeed((await get(prevHref)).body).items.map((i) => i.id);
    const firstIds = parseFeed(first).items.map((i) => i.id);
    expect(firstIds).toHaveLength(5);
    expect(back).toEqual(firstIds);
    const secondIds = parseFeed(second).items.map((i) => i.id);
    expect(secondIds).toHaveLength(5);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  });

  it.each([
    "/feed.xml?limit=0",
    "/feed.xml?limit=101",
    "/atom.xml?limit=abc",
    "/feed.json?cursor=nope",
    "/tags/transit/feed.xml?limit=1&limit=2",
  ])("answers %s with 400 problem+json", async (path) => {
    const { res } = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });
});

describe("HTTP caching", () => {
  it("sends a weak ETag, Last-Modified from the newest item, and Cache-Control", async () => {
    const { res } = await get("/feed.xml");
    expect(res.headers.get("etag")).toMatch(/^W\/"[^"]+"$/);
    expect(res.headers.get("last-modified")).toBe("Thu, 10 Mar 2022 09:00:00 GMT");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
  });

  it("answers If-None-Match with 304 and no body", async () => {
    const etag = (await get("/atom.xml")).res.headers.get("etag") ?? "";
    const { res, body } = await get("/atom.xml", { "if-none-match": `"other", ${etag}` });
    expect(res.status).toBe(304);
    expect(body).toBe("");
    expect(res.headers.get("etag")).toBe(etag);
  });

  it("answers If-Modified-Since with 304 when nothing is newer, and 200 when something is", async () => {
    expect((await get("/feed.json", { "if-modified-since": "Thu, 10 Mar 2022 09:00:00 GMT" })).res.status).toBe(304);
    expect((await get("/feed.json", { "if-modified-since": "Wed, 09 Mar 2022 09:00:00 GMT" })).res.status).toBe(200);
    // Before any cache entry exists for this URL, the head query answers.
    expect(
      (await get("/tags/culture/feed.json", { "if-modified-since": "Thu, 10 Mar 2022 09:00:00 GMT" })).res.status,
    ).toBe(304);
  });

  it("lets If-None-Match win over If-Modified-Since", async () => {
    const { res } = await get("/feed.xml", {
      "if-none-match": 'W/"stale"',
      "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT",
    });
    expect(res.status).toBe(200);
  });

  it("gives each URL its own ETag", async () => {
    const a = (await get("/feed.xml")).res.headers.get("etag");
    const b = (await get("/feed.xml?limit=3")).res.headers.get("etag");
    const c = (await get("/atom.xml")).res.headers.get("etag");
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await request("/feed.xml", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^W\//);
    expect(await res.text()).toBe("");
  });
});

describe("after a write", () => {
  it("changes the ETag and shows the new article at once", async () => {
    const before = await get("/feed.xml");
    const etag = before.res.headers.get("etag") ?? "";
    expect(
      (
        await admin(
          "POST",
          "/api/articles",
          fixture({ slug: "breaking", title: "Breaking", date: "2022-03-12T09:00:00Z" }),
        )
      ).status,
    ).toBe(201);
    const after = await get("/feed.xml", { "if-none-match": etag });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get("etag")).not.toBe(etag);
    expect(parseFeed(after.body).items[0]?.title).toBe("Breaking");
    expect(after.res.headers.get("last-modified")).toBe("Sat, 12 Mar 2022 09:00:00 GMT");
    // Leave the feed as the other tests expect it, whatever order they run in.
    expect((await admin("DELETE", "/api/articles/breaking")).status).toBe(204);
    const gone = await get("/feed.xml", { "if-none-match": after.res.headers.get("etag") ?? "" });
    expect(gone.res.status).toBe(200);
    expect(gone.body).not.toContain("Breaking");
  });
});

describe("OPML", () => {
  const outlines = (xml: string) => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
      opml: { version: string; body: { outline: unknown } };
    };
    expect(doc.opml.version).toBe("2.0");
    const all: { xmlUrl?: string; type?: string }[] = [];
    const walk = (node: unknown) => {
      for (const o of Array.isArray(node) ? node : [node]) {
        const outline = o as { xmlUrl?: string; type?: string; outline?: unknown };
        if (outline.xmlUrl) all.push(outline);
        if (outline.outline) walk(outline.outline);
      }
    };
    walk(doc.opml.body.outline);
    return all;
  };

  it("lists the site feed and every tag and author feed, never one only a draft has", async () => {
    expect(
      (await admin("POST", "/api/articles", fixture({ slug: "opml-draft", draft: true, tags: ["Draft Only"] }))).status,
    ).toBe(201);
    const urls = outlines((await get("/feeds.opml")).body).map((o) => o.xmlUrl);
    expect(urls).toEqual(
      expect.arrayContaining([
        "https://news.example.com/feed.xml",
        "https://news.example.com/tags/transit/feed.xml",
        "https://news.example.com/tags/culture/feed.xml",
        "https://news.example.com/authors/zoe-ortega/feed.xml",
      ]),
    );
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.filter((u) => u?.includes("draft-only"))).toEqual([]);
  });

  it.each([
    ["rss", "feed.xml"],
    ["atom", "atom.xml"],
    ["json", "feed.json"],
  ])("offers every feed as %s with ?format=", async (format, file) => {
    const all = outlines((await get(`/feeds.opml?format=${format}`)).body);
    expect(all.length).toBeGreaterThan(3);
    for (const o of all) expect(o.xmlUrl?.endsWith(`/${file}`), o.xmlUrl).toBe(true);
  });

  it("answers an unknown format with 400", async () => {
    const { res } = await get("/feeds.opml?format=csv");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });
});
