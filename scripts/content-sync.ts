// `npm run content:sync [-- --remote]`: loads content/**/*.md into D1 (local by default).
// Every file is validated first; if any is invalid, each problem is printed with its path and
// field, and nothing is written. Otherwise changed files are upserted and the articles whose
// files are gone removed (articles published through the API are never touched), in D1 batches of
// `--chunk` articles (250 by default) with progress printed.
//
// Each batch is its own transaction, not the whole sync: one huge batch through the platform proxy
// took minutes for 20 000 files. If the sync is interrupted, the batches already written stay;
// running it again finishes the job, since files whose stored hash matches are skipped.
// Unchanged files are found with one narrow query (path, hash, slug of file-sourced articles) and
// a hash per file (Node's synchronous SHA-256, see content-hash.ts), without parsing them; the
// others are parsed on one thread per core (content-parse.ts).
// An article's image under public/ (`--public`) gets its length in bytes (the RSS enclosure's)
// and, when the front matter gives none, its pixel size from the file's header; the file is read
// only when its article is written.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { digestTimeZoneOrNull, parseSiteConfig } from "../src/core/config.js";
import {
  type ContentFile,
  localImageFile,
  planSync,
  refuseClaimed,
  type SyncPlan,
  withImageFile,
} from "../src/core/content.js";
import { IMAGE_HEADER_BYTES } from "../src/core/image-size.js";
import { ArchiveDays } from "../src/worker/store/archive.js";
import { ArticleStore, SYNC_CHUNK } from "../src/worker/store/articles.js";
import { ContentVersion } from "../src/worker/store/version.js";
import { sha256Hex } from "./content-hash.js";
import { parseInThreads } from "./content-parse.js";
import { openD1 } from "./local-d1.js";
import { runMain } from "./main.js";

const { values: args } = parseArgs({
  options: {
    remote: { type: "boolean", default: false },
    content: { type: "string", default: "content" },
    public: { type: "string", default: "public" },
    config: { type: "string", default: "wrangler.toml" },
    "persist-to": { type: "string" },
    "site-url": { type: "string" },
    chunk: { type: "string", default: String(SYNC_CHUNK) },
  },
});

const chunk = Number(args.chunk);
if (!Number.isInteger(chunk) || chunk < 1 || chunk > 10_000) {
  console.error(`content sync: --chunk: must be a whole number of articles from 1 to 10000, not "${args.chunk}"`);
  process.exit(1);
}

/** 20000 -> "20 000": thousands apart, whatever the machine's locale. */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, " ");

const root = process.cwd();
const contentDir = resolve(root, args.content);
const publicDir = resolve(root, args.public);

/** The first bytes and the length of a file under public/, or null when there is no such file. */
function imageFile(path: string): { header: Uint8Array; bytes: number } | null {
  const file = resolve(publicDir, path);
  if (!file.startsWith(`${publicDir}/`)) return null;
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const buffer = new Uint8Array(IMAGE_HEADER_BYTES);
    return { header: buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)), bytes: stat.size };
  } finally {
    closeSync(fd);
  }
}

/** Fills in what the file tells of each upsert's image that is a file under public/. */
function withImageFiles(plan: SyncPlan): SyncPlan {
  const upserts = plan.upserts.map((upsert) => {
    const path = localImageFile(upsert.article);
    const file = path === null ? null : imageFile(path);
    return file ? { ...upsert, article: withImageFile(upsert.article, file) } : upsert;
  });
  return { ...plan, upserts };
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function main(): Promise<number> {
  const started = performance.now();
  const files: ContentFile[] = [];
  for (const path of await markdownFiles(contentDir)) {
    // Paths as the publisher sees them: relative to the project, e.g. "content/2022-01-10-x.md".
    const shown = relative(root, path);
    files.push({ path: shown.startsWith("..") ? path : shown, text: readFileSync(path, "utf8") });
  }
  const d1 = await openD1({ remote: args.remote, config: args.config, persistTo: args["persist-to"] });
  try {
    const config = parseSiteConfig({ ...d1.env, ...(args["site-url"] ? { SITE_URL: args["site-url"] } : {}) });
    const store = new ArticleStore(
      d1.db,
      new ContentVersion(d1.db, Date.now, "sync"),
      () => config.siteUrl,
      new ArchiveDays(d1.db, () => digestTimeZoneOrNull(d1.env)),
    );
    const planned = await planSync(files, await store.records(), config.siteUrl, {
      hash: sha256Hex,
      parse: (changed) => parseInThreads(changed, config.siteUrl),
    });
    const plan = withImageFiles(
      refuseClaimed(planned, await store.apiSlugs(planned.upserts.map((u) => u.article.slug))),
    );
    const where = args.remote ? "remote D1" : "local D1";
    if (plan.errors.length > 0) {
      console.error(`content sync: ${plan.errors.length} problem(s); nothing was written to the ${where}:`);
      for (const line of plan.errors) console.error(`  ${line}`);
      return 1;
    }
    let shown = 0;
    await store.sync(plan.upserts, plan.deletions, chunk, (done, total) => {
      // About ten lines however large the sync: at each tenth, and at the end.
      if (total <= chunk || (Math.floor((done * 10) / total) === shown && done < total)) return;
      shown = Math.floor((done * 10) / total);
      console.log(`content sync: ${count(done)} / ${count(total)} written`);
    });
    console.log(
      `content sync (${where}): ${files.length} file(s); ${plan.upserts.length} written, ${plan.deletions.length} removed, ${plan.unchanged} unchanged (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    await d1.dispose();
  }
}

runMain("content sync", main);
