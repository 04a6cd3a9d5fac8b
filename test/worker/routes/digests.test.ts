import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, isolate, request } from "../helpers.js";

// DIGEST_TZ is Asia/Almaty (UTC+6) in wrangler.toml.
beforeAll(async () => {
  for (const a of [
    fixture({ slug: "monday-morning", title: "Monday morning", date: "2022-01-10T08:00:00+06:00", tags: ["Transit"] }),
    fixture({
      slug: "monday-culture",
      title: "Monday <culture> & co",
      date: "2022-01-10T20:00:00+06:00",
      tags: ["Culture"],
    }),
    fixture({ slug: "sunday-late", title: "Sunday late", date: "2022-01-09T23:30:00+06:00", tags: ["Transit"] }),
    fixture({ slug: "friday", title: "Friday", date: "2022-01-14T12:00:00+06:00", tags: ["Transit"] }),
    fixture({ slug: "draft-monday", title: "Draft Monday", date: "2022-01-10T09:00:00+06:00", draft: true }),
  ]) {
    expect((await admin("POST", "/api/articles", a)).status).toBe(201);
  }
});

describe("daily digest on the web", () => {
  it("shows the local day's articles, newest first, as HTML", async () => {
    const res = await request("/digests/daily/2022-01-10");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("Monday &lt;culture&gt; &amp; co");
    const culture = html.indexOf("Monday &lt;culture");
    expect(culture).toBeGreaterThan(0);
    expect(culture).toBeLessThan(html.indexOf("Monday morning"));
    expect(html).not.toContain("Sunday late");
    expect(html).not.toContain("Draft Monday");
    expect(html).toContain('href="/articles/monday-morning"');
  });

  it("serves the plain-text part as .txt, and .html like the default", async () => {
    const res = await request("/digests/daily/2022-01-10.txt");
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("1. Monday <culture> & co");
    expect(text).toContain("2. Monday morning");
    expect((await request("/digests/daily/2022-01-10.html")).status).toBe(200);
  });

  it("filters by tags", async () => {
    const text = await (await request("/digests/daily/2022-01-10.txt?tags=culture")).text();
    expect(text).toContain("Monday <culture> & co");
    expect(text).not.toContain("Monday morning");
  });

  it("answers an empty day with a friendly 404 page", async () => {
    const res = await request("/digests/daily/2022-01-11");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Nothing to read here");
  });

  it.each([
    ["/digests/daily/2022-02-30", 400, "2022-02-30"],
    ["/digests/daily/10-01-2022", 400, "is not a date"],
    ["/digests/weekly/2021-W53", 400, "is not an ISO week"],
    ["/digests/weekly/2022-02", 400, "is not an ISO week"],
    ["/digests/daily/2022-01-10?tags=Not%20A%20Slug", 400, "is not a tag slug"],
    ["/digests/daily/2022-01-10?tags=nope", 404, "nope"],
  ])("answers %s with %i and an HTML page that says why", async (path, status, why) => {
    const res = await request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain(why);
  });

  it.each([
    ["/digests/daily/2022-02-30.txt", 400],
    ["/digests/daily/2022-01-10.txt?tags=Not%20A%20Slug", 400],
    ["/digests/daily/2022-01-10.txt?tags=nope", 404],
    ["/digests/daily/2022-01-11.txt", 404],
  ])("answers the text part %s with %i problem+json", async (path, status) => {
    const res = await request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });

  it("takes up to 20 tags, in one query, and answers 21 with 400", async () => {
    const slugs = (n: number) => ["transit", ...Array.from({ length: n - 1 }, (_, i) => `t${i}`)];
    for (const n of [2, 20]) {
      await admin("POST", "/api/articles", fixture({ date: "2022-01-12T09:00:00+06:00", tags: slugs(n).slice(1) }));
    }
    const reader = isolate();
    await reader.fetch("/digests/daily/2022-01-12.txt"); // reads the content version
    const before = reader.statements();
    const twenty = await reader.fetch(`/digests/daily/2022-01-12.txt?tags=${slugs(20).join(",")}`);
    expect(twenty.status).toBe(200);
    // The tag names, then the articles: two statements, however many tags.
    expect(reader.statements() - before).toBe(2);
    const over = await request(`/digests/daily/2022-01-12.txt?tags=${slugs(21).join(",")}`);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { detail: string }).detail).toMatch(/more than 20 tags/);
    const hundreds = await request(
      `/digests/daily/2022-01-12?tags=${Array.from({ length: 500 }, (_, i) => `x${i}`).join(",")}`,
    );
    expect(hundreds.status).toBe(400);
  });

  it("says 'or' when it filters by several tags, and why an empty result is empty", async () => {
    const text = await (await request("/digests/daily/2022-01-10.txt?tags=culture,transit")).text();
    expect(text).toContain("tagged Culture or Transit");
    const empty = await request("/digests/daily/2022-01-14?tags=culture");
    expect(empty.status).toBe(404);
    expect(await empty.text()).toContain(
      "No articles tagged “Culture” were published on Friday, January 14, 2022, so no email went out.",
    );
    const problem = await request("/digests/daily/2022-01-14.txt?tags=culture");
    expect(((await problem.json()) as { detail: string }).detail).toBe(
      "no articles tagged “Culture” were published in the daily digest 2022-01-14",
    );
  });

  it("ignores parameters it does not know, such as tracking ones", async () => {
    const plain = await request("/digests/daily/2022-01-10");
    const tracked = await request("/digests/daily/2022-01-10?utm_source=mail&fbclid=abc&page=2");
    expect(tracked.status).toBe(200);
    expect(tracked.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(await tracked.text()).toBe(await plain.text());
  });

  it("is cached and conditional like the feeds", async () => {
    const first = await request("/digests/daily/2022-01-10");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\//);
    expect(first.headers.get("last-modified")).toBe("Mon, 10 Jan 2022 14:00:00 GMT");
    expect((await request("/digests/daily/2022-01-10", { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await request("/digests/daily/2022-01-10?tags=culture")).headers.get("etag")).not.toBe(etag);
  });
});

describe("weekly digest on the web", () => {
  it("covers the ISO week in the digest's zone", async () => {
    const text = await (await request("/digests/weekly/2022-W02.txt")).text();
    expect(text).toContain("Weekly digest, January 10 – January 16, 2022");
    for (const title of ["Friday", "Monday morning", "Monday <culture> & co"]) expect(text).toContain(title);
    expect(text).not.toContain("Sunday late");
  });
});

describe("the digest archive", () => {
  it("lists the weeks and days that have articles", async () => {
    const res = await request("/digests");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const href of [
      "/digests/weekly/2022-W02",
      "/digests/weekly/2022-W01",
      "/digests/daily/2022-01-10",
      "/digests/daily/2022-01-09",
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(html).toContain("(2 articles)");
    expect(html).not.toContain("2022-01-11");
  });
});

describe("dates far from now", () => {
  it("keep the archive and their digests working for articles before 1970 and back to year 1000", async () => {
    for (const [slug, date] of [
      ["moon", "1969-07-20T20:17:00Z"],
      ["millennium", "1000-01-01T12:00:00Z"],
    ] as const) {
      expect((await admin("POST", "/api/articles", fixture({ slug, title: `Old ${slug}`, date }))).status).toBe(201);
      const got = (await (await request(`/api/articles/${slug}`)).json()) as { date: string };
      expect(got.date).toBe(date);
    }
    const archive = await request("/digests");
    expect(archive.status).toBe(200);
    const html = await archive.text();
    expect(html).toContain('href="/digests/1969"');
    expect(html).toContain('href="/digests/1000"');
    expect(await (await request("/digests/1969")).text()).toContain('href="/digests/daily/1969-07-21"');
    expect(await (await request("/digests/1000")).text()).toContain('href="/digests/daily/1000-01-01"');
    expect(await (await request("/digests/daily/1969-07-21.txt")).text()).toContain("Old moon");
    expect(await (await request("/digests/weekly/1000-W01.txt")).text()).toContain("Old millennium");
  });

  it("refuse years before 1000 instead of moving them to the 1900s", async () => {
    const res = await admin("POST", "/api/articles", fixture({ slug: "year-99", date: "0099-06-01T00:00:00Z" }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/year 1000/);
  });
});

describe("a filtered web version's links to other editions", () => {
  beforeAll(async () => {
    for (const [slug, date, tags] of [
      ["mar-1-culture", "2022-03-01T10:00:00+06:00", ["Culture"]],
      ["mar-2-parks", "2022-03-02T10:00:00+06:00", ["Parks"]],
      ["mar-3-culture", "2022-03-03T10:00:00+06:00", ["Culture"]],
      ["mar-4-parks", "2022-03-04T10:00:00+06:00", ["Parks"]],
      ["mar-5-transit", "2022-03-05T10:00:00+06:00", ["Transit"]],
      // Scheduled: never an edition to link to before its time.
      ["later-culture", "2090-01-01T10:00:00+06:00", ["Culture"]],
    ] as const) {
      const res = await admin("POST", "/api/articles", fixture({ slug, title: slug, date, tags: [...tags] }));
      expect(res.status).toBe(201);
    }
  });

  const editionLinks = async (path: string) => {
    const res = await request(path);
    expect(res.status, path).toBe(200);
    const html = await res.text();
    const href = (rel: string) => new RegExp(`<a href="([^"]*)" rel="${rel}"`).exec(html)?.[1] ?? null;
    return { previous: href("prev"), next: href("next") };
  };

  it("keep the filter, normalised, and skip editions with nothing in it", async () => {
    expect(await editionLinks("/digests/daily/2022-03-03?tags=transit,culture,%20transit&utm_source=x")).toEqual({
      previous: "https://news.example.com/digests/daily/2022-03-01?tags=transit%2Cculture",
      next: "https://news.example.com/digests/daily/2022-03-05?tags=transit%2Cculture",
    });
    expect(await editionLinks("/digests/daily/2022-03-05?tags=transit,culture")).toEqual({
      previous: "https://news.example.com/digests/daily/2022-03-03?tags=transit%2Cculture",
      next: null,
    });
    expect(await editionLinks("/digests/weekly/2022-W09?tags=parks")).toEqual({
      previous: null,
      next: null,
    });
  });

  it("without a filter, link the editions next to it that have articles", async () => {
    expect(await editionLinks("/digests/daily/2022-03-03")).toEqual({
      previous: "https://news.example.com/digests/daily/2022-03-02",
      next: "https://news.example.com/digests/daily/2022-03-04",
    });
  });
});
