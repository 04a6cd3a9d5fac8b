// Articles dated in the future are scheduled: hidden everywhere public until their time, then
// shown without any write, with ETag and Last-Modified moving so that no 304 hides them.

import { describe, expect, it } from "vitest";
import { admin, fixture, request } from "../../worker/helpers.js";

const SURFACES = [
  "/",
  "/articles/soon",
  "/tags/scheduled-tag",
  "/authors/future-author",
  "/feed.xml",
  "/atom.xml",
  "/feed.json",
  "/tags/scheduled-tag/feed.xml",
  "/authors/future-author/feed.json",
  "/feeds.opml",
  "/digests",
  "/api/articles",
  "/api/articles/soon",
];

describe("a scheduled article", () => {
  it("is invisible on every public surface until its time, then visible without a write", async () => {
    expect((await admin("POST", "/api/articles", fixture({ slug: "now-public", title: "Now public" }))).status).toBe(
      201,
    );
    const due = Date.now() + 2500;
    const scheduled = fixture({
      slug: "soon",
      title: "Coming soon",
      date: new Date(due).toISOString(),
      tags: ["Scheduled Tag"],
      authors: ["Future Author"],
    });
    const created = await admin("POST", "/api/articles", scheduled);
    expect(created.status).toBe(201);
    // The publisher sees it through the write API's answer.
    expect(((await created.json()) as { title: string }).title).toBe("Coming soon");

    const before = new Map<string, { status: number; etag: string | null; lastModified: string | null }>();
    for (const path of SURFACES) {
      const res = await request(path);
      const body = await res.text();
      expect(body, path).not.toContain("Coming soon");
      expect(body, path).not.toContain("Scheduled Tag");
      expect(body, path).not.toContain("Future Author");
      before.set(path, {
        status: res.status,
        etag: res.headers.get("etag"),
        lastModified: res.headers.get("last-modified"),
      });
    }
    expect(before.get("/articles/soon")?.status).toBe(404);
    expect(before.get("/api/articles/soon")?.status).toBe(404);
    expect(before.get("/tags/scheduled-tag/feed.xml")?.status).toBe(404);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 300));

    for (const path of SURFACES.filter((p) => p !== "/digests")) {
      const old = before.get(path);
      // A reader that polls with what it had must get the new article, not a 304.
      const conditional = await request(path, {
        headers: {
          ...(old?.etag ? { "if-none-match": old.etag } : {}),
        },
      });
      expect(conditional.status, path).toBe(200);
      expect(await conditional.text(), path).toContain(path === "/feeds.opml" ? "Scheduled Tag" : "Coming soon");
      if (old?.etag) expect(conditional.headers.get("etag"), path).not.toBe(old.etag);
    }
    for (const path of ["/feed.xml", "/feed.json", "/"]) {
      const old = before.get(path)?.lastModified;
      if (!old) continue;
      const res = await request(path, { headers: { "if-modified-since": old } });
      expect(res.status, path).toBe(200);
    }
  });

  it("tells shared caches to come back before its time", async () => {
    const due = Date.now() + 60_000;
    await admin("POST", "/api/articles", fixture({ slug: "in-a-minute", date: new Date(due).toISOString() }));
    const maxAge = Number(/max-age=(\d+)/.exec((await request("/feed.xml")).headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(60);
  });
});
