// The app as a whole: the error model (HTML pages, problem+json, 405 with Allow), absolute URLs
// from SITE_URL, and the example admin token refused on a public site.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/worker/app.js";
import { fixture, request, SITE, seedThreeArticles } from "./helpers.js";

beforeAll(seedThreeArticles);

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
