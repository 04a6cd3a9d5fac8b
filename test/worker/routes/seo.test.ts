// /sitemap.xml, the sitemaps it lists and /robots.txt: every public article whose
// canonical page is on this site is listed exactly once, valid against the sitemaps.org schemas
// (checked in Node by test/validators-setup.ts on what the Worker served).

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { articleFromJson } from "../../../src/core/article.js";
import { admin, fixture, request, SITE, testServices } from "../helpers.js";

async function problems(kind: "sitemap" | "sitemapindex" | "jsonld", body: string): Promise<string[]> {
  const res = await fetch(`${env.VALIDATORS_TEST_HTTP}/${kind}`, { method: "POST", body });
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1] ?? "");
const entries = (xml: string) =>
  new Map(
    [...xml.matchAll(/<url><loc>([^<]*)<\/loc>(?:<lastmod>([^<]*)<\/lastmod>)?<\/url>/g)].map((m) => [m[1], m[2]]),
  );

/** Every URL in every sitemap the index lists, each sitemap validated on the way. */
async function crawl(): Promise<{ sitemaps: string[]; urls: string[]; lastmods: Map<string, string | undefined> }> {
  const res = await request("/sitemap.xml");
  expect(res.status).toBe(200);
  const index = await res.text();
  expect(await problems("sitemapindex", index)).toEqual([]);
  const sitemaps = locs(index);
  const urls: string[] = [];
  const lastmods = new Map<string, string | undefined>();
  for (const loc of sitemaps) {
    expect(loc.startsWith(`${SITE}/sitemaps/`), loc).toBe(true);
    const one = await request(loc.slice(SITE.length));
    expect(one.status, loc).toBe(200);
    expect(one.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await one.text();
    expect(await problems("sitemap", xml), loc).toEqual([]);
    urls.push(...locs(xml));
    for (const [url, lastmod] of entries(xml)) if (url) lastmods.set(url, lastmod);
  }
  return { sitemaps, urls, lastmods };
}

const post = async (body: Record<string, unknown>) =>
  expect((await admin("POST", "/api/articles", fixture(body))).status, String(body.slug)).toBe(201);

beforeAll(async () => {
  await post({ slug: "jan-first", date: "2022-01-03T10:00:00Z", tags: ["Rail & Roads"], authors: ["Dana Kim"] });
  await post({ slug: "jan-edited", date: "2022-01-20T10:00:00Z", updated: "2022-03-01T08:30:00+06:00" });
  await post({ slug: "feb-only", date: "2022-02-01T00:00:00Z", tags: ["Parks"], authors: ["Lee Park"] });
  await post({ slug: "elsewhere", date: "2022-01-05T10:00:00Z", url: "https://wire.example.org/story/1" });
  await post({ slug: "a-draft", date: "2022-01-06T10:00:00Z", draft: true, tags: ["Draft Tag"] });
  // The instant before a UTC month starts, and the first one of it: two different sitemaps.
  await post({ slug: "last-of-march", date: "2022-03-31T23:59:59.999Z" });
  await post({ slug: "first-of-april", date: "2022-04-01T06:00:00+06:00" });
});

describe("sitemaps", () => {
  it("list every public on-site article exactly once, valid against the sitemaps.org schemas", async () => {
    const { urls, lastmods } = await crawl();
    const articles = urls.filter((u) => u.startsWith(`${SITE}/articles/`)).sort();
    expect(articles).toEqual(
      ["jan-first", "jan-edited", "feb-only", "last-of-march", "first-of-april"]
        .map((s) => `${SITE}/articles/${s}`)
        .sort(),
    );
    // An article whose canonical page is elsewhere is not listed, nor is a draft or its tag.
    expect(urls.join("\n")).not.toContain("elsewhere");
    expect(urls.join("\n")).not.toContain("draft");
    // lastmod: the update when there is one, else the publish time, W3C datetime in UTC.
    expect(lastmods.get(`${SITE}/articles/jan-edited`)).toBe("2022-03-01T02:30:00Z");
    expect(lastmods.get(`${SITE}/articles/jan-first`)).toBe("2022-01-03T10:00:00Z");
    expect(lastmods.get(`${SITE}/articles/last-of-march`)).toBe("2022-03-31T23:59:59.999Z");
    for (const page of ["/", "/tags", "/authors", "/digests", "/tags/rail-roads", "/authors/lee-park"]) {
      expect(urls.filter((u) => u === `${SITE}${page}`).length, page).toBe(1);
    }
    expect(new Set(urls).size).toBe(urls.length);
  });

  it("split articles by UTC month of publication", async () => {
    const { sitemaps } = await crawl();
    const months = sitemaps.filter((s) => s.includes("/articles-"));
    expect(months).toContain(`${SITE}/sitemaps/articles-2022-03.xml`);
    expect(months).toContain(`${SITE}/sitemaps/articles-2022-04.xml`);
    const march = await (await request("/sitemaps/articles-2022-03.xml")).text();
    expect(locs(march)).toContain(`${SITE}/articles/last-of-march`);
    expect(locs(march)).not.toContain(`${SITE}/articles/first-of-april`);
  });

  it("answer 304 to a matching ETag, HEAD with the same headers, and ignore unknown parameters", async () => {
    for (const path of ["/sitemap.xml", "/sitemaps/articles-2022-01.xml", "/sitemaps/pages.xml", "/robots.txt"]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      const etag = res.headers.get("etag");
      expect(etag, path).toMatch(/^W\//);
      expect(res.headers.get("cache-control")).toContain("public");
      const again = await request(path, { headers: { "if-none-match": etag ?? "" } });
      expect(again.status, path).toBe(304);
      const head = await request(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("etag")).toBe(etag);
      expect(head.headers.get("content-type")).toBe(res.headers.get("content-type"));
      expect(await head.text()).toBe("");
      const tracked = await request(`${path}?utm_source=news&fbclid=x`);
      expect(tracked.status).toBe(200);
      expect(tracked.headers.get("etag")).toBe(etag);
    }
  });

  it("answer 404 as problem+json for a sitemap that is not there", async () => {
    for (const path of [
      "/sitemaps/articles-2031-01.xml",
      "/sitemaps/articles-2022-01-2.xml",
      "/sitemaps/articles-2022-01-1.xml",
      "/sitemaps/articles-2022-13.xml",
      "/sitemaps/tags-0.xml",
      "/sitemaps/whatever.xml",
      "/sitemaps/articles-2022-01-999999.xml",
      "/sitemaps/articles-2022-01-1234567.xml",
      "/sitemaps/tags-999999.xml",
      "/sitemaps/articles-0999-01.xml",
      `/sitemaps/${"a".repeat(5000)}.xml`,
      "/sitemaps/articles-2022-01.xml.xml",
    ]) {
      const res = await request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("application/problem+json; charset=utf-8");
    }
    expect((await request("/sitemap.xml", { method: "POST" })).status).toBe(405);
  });

  it("follow an edit that moves an article to another month, elsewhere or to a draft, and a deletion", async () => {
    const put = async (slug: string, body: Record<string, unknown>) =>
      expect((await admin("PUT", `/api/articles/${slug}`, fixture({ slug, ...body }))).status, slug).toBe(200);
    await post({ slug: "mover", date: "2023-05-10T10:00:00Z" });
    await post({ slug: "goes-away", date: "2023-05-11T10:00:00Z" });
    await post({ slug: "gets-drafted", date: "2023-06-11T10:00:00Z" });
    await post({ slug: "gets-syndicated", date: "2023-06-12T10:00:00Z" });
    let { sitemaps, urls } = await crawl();
    expect(sitemaps).toContain(`${SITE}/sitemaps/articles-2023-05.xml`);
    expect(sitemaps).toContain(`${SITE}/sitemaps/articles-2023-06.xml`);
    await put("mover", { date: "2023-07-01T00:00:00Z" });
    expect((await admin("DELETE", "/api/articles/goes-away")).status).toBe(204);
    await put("gets-drafted", { date: "2023-06-11T10:00:00Z", draft: true });
    await put("gets-syndicated", { date: "2023-06-12T10:00:00Z", url: "https://wire.example.org/2" });
    ({ sitemaps, urls } = await crawl());
    // May and June have nothing left: not listed, and not there.
    expect(sitemaps.filter((s) => /articles-2023-0[56]/.test(s))).toEqual([]);
    expect((await request("/sitemaps/articles-2023-05.xml")).status).toBe(404);
    expect(urls.filter((u) => u === `${SITE}/articles/mover`)).toHaveLength(1);
    expect(sitemaps).toContain(`${SITE}/sitemaps/articles-2023-07.xml`);
    for (const gone of ["goes-away", "gets-drafted", "gets-syndicated"]) {
      expect(urls, gone).not.toContain(`${SITE}/articles/${gone}`);
    }
  });

  it("take in a scheduled article when its time comes, without a write", async () => {
    const due = Date.now() + 2000;
    await post({ slug: "scheduled-soon", date: new Date(due).toISOString(), tags: ["Soon Tag"] });
    const before = await crawl();
    expect(before.urls.join("\n")).not.toContain("scheduled-soon");
    expect(before.urls.join("\n")).not.toContain("soon-tag");
    await new Promise((resolve) => setTimeout(resolve, due - Date.now() + 1100));
    const after = await crawl();
    expect(after.urls.filter((u) => u === `${SITE}/articles/scheduled-soon`)).toHaveLength(1);
    expect(after.urls).toContain(`${SITE}/tags/soon-tag`);
  });
});

describe("a month's sitemap", () => {
  const build = (slug: string, date: string) => ({
    article: articleFromJson({ title: `Bulk ${slug}`, date, markdown: "Bulk." }, { siteUrl: SITE, slug }),
    path: `content/${slug}.md`,
    hash: slug,
  });
  const month = (name: string, count: number) =>
    Array.from({ length: count }, (_, i) =>
      build(
        `${name}-${i}`,
        `${name}-${String((i % 28) + 1).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00Z`,
      ),
    );

  it("holds 500 URLs in one sitemap, and the 501st goes to a second part", async () => {
    await testServices().articles.sync([...month("1999-05", 500), ...month("1999-06", 501)], []);
    const index = locs(await (await request("/sitemap.xml")).text());
    expect(index.filter((l) => l.includes("articles-1999-05"))).toEqual([`${SITE}/sitemaps/articles-1999-05.xml`]);
    expect(index.filter((l) => l.includes("articles-1999-06"))).toEqual([
      `${SITE}/sitemaps/articles-1999-06.xml`,
      `${SITE}/sitemaps/articles-1999-06-2.xml`,
    ]);
    const may = await (await request("/sitemaps/articles-1999-05.xml")).text();
    expect(locs(may)).toHaveLength(500);
    expect(await problems("sitemap", may)).toEqual([]);
    const june = locs(await (await request("/sitemaps/articles-1999-06.xml")).text());
    const june2 = locs(await (await request("/sitemaps/articles-1999-06-2.xml")).text());
    expect(june).toHaveLength(500);
    expect(june2).toHaveLength(1);
    expect(new Set([...june, ...june2]).size).toBe(501);
    expect((await request("/sitemaps/articles-1999-05-2.xml")).status).toBe(404);
  });
});

describe("robots.txt", () => {
  it("robots.txt points to the sitemap index and keeps crawlers off the API and token pages", async () => {
    const res = await request("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const lines = (await res.text()).split("\n");
    expect(lines).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    expect(lines).toContain("User-agent: *");
    for (const path of ["/api/", "/subscribe/confirm", "/preferences", "/unsubscribe"]) {
      expect(lines).toContain(`Disallow: ${path}`);
    }
    expect(lines).not.toContain("Disallow: /");
  });
});
