// The content sync's parse threads: the same results as parsing in one thread, in the order of the
// files; through the script, a sync of many files lists its problems in file order and writes
// nothing, and a valid one writes its articles in file order.

import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInThreads } from "../../scripts/content-parse.js";
import { type ContentFile, parseContentFile } from "../../src/core/content.js";
import { type LocalState, localState, queryState, runOnState } from "./run-script.js";

const siteUrl = "https://news.example.com";
let at: LocalState;
let dir: string;

const name = (i: number) => `b${String(i).padStart(4, "0")}.md`;
const text = (i: number) =>
  `---\ntitle: "Bulk ${i}"\ndate: "2022-01-10T10:00:00Z"\ntags: [Transit]\n---\nBody of *${i}*, see https://example.org/${i}.\n`;
/** 1 200 files; a few broken: no date, a date that is no date, a title of two lines, a slug another file has. */
const broken = new Map([
  [100, '---\ntitle: "No date"\n---\nx\n'],
  [900, '---\ntitle: "Bad date"\ndate: "next Tuesday"\n---\nx\n'],
  [1000, '---\ntitle: "Headline\\nBcc: x@evil.example"\ndate: "2022-01-10T10:00:00Z"\n---\nx\n'],
  [1100, '---\ntitle: "Copy"\ndate: "2022-01-10T10:00:00Z"\nslug: b0005\n---\nx\n'],
]);
const files = (withBroken: boolean): ContentFile[] =>
  Array.from({ length: 1200 }, (_, i) => ({
    path: `content/bulk/${name(i)}`,
    text: (withBroken ? broken.get(i) : undefined) ?? text(i),
  }));

async function writeAll(list: ContentFile[]): Promise<void> {
  await rm(join(dir, "content"), { recursive: true, force: true });
  await mkdir(join(dir, "content", "bulk"), { recursive: true });
  await Promise.all(list.map((f) => writeFile(join(dir, f.path), f.text)));
}

const sync = () => runOnState(at, "content-sync.ts");

async function slugsInWriteOrder(): Promise<string[]> {
  return (await queryState<{ slug: string }>(at, "SELECT slug FROM articles ORDER BY rowid")).map((r) => r.slug);
}

beforeAll(async () => {
  at = await localState("content-parse-");
  dir = at.dir;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseInThreads", () => {
  it("gives what one thread gives, file by file, invalid files included", async () => {
    const list = files(true);
    const threaded = await parseInThreads(list, siteUrl, 2);
    expect(threaded).toHaveLength(1200);
    expect(threaded).toEqual(list.map((f) => parseContentFile(f, siteUrl)));
    expect(threaded[100]).toEqual({ errors: [expect.objectContaining({ field: "date" })] });
  });
});

describe("content sync of many files", () => {
  it("lists every problem in the order of the files, exits non-zero and writes nothing", async () => {
    await writeAll(files(true));
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("  "))).toEqual([
      "  content/bulk/b0100.md: date: is required",
      '  content/bulk/b0900.md: date: must be an ISO 8601 date-time with a time zone, like "2022-01-10T16:00:00+06:00"',
      "  content/bulk/b1000.md: title: must be one line without control characters: it has U+000A (a line break) at character 9",
      '  content/bulk/b1100.md: slug: "b0005" is also the slug of content/bulk/b0005.md',
    ]);
    expect(await slugsInWriteOrder()).toEqual([]);
  });

  it("writes every article, in the order of the files", async () => {
    await writeAll(files(false));
    const result = await sync();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("1200 file(s); 1200 written, 0 removed, 0 unchanged");
    expect(await slugsInWriteOrder()).toEqual(Array.from({ length: 1200 }, (_, i) => `b${String(i).padStart(4, "0")}`));
  });
});
