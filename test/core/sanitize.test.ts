import { describe, expect, it } from "vitest";
import { htmlToText, sanitizeHtml } from "../../src/core/sanitize.js";

const base = "https://news.example.com/articles/sample";
const clean = (html: string, iframeHosts: string[] = []) => sanitizeHtml(html, { baseUrl: base, iframeHosts });

describe("sanitizeHtml", () => {
  it("drops scripts, styles and their content", () => {
    expect(clean("<p>a<script>alert(1)</script>b<style>p{}</style>c</p>")).toBe("<p>abc</p>");
  });

  it("drops event handlers and unknown attributes", () => {
    expect(clean('<img src="x.png" onerror="alert(1)" style="x" alt="A">')).toBe(
      '<img src="https://news.example.com/articles/x.png" alt="A">',
    );
  });

  it("removes javascript:, data: and vbscript: URLs, even disguised", () => {
    for (const href of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "vbscript:x",
      "data:text/html,<b>",
    ]) {
      expect(clean(`<a href="${href}">x</a>`)).toBe("<a>x</a>");
    }
    expect(clean('<a href="&#106;avascript:alert(1)">x</a>')).toBe("<a>x</a>");
  });

  it("makes href, src, srcset, poster and cite absolute against the article URL", () => {
    expect(clean('<a href="../other">o</a><a href="#n">n</a><a href="mailto:a@example.org">m</a>')).toBe(
      '<a href="https://news.example.com/other">o</a><a href="https://news.example.com/articles/sample#n">n</a><a href="mailto:a@example.org">m</a>',
    );
    expect(clean('<img srcset="a.png 1x, /b.png 2x,c.png 600w">')).toBe(
      '<img srcset="https://news.example.com/articles/a.png 1x, https://news.example.com/b.png 2x, https://news.example.com/articles/c.png 600w">',
    );
    expect(clean('<video poster="p.jpg" src="v.mp4"></video>')).toBe(
      '<video poster="https://news.example.com/articles/p.jpg" src="https://news.example.com/articles/v.mp4"></video>',
    );
    expect(clean('<blockquote cite="/source">q</blockquote>')).toBe(
      '<blockquote cite="https://news.example.com/source">q</blockquote>',
    );
  });

  it("keeps iframes only from allowlisted hosts, sandboxed", () => {
    expect(clean('<iframe src="https://evil.example/x"></iframe>after')).toBe("after");
    expect(
      clean('<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>', ["www.youtube-nocookie.com"]),
    ).toBe(
      '<iframe sandbox="allow-scripts allow-same-origin allow-popups" loading="lazy" src="https://www.youtube-nocookie.com/embed/x"></iframe>',
    );
  });

  it("unwraps unknown elements but keeps their text, and balances tags", () => {
    expect(clean("<custom-el><p>kept</custom-el><b>open")).toBe("<p>kept</p><b>open</b>");
    expect(clean("<form><input name=x><p>text</p></form>")).toBe("<p>text</p>");
  });

  it("escapes text and attributes so the output re-parses to the same text", () => {
    expect(clean("<p>a &lt; b &amp;&amp; c &gt; d \" ' ]]&gt;</p>")).toBe(
      "<p>a &lt; b &amp;&amp; c &gt; d &quot; &#39; ]]&gt;</p>",
    );
    expect(clean('<img alt="&quot;><script>x</script>">')).toBe('<img alt="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">');
  });

  it("removes control characters, lone surrogates and replacement characters", () => {
    expect(clean("<p>a\u0000b\u0007c\u001Fd\u007Fe \uD800 f\uFFFD\u0085 🎉</p>")).toBe("<p>abcde  f 🎉</p>");
  });

  it("drops comments, CDATA and SVG", () => {
    expect(clean("a<!-- secret --><![CDATA[x]]><svg><script>1</script><text>t</text></svg>b")).toBe("ab");
  });

  it("keeps only language classes on code", () => {
    expect(clean('<pre><code class="language-ts evil">x</code></pre><code class="x">y</code>')).toBe(
      '<pre><code class="language-ts">x</code></pre><code>y</code>',
    );
  });
});

describe("htmlToText", () => {
  it("keeps words joined inside inline markup and spaces out blocks", () => {
    expect(htmlToText("<p>He<b>llo</b> &amp; bye</p><p>Next</p>")).toBe("Hello & bye Next");
  });
});
