import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/worker/app.js";
import { OWN_SCRIPT_CSP } from "../../../src/worker/security-headers.js";
import { admin, fixture, request } from "../helpers.js";

beforeAll(async () => {
  for (let i = 1; i <= 23; i++) {
    await admin(
      "POST",
      "/api/articles",
      fixture({
        slug: `s${i}`,
        title: `Story ${i}`,
        date: `2022-04-${String(i).padStart(2, "0")}T10:00:00+06:00`,
        tags: i === 23 ? ["Protests in Kazakhstan", "Қоғам"] : ["Culture"],
        authors: i === 23 ? ["Sputnik"] : ["Aigerim Sәrsenbaeva"],
        image: i === 23 ? { url: "/images/lead.png", alt: "A lead picture" } : undefined,
        lang: i === 23 ? "kk" : undefined,
      }),
    );
  }
  await admin("POST", "/api/articles", fixture({ slug: "draft-story", draft: true, title: "Draft story" }));
});

function alternates(html: string): string[] {
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"\/?>/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

describe("home page", () => {
  it("lists the latest articles, tags and feeds, with autodiscovery for every format", async () => {
    const res = await request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(alternates(html)).toEqual([
      "application/rss+xml https://news.example.com/feed.xml",
      "application/atom+xml https://news.example.com/atom.xml",
      "application/feed+json https://news.example.com/feed.json",
    ]);
    // Under the page's h1 and the "Latest" h2, the titles are h3s.
    const titles = [...html.matchAll(/<h3><a href="\/articles\/[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]);
    expect(titles.slice(0, 3)).toEqual(["Story 23", "Story 22", "Story 21"]);
    expect(html).toContain('href="/tags/culture"');
    expect(html).not.toContain("Draft story");
    expect(html).toContain('rel="next"');
  });

  it("pages with an Older link to the rest", async () => {
    const first = await (await request("/")).text();
    const next = /href="(\/\?cursor=[^"]+)" rel="next"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await request(next ?? "")).text();
    expect(second).toContain("Story 3");
    expect(second).not.toContain("Story 4<");
    expect(second).toContain("← Newest");
  });
});

describe("article page", () => {
  it("shows when the article was updated, in the article's language", async () => {
    await admin(
      "POST",
      "/api/articles",
      fixture({
        slug: "kk-updated",
        lang: "kk",
        date: "2020-04-24T10:00:00+06:00",
        updated: "2022-04-25T12:00:00+06:00",
      }),
    );
    await admin(
      "POST",
      "/api/articles",
      fixture({ slug: "en-updated", date: "2020-04-24T10:00:00+06:00", updated: "2022-04-26T12:00:00+06:00" }),
    );
    const kk = await (await request("/articles/kk-updated")).text();
    expect(kk).toMatch(
      /<p class="meta updated">Жаңартылды <time datetime="2022-04-25T06:00:00Z">[^<]*2022[^<]*<\/time>/,
    );
    const en = await (await request("/articles/en-updated")).text();
    expect(en).toContain('<p class="meta updated">Updated <time datetime="2022-04-26T06:00:00Z">April 26, 2022</time>');
    expect(await (await request("/articles/s1")).text()).not.toContain("updated");
  });

  it("speaks the site's language in its fixed words", async () => {
    const ru = { ...env, SITE_LANGUAGE: "ru" };
    const home = await (await app.request("/", {}, ru)).text();
    expect(home).toContain("Более ранние →");
    expect(home).toContain("Подписаться на «The Steppe Ledger»:");
    const tag = await (await app.request("/tags/culture", {}, ru)).text();
    expect(tag).toContain("<h1>Материалы с тегом «Culture»</h1>");
  });

  it("shows the article with its tags' feeds for autodiscovery", async () => {
    const res = await request("/articles/s23");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Story 23</h1>");
    expect(html).toContain('<main lang="kk">');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/articles/s23"/>');
    expect(html).toContain('<img class="lead" src="https://news.example.com/images/lead.png" alt="A lead picture"/>');
    expect(html).toContain('href="/authors/sputnik"');
    const fallback = /href="\/tags\/(qogam)"/.exec(html)?.[1];
    expect(alternates(html)).toEqual(
      expect.arrayContaining([
        "application/rss+xml https://news.example.com/feed.xml",
        "application/rss+xml https://news.example.com/tags/protests-in-kazakhstan/feed.xml",
        "application/atom+xml https://news.example.com/tags/protests-in-kazakhstan/atom.xml",
        "application/feed+json https://news.example.com/tags/protests-in-kazakhstan/feed.json",
        `application/feed+json https://news.example.com/tags/${fallback}/feed.json`,
      ]),
    );
    expect(alternates(html)).toHaveLength(9);
  });

  it("answers 404 with a page for drafts and unknown slugs", async () => {
    for (const path of ["/articles/draft-story", "/articles/nope", "/no/such/page"]) {
      const res = await request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await res.text()).toContain("Page not found");
    }
  });
});

describe("tag and author pages", () => {
  it("list a tag's articles, with its feeds", async () => {
    const res = await request("/tags/protests-in-kazakhstan");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Tagged “Protests in Kazakhstan”");
    expect(html).toContain("Story 23");
    expect(html).not.toContain("Story 22");
    expect(alternates(html)[0]).toBe(
      "application/rss+xml https://news.example.com/tags/protests-in-kazakhstan/feed.xml",
    );
  });

  it("serve a Cyrillic tag under its transliterated slug", async () => {
    const article = await (await request("/articles/s23")).text();
    const fallback = /href="(\/tags\/qogam)"/.exec(article)?.[1] ?? "";
    const res = await request(fallback);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Tagged “Қоғам”");
  });

  it("list an author's articles, the name spelt as given", async () => {
    const res = await request("/authors/aigerim-sarsenbaeva");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("By Aigerim Sәrsenbaeva");
    expect(html).toContain('href="https://news.example.com/authors/aigerim-sarsenbaeva/atom.xml"');
  });

  it("answer 404 for unknown tags and authors, and 400 for a bad cursor", async () => {
    expect((await request("/tags/nope")).status).toBe(404);
    expect((await request("/authors/nobody")).status).toBe(404);
    expect((await request("/tags/culture?cursor=zzz")).status).toBe(400);
  });

  it("answer HEAD without a body", async () => {
    const res = await request("/tags/culture", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

describe("every response", () => {
  it("carries a restrictive Content-Security-Policy and nosniff", async () => {
    for (const path of ["/api/articles", "/nope", "/tags"]) {
      const res = await request(path);
      expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none';/);
      expect(res.headers.get("content-security-policy")).not.toContain("script-src");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    // The pages with a sign-up box run the site's own script file (public/zone.js), nothing inline.
    for (const path of ["/", "/articles/s1", "/tags/culture", "/authors/sputnik"]) {
      const res = await request(path);
      expect(res.headers.get("content-security-policy")).toBe(OWN_SCRIPT_CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it.each([
    ["/articles/%ZZ", 404],
    ["/tags/%E0%A4%A", 404],
    ["/authors/%00", 404],
    ["/articles/a%2Fb", 404],
    ["/?cursor=%E0", 400],
    ["/api/articles/%", 404],
    ["/api/articles?cursor=%", 400],
  ])("answers the odd URL %s with %i, never a 500", async (path, status) => {
    expect((await request(path)).status).toBe(status);
  });
});

describe("configuration", () => {
  it("fails with the setting's name, not a stack trace: a page for people, a problem for programs", async () => {
    const page = await app.request("/", {}, { ...env, SITE_URL: "news.example.com" });
    expect(page.status).toBe(500);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("Setting SITE_URL is &quot;news.example.com&quot;");
    const feed = await app.request("/feed.xml", {}, { ...env, SITE_URL: "news.example.com" });
    expect(feed.status).toBe(500);
    const body = (await feed.json()) as { detail: string };
    expect(body.detail).toMatch(/^setting SITE_URL is "news.example.com"/);
  });

  it("never lets a setting a route does not use break it", async () => {
    const broken = { ...env, MAIL_FROM: "nobody", MAILER: "carrier-pigeon", DIGEST_SEND_HOUR: "25" };
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json", "/api/articles", "/feeds.opml"]) {
      expect((await app.request(path, {}, broken)).status, path).toBe(200);
    }
    const badZone = { ...env, DIGEST_TZ: "Mars/Olympus" };
    expect((await app.request("/feed.xml", {}, badZone)).status).toBe(200);
    expect((await app.request("/digests/daily/2022-04-01", {}, badZone)).status).toBe(500);
  });
});
