// The article store's side of content sync, on the real local D1: chunked writes with progress,
// the narrow read of file-sourced records, and which slugs API articles hold.

import { describe, expect, it } from "vitest";
import { articleFromMarkdown } from "../../../src/core/article.js";
import { contentVersion, request, SITE, testServices } from "../helpers.js";

const fromFile = (slug: string, title = `Title ${slug}`) => ({
  article: articleFromMarkdown(`---\ntitle: "${title}"\ndate: "2022-01-10T10:00:00Z"\ntags: [Sync]\n---\nBody.\n`, {
    siteUrl: SITE,
    slug,
  }),
  path: `content/${slug}.md`,
  hash: `hash-${slug}-${title}`,
});

describe("ArticleStore.sync", () => {
  it("writes more articles than one batch holds, batch by batch, reporting progress", async () => {
    const store = testServices().articles;
    const before = await contentVersion();
    const progress: [number, number][] = [];
    const upserts = ["c1", "c2", "c3", "c4", "c5"].map((slug) => fromFile(slug));
    await store.sync(upserts, [], 2, (done, total) => progress.push([done, total]));
    expect(progress).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    // One transaction per batch, each with its own version bump.
    expect(await contentVersion()).toBe(before + 3);
    for (const slug of ["c1", "c3", "c5"]) {
      const response = await request(`/articles/${slug}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`Title ${slug}`);
    }
    const tag = await (await request("/tags/sync")).text();
    for (const slug of ["c1", "c2", "c3", "c4", "c5"]) expect(tag).toContain(`Title ${slug}`);
  });

  it("counts deletions into the batches and the progress", async () => {
    const store = testServices().articles;
    await store.sync([fromFile("d1"), fromFile("d2"), fromFile("d3")], []);
    const progress: [number, number][] = [];
    await store.sync([fromFile("d4")], ["d1", "d2", "d3"], 3, (done, total) => progress.push([done, total]));
    expect(progress).toEqual([
      [3, 4],
      [4, 4],
    ]);
    expect((await request("/articles/d2")).status).toBe(404);
    expect((await request("/articles/d4")).status).toBe(200);
  });

  it("writes nothing, not even a version bump, when there is nothing to do", async () => {
    const before = await contentVersion();
    const progress: number[] = [];
    await testServices().articles.sync([], [], 2, (done) => progress.push(done));
    expect(progress).toEqual([]);
    expect(await contentVersion()).toBe(before);
  });
});

describe("ArticleStore.records and apiSlugs", () => {
  it("reads the path, hash and slug of file articles only, and names the slugs API articles hold", async () => {
    const store = testServices().articles;
    await store.sync([fromFile("r1", "One")], []);
    await store.put(fromFile("posted-r").article);
    const records = await store.records();
    expect(records).toContainEqual({
      slug: "r1",
      source: "file",
      sourcePath: "content/r1.md",
      sourceHash: "hash-r1-One",
    });
    expect(records.map((r) => r.slug)).not.toContain("posted-r");
    expect(records.every((r) => r.source === "file")).toBe(true);
    expect(await store.apiSlugs(["r1", "posted-r", "nowhere"])).toEqual(new Set(["posted-r"]));
    expect(await store.apiSlugs([])).toEqual(new Set());
  });
});
