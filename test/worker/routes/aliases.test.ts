// Old addresses (front matter `aliases`, migration 0018): a GET or HEAD for a path nothing on the
// site serves answers 301 to the article; a path the site serves is never redirected.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { articleFromMarkdown } from "../../../src/core/article.js";
import { admin, fixture, request, SITE, testServices } from "../helpers.js";

beforeAll(async () => {
  const created = [
    fixture({ slug: "moved-here", aliases: ["/2019/05/old-post/", "/p/old-post", "/caf%C3%A9"] }),
    fixture({ slug: "still-a-draft", draft: true, aliases: ["/drafted"] }),
    fixture({ slug: "scheduled", date: "2999-01-01T00:00:00Z", aliases: ["/not-yet"] }),
    // Paths the site serves, written as aliases: they keep answering as the site does.
    fixture({ slug: "greedy", aliases: ["/tags", "/articles/moved-here", "/feed.xml"] }),
  ];
  for (const body of created) expect((await admin("POST", "/api/articles", body)).status).toBe(201);
});

const noFollow = (path: string, method = "GET") => request(path, { method, redirect: "manual" });

describe("an old address", () => {
  it("answers 301 to the article, with or without its trailing slash", async () => {
    for (const path of ["/2019/05/old-post/", "/2019/05/old-post", "/p/old-post", "/p/old-post/"]) {
      const res = await noFollow(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get("location"), path).toBe(`${SITE}/articles/moved-here`);
    }
  });

  it("drops the query string and answers HEAD alike", async () => {
    const res = await noFollow("/p/old-post?utm_source=x&ref=y");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`${SITE}/articles/moved-here`);
    const head = await noFollow("/p/old-post", "HEAD");
    expect(head.status).toBe(301);
    expect(head.headers.get("location")).toBe(`${SITE}/articles/moved-here`);
  });

  it("matches a non-ASCII path however it is encoded", async () => {
    const res = await noFollow("/café");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`${SITE}/articles/moved-here`);
  });

  it("is not redirected for other methods", async () => {
    const res = await request("/p/old-post", { method: "POST", body: "x", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(404);
  });

  it("is a 404 while its article is a draft or scheduled", async () => {
    expect((await noFollow("/drafted")).status).toBe(404);
    expect((await noFollow("/not-yet")).status).toBe(404);
  });

  it("is a 404 once its article is deleted, and its row is gone", async () => {
    await admin("POST", "/api/articles", fixture({ slug: "short-lived", aliases: ["/gone-soon"] }));
    expect((await noFollow("/gone-soon")).status).toBe(301);
    expect((await admin("DELETE", "/api/articles/short-lived")).status).toBe(204);
    expect((await noFollow("/gone-soon")).status).toBe(404);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM article_aliases WHERE path = '/gone-soon'").first("n");
    expect(rows).toBe(0);
  });

  it("follows the article when its aliases are replaced", async () => {
    await admin("PUT", "/api/articles/swapped", fixture({ slug: "swapped", aliases: ["/first-name"] }));
    await admin("PUT", "/api/articles/swapped", fixture({ slug: "swapped", aliases: ["/second-name"] }));
    expect((await noFollow("/first-name")).status).toBe(404);
    expect((await noFollow("/second-name")).headers.get("location")).toBe(`${SITE}/articles/swapped`);
  });

  it("comes back in the admin API's GET, so a PUT of it changes nothing", async () => {
    const res = await admin("GET", "/api/articles/moved-here");
    const body = (await res.json()) as { aliases?: string[] };
    expect(body.aliases).toEqual(["/2019/05/old-post", "/p/old-post", "/caf%C3%A9"]);
  });
});

describe("a content file's aliases", () => {
  it("are stored by the content sync's write and answered like the API's", async () => {
    const file =
      '---\ntitle: "From a file"\ndate: "2019-05-01T04:00:00Z"\naliases: ["/2019/05/from-a-file/"]\n---\nBody.\n';
    const article = articleFromMarkdown(file, { siteUrl: SITE, slug: "from-a-file" });
    await testServices().articles.sync([{ article, path: "content/2019-05-01-from-a-file.md", hash: "h" }], []);
    const res = await noFollow("/2019/05/from-a-file/");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`${SITE}/articles/from-a-file`);
    const rows = await env.DB.prepare(
      "SELECT x.path, a.slug FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE a.slug = 'from-a-file'",
    ).all();
    expect(rows.results).toEqual([{ path: "/2019/05/from-a-file", slug: "from-a-file" }]);
  });
});

describe("a path the site serves", () => {
  it("is never redirected, even when an article names it as an alias", async () => {
    expect((await noFollow("/tags")).status).toBe(200);
    expect((await noFollow("/feed.xml")).status).toBe(200);
    const own = await noFollow("/articles/moved-here");
    expect(own.status).toBe(200);
  });

  it("an unknown path with no alias stays a 404", async () => {
    expect((await noFollow("/2019/05/never-was")).status).toBe(404);
  });
});

describe("an alias that is not a path", () => {
  it("is refused with a 400 naming the field", async () => {
    for (const alias of ["https://old.example/post", "//old.example/post", "/post?id=3", "/", "old-post", "/a\tb"]) {
      const res = await admin("POST", "/api/articles", fixture({ aliases: [alias] }));
      expect(res.status, alias).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      const body = (await res.json()) as { errors: { field: string }[] };
      expect(body.errors.map((e) => e.field)).toEqual(["aliases.0"]);
    }
  });

  it("is refused past 50 aliases; 50 are taken", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `/many/${i}`);
    expect((await admin("POST", "/api/articles", fixture({ aliases: many(51) }))).status).toBe(400);
    expect((await admin("POST", "/api/articles", fixture({ aliases: many(50) }))).status).toBe(201);
  });

  it("is refused past 1000 characters, as written and percent-encoded; 1000 are taken", async () => {
    const refused = async (alias: string) => {
      const res = await admin("POST", "/api/articles", fixture({ aliases: [alias] }));
      expect(res.status).toBe(400);
      return ((await res.json()) as { errors: { detail: string }[] }).errors[0]?.detail;
    };
    const long = (n: number) => `/${"a".repeat(n - 1)}`;
    expect(await refused(long(1001))).toBe("must be at most 1000 characters");
    expect((await admin("POST", "/api/articles", fixture({ aliases: [long(1000)] }))).status).toBe(201);
    // "é" is six characters once encoded (%C3%A9): 995 as written, 1000 and 1001 stored.
    const encoded = (n: number) => `/${"a".repeat(n - 7)}é`;
    expect(await refused(encoded(1001))).toMatch(/^must be a path/);
    expect((await admin("POST", "/api/articles", fixture({ aliases: [encoded(1000)] }))).status).toBe(201);
  });
});
