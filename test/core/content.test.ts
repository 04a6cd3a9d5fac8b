import { describe, expect, it } from "vitest";
import { served } from "../../src/core/article.js";
import { planSync, refuseClaimed, type StoredRecord } from "../../src/core/content.js";

const siteUrl = "https://news.example.com";
const file = (path: string, title = "T", extra = "") => ({
  path,
  text: `---\ntitle: "${title}"\ndate: "2022-01-10T10:00:00Z"\n${extra}---\nBody.\n`,
});

describe("planSync", () => {
  it("writes new files and skips unchanged ones", async () => {
    const files = [file("content/2022-01-10-a.md"), file("content/b.md")];
    const first = await planSync(files, [], siteUrl);
    expect(first.errors).toEqual([]);
    expect(first.upserts.map((u) => u.article.slug)).toEqual(["a", "b"]);
    const stored: StoredRecord[] = first.upserts.map((u) => ({
      slug: u.article.slug,
      source: "file",
      sourcePath: u.path,
      sourceHash: u.hash,
    }));
    const second = await planSync(files, stored, siteUrl);
    expect(second).toMatchObject({ upserts: [], deletions: [], unchanged: 2 });
    const changed = await planSync(
      [file("content/2022-01-10-a.md", "New title"), files[1] ?? file("x")],
      stored,
      siteUrl,
    );
    expect(changed.upserts.map((u) => u.article.title)).toEqual(["New title"]);
  });

  it("removes articles whose files are gone, but never API articles", async () => {
    const stored: StoredRecord[] = [
      { slug: "gone", source: "file", sourcePath: "content/gone.md", sourceHash: "h" },
      { slug: "posted", source: "api", sourcePath: null, sourceHash: null },
    ];
    const plan = await planSync([file("content/kept.md")], stored, siteUrl);
    expect(plan.deletions).toEqual(["gone"]);
  });

  it("names each invalid file and field, and plans no writes at all", async () => {
    const plan = await planSync(
      [file("content/good.md"), { path: "content/bad.md", text: '---\ntitle: "x"\ndate: "Monday"\n---\n' }],
      [{ slug: "gone", source: "file", sourcePath: "content/gone.md", sourceHash: "h" }],
      siteUrl,
    );
    expect(plan.errors).toEqual([
      'content/bad.md: date: must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"',
    ]);
    expect(plan.upserts).toEqual([]);
    expect(plan.deletions).toEqual([]);
  });

  it("names the file and the title with a line break in it, and plans no writes", async () => {
    const plan = await planSync(
      [file("content/good.md"), file("content/injected.md", "Headline\\r\\nBcc: attacker@evil.example")],
      [],
      siteUrl,
    );
    expect(plan.errors).toEqual([
      "content/injected.md: title: must be one line without control characters: it has U+000D (a carriage return) at character 9",
    ]);
    expect(plan.upserts).toEqual([]);
  });

  it("refuses two files with one slug, and a slug owned by the API", async () => {
    const plan = await planSync(
      [file("content/2022-01-01-same.md"), file("content/2022-02-02-same.md"), file("content/posted.md")],
      [{ slug: "posted", source: "api", sourcePath: null, sourceHash: null }],
      siteUrl,
    );
    expect(plan.errors).toEqual([
      'content/2022-02-02-same.md: slug: "same" is also the slug of content/2022-01-01-same.md',
      'content/posted.md: slug: "posted" belongs to an article published through the API; rename the file or set another slug',
    ]);
  });

  it("finds nothing to do when only the site URL or the dev port changes", async () => {
    const files = [file("content/a.md", "T", "")];
    const [first] = (await planSync(files, [], siteUrl)).upserts;
    const stored: StoredRecord[] = [
      { slug: "a", source: "file", sourcePath: "content/a.md", sourceHash: first?.hash ?? "" },
    ];
    const plan = await planSync(files, stored, "http://127.0.0.1:8788");
    expect(plan.upserts).toEqual([]);
    expect(plan.unchanged).toBe(1);
    // Stored site-relative: served on any origin, it links to that origin.
    expect(first && served(first.article, "http://127.0.0.1:8788").url).toBe("http://127.0.0.1:8788/articles/a");
  });

  it("names the file and the field of a document nested too deeply, and writes nothing", async () => {
    const deep = {
      path: "content/deep.md",
      text: `---\ntitle: "Deep"\ndate: "2022-01-10T10:00:00Z"\n---\n${">".repeat(5000)} x\n`,
    };
    const plan = await planSync([file("content/fine.md"), deep], [], siteUrl);
    expect(plan.errors).toHaveLength(1);
    expect(plan.errors[0]).toMatch(/^content\/deep\.md: markdown: /);
    expect(plan.upserts).toEqual([]);
  });

  it("matches unchanged files by path and hash, and still refuses a new file taking their slug", async () => {
    const [a] = (await planSync([file("content/a.md")], [], siteUrl)).upserts;
    const stored: StoredRecord[] = [
      { slug: "a", source: "file", sourcePath: "content/a.md", sourceHash: a?.hash ?? "" },
    ];
    const plan = await planSync([file("content/a.md"), file("content/b.md", "B", "slug: a\n")], stored, siteUrl);
    expect(plan.errors).toEqual(['content/b.md: slug: "a" is also the slug of content/a.md']);
    expect(plan).toMatchObject({ upserts: [], deletions: [] });
  });

  it("refuses the writes whose slug the store says an API article holds", async () => {
    const plan = await planSync([file("content/mine.md"), file("content/posted.md")], [], siteUrl);
    expect(refuseClaimed(plan, new Set())).toBe(plan);
    const refused = refuseClaimed(plan, new Set(["posted"]));
    expect(refused.errors).toEqual([
      'content/posted.md: slug: "posted" belongs to an article published through the API; rename the file or set another slug',
    ]);
    expect(refused).toMatchObject({ upserts: [], deletions: [] });
  });
});
