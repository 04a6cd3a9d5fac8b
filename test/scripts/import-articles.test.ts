// `npm run import:articles`: each source format from the fixtures in test/fixtures/import-articles/
// (their sources are in its README) into a content/ folder of its own, read back as the content
// sync reads it; re-runs; and hostile inputs, written here, each refused with a message naming
// the file, item and field.

import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type ImportArgs, importArticles } from "../../scripts/import-articles.js";
import { type Article, articleFromMarkdown } from "../../src/core/article.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const fixtures = join(root, "test/fixtures/import-articles");
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
const SITE = "https://news.example.com";

let dir: string;
const dirs: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "import-articles-"));
  dirs.push(dir);
});

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function importFrom(source: string, extra: Partial<ImportArgs> = {}) {
  return importArticles({
    source,
    out: join(dir, "content"),
    public: join(dir, "public"),
    dryRun: false,
    maxPages: 100,
    canonical: false,
    ghostUrl: "",
    ...extra,
  });
}

async function files(): Promise<string[]> {
  try {
    return (await readdir(join(dir, "content"))).sort();
  } catch {
    return [];
  }
}

/** The article the content sync would store from an imported file. */
async function article(name: string): Promise<Article> {
  const text = await readFile(join(dir, "content", name), "utf8");
  return articleFromMarkdown(text, { siteUrl: SITE, slug: name.slice(11, -3) });
}

const names = (paths: string[]) => paths.map((p) => p.split("/").pop());

describe("a feed", () => {
  it("RSS 2.0: full content from content:encoded, hostile markup dropped, the archive followed", async () => {
    const report = await importFrom(join(fixtures, "rss.xml"));
    expect(report.problems).toEqual([]);
    expect(report.documents).toBe(2);
    expect(names(report.created)).toEqual([
      "2022-02-15-night-buses.md",
      "2022-02-14-summary-only.md",
      "2022-01-11-tram-winter.md",
    ]);
    const night = await article("2022-02-15-night-buses.md");
    expect(night).toMatchObject({
      title: "Night buses start on two routes",
      publishedAt: Date.parse("2022-02-15T00:15:00+06:00"),
      authors: [{ name: "Daniyar Omarov", slug: "daniyar-omarov" }],
      tags: [
        { name: "Transit", slug: "transit" },
        { name: "City Hall", slug: "city-hall" },
      ],
      lang: "en-GB",
      aliases: ["/2022/02/night-buses"],
      url: `${"\uE002"}/articles/night-buses`,
    });
    expect(night.contentHtml).toBe(
      [
        '<p>The <strong>night bus</strong> pilot starts on <a href="https://old.example.org/routes/12">route 12</a> &amp; route 40.</p>',
        "<p>Fares are <em>unchanged</em>. Click</p>",
        "<ul>\n<li>Route 12: every 30 minutes</li>\n<li>Route 40: every hour</li>\n</ul>",
        '<p><img src="https://cdn.example.org/bus.jpg" alt="A night bus"></p>',
        "<p>1999. A year, not a list; *stars* and [brackets] stay text.</p>\n",
      ].join("\n"),
    );
    const raw = await readFile(join(dir, "content", "2022-02-15-night-buses.md"), "utf8");
    for (const hostile of ["script", "onclick", "javascript:", "iframe", "evil.example"])
      expect(raw).not.toContain(hostile);
  });

  it("RSS 2.0: an item with only a description is marked as a summary and keeps its canonical URL", async () => {
    await importFrom(join(fixtures, "rss.xml"));
    const text = await readFile(join(dir, "content", "2022-02-14-summary-only.md"), "utf8");
    expect(text).toContain("# Imported from a feed that carries only a summary of this article");
    const summary = await article("2022-02-14-summary-only.md");
    expect(summary.url).toBe("https://old.example.org/2022/02/summary-only/");
    expect(summary.authors).toEqual([{ name: "The Editor", slug: "the-editor", email: "editor@old.example.org" }]);
    expect(summary.contentHtml).toBe(
      "<p>Only <strong>this</strong> summary is in the feed.</p>\n" +
        '<p><a href="https://old.example.org/2022/02/summary-only/">Continue reading at old.example.org</a></p>\n',
    );
  });

  it("Atom 1.0: xhtml and html content, an html title, categories' labels, the update time", async () => {
    const report = await importFrom(join(fixtures, "atom.xml"));
    expect(report.problems).toEqual([]);
    const budget = await article("2022-01-19-budget-approved.md");
    expect(budget).toMatchObject({
      title: "Budget approved & signed",
      updatedAt: Date.parse("2022-01-20T09:00:00+06:00"),
      tags: [{ name: "City Budget", slug: "city-budget" }],
      authors: [{ name: "Aigerim Sarsenbaeva", email: "aigerim@old.example.org" }],
    });
    expect(budget.contentHtml).toBe(
      "<p>The council approved the <strong>2022 budget</strong>.<br>\nIt was signed the next day.</p>\n" +
        "<table><tr><th>Item</th><th>Share</th></tr><tr><td>Schools</td><td>31%</td></tr></table>\n" +
        '<p><a href="https://old.example.org/docs/budget.pdf">The budget</a></p>\n',
    );
    const volunteers = await article("2022-01-15-volunteers.md");
    expect(volunteers.authors.map((a) => a.name)).toEqual(["Feed Author"]);
    expect(volunteers.contentHtml).toBe(
      "<h2>Saturday</h2>\n<blockquote>\n<p>We came with brooms.</p>\n</blockquote>\n" +
        '<pre><code class="language-sh">echo hi\n</code></pre>\n',
    );
    expect((await article("2022-01-10-only-summary.md")).url).toBe("https://old.example.org/posts/only-summary");
  });

  it("with --canonical, every article keeps its address at the source as its canonical URL", async () => {
    await importFrom(join(fixtures, "atom.xml"), { canonical: true });
    expect((await article("2022-01-19-budget-approved.md")).url).toBe("https://old.example.org/posts/budget-approved");
    await rm(join(dir, "content"), { recursive: true });
    await importFrom(join(fixtures, "atom.xml"));
    expect((await article("2022-01-19-budget-approved.md")).url).toBe("\uE002/articles/budget-approved");
  });

  it("JSON Feed 1.1: content_html, content_text as paragraphs, tags, authors, image", async () => {
    const report = await importFrom(join(fixtures, "feed.json"));
    expect(report.problems).toEqual([]);
    expect(names(report.created)).toEqual([
      "2022-01-12-cafe-reopens.md",
      "2022-01-11-plain-text.md",
      "2022-01-10-summary-only.md",
    ]);
    const cafe = await article("2022-01-12-cafe-reopens.md");
    expect(cafe).toMatchObject({
      title: "Sarybel café reopens",
      summary: "A café reopens.",
      image: { url: "https://cdn.example.org/cafe.jpg" },
      authors: [{ name: "Zoë Ortega", slug: "zoe-ortega", url: "https://old.example.org/zoe" }],
      tags: [
        { name: "Food", slug: "food" },
        { name: "Culture", slug: "culture" },
      ],
    });
    expect(cafe.contentHtml).toBe(
      '<p>The café <a href="https://old.example.org/menu">reopened</a> on Wednesday.</p>\n' +
        '<img src="https://cdn.example.org/cafe.jpg" alt="The café" width="1200" height="800">\n',
    );
    expect((await article("2022-01-11-plain-text.md")).contentHtml).toBe(
      "<p>First paragraph.</p>\n<p>Second paragraph with &lt;angle brackets&gt; &amp; an ampersand.</p>\n",
    );
  });
});

describe("a WordPress export", () => {
  it("imports posts (drafts as drafts), skips pages and the trash, and copies the featured image", async () => {
    const report = await importFrom(join(fixtures, "wordpress/export.xml"));
    expect(report.problems).toEqual([]);
    expect(report.skipped).toEqual([
      `${join(fixtures, "wordpress/export.xml").replace(`${process.cwd()}/`, "")}: item 4 ("About"): a page, not a post`,
      `${join(fixtures, "wordpress/export.xml").replace(`${process.cwd()}/`, "")}: item 5 ("Thrown away"): in the trash`,
    ]);
    expect(names(report.created)).toEqual(["2019-05-01-tram-line-opens.md", "2019-06-01-unfinished-piece.md"]);
    expect(report.images).toBe(1);
    const tram = await article("2019-05-01-tram-line-opens.md");
    expect(tram).toMatchObject({
      publishedAt: Date.parse("2019-05-01T04:00:00Z"),
      authors: [{ name: "Dana Kim", email: "dana@old.example.org" }],
      tags: [
        { name: "Transit", slug: "transit" },
        { name: "Trams", slug: "trams" },
      ],
      summary: "A new tram line.",
      image: { url: "\uE002/images/imported/wp-content/uploads/2019/05/tram.png", alt: "A tram at dusk" },
      aliases: ["/2019/05/tram-line-opens"],
      draft: false,
    });
    // wpautop: blank lines are paragraphs, a single line break a <br>.
    expect(tram.contentHtml).toBe(
      "<p>The new tram line opened on Wednesday.<br>\nIt runs every ten minutes.</p>\n" +
        '<img src="\uE002/images/imported/wp-content/uploads/2019/05/tram.png" alt="The tram" width="3" height="2">\n' +
        '<p>Tickets cost <strong>150 tenge</strong>. <a href="https://old.example.org/2019/04/fares/">Fares</a> are unchanged.</p>\n',
    );
    const copied = await readFile(join(dir, "public/images/imported/wp-content/uploads/2019/05/tram.png"));
    expect(copied.equals(await readFile(join(fixtures, "wordpress/wp-content/uploads/2019/05/tram.png")))).toBe(true);
    const draft = await article("2019-06-01-unfinished-piece.md");
    expect(draft).toMatchObject({ draft: true, publishedAt: Date.parse("2019-06-01T09:00:00Z") });
    expect(draft.aliases).toBeUndefined();
  });
});

describe("a Ghost export", () => {
  it("imports posts with tags in order, authors, the image's alt text; paid posts become drafts", async () => {
    const report = await importFrom(join(fixtures, "ghost.json"), { ghostUrl: "https://old.example.org" });
    expect(report.problems).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    const portal = await article("2024-02-03-open-data-portal-qa.md");
    expect(portal).toMatchObject({
      title: "Open data portal Q&A",
      publishedAt: Date.parse("2024-02-03T09:30:00Z"),
      updatedAt: Date.parse("2024-02-04T08:00:00Z"),
      tags: [
        { name: "Open Data", slug: "open-data" },
        { name: "City Hall", slug: "city-hall" },
      ],
      authors: [{ name: "Jo Bloggs", email: "jo@example.com" }],
      summary: "Your questions, answered.",
      image: { url: "https://old.example.org/content/images/2024/portal.png", alt: "The portal's front page" },
      aliases: ["/open-data-portal-qa"],
      draft: false,
    });
    expect(portal.contentHtml).toContain('<a href="https://old.example.org/open-data/">portal</a>');
    expect(portal.contentHtml).toContain("<figcaption>The portal&#39;s front page</figcaption>");
    expect((await article("2024-02-05-for-members.md")).draft).toBe(true);
    const cross = await article("2024-02-06-cross-posted.md");
    expect(cross).toMatchObject({ draft: true, url: "https://elsewhere.example/original" });
  });
});

describe("a Substack export", () => {
  it("reads posts.csv and the HTML beside it, names the rows it cannot take, copies local images", async () => {
    const report = await importFrom(join(fixtures, "substack"));
    const csv = join(fixtures, "substack/posts.csv").replace(`${process.cwd()}/`, "");
    expect(report.problems).toEqual([
      `${csv}: line 3, item 2 ("Rough idea"): email_sent_at: is empty`,
      `${csv}: line 6, item 5 ("No body"): post_id: posts/140005.no-body.html: no such file beside ${csv}`,
    ]);
    expect(report.skipped).toEqual([`${csv}: line 5, item 4 ("About"): a page, not a post`]);
    expect(names(report.created)).toEqual(["2024-03-10-first-letter.md", "2024-04-01-paid-thing.md"]);
    const first = await article("2024-03-10-first-letter.md");
    expect(first).toMatchObject({
      title: "First, a letter",
      summary: 'On beginnings, and "quotes"',
      aliases: ["/p/first-letter"],
      draft: false,
    });
    expect(first.contentHtml).toBe(
      '<figure><img src="\uE002/images/imported/cover.png" alt="A cover"><figcaption>Our cover</figcaption></figure>\n' +
        "<p>Welcome to the <em>first</em> letter.</p>\n<h3>What comes next</h3>\n" +
        "<ol>\n<li>More letters</li>\n<li>Fewer promises</li>\n</ol>\n",
    );
    expect((await article("2024-04-01-paid-thing.md")).draft).toBe(true);
  });
});

describe("running an import again", () => {
  it("changes nothing, then rewrites only the item whose content changed", async () => {
    const source = join(dir, "feed.xml");
    await cp(join(fixtures, "rss-archive.xml"), source);
    expect((await importFrom(source)).created).toHaveLength(1);
    const again = await importFrom(source);
    expect([again.created, again.updated, again.unchanged]).toEqual([[], [], 1]);
    const text = await readFile(source, "utf8");
    await writeFile(source, text.replace("keeps its winter timetable", "keeps its summer timetable"));
    const changed = await importFrom(source);
    expect([changed.created.length, names(changed.updated), changed.unchanged]).toEqual([
      0,
      ["2022-01-11-tram-winter.md"],
      0,
    ]);
    expect(await files()).toEqual(["2022-01-11-tram-winter.md"]);
  });

  it("with --dry-run, reports what it would do and writes nothing", async () => {
    const report = await importFrom(join(fixtures, "wordpress/export.xml"), { dryRun: true });
    expect(report.created).toHaveLength(2);
    expect(report.images).toBe(1);
    expect(await files()).toEqual([]);
    await expect(readdir(join(dir, "public"))).rejects.toThrow();
  });
});

const rss = (items: string, channel = "") =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>${channel}${items}</channel></rss>`;
const item = (title: string, date = "Mon, 10 Jan 2022 16:00:00 +0600", body = "<p>Body.</p>") =>
  `<item><title>${title}</title><link>https://old.example.org/${encodeURIComponent(title)}</link><pubDate>${date}</pubDate><content:encoded><![CDATA[${body}]]></content:encoded></item>`;

async function hostile(name: string, text: string, extra: Partial<ImportArgs> = {}) {
  const path = join(dir, name);
  await writeFile(path, text);
  return importFrom(path, extra);
}

describe("hostile and broken input", () => {
  it("refuses entity declarations (billion laughs, external entities) and writes nothing", async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>${rss(item("&lol2;"))}`;
    await expect(hostile("laughs.xml", laughs)).rejects.toThrow(
      /laughs\.xml: declares XML entities \(<!ENTITY>\), which this import never expands/,
    );
    const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${rss(item("&xxe;"))}`;
    await expect(hostile("xxe.xml", external)).rejects.toThrow(/xxe\.xml: declares XML entities/);
    expect(await files()).toEqual([]);
  });

  it("refuses XML nested too deep, naming the item and field", async () => {
    const deep = `${"<div>".repeat(100_000)}x${"</div>".repeat(100_000)}`;
    const text = rss(`${item("Fine")}<item><title>Deep</title><description>${deep}</description></item>`);
    await expect(hostile("deep.xml", text)).rejects.toThrow(
      "deep.xml: item 2: description: is nested more than 200 elements deep; nothing was imported from the file",
    );
  });

  it("reports HTML nested too deep in one item's content and imports the others", async () => {
    const deep = `${"<div>".repeat(300)}x${"</div>".repeat(300)}`;
    const report = await hostile("deep-html.xml", rss(item("Fine") + item("Deep", undefined, deep)));
    expect(report.problems).toEqual([
      expect.stringMatching(/deep-html\.xml: item 2 \("Deep"\): content:encoded: .*nested more than 256/),
    ]);
    expect(names(report.created)).toEqual(["2022-01-10-fine.md"]);
  });

  it("reports huge fields by item and field: a title over 500 characters, a body over the size limit", async () => {
    const report = await hostile(
      "huge.xml",
      rss(
        item("x".repeat(501)) +
          item("Big body", undefined, `<p>${"word ".repeat(400_000)}</p>`) +
          item("x".repeat(500)),
      ),
    );
    expect(report.problems).toEqual([
      expect.stringMatching(/huge\.xml: item 1 \("x{59}…"\): title: must be at most 500 characters$/),
      expect.stringMatching(
        /huge\.xml: item 2 \("Big body"\): content:encoded: renders to \d+ bytes of HTML; the limit is 1600000$/,
      ),
    ]);
    expect(report.created).toHaveLength(1);
  });

  it("reports malformed and missing dates by item and field", async () => {
    const report = await hostile(
      "dates.xml",
      rss(
        item("Yesterday", "yesterday") +
          item("February 30", "Wed, 30 Feb 2022 10:00:00 +0000") +
          item("No zone", "Mon, 10 Jan 2022 16:00:00") +
          "<item><title>Undated</title></item>" +
          item("Fine"),
      ),
    );
    expect(report.problems).toEqual(
      [
        'dates.xml: item 1 ("Yesterday"): pubDate: "yesterday" is not an RFC 822 date like "Mon, 10 Jan 2022 16:00:00 +0600"',
        'dates.xml: item 2 ("February 30"): pubDate: "Wed, 30 Feb 2022 10:00:00 +0000" is not an RFC 822 date like "Mon, 10 Jan 2022 16:00:00 +0600"',
        'dates.xml: item 3 ("No zone"): pubDate: "Mon, 10 Jan 2022 16:00:00" is not an RFC 822 date like "Mon, 10 Jan 2022 16:00:00 +0600"',
        'dates.xml: item 4 ("Undated"): pubDate: is missing; every article needs its date',
      ].map((line) => line.replace(/^dates\.xml/, join(dir, "dates.xml").replace(`${process.cwd()}/`, ""))),
    );
    expect(names(report.created)).toEqual(["2022-01-10-fine.md"]);
  });

  it("stops at a feed that names itself as its own archive, and at a loop of two", async () => {
    const self = await hostile("self.xml", rss(item("Once"), '<atom:link rel="prev-archive" href="self.xml"/>'));
    expect(self.documents).toBe(1);
    expect(self.problems).toEqual([
      expect.stringMatching(/self\.xml: prev-archive: links to file:.*self\.xml, which was already read/),
    ]);
    await writeFile(join(dir, "b.xml"), rss(item("B"), '<atom:link rel="prev-archive" href="a.xml"/>'));
    const loop = await hostile("a.xml", rss(item("A"), '<atom:link rel="prev-archive" href="b.xml"/>'));
    expect(loop.documents).toBe(2);
    expect(loop.problems).toEqual([
      expect.stringMatching(/b\.xml: prev-archive: links to .*a\.xml, which was already read/),
    ]);
  });

  it("follows at most --max-pages documents", async () => {
    for (let i = 1; i <= 3; i++) {
      await writeFile(
        join(dir, `p${i}.xml`),
        rss(item(`Page ${i}`), `<atom:link rel="prev-archive" href="p${i + 1}.xml"/>`),
      );
    }
    const report = await importFrom(join(dir, "p1.xml"), { maxPages: 2 });
    expect(report.documents).toBe(2);
    expect(report.problems).toEqual([
      expect.stringMatching(/p2\.xml: prev-archive: more than 2 documents; stopped before .*p3\.xml/),
    ]);
  });

  it("copies no file from outside the export's folder, however the path is encoded", async () => {
    await writeFile(join(dir, "secret.png"), "not for the site");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "export"));
    const noLink = (title: string, src: string) =>
      `<item><title>${title}</title><pubDate>Mon, 10 Jan 2022 16:00:00 +0600</pubDate><content:encoded><![CDATA[<p><img src="${src}" alt=""></p>]]></content:encoded></item>`;
    await writeFile(
      join(dir, "export/feed.xml"),
      rss(
        noLink("Encoded", "..%2Fsecret.png") +
          noLink("Dots", "../secret.png") +
          noLink("Absolute", "/../../secret.png"),
      ),
    );
    const report = await importFrom(join(dir, "export/feed.xml"));
    expect(report.problems).toEqual([]);
    expect(report.images).toBe(0);
    await expect(readdir(join(dir, "public"))).rejects.toThrow();
  });

  it("names a Substack posts.csv with an unclosed quote, or without its columns", async () => {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "sub"));
    await writeFile(
      join(dir, "sub/posts.csv"),
      'post_id,post_date,is_published,title\n1.a,2024-01-01T00:00:00Z,true,"Open\n',
    );
    await expect(importFrom(join(dir, "sub"))).rejects.toThrow(
      `${join(dir, "sub/posts.csv")}: line 2: a quoted field is not closed before the end of the file`,
    );
    await writeFile(join(dir, "sub/posts.csv"), "email,name\na@example.com,A\n");
    await expect(importFrom(join(dir, "sub"))).rejects.toThrow(/posts\.csv: line 1: has no "post_id" column/);
    expect(await files()).toEqual([]);
  });

  it("names a document that is no feed at all", async () => {
    await expect(hostile("page.html", "<html><body>Hi</body></html>")).rejects.toThrow(
      /page\.html: the root element is <html>, not <rss>/,
    );
    await expect(hostile("broken.json", '{"version": ')).rejects.toThrow(/broken\.json: is not valid JSON/);
    await expect(hostile("nested.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`)).rejects.toThrow(
      /nested\.json: is neither XML/,
    );
  });

  it("takes a large feed in one pass: 300 items with long bodies", async () => {
    const body = `<p>${"Some <em>text</em> &amp; more. ".repeat(200)}</p>`;
    const items = Array.from({ length: 300 }, (_, i) => item(`Item ${i}`, undefined, body)).join("");
    const report = await hostile("large.xml", rss(items));
    expect(report.problems).toEqual([]);
    expect(report.created).toHaveLength(300);
  });
});

describe("npm run import:articles", () => {
  it("prints the report and exits 1 when an item had a problem, 0 otherwise", async () => {
    const out = join(dir, "content");
    const ok = await run(
      process.execPath,
      [
        tsx,
        join(root, "scripts/import-articles.ts"),
        join(fixtures, "atom.xml"),
        "--out",
        out,
        "--public",
        join(dir, "public"),
      ],
      { cwd: root },
    );
    expect(ok.stdout).toContain(
      "import: 1 document(s); 3 created, 0 updated, 0 unchanged, 0 image(s) copied, 0 skipped, 0 problem(s)",
    );
    const failed = await run(
      process.execPath,
      [
        tsx,
        join(root, "scripts/import-articles.ts"),
        join(fixtures, "substack"),
        "--out",
        out,
        "--public",
        join(dir, "public"),
      ],
      { cwd: root },
    ).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed ? failed.code : 0).toBe(1);
    expect(failed.stderr).toContain("import: 2 problem(s); those items were not written:");
  });

  it("refuses a bad --max-pages by name", async () => {
    const result = await run(
      process.execPath,
      [tsx, join(root, "scripts/import-articles.ts"), "x.xml", "--max-pages", "0"],
      { cwd: root },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(result.stderr).toContain('import: --max-pages: must be a whole number from 1 to 10000, not "0"');
  });
});
