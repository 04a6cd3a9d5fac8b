// The compiled digest and confirmation emails, filled with data, validated as HTML.
// Rules that email layouts break on purpose (tables for layout, inline styles, MJML's
// conditional comments for Outlook) are relaxed; everything else is the recommended set.

import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { renderDigest } from "../../src/core/digest/render.js";
import { renderConfirmation } from "../../src/core/subscription-email.js";
import { templates } from "../../src/generated/templates.js";
import { article, input } from "../core/digest/fixture.js";

const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    "no-inline-style": "off",
    "no-deprecated-attr": "off",
    "element-permitted-content": "off", // MJML's Outlook conditional comments wrap table parts
    "prefer-tbody": "off",
    "no-conditional-comment": "off",
    "no-redundant-role": "off",
    "wcag/h63": "off", // layout tables have no header cells
    "long-title": "off",
    "attribute-boolean-style": "off",
    "attribute-empty-style": "off",
    "no-trailing-whitespace": "off",
    "void-style": "off",
    "doctype-style": "off",
    "element-case": "off",
    "attr-case": "off",
    // MJML marks the body wrapper role="article" aria-roledescription="email" for screen readers.
    "prefer-native-element": "off",
  },
});

async function problems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

describe("digest HTML", () => {
  it("is valid, with hostile text and images in it", async () => {
    const digest = renderDigest(
      input([article(1, { title: `Q&A: <b> "quotes"`, summary: "a < b & c" }), article(2), article(3)], {
        preferencesUrl: "https://news.example.com/preferences?token=abc.def&x=1",
      }),
      templates.digest,
    );
    expect(await problems(digest.html)).toEqual([]);
  });

  it("is valid as the web version, with the rest of a long day listed", async () => {
    const many = Array.from({ length: 30 }, (_, i) => article(i + 1));
    const digest = renderDigest(input(many, { forEmail: false, unsubscribeUrl: null }), templates.digest);
    expect(await problems(digest.html)).toEqual([]);
  });

  it("loads nothing from any host but the article images' own", () => {
    const digest = renderDigest(
      input([
        article(3, { image: { url: "https://images.example.net/3.png", alt: "Picture 3", width: null, height: null } }),
        article(6),
        article(7),
      ]),
      templates.digest,
    );
    // Everything a client fetches on open: src attributes, CSS url() and @import, <link> elements.
    const loads = [
      ...[...digest.html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]),
      ...[...digest.html.matchAll(/url\(\s*['"]?([^'")]*)/g)].map((m) => m[1]),
      ...[...digest.html.matchAll(/@import\s+(?:url\()?['"]?([^'");\s]*)/g)].map((m) => m[1]),
      ...[...digest.html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]),
    ];
    expect(loads).toEqual(["https://images.example.net/3.png", "https://news.example.com/images/6.png"]);
  });

  it("has every link absolute", () => {
    const digest = renderDigest(
      input([article(1), article(3)], { preferencesUrl: "https://news.example.com/preferences?token=T" }),
      templates.digest,
    );
    const hrefs = [...digest.html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\//);
  });
});

describe("confirmation email HTML", () => {
  const render = (language: string, existing: boolean, title = "The Steppe Ledger") =>
    renderConfirmation(
      {
        site: { title, url: "https://news.example.com", language },
        confirmUrl: "https://news.example.com/subscribe/confirm?token=abc.def&x=1",
        existing,
      },
      templates.confirm,
    ).html;

  it("is valid in every language, new or existing, with a hostile site title", async () => {
    for (const language of ["en", "ru", "kk"]) {
      for (const existing of [false, true]) {
        expect(await problems(render(language, existing))).toEqual([]);
      }
    }
    expect(await problems(render("en", false, `Q&A: <b> "quotes" <script>x</script>`))).toEqual([]);
  });

  it("links only to the confirm page and the site: no unsubscribe, no web version", () => {
    const html = render("en", false);
    const hrefs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(hrefs)).toEqual(
      new Set(["https://news.example.com/subscribe/confirm?token=abc.def&amp;x=1", "https://news.example.com/"]),
    );
    expect(html).not.toMatch(/unsubscribe|view in browser/i);
  });
});
