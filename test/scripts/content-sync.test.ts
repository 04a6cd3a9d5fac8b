// Runs `scripts/content-sync.ts` as `npm run content:sync` does, against a real local D1 on disk.

import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPlatformProxy } from "wrangler";
import { type LocalState, localState, queryState, ROOT, runOnState } from "./run-script.js";

const config = join(ROOT, "wrangler.toml");
let at: LocalState;
let dir: string;
let state: string;

const sync = (...extra: string[]) => runOnState(at, "content-sync.ts", extra);
/** Reads the local D1 the way the Worker would see it. */
const query = <T>(sql: string) => queryState<T>(at, sql);

const article = (title: string, date = "2022-01-10T16:00:00+06:00") =>
  `---\ntitle: "${title}"\ndate: "${date}"\ntags: [Transit]\n---\nBody of ${title}.\n`;

beforeAll(async () => {
  at = await localState("content-sync-");
  ({ dir, state } = at);
  await mkdir(join(dir, "content", "2022"), { recursive: true });
  await writeFile(join(dir, "content", "2022-01-10-first.md"), article("First"));
  await writeFile(join(dir, "content", "2022", "second.md"), article("Second", "2022-01-11T10:00:00Z"));
  await writeFile(join(dir, "content", "third.md"), article("Third", "2022-01-12T10:00:00Z"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run content:sync", () => {
  it("loads every file into the local D1", async () => {
    const result = await sync();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("3 file(s); 3 written, 0 removed, 0 unchanged");
    const rows = await query<{ slug: string; source_path: string }>(
      "SELECT slug, source_path FROM articles ORDER BY published_at",
    );
    expect(rows).toEqual([
      { slug: "first", source_path: "content/2022-01-10-first.md" },
      { slug: "second", source_path: "content/2022/second.md" },
      { slug: "third", source_path: "content/third.md" },
    ]);
  });

  it("changes nothing on a second run", async () => {
    const [before] = await query<{ value: number }>("SELECT value FROM meta WHERE key = 'content_version'");
    const result = await sync();
    expect(result.stdout).toContain("0 written, 0 removed, 3 unchanged");
    expect(result.stdout).not.toMatch(/content sync: \d+ \/ \d+ written/);
    expect(await query("SELECT value FROM meta WHERE key = 'content_version'")).toEqual([before]);
  });

  it("names the invalid file and field, exits non-zero, and writes nothing", async () => {
    await writeFile(join(dir, "content", "2022-01-10-first.md"), article("First, edited"));
    await writeFile(join(dir, "content", "broken.md"), '---\ntitle: "Broken"\ndate: "next Tuesday"\n---\nx\n');
    const before = await query("SELECT slug, title FROM articles UNION ALL SELECT key, value FROM meta");
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing was written");
    expect(result.stderr).toContain(
      'content/broken.md: date: must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"',
    );
    expect(await query("SELECT slug, title FROM articles UNION ALL SELECT key, value FROM meta")).toEqual(before);
  });

  it("removes articles whose file was deleted, and leaves API articles alone", async () => {
    await rm(join(dir, "content", "broken.md"));
    await rm(join(dir, "content", "third.md"));
    const proxy = await getPlatformProxy<{ DB: D1Database }>({
      configPath: config,
      persist: { path: join(state, "v3") },
      remoteBindings: false,
    });
    await proxy.env.DB.prepare(
      "INSERT INTO articles (slug, title, url, published_at, summary, authors_json, tags_json, content_html, source) VALUES ('posted', 'Posted', 'https://x.example/a', 0, '', '[]', '[]', '', 'api')",
    ).run();
    await proxy.dispose();
    const result = await sync("--chunk", "1");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 file(s); 1 written, 1 removed, 1 unchanged");
    const rows = await query<{ slug: string; title: string }>("SELECT slug, title FROM articles ORDER BY slug");
    expect(rows).toEqual([
      { slug: "first", title: "First, edited" },
      { slug: "posted", title: "Posted" },
      { slug: "second", title: "Second" },
    ]);
  });
});

describe("npm run content:sync with more files than one batch", () => {
  const many = (from: number, to: number) =>
    Promise.all(
      Array.from({ length: to - from + 1 }, (_, i) =>
        writeFile(join(dir, "content", "many", `m${from + i}.md`), article(`Many ${from + i}`)),
      ),
    );
  const titles = async () =>
    (await query<{ title: string }>("SELECT title FROM articles WHERE slug LIKE 'm%' ORDER BY id")).map((r) => r.title);

  beforeAll(async () => {
    await mkdir(join(dir, "content", "many"), { recursive: true });
  });

  it("refuses a batch size outside 1 to 10000, naming the option", async () => {
    for (const size of ["0", "10001", "2.5"]) {
      const result = await sync("--chunk", size);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`--chunk: must be a whole number of articles from 1 to 10000, not "${size}"`);
    }
  });

  it("writes nothing when one file among many is invalid", async () => {
    await many(1, 6);
    await writeFile(join(dir, "content", "many", "m4.md"), '---\ntitle: "Broken"\n---\nNo date.\n');
    const before = await query("SELECT slug, title FROM articles UNION ALL SELECT key, value FROM meta");
    const result = await sync("--chunk", "2");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("content/many/m4.md: date:");
    expect(result.stdout).not.toContain("written");
    expect(await query("SELECT slug, title FROM articles UNION ALL SELECT key, value FROM meta")).toEqual(before);
  });

  it("writes every file in batches, printing progress", async () => {
    await many(1, 6);
    const result = await sync("--chunk", "2");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("content sync: "))).toEqual([
      "content sync: 2 / 6 written",
      "content sync: 4 / 6 written",
      "content sync: 6 / 6 written",
    ]);
    expect(result.stdout).toContain("8 file(s); 6 written, 0 removed, 2 unchanged");
    expect(await titles()).toEqual(["Many 1", "Many 2", "Many 3", "Many 4", "Many 5", "Many 6"]);
  });

  it("finishes an interrupted sync when run again: only what is missing is written", async () => {
    // As if the sync had stopped after its first batches: the last files' articles are not there.
    const proxy = await getPlatformProxy<{ DB: D1Database }>({
      configPath: config,
      persist: { path: join(state, "v3") },
      remoteBindings: false,
    });
    await proxy.env.DB.prepare("DELETE FROM articles WHERE slug IN ('m5', 'm6')").run();
    await proxy.dispose();
    const result = await sync("--chunk", "10000");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("8 file(s); 2 written, 0 removed, 6 unchanged");
    expect(await titles()).toEqual(["Many 1", "Many 2", "Many 3", "Many 4", "Many 5", "Many 6"]);
  });

  it("refuses a file whose slug an API article holds, and writes nothing", async () => {
    await writeFile(join(dir, "content", "many", "m7.md"), article("Many 7"));
    await writeFile(join(dir, "content", "posted.md"), article("Not yours"));
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'content/posted.md: slug: "posted" belongs to an article published through the API; rename the file or set another slug',
    );
    expect(await query("SELECT title FROM articles WHERE slug IN ('posted', 'm7')")).toEqual([{ title: "Posted" }]);
  });
});

describe("npm run content:sync with images under public/", () => {
  it("stores the length and pixel size of a local image read from its file, and keeps a size the file gives", async () => {
    await rm(join(dir, "content", "posted.md"), { force: true });
    await mkdir(join(dir, "public", "images"), { recursive: true });
    // A GIF's header: 300 × 200 (little-endian), then garbage where the pixels would be.
    const gif = Uint8Array.from([...Buffer.from("GIF89a"), 0x2c, 0x01, 0xc8, 0x00, 1, 2, 3]);
    await writeFile(join(dir, "public", "images", "tram line.gif"), gif);
    await writeFile(join(dir, "public", "images", "garbage.png"), Buffer.from("not an image at all"));
    const withImage = (slug: string, image: string) =>
      `---\ntitle: "${slug}"\ndate: "2022-01-10T16:00:00+06:00"\nslug: ${slug}\nimage: ${image}\n---\nBody.\n`;
    await writeFile(join(dir, "content", "pic-local.md"), withImage("pic-local", '"/images/tram%20line.gif"'));
    await writeFile(
      join(dir, "content", "pic-given.md"),
      withImage("pic-given", "{url: /images/tram line.gif, width: 64, height: 48}"),
    );
    await writeFile(join(dir, "content", "pic-garbage.md"), withImage("pic-garbage", "/images/garbage.png"));
    await writeFile(join(dir, "content", "pic-missing.md"), withImage("pic-missing", "/images/none.png"));
    await writeFile(join(dir, "content", "pic-remote.md"), withImage("pic-remote", "https://elsewhere.example/a.gif"));
    const result = await sync();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(
      await query(
        "SELECT slug, image_width AS w, image_height AS h, image_bytes AS bytes FROM articles WHERE slug LIKE 'pic-%' ORDER BY slug",
      ),
    ).toEqual([
      // The GIF is 13 bytes, the garbage 19: a length is a length whatever the file holds.
      { slug: "pic-garbage", w: null, h: null, bytes: 19 },
      { slug: "pic-given", w: 64, h: 48, bytes: 13 },
      { slug: "pic-local", w: 300, h: 200, bytes: 13 },
      { slug: "pic-missing", w: null, h: null, bytes: null },
      { slug: "pic-remote", w: null, h: null, bytes: null },
    ]);
  });
});
