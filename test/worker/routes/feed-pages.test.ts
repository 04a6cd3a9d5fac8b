import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, request } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const DAY = 86_400_000;

/** What a person sees on a feed page, read back from its HTML. */
function read(html: string) {
  const document = parseDocument(html);
  const all = (predicate: (e: Element) => boolean) => DomUtils.findAll(predicate, document.children as Element[]);
  const text = (e: Element) => DomUtils.textContent(e).replace(/\s+/g, " ").trim();
  const byId = (id: string) => all((e) => e.attribs.id === id)[0];
  const main = () => all((e) => e.name === "main");
  return {
    /** The feed addresses, by format label, as the page shows them. */
    addresses: Object.fromEntries(
      all((e) => e.name === "dt").map((dt) => {
        const dd = DomUtils.nextElementSibling(dt);
        const code = dd ? DomUtils.findOne((e) => e.name === "code", [dd]) : null;
        return [text(dt), code ? text(code) : ""];
      }),
    ),
    readers: Object.fromEntries(
      all((e) => e.name === "a" && (e.parent?.parent as Element | null)?.attribs?.class === "readers").map((a) => [
        text(a),
        a.attribs.href ?? "",
      ]),
    ),
    /** Each button of the page's content (the header's search box is the site's): its name, what it copies. */
    buttons: all((e) => e.name === "button" && DomUtils.findOne((m) => m === e, main()) !== null).map((b) => ({
      name: text(b),
      type: b.attribs.type,
      hiddenUntilScript: b.attribs.hidden !== undefined,
      copies: b.attribs["data-copy"] ? text(byId(b.attribs["data-copy"]) ?? b) : null,
    })),
    status: all((e) => e.attribs.role === "status").map((e) => e.attribs["aria-live"]),
    preview: all((e) => e.name === "li" && (e.parent as Element | null)?.attribs?.class === "articles").map((li) => {
      const link = DomUtils.findOne((e) => e.name === "a", [li]);
      const time = DomUtils.findOne((e) => e.name === "time", [li]);
      return {
        title: link ? text(link) : "",
        href: link?.attribs.href,
        date: time ? text(time) : "",
        summary: text(DomUtils.findAll((e) => e.name === "p", [li]).at(-1) ?? li),
      };
    }),
    scripts: all((e) => e.name === "script").map((s) => ({ src: s.attribs.src, inline: text(s) })),
    alternates: all((e) => e.name === "link" && e.attribs.rel === "alternate").map(
      (l) => `${l.attribs.type} ${l.attribs.href}`,
    ),
  };
}

/** The feed URL a reader's subscribe link carries, decoded. */
function carried(reader: string, href: string): string | null {
  const url = new URL(href);
  if (reader === "Feedly") {
    const prefix = "/i/subscription/feed%2F";
    return url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : null;
  }
  return url.searchParams.get({ Inoreader: "add_feed", NewsBlur: "url", "The Old Reader": "url" }[reader] ?? "");
}

function directives(csp: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values.join(" "));
  }
  return map;
}

describe("the site's feed page with nothing published", () => {
  it("says so, and still offers every address", async () => {
    const res = await request("/feeds");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(read(html).preview).toEqual([]);
    expect(parsePage(html).text).toContain("Nothing is published here yet.");
    expect(read(html).addresses).toEqual({
      RSS: "https://news.example.com/feed.xml",
      Atom: "https://news.example.com/atom.xml",
      "JSON Feed": "https://news.example.com/feed.json",
    });
  });
});

describe("feed pages", () => {
  beforeAll(async () => {
    for (let i = 1; i <= 12; i++) {
      await admin(
        "POST",
        "/api/articles",
        fixture({
          slug: `fp-${i}`,
          title: `Feed story ${i}`,
          summary: `Summary of feed story ${i}.`,
          date: `2022-05-${String(i).padStart(2, "0")}T10:00:00+06:00`,
          tags: i % 2 === 0 ? ["Protests in Kazakhstan"] : ["Culture"],
          authors: i === 3 ? ["Aigerim Sәrsenbaeva"] : ["Dana Kim"],
        }),
      );
    }
    await admin("POST", "/api/articles", fixture({ slug: "fp-draft", title: "Draft feed story", draft: true }));
    await admin(
      "POST",
      "/api/articles",
      fixture({
        slug: "fp-later",
        title: "Scheduled feed story",
        date: new Date(Date.now() + 2 * DAY).toISOString(),
        tags: ["Not Yet"],
        authors: ["Future Writer"],
      }),
    );
  });

  it("/feeds explains feeds and gives the site's three addresses, in full", async () => {
    const res = await request("/feeds");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Follow The Steppe Ledger in a feed reader");
    expect(page.text).toContain("A feed is a list of the newest articles");
    const seen = read(html);
    expect(seen.addresses).toEqual({
      RSS: "https://news.example.com/feed.xml",
      Atom: "https://news.example.com/atom.xml",
      "JSON Feed": "https://news.example.com/feed.json",
    });
    expect(seen.alternates).toEqual([
      "application/rss+xml https://news.example.com/feed.xml",
      "application/atom+xml https://news.example.com/atom.xml",
      "application/feed+json https://news.example.com/feed.json",
    ]);
    expect(page.links).toContain("/feeds.opml");
  });

  it("links to four readers, each carrying the feed's URL whole", async () => {
    const seen = read(await (await request("/feeds")).text());
    expect(Object.keys(seen.readers)).toEqual(["Feedly", "Inoreader", "NewsBlur", "The Old Reader"]);
    expect(seen.readers.Feedly).toBe(
      "https://feedly.com/i/subscription/feed%2Fhttps%3A%2F%2Fnews.example.com%2Ffeed.xml",
    );
    expect(seen.readers.Inoreader).toBe(
      "https://www.inoreader.com/?add_feed=https%3A%2F%2Fnews.example.com%2Ffeed.xml",
    );
    expect(seen.readers.NewsBlur).toBe("https://www.newsblur.com/?url=https%3A%2F%2Fnews.example.com%2Ffeed.xml");
    expect(seen.readers["The Old Reader"]).toBe(
      "https://theoldreader.com/feeds/subscribe?url=https%3A%2F%2Fnews.example.com%2Ffeed.xml",
    );
  });

  it("previews the ten newest public articles, linked, dated and summarised; never a draft or a scheduled one", async () => {
    const html = await (await request("/feeds")).text();
    const { preview } = read(html);
    expect(preview.map((p) => p.title)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((i) => `Feed story ${i}`));
    expect(preview[0]).toEqual({
      title: "Feed story 12",
      href: "/articles/fp-12",
      date: "May 12, 2022",
      summary: "Summary of feed story 12.",
    });
    expect(html).not.toContain("Draft feed story");
    expect(html).not.toContain("Scheduled feed story");
  });

  it("a tag's page gives the tag's addresses, reader links with the tag in the URL, and its articles", async () => {
    const res = await request("/tags/protests-in-kazakhstan/feeds");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const seen = read(html);
    const rss = "https://news.example.com/tags/protests-in-kazakhstan/feed.xml";
    expect(seen.addresses).toEqual({
      RSS: rss,
      Atom: "https://news.example.com/tags/protests-in-kazakhstan/atom.xml",
      "JSON Feed": "https://news.example.com/tags/protests-in-kazakhstan/feed.json",
    });
    for (const [reader, href] of Object.entries(seen.readers)) expect(carried(reader, href), reader).toBe(rss);
    expect(seen.readers.Inoreader).toBe(
      "https://www.inoreader.com/?add_feed=https%3A%2F%2Fnews.example.com%2Ftags%2Fprotests-in-kazakhstan%2Ffeed.xml",
    );
    expect(seen.alternates).toEqual([
      `application/rss+xml ${rss}`,
      "application/atom+xml https://news.example.com/tags/protests-in-kazakhstan/atom.xml",
      "application/feed+json https://news.example.com/tags/protests-in-kazakhstan/feed.json",
    ]);
    expect(seen.preview.map((p) => p.title)).toEqual([12, 10, 8, 6, 4, 2].map((i) => `Feed story ${i}`));
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Follow “Protests in Kazakhstan” in a feed reader");
    expect(page.links).not.toContain("/feeds.opml");
    expect(page.links).toContain("/tags/protests-in-kazakhstan");
  });

  it("an author's page gives the author's addresses and articles", async () => {
    const res = await request("/authors/aigerim-sarsenbaeva/feeds");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const seen = read(html);
    const rss = "https://news.example.com/authors/aigerim-sarsenbaeva/feed.xml";
    expect(seen.addresses.RSS).toBe(rss);
    expect(seen.addresses["JSON Feed"]).toBe("https://news.example.com/authors/aigerim-sarsenbaeva/feed.json");
    for (const [reader, href] of Object.entries(seen.readers)) expect(carried(reader, href), reader).toBe(rss);
    expect(seen.preview.map((p) => p.title)).toEqual(["Feed story 3"]);
  });

  it("an unknown tag or author, or one with only scheduled articles, is a 404 page", async () => {
    for (const path of [
      "/tags/nowhere/feeds",
      "/authors/nobody/feeds",
      "/tags/not-yet/feeds",
      "/authors/future-writer/feeds",
    ]) {
      const res = await request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("text/html; charset=utf-8");
      expect(await htmlProblems(await res.text()), path).toEqual([]);
    }
  });

  it("copy buttons are labelled, copy the address beside them, and report in a live region", async () => {
    const seen = read(await (await request("/tags/culture/feeds")).text());
    expect(seen.buttons).toEqual([
      {
        name: "Copy the RSS address",
        type: "button",
        hiddenUntilScript: true,
        copies: "https://news.example.com/tags/culture/feed.xml",
      },
      {
        name: "Copy the Atom address",
        type: "button",
        hiddenUntilScript: true,
        copies: "https://news.example.com/tags/culture/atom.xml",
      },
      {
        name: "Copy the JSON Feed address",
        type: "button",
        hiddenUntilScript: true,
        copies: "https://news.example.com/tags/culture/feed.json",
      },
    ]);
    expect(seen.status).toEqual(["polite"]);
    expect(seen.scripts).toEqual([{ src: "/feeds.js", inline: "" }]);
  });

  it("the page's policy lets the site's own script files run and nothing else; other pages run none", async () => {
    const page = directives((await request("/feeds")).headers.get("content-security-policy"));
    expect(page.get("script-src")).toBe("'self'");
    expect(page.get("default-src")).toBe("'none'");
    const home = directives((await request("/tags")).headers.get("content-security-policy"));
    expect(home.has("script-src")).toBe(false);
    // The same policy otherwise: only script-src differs.
    page.delete("script-src");
    expect(page).toEqual(home);
  });

  it("serves the copy script, which works the buttons and the live region the page has", async () => {
    // Static files answer before the Worker; in tests they are read through the ASSETS binding.
    const res = await env.ASSETS.fetch("https://news.example.com/feeds.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    const script = await res.text();
    expect(script).toContain("button[data-copy]");
    expect(script).toContain('getElementById("copy-status")');
    expect(script).toContain("navigator.clipboard");
  });

  it("is cached by content version: ETag, 304, HEAD, unknown parameters ignored", async () => {
    const first = await request("/tags/culture/feeds");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/"/);
    const again = await request("/tags/culture/feeds", { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    const tracked = await request("/tags/culture/feeds?utm_source=newsletter&fbclid=x");
    expect(tracked.status).toBe(200);
    expect(tracked.headers.get("etag")).toBe(etag);
    const head = await request("/tags/culture/feeds", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await head.text()).toBe("");
    // A new article changes what the page shows.
    await admin(
      "POST",
      "/api/articles",
      fixture({ slug: "fp-13", title: "Feed story 13", tags: ["Culture"], date: "2022-05-13T10:00:00+06:00" }),
    );
    const changed = await request("/tags/culture/feeds", { headers: { "if-none-match": etag ?? "" } });
    expect(changed.status).toBe(200);
    expect(read(await changed.text()).preview[0]?.title).toBe("Feed story 13");
  });

  it("every feed link on the home, tag and author pages goes to the feed page; <head> still names the files", async () => {
    const cases: [string, string][] = [
      ["/", "/feeds"],
      ["/tags/culture", "/tags/culture/feeds"],
      ["/authors/dana-kim", "/authors/dana-kim/feeds"],
      ["/articles/fp-1", "/feeds"],
    ];
    for (const [path, feedPage] of cases) {
      const html = await (await request(path)).text();
      const links = parsePage(html).links;
      expect(links, path).toContain(feedPage);
      expect(links, path).toContain("/feeds");
      expect(
        links.filter((href) => /\/(feed\.xml|atom\.xml|feed\.json)$/.test(href)),
        path,
      ).toEqual([]);
      expect(read(html).alternates.length, path).toBeGreaterThanOrEqual(3);
    }
  });

  it("the feed files themselves still answer XML and JSON", async () => {
    const types: [string, string][] = [
      ["/feed.xml", "application/rss+xml; charset=utf-8"],
      ["/atom.xml", "application/atom+xml; charset=utf-8"],
      ["/feed.json", "application/feed+json; charset=utf-8"],
      ["/tags/culture/feed.xml", "application/rss+xml; charset=utf-8"],
      ["/authors/dana-kim/atom.xml", "application/atom+xml; charset=utf-8"],
    ];
    for (const [path, type] of types) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toBe(type);
      const body = await res.text();
      expect(body.startsWith(type.includes("json") ? "{" : "<?xml"), path).toBe(true);
    }
  });
});
