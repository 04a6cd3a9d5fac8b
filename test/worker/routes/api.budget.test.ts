// A page of full articles is bounded in bytes as well as in items: the API and the feeds never
// read or send more than 2 000 000 bytes of article HTML for one page (at least one article).

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, fixture, request } from "../helpers.js";

interface Listing {
  items: { slug: string; content_html: string }[];
  next: string | null;
}

/** Writes an article whose stored HTML is exactly `bytes` long (adjusting for what the sanitizer adds). */
async function sized(slug: string, date: string, bytes: number): Promise<void> {
  const write = async (letters: number) => {
    const res = await admin(
      "PUT",
      `/api/articles/${slug}`,
      fixture({ slug, date, tags: ["Huge"], markdown: undefined, html: `<p>${"a".repeat(letters)}</p>` }),
    );
    expect([200, 201]).toContain(res.status);
    const row = await env.DB.prepare("SELECT length(CAST(content_html AS BLOB)) AS n FROM articles WHERE slug = ?1")
      .bind(slug)
      .first<{ n: number }>();
    return row?.n ?? 0;
  };
  const first = await write(bytes - 7);
  if (first !== bytes) expect(await write(bytes - 7 + (bytes - first))).toBe(bytes);
}

async function page(path: string): Promise<Listing> {
  const res = await request(path);
  expect(res.status).toBe(200);
  return (await res.json()) as Listing;
}

describe("a page of full articles", () => {
  it("carries at most 2 000 000 bytes of HTML, the rest behind next, nothing lost", async () => {
    await sized("big-1", "2022-05-03T10:00:00Z", 1_000_000);
    await sized("big-2", "2022-05-02T10:00:00Z", 1_000_000);
    await sized("small-3", "2022-05-01T10:00:00Z", 100);

    // 2 000 000 bytes exactly: both big ones fit; the small one is on the next page.
    const first = await page("/api/articles?tag=huge&limit=3");
    expect(first.items.map((i) => i.slug)).toEqual(["big-1", "big-2"]);
    expect(first.items.every((i) => i.content_html.length === 1_000_000)).toBe(true);
    expect(first.next).not.toBeNull();
    const second = await page(first.next ?? "");
    expect(second.items.map((i) => i.slug)).toEqual(["small-3"]);
    expect(second.next).toBeNull();

    // One byte more: the second big one waits for the next page.
    await sized("big-2", "2022-05-02T10:00:00Z", 1_000_001);
    const cut = await page("/api/articles?tag=huge&limit=3");
    expect(cut.items.map((i) => i.slug)).toEqual(["big-1"]);
    const rest = await page(cut.next ?? "");
    expect(rest.items.map((i) => i.slug)).toEqual(["big-2", "small-3"]);
    expect(rest.next).toBeNull();

    // Titles only (the HTML page of a tag) are not cut: they carry no article HTML.
    const html = await (await request("/tags/huge")).text();
    for (const slug of ["big-1", "big-2", "small-3"]) expect(html).toContain(`/articles/${slug}`);
  });

  it("keeps a feed of full articles under the same bound", async () => {
    const feed = await (await request("/tags/huge/feed.json")).json();
    const items = (feed as { items: { id: string }[] }).items;
    // big-1 (1 000 000) and big-2 (1 000 001) do not fit together.
    expect(items).toHaveLength(1);
  });
});
