import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/worker/app.js";
import { admin, contentVersion, fixture, request, SITE, stored, TOKEN, testServices } from "../helpers.js";

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await res.json()) as {
    status: number;
    title: string;
    detail?: string;
    errors?: { field: string; detail: string }[];
  };
}

describe("admin API authentication", () => {
  it("asks for a bearer token", async () => {
    const res = await request("/api/articles", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="admin"');
    expect((await problem(res)).status).toBe(401);
  });

  it("refuses a wrong token", async () => {
    const res = await request("/api/articles/x", {
      method: "DELETE",
      headers: { authorization: "Bearer not-the-token-at-all" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="admin", error="invalid_token"');
  });

  it("is switched off entirely when ADMIN_TOKEN is not set", async () => {
    const res = await app.request(
      "/api/articles",
      { method: "POST", headers: { authorization: "Bearer ", "content-type": "application/json" }, body: "{}" },
      { ...env, ADMIN_TOKEN: undefined },
    );
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toMatch(/ADMIN_TOKEN/);
  });

  it("names ADMIN_TOKEN when it is too short to be safe", async () => {
    const res = await app.request(
      "/api/articles",
      { method: "POST", headers: { authorization: "Bearer short" }, body: "{}" },
      { ...env, ADMIN_TOKEN: "short" },
    );
    expect(res.status).toBe(500);
    expect((await problem(res)).detail).toMatch(/ADMIN_TOKEN is shorter than 16 characters/);
  });
});

describe("POST /api/articles", () => {
  it("creates from JSON: 201, Location, the stored article, and a new content version", async () => {
    const before = await contentVersion();
    const res = await admin("POST", "/api/articles", fixture({ slug: "created", title: "Created" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${SITE}/api/articles/created`);
    expect(await res.json()).toEqual({
      slug: "created",
      title: "Created",
      url: `${SITE}/articles/created`,
      date: "2022-02-01T03:00:00Z",
      updated: null,
      authors: [{ name: "Dana Kim" }],
      tags: [{ name: "Transit", slug: "transit" }],
      summary: expect.stringMatching(/^Body of article/),
      image: null,
      lang: null,
      content_html: expect.stringMatching(/^<p>Body of article \d+\.<\/p>/),
      draft: false,
    });
    expect(await contentVersion()).toBe(before + 1);
    expect((await request("/api/articles/created")).status).toBe(200);
  });

  it("creates from text/markdown with front matter", async () => {
    const res = await admin(
      "POST",
      "/api/articles",
      '---\ntitle: "From Markdown"\ndate: "2022-03-01T08:00:00+06:00"\ntags: [Science]\n---\nSome *markdown*.\n',
      "text/markdown; charset=utf-8",
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${SITE}/api/articles/from-markdown`);
    expect(((await res.json()) as { content_html: string }).content_html).toBe("<p>Some <em>markdown</em>.</p>\n");
  });

  it("answers 409 for a slug that exists, and keeps the first article", async () => {
    await admin("POST", "/api/articles", fixture({ slug: "taken", title: "First" }));
    const before = await contentVersion();
    const res = await admin("POST", "/api/articles", fixture({ slug: "taken", title: "Second" }));
    expect(res.status).toBe(409);
    expect((await problem(res)).detail).toMatch(/PUT \/api\/articles\/taken/);
    expect((await stored("taken"))?.title).toBe("First");
    expect(await contentVersion()).toBe(before);
  });

  it("answers 400 naming each bad field", async () => {
    const res = await admin("POST", "/api/articles", { title: "", date: "soon", tags: "x", extra: 1, markdown: "b" });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.errors).toEqual([
      { field: "title", detail: "must not be empty" },
      { field: "date", detail: 'must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"' },
      { field: "extra", detail: "is not a known field" },
    ]);
  });

  it("answers 400 naming the title when it has a line break, and stores nothing", async () => {
    const before = await contentVersion();
    const title = "Headline\r\nBcc: attacker@evil.example";
    for (const [method, path] of [
      ["POST", "/api/articles"],
      ["PUT", "/api/articles/injected"],
    ] as const) {
      const res = await admin(method, path, fixture({ slug: "injected", title }));
      expect(res.status).toBe(400);
      expect((await problem(res)).errors).toEqual([
        {
          field: "title",
          detail: "must be one line without control characters: it has U+000D (a carriage return) at character 9",
        },
      ]);
    }
    const markdown = '---\ntitle: "Headline\\u2028Bcc: x@evil.example"\ndate: "2022-01-10T10:00:00Z"\n---\nB.\n';
    const res = await admin("POST", "/api/articles", markdown, "text/markdown");
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.field)).toEqual(["title"]);
    expect(await stored("injected")).toBeNull();
    expect(await contentVersion()).toBe(before);
  });

  it("answers 400 for a body that is not JSON, or not an object", async () => {
    const res = await admin("POST", "/api/articles", "{title:", "application/json");
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/not valid JSON/);
    const array = await admin("POST", "/api/articles", "[]", "application/json");
    expect(array.status).toBe(400);
    expect((await problem(array)).errors?.[0]?.detail).toBe("must be a JSON object");
  });

  it("answers 415 for other media types", async () => {
    const res = await admin("POST", "/api/articles", "title=x", "application/x-www-form-urlencoded");
    expect(res.status).toBe(415);
    expect(res.headers.get("accept-post")).toBe("application/json, text/markdown");
  });

  it("answers 413 above the size limit and stores nothing", async () => {
    const res = await admin("POST", "/api/articles", fixture({ slug: "huge", markdown: "x".repeat(2_200_000) }));
    expect(res.status).toBe(413);
    expect((await problem(res)).title).toBe("Content Too Large");
    expect(await stored("huge")).toBeNull();
  });
});

describe("size limits", () => {
  const padded = (slug: string, bytes: number) => {
    const json = JSON.stringify(fixture({ slug }));
    return json + " ".repeat(bytes - new TextEncoder().encode(json).length);
  };

  it("takes a body of exactly 2 MiB and refuses one byte more", async () => {
    expect((await admin("POST", "/api/articles", padded("at-limit", 2_097_152), "application/json")).status).toBe(201);
    const over = await admin("POST", "/api/articles", padded("over-limit", 2_097_153), "application/json");
    expect(over.status).toBe(413);
    expect(await stored("over-limit")).toBeNull();
  });

  it("takes 1 600 000 bytes of HTML content and refuses one byte more", async () => {
    const html = (bytes: number) => `<p>${"x".repeat(bytes - 7)}</p>`;
    const ok = await admin(
      "POST",
      "/api/articles",
      fixture({ slug: "html-at-limit", markdown: undefined, html: html(1_600_000) }),
    );
    expect(ok.status).toBe(201);
    const over = await admin(
      "POST",
      "/api/articles",
      fixture({ slug: "html-over-limit", markdown: undefined, html: html(1_600_001) }),
    );
    expect(over.status).toBe(413);
    expect(await stored("html-over-limit")).toBeNull();
  });

  it("answers a chunked upload over the limit with 413 while it is still being sent", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    // Sends 2 MiB and a little more, then never ends: only a prompt 413 lets this test finish.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2_097_152) return new Promise(() => {});
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    const res = await request("/api/articles", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body,
      // @ts-expect-error: duplex is needed for a streamed request body
      duplex: "half",
    });
    expect(res.status).toBe(413);
  });
});

describe("PUT /api/articles/:slug", () => {
  it("creates (201), then replaces (200), keeping tag listings in step", async () => {
    const created = await admin("PUT", "/api/articles/put-me", fixture({ slug: undefined, tags: ["Old Tag"] }));
    expect(created.status).toBe(201);
    const replaced = await admin(
      "PUT",
      "/api/articles/put-me",
      fixture({ slug: "put-me", title: "Replaced", tags: ["New Tag"] }),
    );
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { title: string }).title).toBe("Replaced");
    expect((await request("/api/articles?tag=old-tag")).status).toBe(404);
    const listed = (await (await request("/api/articles?tag=new-tag")).json()) as { items: { slug: string }[] };
    expect(listed.items.map((i) => i.slug)).toEqual(["put-me"]);
  });

  it("takes back what GET returned, and nothing stored changes", async () => {
    const row = () => env.DB.prepare("SELECT * FROM articles WHERE slug = 'round-trip'").first();
    await admin(
      "PUT",
      "/api/articles/round-trip",
      fixture({
        slug: undefined,
        image: { url: "/i.png", alt: "An image", width: 640, height: 360 },
        lang: "kk",
        updated: "2022-02-02T10:00:00+06:00",
        authors: [{ name: "Dana Kim", email: "dana@example.org", url: "https://example.org/dana" }, "Zoë Ortega"],
        tags: ["Transit", "Қоғам"],
        markdown: "Some *text* with [a link](/x) and ![pic](/p.png).",
      }),
    );
    const before = await row();
    const got = await (await request("/api/articles/round-trip")).json();
    const res = await admin("PUT", "/api/articles/round-trip", got);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(got);
    expect(await row()).toEqual(before);
  });

  it("takes back a draft as a draft", async () => {
    const created = await admin("PUT", "/api/articles/round-draft", fixture({ slug: undefined, draft: true }));
    const body = (await created.json()) as { draft: boolean };
    expect(body.draft).toBe(true);
    const again = await admin("PUT", "/api/articles/round-draft", body);
    expect(((await again.json()) as { draft: boolean }).draft).toBe(true);
    expect((await request("/api/articles/round-draft")).status).toBe(404);
  });

  it("refuses a body whose slug differs from the URL", async () => {
    const res = await admin("PUT", "/api/articles/one", fixture({ slug: "two" }));
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.field).toBe("slug");
  });

  it("refuses a URL that is not a slug", async () => {
    const res = await admin("PUT", "/api/articles/Not%20A%20Slug", fixture({ slug: undefined }));
    expect(res.status).toBe(400);
  });

  it("refuses to change an article that comes from content/", async () => {
    const article = (await stored("created")) ?? (await seedFileArticle());
    await testServices().articles.put(
      { ...article, slug: "from-file" },
      { kind: "file", path: "content/from-file.md", hash: "h" },
    );
    const res = await admin("PUT", "/api/articles/from-file", fixture({ slug: undefined }));
    expect(res.status).toBe(409);
    expect((await problem(res)).detail).toMatch(/content\/from-file\.md/);
    const del = await admin("DELETE", "/api/articles/from-file");
    expect(del.status).toBe(409);
  });
});

async function seedFileArticle() {
  await admin("POST", "/api/articles", fixture({ slug: "seed" }));
  const article = await stored("seed");
  if (!article) throw new Error("seed missing");
  return article;
}

describe("DELETE /api/articles/:slug", () => {
  it("deletes (204), bumps the version, and the article is gone everywhere", async () => {
    await admin("POST", "/api/articles", fixture({ slug: "doomed", tags: ["Doomed Tag"] }));
    const before = await contentVersion();
    const res = await admin("DELETE", "/api/articles/doomed");
    expect(res.status).toBe(204);
    expect(await contentVersion()).toBe(before + 1);
    expect((await request("/api/articles/doomed")).status).toBe(404);
    expect((await request("/tags/doomed-tag")).status).toBe(404);
    expect((await admin("DELETE", "/api/articles/doomed")).status).toBe(404);
  });
});

describe("a hostile article", () => {
  const hostile = {
    slug: "hostile",
    title: `Q&A: <b> tags & "quotes" it's `,
    date: "2022-03-03T12:00:00+06:00",
    authors: [{ name: "Eve <script>", email: "eve@example.org" }],
    tags: ["<i>Tag</i> & co"],
    markdown: [
      "Intro <script>alert('x')</script> text.",
      "",
      '<img src="pic.png" onerror="alert(1)"> [bad](javascript:alert(1)) [rel](../about) ![i](/images/a.png)',
      "",
      "ctl:\u0000\u0001\u001B end, lone \uD83D surrogate, emoji 🎉, RTL مرحبا, and ]]> too.",
      "",
      "x".repeat(1_000_000),
    ].join("\n"),
  };

  beforeAll(async () => {
    expect((await admin("POST", "/api/articles", hostile)).status).toBe(201);
  });

  it("is stored safe and served back as stored", async () => {
    const got = (await (await request("/api/articles/hostile")).json()) as Record<string, string> & {
      authors: { name: string }[];
      tags: { name: string; slug: string }[];
    };
    expect(got.title).toBe(`Q&A: <b> tags & "quotes" it's`);
    expect(got.authors).toEqual([{ name: "Eve <script>", email: "eve@example.org" }]);
    expect(got.tags).toEqual([{ name: "<i>Tag</i> & co", slug: "i-tag-i-co" }]);
    const html = got.content_html ?? "";
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(html).toContain('<img src="https://news.example.com/articles/pic.png">');
    expect(html).toContain('<a href="https://news.example.com/about">rel</a>');
    expect(html).toContain('<img src="https://news.example.com/images/a.png" alt="i">');
    expect(html).toContain("ctl: end, lone  surrogate, emoji 🎉, RTL مرحبا, and ]]&gt; too.");
    expect([...html].some((ch) => ch < " " && ch !== "\n" && ch !== "\t" && ch !== "\r")).toBe(false);
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  it("renders on the site with the title escaped", async () => {
    const res = await request("/articles/hostile");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("<h1>Q&amp;A: &lt;b&gt; tags &amp; &quot;quotes&quot; it&#39;s</h1>");
    // Its script elements are its JSON-LD data block (never run), which ends where it should, and
    // the site's own time zone file.
    const zone = '<script src="/zone.js" defer=""></script>';
    expect(page).toContain(zone);
    const [before, data = "", after = ""] = page
      .replace(zone, "")
      .split(/<script type="application\/ld\+json">|<\/script>/);
    expect(`${before}${after}`).not.toMatch(/<script|onerror=/i);
    expect(data).not.toContain("<");
    expect(page).toContain(">Eve &lt;script&gt;</a>");
  });
});
