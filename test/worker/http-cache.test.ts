// Caching of every public GET: weak ETags and Cache-Control, HEAD, 304 without rendering or a
// D1 statement, cross-isolate freshness, and private answers to URLs with a token.

import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fixture, isolate, request, seedThreeArticles } from "./helpers.js";

beforeAll(seedThreeArticles);

const PUBLIC_GETS = [
  "/",
  "/articles/h1",
  "/tags/transit",
  "/authors/dana-kim",
  "/feed.xml",
  "/tags/transit/atom.xml",
  "/authors/dana-kim/feed.json",
  "/feeds.opml",
  "/digests",
  "/digests/daily/2022-05-01",
  "/digests/weekly/2022-W18.txt",
  "/api/articles",
  "/api/articles/h1",
];

describe("every public GET route", () => {
  it.each(PUBLIC_GETS)("%s is cached: weak ETag, Cache-Control, and 304 for If-None-Match", async (path) => {
    const res = await request(path);
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    const again = await request(path, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it.each(PUBLIC_GETS)("%s answers If-None-Match: * with 304", async (path) => {
    expect((await request(path, { headers: { "if-none-match": "*" } })).status).toBe(304);
  });

  it.each(PUBLIC_GETS)("%s answers HEAD with the same headers and Content-Length as GET", async (path) => {
    const get = await request(path);
    const bytes = (await get.arrayBuffer()).byteLength;
    const head = await request(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("content-length")).toBe(String(bytes));
    for (const name of ["etag", "content-type", "cache-control", "last-modified"]) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it("compares entity tags weakly (RFC 9110 8.8.3.2): W/ or not, in a list, with spaces", async () => {
    const etag = (await request("/feed.json")).headers.get("etag") ?? "";
    const strong = etag.replace(/^W\//, "");
    for (const header of [strong, `"nope", ${strong}`, ` ${etag} `, `"a",${etag}`]) {
      expect((await request("/feed.json", { headers: { "if-none-match": header } })).status, header).toBe(304);
    }
    for (const header of [`W/"nope"`, `${strong.slice(0, -1)}x"`, `"${strong}"`]) {
      expect((await request("/feed.json", { headers: { "if-none-match": header } })).status, header).toBe(200);
    }
  });

  it("answers an If-None-Match: * for something that does not exist with 404", async () => {
    expect((await request("/tags/nowhere/feed.xml", { headers: { "if-none-match": "*" } })).status).toBe(404);
  });
});

describe("304 before rendering", () => {
  it("answers a known ETag without a single D1 statement", async () => {
    const reader = isolate();
    for (const path of ["/feed.xml", "/", "/api/articles", "/digests"]) {
      const first = await reader.fetch(path);
      const etag = first.headers.get("etag") ?? "";
      const before = reader.statements();
      const res = await reader.fetch(path, { headers: { "if-none-match": etag } });
      expect(res.status).toBe(304);
      expect(reader.statements() - before, path).toBe(0);
    }
  });

  it("keeps CORS on every 304, the ones given before routing too", async () => {
    for (const path of ["/api/articles", "/api/articles/h1", "/feed.json"]) {
      const etag = (await request(path)).headers.get("etag") ?? "";
      for (let i = 0; i < 2; i++) {
        const res = await request(path, { headers: { "if-none-match": etag, origin: "https://reader.example" } });
        expect(res.status).toBe(304);
        expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      }
    }
  });

  it("answers a repeat request from memory without a D1 statement", async () => {
    const reader = isolate();
    await reader.fetch("/tags/transit/feed.xml");
    const before = reader.statements();
    expect((await reader.fetch("/tags/transit/feed.xml")).status).toBe(200);
    expect(reader.statements() - before).toBe(0);
  });
});

describe("other isolates", () => {
  it("see a write within a second, without any purge", async () => {
    const reader = isolate();
    const writer = isolate();
    const first = await reader.fetch("/feed.json");
    const write = await writer.fetch("/api/articles", {
      method: "POST",
      headers: { authorization: "Bearer test-admin-token-0123456789", "content-type": "application/json" },
      body: JSON.stringify(fixture({ slug: "from-elsewhere", title: "From elsewhere", date: "2022-06-01T00:00:00Z" })),
    });
    expect(write.status).toBe(201);
    // The writer's own isolate sees it at once.
    expect(await (await writer.fetch("/feed.json")).text()).toContain("From elsewhere");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await reader.fetch("/feed.json");
    expect(later.headers.get("etag")).not.toBe(first.headers.get("etag"));
    expect(await later.text()).toContain("From elsewhere");
  });
});

describe("a URL with a token (a subscriber's link)", () => {
  /** What every answer to such a URL carries, whatever answered it. */
  function expectPrivate(res: Response) {
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    expect(res.headers.get("cache-control")).toBe("no-store");
  }

  it.each([
    ["GET", "/nope?token=x", 404, "text/html; charset=utf-8"],
    ["HEAD", "/nope?token=x", 404, "text/html; charset=utf-8"],
    ["GET", "/api/nope?token=x", 404, "application/problem+json; charset=utf-8"],
    ["GET", "/api/articles?token=x", 400, "application/problem+json; charset=utf-8"],
    ["GET", "/tags/transit?cursor=bad&token=x", 400, "text/html; charset=utf-8"],
    ["PUT", "/unsubscribe?token=x", 405, "text/html; charset=utf-8"],
    ["DELETE", "/feed.xml?token=x", 405, "application/problem+json; charset=utf-8"],
    ["GET", "/unsubscribe?token=not-a-token", 400, "text/html; charset=utf-8"],
    ["GET", "/feed.xml?utm_source=mail&token=x", 200, "application/rss+xml; charset=utf-8"],
    ["GET", "/?token=", 200, "text/html; charset=utf-8"],
  ])("%s %s answers %i and is kept private", async (method, path, status, type) => {
    const res = await request(path, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe(type);
    expectPrivate(res);
  });

  it("keeps its 304 private, the one given before routing too", async () => {
    const first = await request("/feed.xml?token=y");
    const etag = first.headers.get("etag") ?? "";
    for (let i = 0; i < 2; i++) {
      const res = await request("/feed.xml?token=y", { headers: { "if-none-match": etag } });
      expect(res.status).toBe(304);
      expectPrivate(res);
    }
  });

  it("leaves the same URL without a token public", async () => {
    const res = await request("/feed.xml?utm_source=mail");
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-robots-tag")).toBeNull();
  });
});

describe("a page whose body follows the clock as well as the content", () => {
  afterEach(() => vi.useRealTimers());

  it("/subscribe answers an old ETag with the new offsets the moment a zone's offset changes, not a 304 from memory", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // Europe's clocks go forward at 01:00 UTC on 28 March 2027; the content version read just
    // before is still trusted (for a second) just after.
    vi.setSystemTime(Date.UTC(2027, 2, 28, 0, 59, 59, 600));
    const winter = await request("/subscribe");
    expect(await winter.text()).toContain("(UTC+01:00) Berlin");
    const etag = winter.headers.get("etag") ?? "";
    // Answered once by the route: an isolate may then answer it from memory before routing.
    expect((await request("/subscribe", { headers: { "if-none-match": etag } })).status).toBe(304);
    vi.setSystemTime(Date.UTC(2027, 2, 28, 1, 0, 0, 100));
    const summer = await request("/subscribe", { headers: { "if-none-match": etag } });
    expect(summer.status).toBe(200);
    expect(summer.headers.get("etag")).not.toBe(etag);
    expect(await summer.text()).toContain("(UTC+02:00) Berlin");
  });

  it("/digests lists a day the moment it ends in the site's zone, not a 304 from memory", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // 3 May 2022 (h3's day) ends at midnight in Asia/Almaty (UTC+6), 18:00 UTC.
    vi.setSystemTime(Date.UTC(2022, 4, 3, 17, 59, 59, 600));
    const during = await request("/digests");
    expect(await during.text()).not.toContain('href="/digests/daily/2022-05-03"');
    const etag = during.headers.get("etag") ?? "";
    expect((await request("/digests", { headers: { "if-none-match": etag } })).status).toBe(304);
    vi.setSystemTime(Date.UTC(2022, 4, 3, 18, 0, 0, 100));
    const after = await request("/digests", { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    const body = await after.text();
    expect(body).toContain('href="/digests/daily/2022-05-03"');
  });
});
