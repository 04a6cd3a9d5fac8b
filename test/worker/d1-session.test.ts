// Read replicas (D1 Sessions API) through the Worker: a write answers with a bookmark, and a
// request that sends it back reads at least that write, even where this isolate would otherwise
// answer from the version it read a moment ago.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { articleFromJson } from "../../src/core/article.js";
import { ArchiveDays } from "../../src/worker/store/archive.js";
import { ArticleStore } from "../../src/worker/store/articles.js";
import { ContentVersion } from "../../src/worker/store/version.js";
import { admin, fixture, request, SITE } from "./helpers.js";

const BOOKMARK = /^[0-9A-Za-z-]{1,256}$/;

async function titles(res: Response): Promise<string[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
}

describe("D1 sessions", () => {
  it("answer a write with a bookmark, and a read that sends it back sees the write", async () => {
    const created = await admin("POST", "/api/articles", fixture({ slug: "first-write", title: "First write" }));
    expect(created.status).toBe(201);
    const bookmark = created.headers.get("x-d1-bookmark") ?? "";
    expect(bookmark).toMatch(BOOKMARK);
    const read = await request("/articles/first-write", { headers: { "x-d1-bookmark": bookmark } });
    expect(read.status).toBe(200);
    expect(await read.text()).toContain("First write");
    expect(read.headers.get("x-d1-bookmark")).toMatch(BOOKMARK);
    // A plain read carries no bookmark: nothing changes for readers and caches.
    expect((await request("/articles/first-write")).headers.get("x-d1-bookmark")).toBeNull();
  });

  it("let a publisher read their own write before this isolate trusts a newer version", async () => {
    await admin("POST", "/api/articles", fixture({ slug: "older", title: "Older", date: "2022-01-01T00:00:00Z" }));
    // The isolate reads the version and caches the listing under it.
    expect(await titles(await request("/api/articles?tag=transit&limit=50"))).toContain("Older");
    // Another isolate writes (its own store, its own memo), as a second Worker instance would.
    const store = new ArticleStore(
      env.DB,
      new ContentVersion(env.DB, Date.now, "other"),
      () => SITE,
      new ArchiveDays(env.DB, () => env.DIGEST_TZ),
    );
    const article = articleFromJson(fixture({ slug: "newer", title: "Newer", date: "2022-01-02T00:00:00Z" }), {
      siteUrl: SITE,
    });
    await store.put(article);
    const session = env.DB.withSession("first-primary");
    await session.prepare("SELECT 1").first();
    const bookmark = session.getBookmark() ?? "";
    // Within the second this isolate trusts its version, a plain read may still get the listing
    // cached under it; the publisher's read with the bookmark does not.
    const own = await request("/api/articles?tag=transit&limit=50", { headers: { "x-d1-bookmark": bookmark } });
    expect(await titles(own)).toContain("Newer");
  });

  it("refuse a header that is not a bookmark, naming it", async () => {
    const api = await request("/api/articles", { headers: { "x-d1-bookmark": "<script>" } });
    expect(api.status).toBe(400);
    expect(api.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(((await api.json()) as { detail: string }).detail).toMatch(/^x-d1-bookmark: /);
    const page = await request("/", { headers: { "x-d1-bookmark": "x".repeat(257) } });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await request("/", { headers: { "x-d1-bookmark": "x".repeat(256) } })).status).not.toBe(400);
  });
});
