// HTML to Markdown for imported articles: the Markdown, rendered as every article is
// (markdown.ts, then the sanitizer), shows what the sanitized HTML showed.

import { describe, expect, it } from "vitest";
import { htmlToMarkdown } from "../../../src/core/import-articles/markdown.js";
import { markdownToHtml } from "../../../src/core/markdown.js";
import { sanitizeHtml } from "../../../src/core/sanitize.js";

const options = { baseUrl: "https://news.example.com/articles/x", siteOrigin: "https://news.example.com" };
const clean = (html: string) => sanitizeHtml(html, options);
/**
 * Markup compared without the white space no reader sees: between tags, after a line break, and
 * the line end Markdown always gives a code block.
 */
const shape = (html: string) =>
  html
    .replace(/>\s+</g, "><")
    .replace(/<br>\s+/g, "<br>")
    .replace(/\s+<(\/?(?:ul|ol|li|p|blockquote|pre|table|h\d|hr|div|figure)\b)/g, "<$1")
    .replace(/\s+<\/code>/g, "</code>")
    .replace(/\s+/g, " ")
    .trim();
const roundTrip = (html: string) => clean(markdownToHtml(htmlToMarkdown(clean(html))));

describe("htmlToMarkdown", () => {
  const cases: [string, string][] = [
    [
      "paragraphs and emphasis",
      "<p>One <em>two</em> <strong>three</strong> <del>four</del> <code>a`b</code></p><p>Next</p>",
    ],
    [
      "links and images",
      '<p><a href="https://a.example/x" title="T">link</a> <img src="https://a.example/i.png" alt="pic"></p>',
    ],
    ["headings and rules", "<h2>Title</h2><hr><h6>Small</h6>"],
    ["nested lists", '<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start="3"><li>x</li><li>y</li></ol>'],
    ["quotes", "<blockquote><p>Said</p><blockquote><p>Inner</p></blockquote></blockquote>"],
    ["code blocks", '<pre><code class="language-js">const a = 1;\n\n```\nb</code></pre>'],
    [
      "text that looks like Markdown",
      "<p># not a heading, 1. not a list, *not em* _nor this_ [nor] `this` &lt;b&gt; |a|b| ~~x~~ &amp;amp;</p>",
    ],
    ["line starts", "<p>- dash<br>+ plus<br>&gt; quote<br>2) paren<br>=== equals</p>"],
    [
      "what Markdown cannot say",
      '<table><tr><td colspan="2">Cell</td></tr></table><figure><img src="https://a.example/i.png" alt="" width="10" height="20"><figcaption>Cap</figcaption></figure><p>x<sup>2</sup></p>',
    ],
    ["a table with a blank line in a pre", "<table><tr><td><pre>a\n\nb</pre></td></tr></table>"],
    ["no-break spaces", "<p>a\u00a0\u00a0b</p>"],
  ];
  for (const [name, html] of cases) {
    it(`keeps ${name}`, () => {
      expect(shape(roundTrip(html))).toBe(shape(clean(html)));
    });
  }

  it("writes readable Markdown for the common elements", () => {
    expect(htmlToMarkdown(clean("<h2>Hi</h2><p>A <em>b</em> [c]</p><ul><li>x</li><li>y</li></ul>"))).toBe(
      "## Hi\n\nA *b* \\[c\\]\n\n- x\n- y\n",
    );
  });

  it("keeps deep nesting as HTML instead of Markdown that would be cut", () => {
    const quotes = `${"<blockquote>".repeat(120)}<p>deep</p>${"</blockquote>".repeat(120)}`;
    expect(shape(roundTrip(quotes))).toBe(shape(clean(quotes)));
    const inline = `<p>${"<em><strong>".repeat(60)}deep${"</strong></em>".repeat(60)}</p>`;
    expect(shape(roundTrip(inline))).toBe(shape(clean(inline)));
  });

  it("takes a long run of Markdown's special characters", () => {
    const html = `<p>${"*_[]`<>&|~#".repeat(20_000)}</p>`;
    expect(shape(roundTrip(html))).toBe(shape(clean(html)));
  });
});
