import { describe, expect, it } from "vitest";
import { articleFromJson, articleFromMarkdown, served, slugFromPath } from "../../src/core/article.js";
import type { ArticleError } from "../../src/core/errors.js";
import { SITE_MARK } from "../../src/core/text.js";
import { errorsOf } from "./article-errors.js";

const siteUrl = "https://news.example.com";

const doc = (front: string, body = "Body text.") => `---\n${front}\n---\n${body}\n`;

describe("articleFromMarkdown", () => {
  it("builds the stored article from front matter and Markdown", () => {
    const article = articleFromMarkdown(
      doc(
        [
          'title: "Tokayev tells CSTO summit that order has been restored"',
          'date: "2022-01-10T16:00:00+06:00"',
          'updated: "2022-01-11T09:00:00+06:00"',
          "authors: [Sputnik, {name: Zoë Ortega, email: zoe@example.org, url: 'https://example.org/zoe'}]",
          "tags: [Protests in Kazakhstan, CSTO]",
          "image: {url: /images/a.png, alt: A hall}",
          "lang: en",
        ].join("\n"),
        "Hello **world**. See [the earlier report](other-story).",
      ),
      { siteUrl, slug: "tokayev-csto-summit" },
    );
    expect(article).toEqual({
      slug: "tokayev-csto-summit",
      title: "Tokayev tells CSTO summit that order has been restored",
      // Stored site-relative: SITE_MARK stands for SITE_URL, written back when served.
      url: `${SITE_MARK}/articles/tokayev-csto-summit`,
      publishedAt: Date.UTC(2022, 0, 10, 10),
      updatedAt: Date.UTC(2022, 0, 11, 3),
      summary: "Hello world. See the earlier report.",
      image: { url: `${SITE_MARK}/images/a.png`, alt: "A hall", width: null, height: null },
      lang: "en",
      draft: false,
      authors: [
        { name: "Sputnik", slug: "sputnik" },
        { name: "Zoë Ortega", slug: "zoe-ortega", email: "zoe@example.org", url: "https://example.org/zoe" },
      ],
      tags: [
        { name: "Protests in Kazakhstan", slug: "protests-in-kazakhstan" },
        { name: "CSTO", slug: "csto" },
      ],
      contentHtml: `<p>Hello <strong>world</strong>. See <a href="${SITE_MARK}/articles/other-story">the earlier report</a>.</p>\n`,
    });
    const onAnotherPort = served(article, "http://127.0.0.1:8788");
    expect(onAnotherPort.url).toBe("http://127.0.0.1:8788/articles/tokayev-csto-summit");
    expect(onAnotherPort.image?.url).toBe("http://127.0.0.1:8788/images/a.png");
    expect(onAnotherPort.contentHtml).toContain('href="http://127.0.0.1:8788/articles/other-story"');
  });

  it("keeps a title with markup characters as plain text", () => {
    const article = articleFromMarkdown(doc(`title: 'Q&A: <b> tags & "quotes" it''s'\ndate: "2022-01-10T10:00:00Z"`), {
      siteUrl,
      slug: "q-a",
    });
    expect(article.title).toBe(`Q&A: <b> tags & "quotes" it's`);
  });

  it("resolves relative links and images against this site, even when the canonical url is elsewhere", () => {
    const article = served(
      articleFromMarkdown(
        doc(
          'title: T\ndate: "2022-01-10T10:00:00Z"\nurl: https://elsewhere.example/news/story\nimage: /images/lead.png',
          "![x](/images/img.png) [next](other) ![y](pic.png)",
        ),
        { siteUrl, slug: "t" },
      ),
      siteUrl,
    );
    expect(article.url).toBe("https://elsewhere.example/news/story");
    expect(article.image?.url).toBe(`${siteUrl}/images/lead.png`);
    expect(article.contentHtml).toContain(`src="${siteUrl}/images/img.png"`);
    expect(article.contentHtml).toContain(`href="${siteUrl}/articles/other"`);
    expect(article.contentHtml).toContain(`src="${siteUrl}/articles/pic.png"`);
  });

  it("derives the summary from the body, cut at a word", () => {
    const article = articleFromMarkdown(doc('title: T\ndate: "2022-01-10T10:00:00Z"', "word ".repeat(200)), {
      siteUrl,
      slug: "t",
    });
    expect(article.summary.length).toBeLessThanOrEqual(280);
    expect(article.summary).toMatch(/word…$/);
  });

  it("merges tags that share a slug and drops control characters from fields", () => {
    const article = articleFromMarkdown(
      doc('title: "A B"\ndate: "2022-01-10T10:00:00Z"\nsummary: "S\\u0007um"\ntags: [Transit, transit, TRANSIT!]'),
      { siteUrl, slug: "t" },
    );
    expect(article.summary).toBe("Sum");
    expect(article.tags).toEqual([{ name: "Transit", slug: "transit" }]);
  });

  // A title becomes a digest's Subject header: "Headline\r\nBcc: ..." would add a header line.
  it.each([
    ["\\r\\n", "U+000D (a carriage return) at character 9"],
    ["\\n", "U+000A (a line break) at character 9"],
    ["\\t", "U+0009 (a tab) at character 9"],
    ["\\u0007", "U+0007 (a control character) at character 9"],
    ["\\u0085", "U+0085 (a next-line character) at character 9"],
    ["\\u2028", "U+2028 (a line separator) at character 9"],
    ["\\u2029", "U+2029 (a paragraph separator) at character 9"],
  ])("refuses a title with %s in it, saying which character and where", (written, said) => {
    const errors = errorsOf(() =>
      articleFromMarkdown(doc(`title: "Headline${written}Bcc: x@evil.example"\ndate: "2022-01-10T10:00:00Z"`), {
        siteUrl,
        slug: "t",
      }),
    );
    expect(errors).toEqual({ title: `must be one line without control characters: it has ${said}` });
  });

  it("counts the position in characters, an emoji as one", () => {
    const errors = errorsOf(() =>
      articleFromJson({ title: "🎉🎉\nx", date: "2022-01-10T10:00:00Z", markdown: "B" }, { siteUrl, slug: "t" }),
    );
    expect(errors.title).toMatch(/ at character 3$/);
  });

  it("refuses a line break in an author's or a tag's name, naming the field", () => {
    const errors = errorsOf(() =>
      articleFromJson(
        {
          title: "T",
          date: "2022-01-10T10:00:00Z",
          authors: ["Dana\nKim", { name: "Ok" }, { name: "Eve\r" }],
          tags: ["Transit", "Cul\u2029ture"],
          markdown: "B",
        },
        { siteUrl, slug: "t" },
      ),
    );
    expect(errors).toEqual({
      "authors.0.name": "must be one line without control characters: it has U+000A (a line break) at character 5",
      "authors.2.name": "must be one line without control characters: it has U+000D (a carriage return) at character 4",
      "tags.1.name":
        "must be one line without control characters: it has U+2029 (a paragraph separator) at character 4",
    });
  });

  it("names every bad field", () => {
    expect(
      errorsOf(() =>
        articleFromMarkdown(
          doc(
            'title: ""\ndate: 2022-01-10\nupdated: "yesterday"\nauthors: [{name: A, email: nope}]\ntags: [1]\nlang: "english!"\ndraft: "no"\ncolour: red',
          ),
          { siteUrl },
        ),
      ),
    ).toEqual({
      title: "must not be empty",
      date: 'must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"',
      updated: 'must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"',
      "authors.0.email": "must be an email address",
      "tags.0": "must be a name",
      lang: 'must be a language tag like "en" or "pt-BR"',
      draft: "must be true or false",
      colour: "is not a known field",
    });
  });

  it("requires title and date", () => {
    const errors = errorsOf(() => articleFromMarkdown(doc("tags: [A]"), { siteUrl }));
    expect(Object.keys(errors).sort()).toEqual(["date", "title"]);
  });

  it("rejects an updated date before the publish date", () => {
    expect(
      errorsOf(() =>
        articleFromMarkdown(doc('title: T\ndate: "2022-01-10T10:00:00Z"\nupdated: "2022-01-09T10:00:00Z"'), {
          siteUrl,
        }),
      ),
    ).toEqual({ updated: "must not be earlier than date" });
  });

  it("reports broken front matter with its line", () => {
    expect(errorsOf(() => articleFromMarkdown("no front matter", { siteUrl }))["front matter"]).toMatch(/must start/);
    expect(errorsOf(() => articleFromMarkdown("---\ntitle: x\n", { siteUrl }))["front matter"]).toMatch(/closing/);
    expect(errorsOf(() => articleFromMarkdown("---\ntitle: [x\n---\n", { siteUrl }))["front matter"]).toMatch(
      /not valid YAML \(line \d+\)/,
    );
    expect(errorsOf(() => articleFromMarkdown("---\ntitle: a\ntitle: b\n---\n", { siteUrl }))["front matter"]).toMatch(
      /not valid YAML/,
    );
  });

  it("rejects an image that is not http(s)", () => {
    expect(
      errorsOf(() =>
        articleFromMarkdown(doc('title: T\ndate: "2022-01-10T10:00:00Z"\nimage: "javascript:alert(1)"'), { siteUrl }),
      ),
    ).toEqual({ image: "must be an http(s) URL, absolute or relative to this site" });
  });

  it("takes an image as a mapping with its pixel size", () => {
    const front = (image: string) => doc(`title: T\ndate: "2022-01-10T10:00:00Z"\nimage: ${image}`);
    const built = articleFromMarkdown(front("{url: /a.png, alt: A hall, width: 65535, height: 1}"), { siteUrl });
    expect(built.image).toEqual({ url: `${SITE_MARK}/a.png`, alt: "A hall", width: 65535, height: 1 });
    expect(articleFromMarkdown(front("/a.png"), { siteUrl }).image).toEqual({
      url: `${SITE_MARK}/a.png`,
      alt: "",
      width: null,
      height: null,
    });
    const errors = (image: string) => errorsOf(() => articleFromMarkdown(front(image), { siteUrl }));
    expect(errors("{url: /a.png, width: 65536, height: 10}")).toEqual({ "image.width": "must be at most 65535" });
    expect(errors("{url: /a.png, width: 10, height: 0}")).toEqual({ "image.height": "must be at least 1" });
    expect(errors("{url: /a.png, width: 10.5, height: 10}")).toEqual({
      "image.width": "must be a whole number of pixels",
    });
    expect(errors("{url: /a.png, width: '10', height: 10}")).toEqual({ "image.width": "must be a number of pixels" });
    expect(errors("{url: /a.png, width: 10}")).toEqual({ "image.height": "give both width and height, or neither" });
    expect(errors("{url: /a.png, height: 10}")).toEqual({ "image.width": "give both width and height, or neither" });
  });
});

describe("articleFromJson", () => {
  it("takes the body as html and sanitizes it", () => {
    const article = articleFromJson(
      { title: "T", date: "2022-01-10T10:00:00Z", html: '<p onclick="x">Hi<script>1</script></p>' },
      { siteUrl },
    );
    expect(article.slug).toBe("t");
    expect(article.contentHtml).toBe("<p>Hi</p>");
  });

  it("accepts what GET /api/articles/:slug returns", () => {
    const article = articleFromJson(
      {
        slug: "t",
        title: "T",
        url: "https://news.example.com/articles/t",
        date: "2022-01-10T10:00:00Z",
        updated: null,
        authors: [{ name: "A" }],
        tags: [{ name: "Transit", slug: "transit" }],
        summary: "S",
        image: null,
        content_html: "<p>x</p>",
      },
      { siteUrl },
    );
    expect(article.tags).toEqual([{ name: "Transit", slug: "transit" }]);
  });

  it("wants exactly one body", () => {
    const both = { title: "T", date: "2022-01-10T10:00:00Z", markdown: "a", html: "b" };
    expect(errorsOf(() => articleFromJson(both, { siteUrl }))).toEqual({
      markdown: 'give the body as exactly one of "markdown" or "html"',
    });
  });

  it("flags a body over the size limit as too large", () => {
    try {
      articleFromJson({ title: "T", date: "2022-01-10T10:00:00Z", html: "x".repeat(1_900_000) }, { siteUrl });
      expect.unreachable();
    } catch (error) {
      expect((error as ArticleError).errors[0]).toMatchObject({ field: "html", tooLarge: true });
    }
  });
});

describe("slugFromPath", () => {
  it("uses the file name without the date prefix", () => {
    expect(slugFromPath("content/2022/2022-01-10-tokayev-csto-summit.md")).toBe("tokayev-csto-summit");
    expect(slugFromPath("content/About Us.md")).toBe("about-us");
  });
});
