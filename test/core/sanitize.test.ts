// The allowlist sanitizer and the plain text derived from its output, fed hostile markup.

import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { articleFromJson, served } from "../../src/core/article.js";
import { htmlToText, sanitizeHtml } from "../../src/core/sanitize.js";
import { cleanText, SITE_MARK } from "../../src/core/text.js";

const base = "https://news.example.com/articles/sample";
const clean = (html: string, iframeHosts: string[] = []) => sanitizeHtml(html, { baseUrl: base, iframeHosts });

describe("sanitizeHtml", () => {
  it("drops scripts, styles and their content", () => {
    expect(clean("<p>a<script>alert(1)</script>b<style>p{}</style>c</p>")).toBe("<p>abc</p>");
  });

  it("keeps only what the allowlist names: elements and attributes outside it never pass", () => {
    // None of these is an event handler or a script, so only an allowlist stops them all.
    const elements = [
      '<form action="https://evil.example/">f</form>',
      '<input value="i">',
      '<button formaction="https://evil.example/">b</button>',
      '<base href="https://evil.example/">',
      '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
      '<link rel="stylesheet" href="https://evil.example/s.css">',
      "<marquee>m</marquee>",
      "<custom-widget>c</custom-widget>",
      '<object data="https://evil.example/x.swf">o</object>',
      '<embed src="https://evil.example/x.swf">',
      "<dialog open>d</dialog>",
      '<portal src="https://evil.example/"></portal>',
    ].join("");
    expect(clean(`<div>${elements}</div>`)).toBe("<div>fmcd</div>");
    const attributes = [
      'style="background:url(https://evil.example/t.png)"',
      'id="main"',
      'name="x"',
      'class="btn"',
      'data-x="1"',
      'ping="https://evil.example/"',
      'srcdoc="<b>x</b>"',
      'background="https://evil.example/b.png"',
      'formaction="https://evil.example/"',
      'target="_top"',
      'referrerpolicy="unsafe-url"',
      'slot="s"',
      'is="x-foo"',
      'tabindex="1"',
      'accesskey="a"',
      'hidden=""',
    ].join(" ");
    expect(clean(`<p ${attributes}>t</p><a href="/a" ${attributes}>a</a><img src="/i.png" ${attributes}>`)).toBe(
      '<p>t</p><a href="https://news.example.com/a">a</a><img src="https://news.example.com/i.png">',
    );
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

/** An article built as stored, then served (this site's URLs written back in). */
const build = (body: { markdown: string } | { html: string }) =>
  served(
    articleFromJson(
      { title: "T", date: "2022-01-10T10:00:00Z", ...body },
      { siteUrl: "https://news.example.com", slug: "t" },
    ),
    "https://news.example.com",
  );

/** Every URL attribute of the HTML, parsed back with a real HTML parser. */
function urlsOf(html: string): string[] {
  const urls: string[] = [];
  const parser = new Parser({
    onopentag(_name, attrs) {
      for (const name of ["href", "src", "poster", "cite"]) if (attrs[name] !== undefined) urls.push(attrs[name]);
      if (attrs.srcset !== undefined) urls.push(...attrs.srcset.split(", ").map((c) => c.split(" ")[0] ?? ""));
    },
  });
  parser.write(html);
  parser.end();
  return urls;
}

describe("elements that are never closed", () => {
  for (const element of ["style", "script", "textarea", "svg"]) {
    it(`keeps the rest of the article after an unclosed <${element}>, showing the tag as text (html)`, () => {
      const article = build({ html: `<p>Intro <${element}> inline.</p><p>The rest <strong>stays</strong>.</p>` });
      expect(article.contentHtml).toBe(
        `<p>Intro &lt;${element}&gt; inline.</p><p>The rest <strong>stays</strong>.</p>`,
      );
      expect(article.summary).toBe(`Intro <${element}> inline. The rest stays.`);
    });

    it(`keeps the rest of the article after an unclosed <${element}>, showing the tag as text (markdown)`, () => {
      const article = build({ markdown: `Intro <${element}> inline.\n\nThe rest **stays**.` });
      expect(article.contentHtml).toBe(
        `<p>Intro &lt;${element}&gt; inline.</p>\n<p>The rest <strong>stays</strong>.</p>\n`,
      );
    });

    it(`still drops a closed <${element}> with its content`, () => {
      expect(build({ html: `<p>a<${element}>hidden</${element}>b</p><p>c</p>` }).contentHtml).toBe("<p>ab</p><p>c</p>");
    });
  }

  it("keeps the text after a <script> that opens a Markdown HTML block and never closes", () => {
    const article = build({ markdown: "Intro.\n\n<script>\nvar tracker;\n\nThe rest stays." });
    expect(article.contentHtml).toContain("&lt;script&gt;");
    expect(article.contentHtml).toContain("The rest stays.");
  });

  it("keeps every one of many unclosed tags, and the text between them", () => {
    expect(clean("<p>a<script>b<style>c<textarea>d<svg>e<title>f</p>")).toBe(
      "<p>a&lt;script&gt;b&lt;style&gt;c&lt;textarea&gt;d&lt;svg&gt;e&lt;title&gt;f</p>",
    );
  });

  it("treats an element ended by an opening tag as closed, as browsers do", () => {
    expect(clean("<head><title>t</title><body><p>text</p>")).toBe("<p>text</p>");
    expect(clean("<p>a<select><option>x<input>b</p>")).toBe("<p>ab</p>");
  });

  it("does not let a script's own attributes fake its end tag", () => {
    expect(() => clean('<script title="</script>">x<p>rest</p>')).toThrow("<script> is never closed");
  });
});

describe("URLs with control characters", () => {
  const hostile = [
    '<a href="java\tscript:alert(1)">a</a>',
    '<a href="java&#10;script:alert(1)">a</a>',
    '<a href="\u0001https://a.example/one">a</a>',
    '<a href="&#1;https://a.example/two">a</a>',
    '<img src="https://a.example/x\u0000y.png">',
    '<img src="https://a.example/x&#0;y&#x7f;z.png">',
    '<img srcset="https://a.example/a\u0007.png 1x, b\u001F.png 2x, c&#x85;.png 3x">',
    '<video poster="\u007Fp.jpg" src="v&#x9;.mp4"></video>',
    '<blockquote cite="https://a.example/q\u0085r">q</blockquote>',
    '<a href="https://a.example/a&#x80;b&#x9F;c">a</a>',
    '<a href="https://a.exa\nmple/\rpath">a</a>',
  ].join("");

  it("never writes one into href, src, srcset, poster or cite (html)", () => {
    const urls = urlsOf(build({ html: hostile }).contentHtml);
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
      expect(url).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
      expect(new URL(url).href).toBe(url);
      expect(url).not.toMatch(/^javascript:/i);
    }
  });

  it("never writes one into links and images from Markdown", () => {
    const markdown =
      "[a](<java\tscript:alert(1)>) [b](java&#9;script:x) [c](https://a.example/a&#1;b) ![d](<https://a.example/x\u0000y.png>) <https://a.example/\u0001z>";
    const urls = urlsOf(build({ markdown }).contentHtml);
    for (const url of urls) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
      expect(url).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
      expect(new URL(url).href).toBe(url);
      expect(url).not.toMatch(/^javascript:/i);
    }
  });
});

describe("siteOrigin", () => {
  const site = (html: string) =>
    sanitizeHtml(html, { baseUrl: "https://news.example.com/articles/x", siteOrigin: "https://news.example.com" });

  it("writes this site's URLs as the site mark and a path, query and fragment", () => {
    expect(site('<a href="/a?b#c">a</a><img src="../images/p.png" srcset="/s.png 2x">')).toBe(
      `<a href="${SITE_MARK}/a?b#c">a</a><img src="${SITE_MARK}/images/p.png" srcset="${SITE_MARK}/s.png 2x">`,
    );
    expect(site('<video poster="https://news.example.com/p.jpg"></video><blockquote cite="#q">q</blockquote>')).toBe(
      `<video poster="${SITE_MARK}/p.jpg"></video><blockquote cite="${SITE_MARK}/articles/x#q">q</blockquote>`,
    );
  });

  it("leaves other origins, other ports and other schemes untouched", () => {
    expect(
      site(
        '<a href="https://elsewhere.example/a">e</a><a href="http://news.example.com/a">h</a><a href="https://news.example.com:8443/a">p</a><a href="mailto:desk@news.example.com">m</a>',
      ),
    ).toBe(
      '<a href="https://elsewhere.example/a">e</a><a href="http://news.example.com/a">h</a><a href="https://news.example.com:8443/a">p</a><a href="mailto:desk@news.example.com">m</a>',
    );
  });

  it("cannot be forged: the mark is stripped from every input", () => {
    expect(cleanText(`a${SITE_MARK}b`)).toBe("ab");
    expect(clean(`<a href="${SITE_MARK}/x" title="${SITE_MARK}t">${SITE_MARK}y</a>`)).toBe(
      '<a href="https://news.example.com/x" title="t">y</a>',
    );
    // A forged mark is gone before parsing: what is left is an ordinary link on this site.
    expect(build({ markdown: `[a](${SITE_MARK}/x) ${SITE_MARK}` }).contentHtml).toBe(
      '<p><a href="https://news.example.com/x">a</a></p>\n',
    );
  });
});

describe("derived summaries", () => {
  it("puts an image's alt text where the image stood in a sentence", () => {
    const article = build({
      markdown: "The route runs past ![the old mill](mill.jpg) and ends at the river.\n\nIt opens in May.",
    });
    expect(article.summary).toBe("The route runs past the old mill and ends at the river. It opens in May.");
  });

  it("leaves out an image that stands alone, with or without alt text", () => {
    expect(build({ markdown: "![The bridge at dusk](b.jpg)\n\nThe bridge opened on Sunday." }).summary).toBe(
      "The bridge opened on Sunday.",
    );
    expect(build({ html: '<p>The chart <img src="c.png"> shows growth.</p>' }).summary).toBe("The chart shows growth.");
  });

  it("leaves no space before punctuation and no empty brackets where elements were removed", () => {
    const html =
      '<p>Officials released a statement <script>track()</script>, then left (<iframe src="https://evil.example/v"></iframe>).</p><p>Watch the video <video src="v.mp4"></video>.</p>';
    expect(build({ html }).summary).toBe("Officials released a statement, then left. Watch the video.");
    expect(
      build({ markdown: "Read the report and ![](chart.png).\n\nSee [ ](https://x.example/) above." }).summary,
    ).toBe("Read the report and. See above.");
  });

  it("keeps the author's own punctuation and text", () => {
    expect(build({ markdown: "Prices rose 5% (year on year); wages did not: see the table?" }).summary).toBe(
      "Prices rose 5% (year on year); wages did not: see the table?",
    );
  });
});

describe("htmlToText", () => {
  it("keeps words joined inside inline markup and spaces out blocks", () => {
    expect(htmlToText("<p>He<b>llo</b> &amp; bye</p><p>Next</p>")).toBe("Hello & bye Next");
  });
});
