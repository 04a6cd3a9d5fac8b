// The digest archive's human dates, and the previous/next links between the web versions of
// editions. DIGEST_TZ is Asia/Almaty (UTC+6) in wrangler.toml.

import { beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../../src/core/digest/render.js";
import { templates } from "../../../src/generated/templates.js";
import { article, input } from "../../core/digest/fixture.js";
import { admin, fixture, isolate, request } from "../helpers.js";
import { htmlProblems } from "../page.js";

beforeAll(async () => {
  const at = (slug: string, date: string, more: Record<string, unknown> = {}) =>
    fixture({ slug, title: slug, date, ...more });
  for (const a of [
    at("w01-monday", "2022-01-03T09:00:00+06:00"),
    at("w01-wednesday", "2022-01-05T23:30:00+06:00"),
    at("w02-monday", "2022-01-10T08:00:00+06:00"),
    at("w02-monday-late", "2022-01-10T20:00:00+06:00"),
    // A day with only a draft, and days with only scheduled articles, are no editions.
    at("w02-wednesday-draft", "2022-01-12T10:00:00+06:00", { draft: true }),
    at("w03-monday", "2022-01-17T10:00:00+06:00"),
    at("in-an-hour", new Date(Date.now() + 3_600_000).toISOString()),
    at("far-future", "2099-01-05T10:00:00+06:00"),
  ]) {
    expect((await admin("POST", "/api/articles", a)).status).toBe(201);
  }
});

async function editionLinks(path: string): Promise<{ prev: string | null; next: string | null }> {
  const res = await request(path);
  expect(res.status, path).toBe(200);
  // Email HTML (MJML's tables): validated with the email rules in test/node/digest-html.test.ts.
  const html = await res.text();
  const link = (rel: string) => new RegExp(`<a href="([^"]+)" rel="${rel}"[^>]*>([^<]+)</a>`).exec(html);
  const text = (m: RegExpExecArray | null) => (m ? `${m[1]} ${m[2]}` : null);
  return { prev: text(link("prev")), next: text(link("next")) };
}

describe("the digest archive", () => {
  it("writes days and weeks as people do, with machine-readable times", async () => {
    const res = await request("/digests/2022");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="/digests/weekly/2022-W02"><time datetime="2022-W02">Week 2, 2022</time></a>');
    expect(html).toContain(
      '<a href="/digests/daily/2022-01-10"><time datetime="2022-01-10">Monday, January 10, 2022</time></a> <span class="meta">(2 articles)</span>',
    );
    expect(html).toContain('<time datetime="2022-01-05">Wednesday, January 5, 2022</time>');
    expect(html).not.toContain("2022-01-12");
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("writes them in the site's language", async () => {
    const dates = async (lang: string) => {
      const html = await (await isolate({ SITE_LANGUAGE: lang }).fetch("/digests/2022")).text();
      return [
        /<time datetime="2022-W02">([^<]+)<\/time>/.exec(html)?.[1],
        /<time datetime="2022-01-10">([^<]+)<\/time>/.exec(html)?.[1],
      ];
    };
    expect(await dates("en-GB")).toEqual(["Week 2, 2022", "Monday, 10 January 2022"]);
    expect(await dates("ru")).toEqual(["Неделя 2, 2022", "понедельник, 10 января 2022 г."]);
    expect(await dates("kk")).toEqual(["2022 ж., 2-апта", expect.stringContaining("10 қаңтар")]);
  });
});

describe("a daily edition's web version", () => {
  const base = "https://news.example.com/digests/daily";

  it("links the first edition to the next one only", async () => {
    expect(await editionLinks("/digests/daily/2022-01-03")).toEqual({
      prev: null,
      next: `${base}/2022-01-05 Next: Wednesday, January 5, 2022 →`,
    });
  });

  it("skips the days without articles, and a day with only a draft", async () => {
    expect(await editionLinks("/digests/daily/2022-01-05")).toEqual({
      prev: `${base}/2022-01-03 ← Previous: Monday, January 3, 2022`,
      next: `${base}/2022-01-10 Next: Monday, January 10, 2022 →`,
    });
    // A filtered edition keeps its filter (normalised, other parameters dropped).
    expect(await editionLinks("/digests/daily/2022-01-10?tags=transit&utm_source=x")).toEqual({
      prev: `${base}/2022-01-05?tags=transit ← Previous: Wednesday, January 5, 2022`,
      next: `${base}/2022-01-17?tags=transit Next: Monday, January 17, 2022 →`,
    });
  });

  it("links the last public edition to no later one, whatever is scheduled", async () => {
    expect(await editionLinks("/digests/daily/2022-01-17")).toEqual({
      prev: `${base}/2022-01-10 ← Previous: Monday, January 10, 2022`,
      next: null,
    });
  });
});

describe("a weekly edition's web version", () => {
  const base = "https://news.example.com/digests/weekly";

  it("links the weeks that have articles, first to last", async () => {
    expect(await editionLinks("/digests/weekly/2022-W01")).toEqual({
      prev: null,
      next: `${base}/2022-W02 Next: January 10 – January 16, 2022 →`,
    });
    expect(await editionLinks("/digests/weekly/2022-W02")).toEqual({
      prev: `${base}/2022-W01 ← Previous: January 3 – January 9, 2022`,
      next: `${base}/2022-W03 Next: January 17 – January 23, 2022 →`,
    });
    expect(await editionLinks("/digests/weekly/2022-W03")).toEqual({
      prev: `${base}/2022-W02 ← Previous: January 10 – January 16, 2022`,
      next: null,
    });
  });
});

describe("the email of an edition", () => {
  it("has no links to other editions (when it is sent, the next one does not exist yet)", async () => {
    const email = renderDigest(input([article(1)], { forEmail: true }), templates.digest);
    expect(email.html).not.toContain('rel="prev"');
    expect(email.html).not.toContain('rel="next"');
    // The web edition, a page of the site, has them.
    expect(await editionLinks("/digests/weekly/2022-W03")).toMatchObject({ prev: expect.stringContaining("2022-W02") });
  });
});
