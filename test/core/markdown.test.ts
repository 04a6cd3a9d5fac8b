// Markdown rendering: the GFM features articles use, and input nested too deeply for any reader,
// refused with an error naming the field instead of overflowing the stack.

import { describe, expect, it } from "vitest";
import { articleFromJson } from "../../src/core/article.js";
import { ArticleError, type FieldError } from "../../src/core/errors.js";
import { markdownToHtml } from "../../src/core/markdown.js";

const siteUrl = "https://news.example.com";

const build = (body: { markdown: string } | { html: string }) =>
  articleFromJson({ title: "Deep", date: "2022-01-10T10:00:00Z", ...body }, { siteUrl, slug: "deep" });

/** The field errors of an ArticleError; anything else thrown (a RangeError) fails the test. */
function errorsOf(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArticleError) return error.errors;
    throw error;
  }
  throw new Error("expected an ArticleError");
}

const count = (html: string, tag: string) => html.split(`<${tag}>`).length - 1;
const quotes = (levels: number) => `${"> ".repeat(levels)}Deep inside.`;
/** A list nested by indentation, one item per level. */
const indentedList = (levels: number) =>
  Array.from({ length: levels }, (_, i) => `${"  ".repeat(i)}- level ${i + 1}`).join("\n");

describe("markdownToHtml", () => {
  it("renders GFM tables with alignment, strikethrough and fenced code", () => {
    const html = markdownToHtml(
      "| City | Votes |\n|:-----|------:|\n| Almaty | 12 |\n\n~~withdrawn~~\n\n```ts\nlet a = 1;\n```",
    );
    expect(html).toContain('<th align="left">City</th>');
    expect(html).toContain('<td align="right">12</td>');
    expect(html).toContain("<del>withdrawn</del>");
    expect(html).toContain('<pre><code class="language-ts">let a = 1;\n</code></pre>');
  });

  it("autolinks URLs, www. hosts and email addresses, but not bare words with dots", () => {
    const html = markdownToHtml(
      "See https://example.org/a?b=1, www.example.com and desk@example.org. Read notes.md too.",
    );
    expect(html).toBe(
      '<p>See <a href="https://example.org/a?b=1">https://example.org/a?b=1</a>, <a href="http://www.example.com">www.example.com</a> and <a href="mailto:desk@example.org">desk@example.org</a>. Read notes.md too.</p>\n',
    );
  });

  it("autolinks each kind of link alone in its paragraph, and leaves plain text with dotted words as text", () => {
    const paragraphs = [
      "Read http://example.org/a now.",
      "Files at ftp://files.example.org/a.txt today.",
      "Write to desk@example.org today.",
      "Visit WWW.Example.com today.",
      "The city council met on Tuesday. The budget for next year.co was agreed, see notes.md and a.b.",
    ];
    expect(markdownToHtml(paragraphs.join("\n\n"))).toBe(
      [
        '<p>Read <a href="http://example.org/a">http://example.org/a</a> now.</p>',
        '<p>Files at <a href="ftp://files.example.org/a.txt">ftp://files.example.org/a.txt</a> today.</p>',
        '<p>Write to <a href="mailto:desk@example.org">desk@example.org</a> today.</p>',
        '<p>Visit <a href="http://WWW.Example.com">WWW.Example.com</a> today.</p>',
        "<p>The city council met on Tuesday. The budget for next year.co was agreed, see notes.md and a.b.</p>",
        "",
      ].join("\n"),
    );
  });

  it("leaves URL checks to the sanitizer: a javascript: link keeps its text and loses its href", () => {
    expect(build({ markdown: "[bad](javascript:alert(1)) and ![pic](data:image/png;base64,AAAA)" }).contentHtml).toBe(
      '<p><a>bad</a> and <img alt="pic"></p>\n',
    );
  });
});

describe("deeply nested input", () => {
  it("renders 100 levels of quotes and refuses 101, naming the markdown field", () => {
    const html = build({ markdown: quotes(100) }).contentHtml;
    expect(count(html, "blockquote")).toBe(100);
    expect(html).toContain("<p>Deep inside.</p>");
    expect(errorsOf(() => build({ markdown: quotes(101) }))).toEqual([
      { field: "markdown", message: "quotes and lists are nested more than 100 levels deep (a list level counts two)" },
    ]);
  });

  it("refuses thousands of quote levels with the same error, not a stack overflow", () => {
    expect(errorsOf(() => build({ markdown: quotes(5000) })).map((e) => e.field)).toEqual(["markdown"]);
    expect(errorsOf(() => build({ markdown: `${">".repeat(20000)} x` })).map((e) => e.field)).toEqual(["markdown"]);
  });

  it("renders 50 levels of lists and refuses 51", () => {
    const html = build({ markdown: indentedList(50) }).contentHtml;
    expect(count(html, "ul")).toBe(50);
    expect(html).toContain("level 50");
    expect(errorsOf(() => build({ markdown: indentedList(51) })).map((e) => e.field)).toEqual(["markdown"]);
  });

  it("refuses thousands of list levels on one line", () => {
    expect(errorsOf(() => build({ markdown: `${"- ".repeat(5000)}x` })).map((e) => e.field)).toEqual(["markdown"]);
    expect(errorsOf(() => build({ markdown: `${"1. ".repeat(5000)}x` })).map((e) => e.field)).toEqual(["markdown"]);
  });

  it("keeps 256 levels of raw HTML and refuses 257, naming the field it came in", () => {
    const nested = (levels: number) => `${"<div>".repeat(levels)}Deep inside.${"</div>".repeat(levels)}`;
    expect(count(build({ html: nested(256) }).contentHtml, "div")).toBe(256);
    expect(errorsOf(() => build({ html: nested(257) }))).toEqual([
      { field: "html", message: "elements are nested more than 256 levels deep" },
    ]);
    expect(errorsOf(() => build({ html: "<b>".repeat(100_000) })).map((e) => e.field)).toEqual(["html"]);
    expect(errorsOf(() => build({ markdown: "<div>".repeat(5000) })).map((e) => e.field)).toEqual(["markdown"]);
  });
});
