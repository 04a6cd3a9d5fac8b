import { describe, expect, it } from "vitest";
import { MAX_EMAIL_ITEMS, MAX_HTML_BYTES, renderDigest } from "../../../src/core/digest/render.js";
import { parseWindow } from "../../../src/core/digest/window.js";
import { templates } from "../../../src/generated/templates.js";
import { article, input } from "./fixture.js";

const render = (...args: Parameters<typeof input>) => renderDigest(input(...args), templates.digest);

describe("the digest email", () => {
  it("has a subject, a preheader, a heading in the digest's zone, and every article", () => {
    const digest = render([article(1), article(2), article(3)]);
    expect(digest.subject).toBe("Story number 1 (+2 more)");
    expect(digest.preheader).toBe("Daily digest, Monday, January 10, 2022 · Story number 2 · Story number 3");
    expect(digest.html).toContain("<h1>Daily digest, Monday, January 10, 2022</h1>");
    expect(digest.html).toContain('<html lang="en"');
    for (const i of [1, 2, 3]) expect(digest.html).toContain(`href="https://news.example.com/articles/story-${i}"`);
    expect(digest.html).toContain('alt="Picture 3"');
    expect(digest.html).toContain('href="https://news.example.com/digests/daily/2022-01-10"');
    expect(digest.html).toContain('href="https://news.example.com/unsubscribe?token=TOKEN"');
    expect(digest.html).toContain("You get this email because you subscribed");
  });

  it("escapes hostile titles, summaries and names", () => {
    const digest = render([
      article(1, {
        title: `Q&A: <b> tags & "quotes" <script>alert(1)</script>`,
        summary: `<img src=x onerror=alert(1)> & more`,
        authors: [{ name: "Eve <i>", slug: "eve" }],
      }),
    ]);
    expect(digest.html).not.toContain("<script>alert");
    expect(digest.html).not.toContain("<img src=x");
    expect(digest.html).toContain("Q&amp;A: &lt;b&gt; tags &amp; &quot;quotes&quot;");
    expect(digest.html).toContain("Eve &lt;i&gt;");
    expect(digest.text).toContain(`1. Q&A: <b> tags & "quotes" <script>alert(1)</script>`);
  });

  it("stays under Gmail's clipping limit for a busy week, linking to the web version for the rest", () => {
    const window = parseWindow("weekly", "2022-W02", "Asia/Almaty");
    if (!window) throw new Error("bad window");
    const many = Array.from({ length: 300 }, (_, i) =>
      article(i + 1, { title: `${"Very long headline ".repeat(20)}${i}`, summary: "word ".repeat(56) }),
    );
    const digest = render(many, { window });
    expect(new TextEncoder().encode(digest.html).length).toBeLessThanOrEqual(MAX_HTML_BYTES);
    expect(digest.shown).toBeLessThanOrEqual(MAX_EMAIL_ITEMS);
    expect(digest.html).toContain(`Read ${300 - digest.shown} more articles on the web`);
    expect(digest.text).toContain(
      `Read ${300 - digest.shown} more articles on the web: https://news.example.com/digests/daily/2022-01-10`,
    );
  });

  it("writes a real plain-text part from the data", () => {
    const digest = render([article(1, { summary: "word ".repeat(40).trim() }), article(2)]);
    const lines = digest.text.split("\n");
    expect(lines[0]).toBe("Daily digest, Monday, January 10, 2022");
    expect(lines).toContain("1. Story number 1");
    expect(lines).toContain("   Read more: https://news.example.com/articles/story-1");
    expect(lines).toContain("Unsubscribe: https://news.example.com/unsubscribe?token=TOKEN");
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(digest.text).not.toMatch(/<[a-z]/i);
  });

  it("names a weekly window by its days", () => {
    const window = parseWindow("weekly", "2022-W02", "Asia/Almaty");
    if (!window) throw new Error("bad window");
    const digest = render([article(1)], { window });
    expect(digest.subject).toBe("Story number 1");
    expect(digest.preheader).toBe("Weekly digest, January 10 – January 16, 2022 · Summary of story 1, plain text.");
    expect(digest.html).toContain("<h1>Weekly digest, January 10 – January 16, 2022</h1>");
  });
});
