import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, request } from "../helpers.js";

interface Item {
  slug: string;
  title: string;
  date: string;
  tags: { name: string; slug: string }[];
  authors: { name: string }[];
}
interface Listing {
  items: Item[];
  next: string | null;
}

// 25 public articles a day apart, newest "a25"; two share a timestamp; plus one draft.
beforeAll(async () => {
  for (let i = 1; i <= 25; i++) {
    const day = String(Math.min(i, 24)).padStart(2, "0");
    const res = await admin(
      "POST",
      "/api/articles",
      fixture({
        slug: `a${i}`,
        title: `Article ${i}`,
        date: `2022-03-${day}T10:00:00Z`,
        tags: i % 2 ? ["Odd", "All"] : ["Even", "All"],
        authors: i % 5 === 0 ? ["Zoë Ortega"] : ["Dana Kim"],
      }),
    );
    expect(res.status).toBe(201);
  }
  await admin(
    "POST",
    "/api/articles",
    fixture({ slug: "secret", date: "2022-03-30T10:00:00Z", draft: true, tags: ["Hidden"] }),
  );
});

async function list(path: string): Promise<Listing> {
  const res = await request(path);
  expect(res.status).toBe(200);
  return (await res.json()) as Listing;
}

describe("GET /api/articles", () => {
  it("lists newest first, FEED_ITEMS by default, with an absolute next link", async () => {
    const page = await list("/api/articles");
    expect(page.items).toHaveLength(20);
    expect(page.items[0]?.slug).toMatch(/^a2[45]$/);
    const dates = page.items.map((i) => i.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(page.next).toMatch(/^https:\/\/news\.example\.com\/api\/articles\?cursor=[\w-]+$/);
  });

  it("pages through everything with no item lost or repeated", async () => {
    const seen: string[] = [];
    let next: string | null = "/api/articles?limit=7";
    while (next) {
      const page = await list(next);
      seen.push(...page.items.map((i) => i.slug));
      next = page.next;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen).not.toContain("secret");
  });

  it("filters by tag and by author, paging within the filter", async () => {
    const first = await list("/api/articles?tag=odd&limit=5");
    expect(first.items.every((i) => i.tags.some((t) => t.slug === "odd"))).toBe(true);
    expect(first.next).toContain("tag=odd");
    const second = await list(first.next ?? "");
    const everything = (await list("/api/articles?tag=odd&limit=100")).items.map((i) => i.slug);
    expect(first.items).toHaveLength(5);
    expect(second.items.length).toBeGreaterThan(0);
    // The two pages are the start of the whole filtered list, in order, with nothing repeated.
    expect([...first.items, ...second.items].map((i) => i.slug)).toEqual(
      everything.slice(0, first.items.length + second.items.length),
    );
    const byAuthor = await list("/api/articles?author=zoe-ortega");
    expect(byAuthor.items.map((i) => i.slug)).toEqual(["a25", "a20", "a15", "a10", "a5"]);
  });

  it.each([
    ["/api/articles?limit=0", "limit", /^limit: /],
    ["/api/articles?limit=101", "limit", /^limit: /],
    ["/api/articles?limit=ten", "limit", /^limit: /],
    ["/api/articles?cursor=bogus!", "cursor", /^cursor: /],
    ["/api/articles?cursor=MTIz", "cursor", /^cursor: /],
    ["/api/articles?tag=odd&author=dana-kim", "author", /not both/],
    [
      "/api/articles?page=2",
      "page",
      /^page: is an unknown query parameter; this route takes limit, cursor, tag, author$/,
    ],
    ["/api/articles?limit=5&limit=6", "limit", /^limit: is given 2 times$/],
  ])("answers %s with 400 problem+json naming %s", async (path, field, detail) => {
    const res = await request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    const body = (await res.json()) as { detail: string; errors: { field: string }[] };
    expect(body.detail).toMatch(detail);
    expect(body.errors.map((e) => e.field)).toEqual([field]);
  });

  it("answers 404 for an unknown tag or author, and for a draft-only tag", async () => {
    for (const path of ["/api/articles?tag=nope", "/api/articles?author=nobody", "/api/articles?tag=hidden"]) {
      const res = await request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    }
  });

  it("allows any origin and answers a CORS preflight", async () => {
    const res = await request("/api/articles?limit=1", { headers: { origin: "https://reader.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const pre = await request("/api/articles", {
      method: "OPTIONS",
      headers: { origin: "https://reader.example", "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await request("/api/articles", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe("");
  });
});

describe("GET /api/articles/:slug", () => {
  it("returns one article in the documented shape", async () => {
    const res = await request("/api/articles/a5");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const item = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(item)).toEqual([
      "slug",
      "title",
      "url",
      "date",
      "updated",
      "authors",
      "tags",
      "summary",
      "image",
      "lang",
      "draft",
      "content_html",
    ]);
    expect(item.date).toBe("2022-03-05T10:00:00Z");
  });

  it("never shows a draft, and answers 404 problem+json for unknown slugs", async () => {
    for (const slug of ["secret", "no-such-article"]) {
      const res = await request(`/api/articles/${slug}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    }
    const all = await list("/api/articles?limit=100");
    expect(all.items.map((i) => i.slug)).not.toContain("secret");
  });
});

it("answers unknown API paths with 404 problem+json", async () => {
  const res = await request("/api/nothing");
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
});
