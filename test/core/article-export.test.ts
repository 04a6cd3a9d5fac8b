// An article's export file read back by the same parser content sync uses gives the same stored
// article: stored HTML from Markdown and from the API (blank lines, leading text, <pre>, no final
// line break, links on this site), every front-matter field, and the values that field refuses
// ("" for alt text and summary). test/scripts/export.test.ts runs the whole trip through D1.

import { describe, expect, it } from "vitest";
import { type Article, articleFromJson, articleFromMarkdown, served } from "../../src/core/article.js";
import { articleFile, htmlBody } from "../../src/core/article-export.js";
import { HARD_MARKDOWN } from "../export-fixtures.js";

const siteUrl = "https://news.example.com";
const options = { siteUrl };

/** The stored article read back from its export, as stored (SITE_MARK) and as served (absolute). */
function roundTrips(article: Article): void {
  expect(articleFromMarkdown(articleFile(article, siteUrl), options)).toEqual(article);
  expect(articleFromMarkdown(articleFile(served(article, siteUrl), siteUrl), options)).toEqual(article);
}

const json = (fields: Record<string, unknown>) =>
  articleFromJson({ title: "T", slug: "t", date: "2022-01-10T16:00:00+06:00", ...fields }, options);

describe("articleFile", () => {
  it.each([
    ["blank lines between blocks", "<p>a</p>\n\n\n<p>b</p>\n"],
    ["text before any tag", "Leading text, then <em>this</em>"],
    ["a <pre> with blank and indented lines", "<pre>x\n\n    y\n\t\n</pre>"],
    ["lines of spaces and tabs", "<p>a</p>\n   \n\t\n<p>b</p>"],
    ["no final line break", "<p>ends here</p>"],
    ["a blank line inside an attribute", '<p title="one\n\ntwo">x</p>'],
    [
      "links on this site and one that looks like a host",
      // A path starting "//" on this site must not become a link to the host "y".
      '<a href="/articles/x">x</a><a href="//other.example/y">y</a><a href="https://news.example.com//y/z">z</a>',
    ],
    ["an image on this site", '<img src="/images/a.png" alt="A" srcset="/images/a.png 1x, /images/b.png 2x">'],
    ["Markdown's own syntax as text", "# not a heading\n\n    not code\n\n- not a list\n\n&amp; &lt;b&gt;"],
  ])("keeps HTML from the API: %s", (_, html) => {
    roundTrips(json({ html }));
  });

  it("keeps HTML rendered from Markdown: code with blank lines, quotes, lists, tables", () => {
    roundTrips(json({ markdown: HARD_MARKDOWN }));
  });

  it("writes every field, and leaves out only what is derived again the same", () => {
    const article = json({
      title: `Q&A: <b> tags & "quotes" - a: b # c`,
      date: "1000-01-01T00:00:00.001Z",
      updated: "9999-12-31T23:59:59.999Z",
      authors: ["Dana Kim", { name: "Zoë", email: "z@example.org", url: "https://news.example.com/about" }],
      tags: ["Protests in Kazakhstan", "Қала", "null", "123", "true"],
      summary: "Line one\n\nline two: 'quoted', # not a comment",
      image: { url: "/images/a.png", alt: "Skaters: at dusk", width: 1200, height: 630 },
      url: "https://elsewhere.example/story",
      lang: "kk",
      draft: true,
      aliases: ["/2022/02/old.html", "/p/123"],
      markdown: "Body.",
    });
    roundTrips(article);
    const text = articleFile(article, siteUrl);
    expect(text.split("\n---\n")[0]).toBe(
      [
        "---",
        `title: 'Q&A: <b> tags & "quotes" - a: b # c'`,
        "slug: t",
        "date: 1000-01-01T00:00:00.001Z",
        "updated: 9999-12-31T23:59:59.999Z",
        "authors:",
        "  - Dana Kim",
        "  - name: Zoë",
        "    email: z@example.org",
        "    url: https://news.example.com/about",
        "tags:",
        "  - Protests in Kazakhstan",
        "  - Қала",
        '  - "null"',
        '  - "123"',
        '  - "true"',
        "summary: |-",
        "  Line one",
        "",
        "  line two: 'quoted', # not a comment",
        "image:",
        "  url: /images/a.png",
        '  alt: "Skaters: at dusk"',
        "  width: 1200",
        "  height: 630",
        "url: https://elsewhere.example/story",
        "lang: kk",
        "draft: true",
        "aliases:",
        "  - /2022/02/old.html",
        "  - /p/123",
      ].join("\n"),
    );
  });

  it("leaves out an empty alt text and an empty summary, which the front matter refuses", () => {
    const article = json({ image: { url: "https://cdn.example/p.jpg" }, html: '<img src="/a.png">' });
    expect(article.image?.alt).toBe("");
    expect(article.summary).toBe("");
    roundTrips(article);
    const front = articleFile(article, siteUrl).split("\n---\n")[0] ?? "";
    expect(front).not.toContain("alt:");
    expect(front).not.toContain("summary:");
  });

  it("leaves out the default canonical URL, and a draft: false", () => {
    const front = articleFile(json({ markdown: "x" }), siteUrl).split("\n---\n")[0] ?? "";
    expect(front).not.toMatch(/^url:/m);
    expect(front).not.toContain("draft");
  });
});

describe("htmlBody", () => {
  it("wraps the HTML in one HTML block: no blank line, site links as paths", () => {
    expect(htmlBody("<p>a</p>\n\n<pre>b\n \nc</pre>\n", siteUrl)).toBe(
      "<main\n><p>a</p>&#10;\n<pre>b&#10; \nc</pre>&#10;</main\n>",
    );
  });
});
