import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { renderDigest } from "../../../src/core/digest/render.js";
import { templates } from "../../../src/generated/templates.js";
import { article, input } from "./fixture.js";

const render = (...args: Parameters<typeof input>) => renderDigest(input(...args), templates.digest);
const WEB = "https://news.example.com/digests/daily/2022-01-10";

/** The article cards, by their heading links, in order. */
function cards(html: string): string[] {
  return [...html.matchAll(/<h2><a href="([^"]*)">/g)].map((m) => m[1] ?? "");
}

/** The links listed under the element with id="more" (the web version's compact list). */
function moreList(html: string): string[] {
  const start = html.indexOf('id="more"');
  if (start < 0) return [];
  const end = html.indexOf("</ul>", start);
  return [...html.slice(start, end).matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] ?? "");
}

/** Every link in the HTML: its target and its text, whitespace collapsed. */
function links(html: string): { href: string; text: string }[] {
  return DomUtils.getElementsByTagName("a", parseDocument(html)).map((a) => ({
    href: a.attribs.href ?? "",
    text: DomUtils.textContent(a).replace(/\s+/g, " ").trim(),
  }));
}

const storyUrl = (i: number) => `https://news.example.com/articles/story-${i}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("the web version of a digest", () => {
  it("does not link to itself as 'View in browser'", () => {
    const web = render([article(1), article(2)], { forEmail: false });
    expect(web.html).not.toContain("View in browser");
    expect(web.html).not.toContain(`href="${WEB}"`);
    const email = render([article(1), article(2)]);
    expect(email.html).toContain(`<a href="${WEB}">View in browser</a>`);
  });

  it("gives the web version's URL wherever the plain text mentions it", () => {
    const many = Array.from({ length: 34 }, (_, i) => article(i + 1));
    for (const forEmail of [true, false]) {
      const lines = render(many, { forEmail }).text.split("\n");
      expect(lines).toContain(`View in browser: ${WEB}`);
    }
    expect(render(many).text.split("\n")).toContain(`Read 9 more articles on the web: ${WEB}#article-story-26`);
  });

  it("shows the same 25 cards as the email for a 34-article day, then the other 9 as links", () => {
    const many = Array.from({ length: 34 }, (_, i) => article(i + 1));
    const email = render(many);
    const web = render(many, { forEmail: false });
    expect(cards(email.html)).toEqual(range(1, 25).map(storyUrl));
    expect(cards(web.html)).toEqual(range(1, 25).map(storyUrl));
    expect(email.shown).toBe(25);
    expect(web.shown).toBe(25);
    expect(moreList(web.html)).toEqual(range(26, 34).map(storyUrl));
    expect(moreList(email.html)).toEqual([]);
    // To the first article it left out, by the id the web edition gives each article.
    expect(email.html).toContain(`href="${WEB}#article-story-26"`);
    expect(email.html).toContain("Read 9 more articles on the web");
    expect(web.html).not.toContain("Read 9 more articles on the web");
    // The plain-text web version lists the rest too, with their links.
    expect(web.text).toContain(`26. Story number 26\n    ${storyUrl(26)}`);
    expect(web.text).toContain(`34. Story number 34\n    ${storyUrl(34)}`);
  });

  it("lists 25 articles with nothing more, and moves the 26th into the list", () => {
    const day = (n: number) => Array.from({ length: n }, (_, i) => article(i + 1));
    const web25 = render(day(25), { forEmail: false });
    expect(cards(web25.html)).toHaveLength(25);
    expect(web25.html).not.toContain('id="more"');
    expect(render(day(25)).html).not.toContain("#article-");
    const web26 = render(day(26), { forEmail: false });
    expect(cards(web26.html)).toEqual(range(1, 25).map(storyUrl));
    expect(moreList(web26.html)).toEqual([storyUrl(26)]);
    expect(render(day(26)).html).toContain("Read 1 more article on the web");
  });

  it("shows the same reduced number of cards as the email when long summaries force the size limit", () => {
    const many = Array.from({ length: 34 }, (_, i) => article(i + 1, { summary: `${"word ".repeat(1500)}${i}` }));
    const email = render(many);
    const web = render(many, { forEmail: false, unsubscribeUrl: null });
    expect(email.shown).toBeLessThan(25);
    expect(email.shown).toBeGreaterThan(0);
    expect(new TextEncoder().encode(email.html).length).toBeLessThanOrEqual(100_000);
    expect(web.shown).toBe(email.shown);
    expect(cards(web.html)).toEqual(cards(email.html));
    expect(moreList(web.html)).toEqual(range(email.shown + 1, 34).map(storyUrl));
    expect(email.html).toContain(`Read ${34 - email.shown} more articles on the web`);
    // The button lands on the first article the email left out, not after the 25th.
    expect(email.html).toContain(`href="${WEB}#article-story-${email.shown + 1}"`);
  });
});

describe("the footer's unsubscribe and preferences links", () => {
  const UNSUBSCRIBE = "https://news.example.com/unsubscribe?token=T0k3n.abc_DEF-123";
  const PREFERENCES = "https://news.example.com/preferences?token=T0k3n.abc_DEF-123";

  it("are both in the HTML, each with its own words, when both URLs are set", () => {
    const digest = render([article(1)], { unsubscribeUrl: UNSUBSCRIBE, preferencesUrl: PREFERENCES });
    expect(links(digest.html)).toEqual(
      expect.arrayContaining([
        { href: UNSUBSCRIBE, text: "Unsubscribe" },
        { href: PREFERENCES, text: "Manage preferences" },
      ]),
    );
  });

  it("are both in the plain text, one line after the other, when both URLs are set", () => {
    const lines = render([article(1)], { unsubscribeUrl: UNSUBSCRIBE, preferencesUrl: PREFERENCES }).text.split("\n");
    const unsubscribe = lines.indexOf(`Unsubscribe: ${UNSUBSCRIBE}`);
    expect(unsubscribe).toBeGreaterThan(0);
    expect(lines[unsubscribe + 1]).toBe(`Manage preferences: ${PREFERENCES}`);
  });

  it("are left out of both parts when neither URL is set", () => {
    const digest = render([article(1)], { unsubscribeUrl: null, preferencesUrl: null });
    expect(digest.html).not.toMatch(/unsubscribe|preferences/i);
    expect(digest.text).not.toMatch(/unsubscribe|preferences/i);
    expect(links(digest.html).map((l) => l.text)).not.toContain("Manage preferences");
  });

  it("show only the one whose URL is set", () => {
    const unsubscribeOnly = render([article(1)], { unsubscribeUrl: UNSUBSCRIBE, preferencesUrl: null });
    expect(links(unsubscribeOnly.html)).toContainEqual({ href: UNSUBSCRIBE, text: "Unsubscribe" });
    expect(unsubscribeOnly.html).not.toMatch(/preferences/i);
    expect(unsubscribeOnly.text).not.toMatch(/preferences/i);
    const preferencesOnly = render([article(1)], { unsubscribeUrl: null, preferencesUrl: PREFERENCES });
    expect(links(preferencesOnly.html)).toContainEqual({ href: PREFERENCES, text: "Manage preferences" });
    expect(preferencesOnly.text.split("\n")).toContain(`Manage preferences: ${PREFERENCES}`);
    expect(preferencesOnly.html).not.toMatch(/unsubscribe/i);
    expect(preferencesOnly.text).not.toMatch(/unsubscribe/i);
  });

  it("never change how many cards the email shows, for links as long as 1000 characters each", () => {
    // A 1000-character link (query string padded) in each place a recipient's own value goes.
    const long = (path: string) => {
      const base = `https://news.example.com/${path}?token=`;
      return base + "t".repeat(1000 - base.length);
    };
    const recipient = {
      unsubscribeUrl: long("unsubscribe"),
      preferencesUrl: long("preferences"),
      reason: "r".repeat(1000),
    };
    expect(recipient.unsubscribeUrl).toHaveLength(1000);
    expect(recipient.preferencesUrl).toHaveLength(1000);
    // Summary lengths that take the email across the size limit, one card count to the next.
    for (let words = 1400; words <= 1700; words += 5) {
      const many = Array.from({ length: 34 }, (_, i) => article(i + 1, { summary: `${"word ".repeat(words)}${i}` }));
      const email = render(many, recipient);
      const web = render(many, { forEmail: false, unsubscribeUrl: null, preferencesUrl: null });
      expect(new TextEncoder().encode(email.html).length).toBeLessThanOrEqual(100_000);
      expect({ words, shown: email.shown }).toEqual({ words, shown: web.shown });
    }
  });
});

describe("a digest filtered by tags", () => {
  it("says the articles have any of the tags, not all of them", () => {
    const digest = render([article(1), article(2)], { tags: ["Transit", "Culture"] });
    expect(digest.html).toContain("2 articles tagged Transit or Culture from The Steppe Ledger.");
    expect(digest.text.split("\n")).toContain("2 articles tagged Transit or Culture from The Steppe Ledger.");
  });
});
