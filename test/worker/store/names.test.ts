// The /tags and /authors indexes: every name of a public article with its count, alphabetical
// (case- and accent-insensitive, Cyrillic included), paged, with errors as HTML pages.

import { describe, expect, it } from "vitest";
import { admin, fixture, request } from "../helpers.js";
import { htmlProblems } from "../page.js";

/** The names listed on an index page, as [slug, name, count text]. */
function listed(html: string): [string, string, string][] {
  return [
    ...html.matchAll(
      /<li><a href="\/(?:tags|authors)\/([^"]+)">([^<]+)<\/a> <span class="meta">\(([^)]+)\)<\/span><\/li>/g,
    ),
  ].map((m) => [m[1] ?? "", m[2] ?? "", m[3] ?? ""]);
}

const nextLink = (html: string) => /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;

async function post(overrides: Record<string, unknown>) {
  const res = await admin("POST", "/api/articles", fixture(overrides));
  expect(res.status).toBe(201);
}

describe("the indexes of an empty site", () => {
  it.each(["/tags", "/authors"])("%s is a friendly page, not an error", async (path) => {
    const res = await request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("Nothing is published yet");
    expect(listed(html)).toEqual([]);
    expect(await htmlProblems(html)).toEqual([]);
  });
});

describe("/tags", () => {
  it("lists every tag of a public article with its count, alphabetical whatever the case, accents or script", async () => {
    const author = ["Author 001"];
    await post({ tags: ["Zebra", "apple", "Банк"], authors: author });
    await post({ tags: ["apple", "астана", "Ёлка"], authors: author });
    await post({ tags: ["Élan", "Mango", "ёж"], authors: author });
    // Scheduled: adds nothing to "apple" and lists no "Future only"; a draft lists nothing.
    await post({ tags: ["apple", "Future only"], authors: author, date: "2099-01-01T00:00:00Z" });
    await post({ tags: ["apple", "Draft only"], authors: author, draft: true });

    const res = await request("/tags?utm_source=newsletter");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(listed(html)).toEqual([
      ["apple", "apple", "2 articles"],
      ["elan", "Élan", "1 article"],
      ["mango", "Mango", "1 article"],
      ["zebra", "Zebra", "1 article"],
      [expect.stringMatching(/^[a-z0-9-]+$/), "астана", "1 article"],
      [expect.stringMatching(/^[a-z0-9-]+$/), "Банк", "1 article"],
      [expect.stringMatching(/^[a-z0-9-]+$/), "ёж", "1 article"],
      [expect.stringMatching(/^[a-z0-9-]+$/), "Ёлка", "1 article"],
    ]);
    expect(html).not.toContain("Future only");
    expect(html).not.toContain("Draft only");
    expect(nextLink(html)).toBeNull();
    expect(await htmlProblems(html)).toEqual([]);
    // Each name links to its listing.
    expect((await request("/tags/elan")).status).toBe(200);
  });

  it("is linked from every page's header and from the home page's tags", async () => {
    const home = await (await request("/")).text();
    expect(home).toMatch(
      /<header class="site">[\s\S]*<a href="\/tags">Tags<\/a>[\s\S]*<a href="\/authors">Authors<\/a>/,
    );
    expect(home).toContain('<a href="/tags">All tags</a>');
    expect(await htmlProblems(home)).toEqual([]);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const get = await request("/tags");
    const head = await request("/tags", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(await head.text()).toBe("");
  });

  it.each([
    "/tags?cursor=%21%21",
    "/tags?cursor=zzz",
    // base64url of "Not A Slug\nkey": well formed, but no cursor this site gives out.
    `/tags?cursor=${btoa("Not A Slug\nkey").replace(/=+$/, "")}`,
    `/authors?cursor=${"A".repeat(2001)}`,
    "/tags?cursor=a&cursor=b",
  ])("answers a malformed cursor (%s) with an HTML 400 page", async (path) => {
    const res = await request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("cursor");
    expect(await htmlProblems(html)).toEqual([]);
  });
});

describe("/authors", () => {
  const names = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `Author ${String(from + i).padStart(3, "0")}`);

  it("shows exactly 200 names on one page with no next link", async () => {
    // "Author 001" is on the /tags test's articles already; four articles of 50 make 200 names.
    for (let i = 0; i < 4; i++) await post({ authors: names(i * 50 + 1, i * 50 + 50), tags: ["Transit"] });
    await post({ authors: ["Author 201"], date: "2099-01-01T00:00:00Z" });
    await post({ authors: ["Author 202"], draft: true });
    const html = await (await request("/authors")).text();
    const shown = listed(html);
    expect(shown).toHaveLength(200);
    expect(shown[0]).toEqual(["author-001", "Author 001", "4 articles"]);
    expect(shown[199]?.[1]).toBe("Author 200");
    expect(nextLink(html)).toBeNull();
    expect(html).not.toContain("← Newest");
  });

  it("pages at the 201st name, and the next page links back to the start", async () => {
    await post({ authors: ["author 201½"] });
    const first = await (await request("/authors")).text();
    expect(listed(first)).toHaveLength(200);
    const next = nextLink(first);
    expect(next).toMatch(/^\/authors\?cursor=[A-Za-z0-9_-]+$/);
    const res = await request(next ?? "");
    expect(res.status).toBe(200);
    const second = await res.text();
    expect(listed(second)).toEqual([[expect.any(String), "author 201½", "1 article"]]);
    expect(nextLink(second)).toBeNull();
    expect(second).toContain('<a href="/authors">← Newest</a>');
    expect(await htmlProblems(second)).toEqual([]);
  });
});

describe("thumbnails in listings", () => {
  it("show an article's image in a fixed box that loads lazily, and nothing for an article without one", async () => {
    await post({
      slug: "with-picture",
      title: "With a picture",
      tags: ["Pictures"],
      image: { url: "/images/tram.png", alt: "A tram at dusk", width: 1200, height: 900 },
    });
    await post({ slug: "without-picture", title: "Without a picture", tags: ["Pictures"] });
    for (const path of ["/tags/pictures", "/", "/authors/dana-kim"]) {
      const html = await (await request(path)).text();
      const items = html.split("<li").filter((li) => li.includes('href="/articles/'));
      const withPicture = items.find((li) => li.includes("With a picture")) ?? "";
      expect(withPicture, path).toContain(
        '<img class="thumb" src="https://news.example.com/images/tram.png" alt="" width="120" height="80" loading="lazy" decoding="async"/>',
      );
      expect(
        items.find((li) => li.includes("Without a picture")),
        path,
      ).not.toContain("<img");
      expect(await htmlProblems(html)).toEqual([]);
    }
  });
});
