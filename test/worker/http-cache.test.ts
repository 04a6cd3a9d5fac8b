// The HTTP surface as a whole: the error model, methods, tracking parameters, caching of pages
// and the API, HEAD, 304 without rendering, cross-isolate freshness, and URLs from SITE_URL.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/worker/app.js";
import { admin, fixture, isolate, request, SITE } from "./helpers.js";

beforeAll(async () => {
  for (let i = 1; i <= 3; i++) {
    const res = await admin(
      "POST",
      "/api/articles",
      fixture({ slug: `h${i}`, title: `H ${i}`, date: `2022-05-0${i}T10:00:00+06:00`, tags: ["Transit"] }),
    );
    expect(res.status).toBe(201);
  }
});

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

describe("tracking parameters", () => {
  it.each([
    "/",
    "/articles/h1",
    "/tags/transit",
    "/feed.xml",
    "/tags/transit/feed.json",
    "/feeds.opml",
    "/digests/weekly/2022-W18",
  ])("are ignored on %s: same bytes, same ETag, one cache entry", async (path) => {
    const plain = await request(path);
    const tracked = await request(`${path}?utm_source=newsletter&utm_medium=email&fbclid=Iw4R&ref=x&gclid=1`);
    expect(tracked.status).toBe(200);
    expect(tracked.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(await tracked.text()).toBe(await plain.text());
  });

  it("never reach a feed's self link", async () => {
    const body = await (await request("/atom.xml?limit=2&utm_source=x")).text();
    expect(body).toContain(`<link rel="self" href="${SITE}/atom.xml?limit=2"/>`);
    const json = (await (await request("/feed.json?utm_campaign=y&limit=2")).json()) as { feed_url: string };
    expect(json.feed_url).toBe(`${SITE}/feed.json?limit=2`);
  });

  it("are still refused by the strict API", async () => {
    const res = await request("/api/articles?utm_source=x");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });

  it("do not excuse a known parameter with a bad value", async () => {
    expect((await request("/feed.xml?limit=0&utm_source=x")).status).toBe(400);
    expect((await request("/?cursor=zzz&utm_source=x")).status).toBe(400);
  });
});

describe("hostile query parameters", () => {
  it.each([
    ["/feed.xml?limit=", 400],
    ["/feed.xml?limit=%00", 400],
    ["/feed.xml?limit=1e2", 400],
    ["/feed.xml?limit=-1", 400],
    ["/feed.xml?cursor=", 400],
    ["/feeds.opml?format=", 400],
    ["/feeds.opml?format=rss&format=rss", 400],
    ["/digests/daily/2022-05-01.txt?tags=", 200],
    ["/digests/daily/2022-05-01.txt?tags=,,,", 200],
    ["/digests/daily/2022-05-01.txt?tags=transit,transit,transit", 200],
    ["/api/articles?tag=", 400],
    ["/api/articles?author=%F0%9F%8E%89", 400],
  ])("%s answers %i, never a 5xx", async (path, status) => {
    expect((await request(path)).status).toBe(status);
  });

  it("keep huge names and values out of the answer and the server's way", async () => {
    const huge = "x".repeat(60_000);
    for (const path of [`/api/articles?${huge}=1`, `/api/articles?tag=${huge}`, `/feed.xml?cursor=${huge}`]) {
      const res = await request(path);
      expect(res.status, path.slice(0, 30)).toBe(400);
      expect((await res.text()).length, path.slice(0, 30)).toBeLessThan(2000);
    }
    const tags = await request(
      `/digests/daily/2022-05-01.txt?tags=${Array.from({ length: 5000 }, () => "a").join(",")}`,
    );
    // 5000 copies of one tag are one tag.
    expect(tags.status).toBe(404);
    expect((await request(`/feed.xml?${huge}=1`)).status).toBe(200);
  });
});

describe("errors", () => {
  it("answers an unknown page with an HTML 404 page", async () => {
    const res = await request("/no/such/page");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("Page not found");
  });

  it("answers a bad page parameter with an HTML 400 page saying what was wrong", async () => {
    const res = await request("/tags/transit?cursor=zzz");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("is not a cursor this site gave out");
  });

  it("answers feeds and the API with problem+json", async () => {
    for (const path of ["/feed.xml?limit=0", "/tags/nowhere/atom.xml", "/api/nothing", "/api/articles/nothing"]) {
      const res = await request(path);
      expect(res.headers.get("content-type"), path).toBe("application/problem+json; charset=utf-8");
    }
  });

  it.each([
    ["DELETE", "/feed.xml", "GET, HEAD"],
    ["POST", "/", "GET, HEAD"],
    ["PUT", "/articles/h1", "GET, HEAD"],
    ["POST", "/digests", "GET, HEAD"],
    ["PATCH", "/api/articles/h1", "GET, PUT, DELETE, HEAD"],
    ["DELETE", "/api/articles", "GET, POST, HEAD"],
  ])("answers %s %s with 405 and Allow: %s", async (method, path, allow) => {
    const res = await request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
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

describe("absolute URLs", () => {
  it("come from SITE_URL, never from the Host header", async () => {
    const res = await app.request("http://evil.example:8080/api/articles?limit=1", {}, env);
    const body = (await res.json()) as { next: string; items: { url: string }[] };
    expect(body.next.startsWith(`${SITE}/api/articles?`)).toBe(true);
    expect(body.items[0]?.url.startsWith(`${SITE}/`)).toBe(true);
    const created = await app.request(
      "http://evil.example/api/articles",
      {
        method: "POST",
        headers: { authorization: "Bearer test-admin-token-0123456789", "content-type": "application/json" },
        body: JSON.stringify(fixture({ slug: "host-check" })),
      },
      env,
    );
    expect(created.headers.get("location")).toBe(`${SITE}/api/articles/host-check`);
    const feed = await (await app.request("http://evil.example/feed.xml", {}, env)).text();
    expect(feed).not.toContain("evil.example");
  });
});

describe("the example admin token", () => {
  const PLACEHOLDER = "change-me-to-a-long-random-string";
  const post = (siteUrl: string) =>
    app.request(
      "/api/articles",
      {
        method: "POST",
        headers: { authorization: `Bearer ${PLACEHOLDER}`, "content-type": "application/json" },
        body: JSON.stringify(fixture()),
      },
      { ...env, ADMIN_TOKEN: PLACEHOLDER, SITE_URL: siteUrl },
    );

  it("is refused on a public site, naming ADMIN_TOKEN", async () => {
    const res = await post("https://news.example.com");
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/ADMIN_TOKEN is the example value/);
  });

  it("works for local development", async () => {
    expect((await post("http://127.0.0.1:8787")).status).toBe(201);
    expect((await post("http://localhost:8788")).status).toBe(201);
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
