// Runs `scripts/export.ts` as `npm run export` does, and proves the round trip: a local D1 with the
// sample content, files that stress the format (drafts, scheduled, images with alt text and sizes,
// authors, tags, languages, summaries) and articles written through the API (HTML kept, no
// Markdown), exported, then loaded by the real content sync into a fresh local D1, gives back
// every article row byte for byte. The subscribers file is checked against the rows too.

import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalD1, openLocalD1 } from "../../scripts/local-d1.js";
import { articleFromJson, articleFromMarkdown } from "../../src/core/article.js";
import { ArchiveDays } from "../../src/worker/store/archive.js";
import { ArticleStore } from "../../src/worker/store/articles.js";
import { SuppressionStore } from "../../src/worker/store/suppressions.js";
import { ContentVersion } from "../../src/worker/store/version.js";
import { HARD_MARKDOWN } from "../export-fixtures.js";
import { CONFIG as config, migrateLocal, ROOT as root, runScript } from "./run-script.js";

// wrangler.toml's SITE_URL, which the sync and the export both read.
const SITE = "http://127.0.0.1:8787";

let dir: string;

const script = (name: string, ...args: string[]) => runScript(name, args, { cwd: dir });
const migrate = (state: string) => migrateLocal(state, dir);

async function withD1<T>(state: string, use: (d1: LocalD1) => Promise<T>): Promise<T> {
  const d1 = await openLocalD1(config, state);
  try {
    return await use(d1);
  } finally {
    await d1.dispose();
  }
}

/** Every column an article's content makes (not where it came from: source, path, hash, id). */
const ARTICLE_ROWS = `SELECT slug, title, url, published_at, updated_at, summary, image_url, image_alt, image_width,
  image_height, image_bytes, lang, draft, authors_json, tags_json, aliases_json, content_html, body_text FROM articles ORDER BY slug`;

const rows = (state: string) =>
  withD1(state, async (d1) => (await d1.db.prepare(ARTICLE_ROWS).all<Record<string, unknown>>()).results);

const file = (fields: string, body: string) => `---\n${fields}\n---\n${body}`;

/** Files that push on the format: every front-matter field, YAML's special characters, Markdown's blank lines. */
const FILES: Record<string, string> = {
  "drafts/unfinished.md": file(
    'title: "Not yet: a draft"\ndate: "2022-03-01T10:00:00+06:00"\ndraft: true\ntags: [Transit]',
    "Draft body with *emphasis*.\n",
  ),
  "2099-01-01-future.md": file(
    'title: "Scheduled for 2099"\ndate: "2099-01-01T00:00:00Z"\nauthors: [Dana Kim]',
    "Comes out later.\n",
  ),
  "2022/tricky.md": file(
    [
      `title: 'Q&A: <b> tags & "quotes" - yes: no # not a comment'`,
      'date: "2022-02-03T09:30:15.250+05:00"',
      'updated: "2022-02-04T00:00:00Z"',
      "slug: 2022-02-03-qa",
      "authors:",
      "  - Daniyar Omarov",
      '  - {name: "Zoë Ortega", email: zoe@example.org, url: "https://example.org/zoe"}',
      '  - {name: "Site Person", url: "http://127.0.0.1:8787/authors/site-person"}',
      'tags: ["Protests in Kazakhstan", "Қала", "null", "123", "true"]',
      "summary: \"Line one\\n\\nline two: with a colon, 'quotes' and a trailing space \"",
      'image: {url: /images/ice-rink.png, alt: "Skaters: at dusk"}',
      "lang: kk",
      "aliases: [/2022/02/qa.html, /old/qa]",
    ].join("\n"),
    `Text with a [relative link](/articles/other) and a [far one](https://elsewhere.example/x).\n\n${HARD_MARKDOWN}\n`,
  ),
  "remote-image.md": file(
    [
      'title: "Elsewhere"',
      'date: "1000-01-01T00:00:00Z"',
      'url: "https://elsewhere.example/story"',
      'image: {url: "https://cdn.example/p.jpg", width: 640, height: 480}',
      "lang: en-GB",
    ].join("\n"),
    "",
  ),
};

/** Articles written as the API writes them (HTML or Markdown in JSON): no file behind them. */
const API_ARTICLES: Record<string, unknown>[] = [
  {
    title: "HTML from the API",
    date: "2022-05-01T10:00:00Z",
    authors: [{ name: "API Author", email: "api@example.org" }],
    tags: ["Transit"],
    html: 'Leading text, then <p>a paragraph</p>\n\n\n<p>after blank lines</p>\n<pre>pre\n\n  kept\n</pre>  \n\n<img src="/images/mountains.png" alt="Peaks" width="10" height="20"><a href="//other.example/x">x</a>',
  },
  {
    title: "Markdown from the API",
    slug: "md-api",
    date: "2022-05-02T10:00:00Z",
    summary: "Given.",
    lang: "ru",
    draft: true,
    image: { url: "/images/library-books.png", alt: "Books", width: 1200, height: 630 },
    markdown: "# Heading\n\nSome **bold** text.\n\n    code\n",
  },
  {
    title: "No trailing newline",
    date: "2022-05-03T10:00:00Z",
    html: "<p>ends here</p>",
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "export-"));
  await cp(join(root, "content"), join(dir, "content"), { recursive: true });
  await cp(join(root, "public"), join(dir, "public"), { recursive: true });
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(join(dir, "content", path, ".."), { recursive: true });
    await writeFile(join(dir, "content", path), text);
  }
  await migrate(join(dir, "a"));
  const sync = await script("content-sync.ts", "--config", config, "--persist-to", join(dir, "a"));
  expect(sync.stderr).toBe("");
  await withD1(join(dir, "a"), async ({ db }) => {
    const store = new ArticleStore(
      db,
      new ContentVersion(db, Date.now, "test"),
      () => SITE,
      new ArchiveDays(db, () => null),
    );
    for (const input of API_ARTICLES) await store.put(articleFromJson(input, { siteUrl: SITE }));
    const insert = db.prepare(
      `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at,
         source, ip_hash, unsubscribed_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?7)`,
    );
    await db.batch([
      insert.bind(
        "Ann@Example.com",
        "active",
        "weekly",
        '["transit"]',
        "Asia/Almaty",
        8,
        1e12,
        1e12 + 1,
        "/",
        "ab12",
        null,
      ),
      insert.bind("bo@example.org", "unsubscribed", "daily", "[]", "UTC", 7, 1e12, null, "=cmd", null, 1e12 + 5),
    ]);
    await new SuppressionStore(db, () => 1e12).suppress("bounced@example.net", "bounce");
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run export", () => {
  it("writes files that the content sync loads back to the same rows, byte for byte", async () => {
    const result = await script("export.ts", "out", "--config", config, "--persist-to", join(dir, "a"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const before = await rows(join(dir, "a"));
    expect(result.stdout).toContain(`export: ${before.length} article(s)`);
    // The fixtures are all there: the sample content, the files above and the API's articles.
    expect(before.length).toBe((await readdir(join(root, "content"))).length + 4 + 3);
    expect(before.some((r) => r.draft === 1)).toBe(true);

    await migrate(join(dir, "b"));
    const sync = await script(
      "content-sync.ts",
      "--config",
      config,
      "--persist-to",
      join(dir, "b"),
      "--content",
      "out/content",
    );
    expect(sync.stderr).toBe("");
    expect(sync.code).toBe(0);
    // One thing is learned on the way: an API article's image under public/ gets its length in
    // bytes (the RSS enclosure's), which only content sync can read from the file.
    const imageBytes = (await stat(join(dir, "public/images/library-books.png"))).size;
    const expected = before.map((r) => (r.slug === "md-api" ? { ...r, image_bytes: imageBytes } : r));
    expect(before.find((r) => r.slug === "md-api")?.image_bytes).toBeNull();
    expect(await rows(join(dir, "b"))).toEqual(expected);
  });

  it("writes a file article where it was, and the others by slug, front matter first", async () => {
    expect(await readFile(join(dir, "out/content/2022/tricky.md"), "utf8")).toMatch(
      /^---\ntitle: 'Q&A: <b> tags & "quotes" - yes: no # not a comment'\nslug: 2022-02-03-qa\n/,
    );
    const api = await readFile(join(dir, "out/content/md-api.md"), "utf8");
    expect(api).toContain("\ndraft: true\n");
    // The body is the stored HTML in a <main> block, with the site's own links as paths.
    expect(api.split("\n---\n")[1]).toBe(
      "<main\n><h1>Heading</h1>\n<p>Some <strong>bold</strong> text.</p>\n<pre><code>code\n</code></pre>&#10;</main\n>",
    );
    const parsed = articleFromMarkdown(api, { siteUrl: SITE });
    expect(parsed.contentHtml).toBe(
      "<h1>Heading</h1>\n<p>Some <strong>bold</strong> text.</p>\n<pre><code>code\n</code></pre>\n",
    );
  });

  it("writes the subscribers and the suppressions' hashes, never a suppressed address", async () => {
    const text = await readFile(join(dir, "out/subscribers.json"), "utf8");
    const body = JSON.parse(text) as {
      subscribers: Record<string, unknown>[];
      suppressions: Record<string, unknown>[];
    };
    expect(body.subscribers).toEqual([
      {
        email: "Ann@Example.com",
        status: "active",
        frequency: "weekly",
        tags: ["transit"],
        time_zone: "Asia/Almaty",
        send_hour: 8,
        requested_at: "2001-09-09T01:46:40.000Z",
        confirmed_at: "2001-09-09T01:46:40.001Z",
        source: "/",
        unsubscribed_at: null,
        ip_hash: "ab12",
      },
      {
        email: "bo@example.org",
        status: "unsubscribed",
        frequency: "daily",
        tags: [],
        time_zone: "UTC",
        send_hour: 7,
        requested_at: "2001-09-09T01:46:40.000Z",
        confirmed_at: null,
        source: "=cmd",
        unsubscribed_at: "2001-09-09T01:46:40.005Z",
        ip_hash: null,
      },
    ]);
    const [hash] = await withD1(
      join(dir, "a"),
      async ({ db }) => (await db.prepare("SELECT email_hash FROM suppressions").all<{ email_hash: string }>()).results,
    );
    expect(body.suppressions).toEqual([
      { email_hash: hash?.email_hash, reason: "bounce", created_at: "2001-09-09T01:46:40.000Z" },
    ]);
    expect(text).not.toContain("bounced");
  });

  it("refuses a directory that is not empty, and a missing one, naming it", async () => {
    const again = await script("export.ts", "out", "--config", config, "--persist-to", join(dir, "a"));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(dir, "out")} is not empty`);
    const none = await script("export.ts", "--config", config);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("usage: npm run export -- DIR [--remote]");
  });
});
