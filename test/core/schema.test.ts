import { describe, expect, it } from "vitest";
import { articleFromJson, articleFromMarkdown } from "../../src/core/article.js";
import { errorsOf } from "./article-errors.js";

const siteUrl = "https://news.example.com";

const base = { title: "Council meets", date: "2022-01-10T16:00:00+06:00", markdown: "Body." };
const fromJson = (fields: Record<string, unknown>) => articleFromJson({ ...base, ...fields }, { siteUrl });
const jsonErrors = (fields: Record<string, unknown>) => errorsOf(() => fromJson(fields));
const doc = (front: string) => `---\n${front}\n---\nBody.\n`;

describe("date and updated", () => {
  it.each([
    ["1000-01-01T00:00:00Z", -30610224000000],
    ["1969-12-31T23:59:59.999Z", -1],
    ["9999-12-31T23:59:59.999Z", 253402300799999],
  ])("accept %s", (date, ms) => {
    expect(fromJson({ date, updated: date }).publishedAt).toBe(ms);
  });

  it.each([
    "0999-12-31T23:59:59.999Z",
    "1000-01-01T00:30:00+01:00",
    "0050-01-01T00:00:00Z",
    "9999-12-31T23:00:00-01:00",
  ])("refuse %s, saying the allowed range", (date) => {
    const range = /from year 1000 to 9999/;
    expect(jsonErrors({ date }).date).toMatch(range);
    expect(jsonErrors({ updated: date }).updated).toMatch(range);
    expect(errorsOf(() => articleFromMarkdown(doc(`title: T\ndate: "${date}"`), { siteUrl })).date).toMatch(range);
  });
});

describe("slug", () => {
  it("may be up to 100 characters, on POST as on PUT", () => {
    expect(fromJson({ slug: "a".repeat(100) }).slug).toHaveLength(100);
    expect(fromJson({ slug: `${"ab-".repeat(33)}c` }).slug).toHaveLength(100);
  });

  it("is refused at 101 characters", () => {
    expect(jsonErrors({ slug: "a".repeat(101) })).toEqual({ slug: "must be at most 100 characters" });
    expect(jsonErrors({ slug: "a".repeat(500) })).toEqual({ slug: "must be at most 100 characters" });
    expect(
      errorsOf(() =>
        articleFromMarkdown(doc(`title: T\ndate: "2022-01-10T10:00:00Z"\nslug: ${"a".repeat(101)}`), { siteUrl }),
      ),
    ).toEqual({
      slug: "must be at most 100 characters",
    });
  });

  it("must be lower-case ASCII words joined by -", () => {
    expect(jsonErrors({ slug: "Not-A-Slug" })).toEqual({ slug: 'must be lower-case ASCII words joined by "-"' });
  });
});

describe("lang", () => {
  it.each([
    ["en", "en"],
    ["kk", "kk"],
    ["pt-BR", "pt-BR"],
    ["EN-us", "en-US"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["sr-Latn-RS", "sr-Latn-RS"],
    ["en-x-aaaaaaaa-bbbbbbbb-cccccccc-ddd", "en-x-aaaaaaaa-bbbbbbbb-cccccccc-ddd"],
  ])("stores %j as %j", (lang, stored) => {
    expect(fromJson({ lang }).lang).toBe(stored);
  });

  it.each(["en-", "x", "en--US", "english!", "en_US", ""])("refuses %j", (lang) => {
    expect(jsonErrors({ lang })).toEqual({ lang: 'must be a language tag like "en" or "pt-BR"' });
  });

  it("refuses a tag longer than 35 characters, even a well-formed one", () => {
    expect(jsonErrors({ lang: "en-x-aaaaaaaa-bbbbbbbb-cccccccc-dddd" })).toEqual({
      lang: "must be at most 35 characters",
    });
    const long = `en-x-${Array.from({ length: 39 }, (_, i) => `p${String(i).padStart(3, "0")}`).join("-")}x`;
    expect(long).toHaveLength(200);
    expect(Intl.getCanonicalLocales(long)).toEqual([long]);
    expect(jsonErrors({ lang: long })).toEqual({ lang: "must be at most 35 characters" });
  });
});

describe("required and unknown fields", () => {
  it("name a missing title in front matter", () => {
    expect(errorsOf(() => articleFromMarkdown(doc('date: "2022-01-10T10:00:00Z"'), { siteUrl }))).toEqual({
      title: "is required",
    });
  });

  it("name every missing field in a JSON body, and keep unknown fields apart", () => {
    expect(errorsOf(() => articleFromJson({ markdown: "Body.", colour: "red" }, { siteUrl }))).toEqual({
      title: "is required",
      date: "is required",
      colour: "is not a known field",
    });
  });

  it("name a missing author name", () => {
    expect(jsonErrors({ authors: [{ email: "a@example.org" }] })).toEqual({ "authors.0.name": "is required" });
  });

  it("still say what the whole document must be", () => {
    expect(errorsOf(() => articleFromJson([], { siteUrl }))).toEqual({ "(document)": "must be a JSON object" });
    expect(errorsOf(() => articleFromMarkdown(doc("- a list"), { siteUrl }))).toEqual({
      "(document)": "must be a YAML mapping of fields",
    });
  });
});

describe("URLs", () => {
  it("store the WHATWG serialization: tabs and newlines removed, control characters escaped", () => {
    const article = fromJson({
      url: "https://Example.ORG/a\tb\nc\rd\u0001e\u007f",
      authors: [{ name: "Zoë Ortega", url: " https://example.org/zo\te\n" }],
      image: "https://example.org/i\tmg\n.png",
    });
    expect(article.url).toBe("https://example.org/abcd%01e%7F");
    expect(article.authors[0]?.url).toBe("https://example.org/zoe");
    expect(article.image?.url).toBe("https://example.org/img.png");
  });

  it("refuse what cannot be parsed, naming the field", () => {
    expect(jsonErrors({ url: "https://exa\u0001mple.org/" })).toEqual({ url: "must be an absolute http(s) URL" });
    expect(jsonErrors({ authors: [{ name: "A", url: "https://[bad/" }] })).toEqual({
      "authors.0.url": "must be an absolute http(s) URL",
    });
    expect(jsonErrors({ url: "javascript:alert(1)" })).toEqual({ url: "must be an absolute http(s) URL" });
  });
});
