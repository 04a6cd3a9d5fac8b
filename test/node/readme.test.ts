// The front-matter example in docs/publishing.md is what a new publisher copies first: it must be valid.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { articleFromMarkdown, served } from "../../src/core/article.js";

describe("the front-matter example in docs/publishing.md", () => {
  it("parses into the article it describes", () => {
    const publishing = readFileSync("docs/publishing.md", "utf8");
    const example = /## As a file[\s\S]*?```markdown\n([\s\S]*?)```/.exec(publishing)?.[1];
    expect(example).toBeDefined();
    const site = "https://news.example.com";
    const article = served(articleFromMarkdown(example ?? "", { siteUrl: site }), site);
    expect(article).toMatchObject({
      slug: "night-bus-pilot",
      title: "Night bus pilot starts on two routes",
      publishedAt: Date.parse("2022-02-14T18:15:00Z"),
      updatedAt: Date.parse("2022-02-16T03:00:00Z"),
      summary: "Plain text.",
      url: "https://elsewhere.example/story",
      lang: "en",
      draft: false,
      aliases: ["/2022/02/night-bus-pilot"],
      tags: [
        { name: "Transit", slug: "transit" },
        { name: "City Hall", slug: "city-hall" },
      ],
      authors: [
        { name: "Daniyar Omarov", slug: "daniyar-omarov" },
        { name: "Zoë Ortega", slug: "zoe-ortega", email: "zoe@example.org", url: "https://example.org/zoe" },
      ],
    });
    // Relative to this site, not to the canonical URL elsewhere.
    expect(article.image).toEqual({
      url: "https://news.example.com/images/tram-line.png",
      alt: "A tram at dusk",
      width: null,
      height: null,
    });
    expect(article.contentHtml).toContain("The body, in Markdown");
  });
});
