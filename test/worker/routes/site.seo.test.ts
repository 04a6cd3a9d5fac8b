// What search engines and link previews read from the pages' heads: the canonical URL, Open
// Graph and Twitter card tags, and schema.org JSON-LD (checked against schema.org's vocabulary
// in Node by test/validators-setup.ts, and for Google's article rich-result properties here).

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, request, SITE } from "../helpers.js";
import { htmlProblems } from "../page.js";

interface Head {
  canonical: string[];
  /** property= or name= -> every content=, in order. */
  meta: Map<string, string[]>;
  jsonLd: string[];
}

function headOf(html: string): Head {
  const doc = parseDocument(html);
  const head: Head = { canonical: [], meta: new Map(), jsonLd: [] };
  for (const el of DomUtils.getElementsByTagName("link", doc)) {
    if (el.attribs.rel === "canonical") head.canonical.push(el.attribs.href ?? "");
  }
  for (const el of DomUtils.getElementsByTagName("meta", doc)) {
    const key = el.attribs.property ?? el.attribs.name;
    if (key) head.meta.set(key, [...(head.meta.get(key) ?? []), el.attribs.content ?? ""]);
  }
  for (const el of DomUtils.getElementsByTagName("script", doc)) {
    if (el.attribs.type === "application/ld+json") head.jsonLd.push(DomUtils.textContent(el));
  }
  return head;
}

async function page(path: string): Promise<{ html: string; head: Head }> {
  const res = await request(path);
  expect(res.status, path).toBe(200);
  const html = await res.text();
  expect(await htmlProblems(html), path).toEqual([]);
  return { html, head: headOf(html) };
}

async function vocabularyProblems(node: unknown): Promise<string[]> {
  const res = await fetch(`${env.VALIDATORS_TEST_HTTP}/jsonld`, { method: "POST", body: JSON.stringify(node) });
  return (await res.json()) as string[];
}

const HOSTILE = '</script><i> "Q&A" 🚀 עב';
// ISO 8601 with a zone, as Google asks for article dates.
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

beforeAll(async () => {
  const post = async (body: Record<string, unknown>) =>
    expect((await admin("POST", "/api/articles", fixture(body))).status, String(body.slug)).toBe(201);
  await post({
    slug: "hostile",
    title: HOSTILE,
    summary: 'A summary with <angle> & "quotes".',
    date: "2022-01-10T10:00:00+06:00",
    updated: "2022-01-11T09:30:00Z",
    tags: ["Protests in Kazakhstan", "Қоғам"],
    authors: ["Dana Kim", { name: "Sputnik", url: "https://sputnik.example/" }],
    image: { url: "/images/skyline.png", alt: "The skyline at dusk" },
    lang: "kk",
  });
  await post({ slug: "plain", title: "A plain story", date: "2022-01-09T10:00:00Z", tags: [] });
  await post({ slug: "long", title: `${"Word ".repeat(30)}end`, date: "2022-01-08T10:00:00Z" });
  await post({
    slug: "syndicated",
    title: "From the wire",
    url: "https://wire.example.org/1",
    date: "2022-01-07T10:00:00Z",
  });
  for (let i = 0; i < 21; i++) await post({ slug: `filler-${i}`, date: "2021-12-01T10:00:00Z", tags: ["Filler"] });
});

describe("an article page's head", () => {
  it("has its canonical URL, Open Graph and Twitter card tags, values read back exactly", async () => {
    const { head } = await page("/articles/hostile");
    const url = `${SITE}/articles/hostile`;
    expect(head.canonical).toEqual([url]);
    const one = (key: string) => head.meta.get(key)?.[0];
    expect(one("og:type")).toBe("article");
    expect(one("og:title")).toBe(HOSTILE);
    expect(one("og:description")).toBe('A summary with <angle> & "quotes".');
    expect(one("og:url")).toBe(url);
    expect(one("og:site_name")).toBe("The Steppe Ledger");
    expect(one("og:locale")).toBe("kk_KZ");
    expect(one("og:image")).toBe(`${SITE}/images/skyline.png`);
    expect(one("og:image:alt")).toBe("The skyline at dusk");
    expect(one("article:published_time")).toBe("2022-01-10T04:00:00Z");
    expect(one("article:modified_time")).toBe("2022-01-11T09:30:00Z");
    expect(head.meta.get("article:author")).toEqual([`${SITE}/authors/dana-kim`, `${SITE}/authors/sputnik`]);
    expect(head.meta.get("article:tag")).toEqual(["Protests in Kazakhstan", "Қоғам"]);
    expect(one("twitter:card")).toBe("summary_large_image");
    expect(one("twitter:title")).toBe(HOSTILE);
    expect(one("twitter:image")).toBe(`${SITE}/images/skyline.png`);
  });

  it("falls back to the site's icon and a summary card when the article has no image", async () => {
    const { head } = await page("/articles/plain");
    expect(head.meta.get("twitter:card")).toEqual(["summary"]);
    expect(head.meta.get("og:image")).toEqual([`${SITE}/icon.png`]);
    expect(head.meta.get("og:image:width")).toEqual(["512"]);
    expect(head.meta.get("og:image:height")).toEqual(["512"]);
    expect(head.meta.get("article:modified_time")).toBeUndefined();
    expect(head.meta.get("article:tag")).toBeUndefined();
  });

  it("points canonical and og:url to where a syndicated article lives", async () => {
    const { head } = await page("/articles/syndicated");
    expect(head.canonical).toEqual(["https://wire.example.org/1"]);
    expect(head.meta.get("og:url")).toEqual(["https://wire.example.org/1"]);
    const [ld] = head.jsonLd.map((t) => JSON.parse(t) as Record<string, unknown>);
    expect(ld?.url).toBe("https://wire.example.org/1");
    expect(ld?.mainEntityOfPage).toEqual({
      "@type": "WebPage",
      "@id": `${SITE}/articles/syndicated`,
      url: `${SITE}/articles/syndicated`,
    });
  });
});

describe("an article page's JSON-LD", () => {
  it("cannot be broken out of by a title with </script>, and parses back to the same title", async () => {
    const { html, head } = await page("/articles/hostile");
    expect(head.jsonLd).toHaveLength(1);
    const text = head.jsonLd[0] ?? "";
    expect(text).not.toContain("<");
    expect(text).toContain("\\u003c/script\\u003e");
    // Besides the data block, the only script element is the site's own file (the sign-up box's
    // time zone), and the title's tag stayed text everywhere.
    expect(html.match(/<script[^>]*>/g)).toEqual([
      '<script type="application/ld+json">',
      '<script src="/zone.js" defer="">',
    ]);
    expect(html).not.toContain("<i>");
    const ld = JSON.parse(text) as Record<string, unknown>;
    expect(ld.headline).toBe(HOSTILE);
  });

  it("is a NewsArticle of schema.org's vocabulary with Google's article properties", async () => {
    const { head } = await page("/articles/hostile");
    const ld = JSON.parse(head.jsonLd[0] ?? "null") as Record<string, unknown>;
    expect(await vocabularyProblems(ld)).toEqual([]);
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("NewsArticle");
    expect(ld.datePublished).toMatch(ZONED);
    expect(ld.dateModified).toMatch(ZONED);
    expect(ld.datePublished).toBe("2022-01-10T04:00:00Z");
    expect(ld.dateModified).toBe("2022-01-11T09:30:00Z");
    expect(ld.inLanguage).toBe("kk");
    expect(ld.image).toEqual([{ "@type": "ImageObject", url: `${SITE}/images/skyline.png` }]);
    expect(ld.author).toEqual([
      { "@type": "Person", name: "Dana Kim", url: `${SITE}/authors/dana-kim` },
      { "@type": "Person", name: "Sputnik", url: "https://sputnik.example/" },
    ]);
    expect(ld.publisher).toEqual({
      "@type": "NewsMediaOrganization",
      name: "The Steppe Ledger",
      url: `${SITE}/`,
      logo: { "@type": "ImageObject", url: `${SITE}/icon.png`, width: 512, height: 512 },
    });
    expect(ld.keywords).toEqual(["Protests in Kazakhstan", "Қоғам"]);
    expect(ld.articleSection).toBe("Protests in Kazakhstan");
    expect(ld.mainEntityOfPage).toEqual({
      "@type": "WebPage",
      "@id": `${SITE}/articles/hostile`,
      url: `${SITE}/articles/hostile`,
    });
  });

  it("gives dateModified as the publish time when never updated, and cuts a headline past 110 characters", async () => {
    const plain = JSON.parse((await page("/articles/plain")).head.jsonLd[0] ?? "null") as Record<string, unknown>;
    expect(plain.dateModified).toBe(plain.datePublished);
    expect(plain.image).toBeUndefined();
    expect(await vocabularyProblems(plain)).toEqual([]);
    const long = JSON.parse((await page("/articles/long")).head.jsonLd[0] ?? "null") as Record<string, unknown>;
    const headline = String(long.headline);
    expect(Array.from(headline).length).toBeLessThanOrEqual(110);
    expect(Array.from(headline).length).toBeGreaterThan(100);
    expect(headline.endsWith("Word…")).toBe(true);
    expect(long.alternativeHeadline).toBe(`${"Word ".repeat(30)}end`);
    expect(await vocabularyProblems(long)).toEqual([]);
  });

  it("the checker itself refuses a property schema.org does not have and a wrong type", async () => {
    expect(
      await vocabularyProblems({ "@context": "https://schema.org", "@type": "NewsArticle", headlin: "x" }),
    ).toEqual(["$.headlin: not a property of NewsArticle"]);
    expect(
      await vocabularyProblems({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        author: { "@type": "ImageObject" },
      }),
    ).toHaveLength(1);
  });
});

describe("listing pages' heads", () => {
  it("the home page is a website with a WebSite node; an older page is its own canonical page", async () => {
    const { html, head } = await page("/?utm_source=x");
    expect(head.canonical).toEqual([`${SITE}/`]);
    expect(head.meta.get("og:type")).toEqual(["website"]);
    expect(head.meta.get("og:url")).toEqual([`${SITE}/`]);
    const ld = JSON.parse(head.jsonLd[0] ?? "null") as Record<string, unknown>;
    expect(ld["@type"]).toBe("WebSite");
    expect(await vocabularyProblems(ld)).toEqual([]);
    const next = /href="(\/\?cursor=[^"]+)" rel="next"/.exec(html)?.[1] ?? "";
    const older = await page(next);
    expect(older.head.canonical).toEqual([`${SITE}${next}`]);
    expect(older.head.jsonLd).toEqual([]);
  });

  it("tag and author pages canonicalise without unknown parameters, and to themselves when paged", async () => {
    const tag = await page("/tags/filler?fbclid=1");
    expect(tag.head.canonical).toEqual([`${SITE}/tags/filler`]);
    expect(tag.head.meta.get("og:url")).toEqual([`${SITE}/tags/filler`]);
    const next = /href="(\/tags\/filler\?cursor=[^"]+)" rel="next"/.exec(tag.html)?.[1] ?? "";
    expect((await page(next)).head.canonical).toEqual([`${SITE}${next}`]);
    expect((await page("/authors/dana-kim")).head.canonical).toEqual([`${SITE}/authors/dana-kim`]);
  });

  it("a page kept out of search engines offers no canonical URL and no preview", async () => {
    const res = await request("/subscribe", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=not-an-address&frequency=daily",
    });
    const html = await res.text();
    expect(html).toContain('<meta name="robots" content="noindex"');
    const head = headOf(html);
    expect(head.canonical).toEqual([]);
    expect(head.meta.get("og:title")).toBeUndefined();
  });
});
