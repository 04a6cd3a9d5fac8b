// `npm run import:articles -- SOURCE [--out content] [--public public] [--dry-run]`: writes the
// articles of a feed (RSS 2.0, Atom 1.0, JSON Feed; a file or an http(s) URL, following RFC 5005
// prev-archive links), a WordPress export (WXR), a Ghost export (JSON) or a Substack export (its
// folder, or its posts.csv) as Markdown files with front matter into content/ (see
// docs/importing.md). The reading and converting is src/core/import-articles/; this script reads
// files and URLs, copies images found beside the export into public/, and writes.
//
// Running it again rewrites only the files whose text changed, and creates nothing twice: a
// file's name comes from the item's date and slug.

import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  convertItem,
  ImportError,
  type ImportedItem,
  type ImportedSource,
  readSource,
  readSubstack,
} from "../src/core/import-articles/index.js";

/** Largest document read: a WordPress export of many years is tens of megabytes. */
const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;
/** Media copied from beside an export; SVG is left out, since it can carry script. */
const MEDIA = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".mp4", ".webm", ".mp3", ".m4a", ".ogg"]);
/** Absolute paths of a site's own uploads, looked for beside its export. */
const UPLOAD_PATHS = [/^\/wp-content\/uploads\/(.+)$/, /^\/content\/images\/(.+)$/];

export interface ImportArgs {
  source: string;
  out: string;
  public: string;
  dryRun: boolean;
  maxPages: number;
  canonical: boolean;
  ghostUrl: string;
}

export interface ImportReport {
  documents: number;
  created: string[];
  updated: string[];
  unchanged: number;
  images: number;
  problems: string[];
  skipped: string[];
}

class Fatal extends Error {}

/** A path as messages show it: from the project when it is inside, else in full. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function readLocal(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new Fatal(`${path}: no such file`);
  }
  if (size > MAX_DOCUMENT_BYTES) throw new Fatal(`${path}: is ${size} bytes; the limit is ${MAX_DOCUMENT_BYTES}`);
  return readFileSync(path, "utf8");
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    headers: { accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml, */*" },
  });
  if (!res.ok || !res.body) throw new Fatal(`${url}: answered ${res.status} ${res.statusText}`);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (bytes > MAX_DOCUMENT_BYTES) throw new Fatal(`${url}: is over ${MAX_DOCUMENT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A document by its URL (http, https or file), and how to name it in messages. */
async function load(url: URL): Promise<{ text: string; name: string }> {
  if (url.protocol === "file:") {
    const path = fileURLToPath(url);
    return { text: readLocal(path), name: shown(path) };
  }
  if (url.protocol === "http:" || url.protocol === "https:") return { text: await fetchText(url.href), name: url.href };
  throw new Fatal(`${url.href}: only http(s) URLs and files can be read`);
}

/** The feed and its archives, newest document first, at most `maxPages`, never one twice. */
async function readFeedChain(first: URL, args: ImportArgs, report: ImportReport): Promise<ImportedSource[]> {
  const sources: ImportedSource[] = [];
  const seen = new Set<string>();
  let next: URL | null = first;
  let from = "";
  while (next) {
    next.hash = "";
    if (seen.has(next.href)) {
      report.problems.push(
        `${from}: prev-archive: links to ${next.href}, which was already read; the archive stops there`,
      );
      break;
    }
    if (sources.length === args.maxPages) {
      report.problems.push(
        `${from}: prev-archive: more than ${args.maxPages} documents; stopped before ${next.href} (--max-pages)`,
      );
      break;
    }
    seen.add(next.href);
    const { text, name } = await load(next);
    const source = readSource(text, name, { ghostUrl: args.ghostUrl });
    sources.push(source);
    report.documents++;
    from = name;
    const current: URL = next;
    next = null;
    if (source.archive) {
      try {
        // Relative to the document that names it.
        next = new URL(source.archive, current);
      } catch {
        report.problems.push(
          `${name}: prev-archive: "${source.archive.slice(0, 200)}" is not a URL; the archive stops there`,
        );
      }
      // A feed on the web may not send the importer to this machine's files.
      if (next && next.protocol === "file:" && current.protocol !== "file:") {
        report.problems.push(`${name}: prev-archive: ${next.href} is not an http(s) URL; the archive stops there`);
        next = null;
      }
    }
  }
  return sources;
}

function readSubstackExport(csvPath: string): ImportedSource {
  const dir = dirname(csvPath);
  const name = shown(csvPath);
  return readSubstack(readLocal(csvPath), name, (postId) => {
    const path = join(dir, "posts", `${postId}.html`);
    return existsSync(path) && statSync(path).isFile() ? readLocal(path) : null;
  });
}

/**
 * Maps a media URL to a file under public/images/imported/ when the file is beside the export:
 * a path relative to the export, or a site's own upload path (/wp-content/uploads/,
 * /content/images/). Everything else stays as it is. Records the copies to make.
 */
function mediaMapper(exportDir: string | null, publicDir: string, copies: Map<string, string>) {
  return (url: string): string => {
    if (exportDir === null) return url;
    let path: string;
    try {
      if (url.startsWith("/")) path = decodeURIComponent(url.replace(/[?#].*$/s, ""));
      else {
        const parsed = new URL(url);
        const pathname = decodeURIComponent(parsed.pathname);
        const upload = UPLOAD_PATHS.map((p) => p.exec(pathname)).find((m) => m !== null);
        if (!upload) return url;
        const candidates = [pathname, `/uploads/${upload[1]}`, `/images/${upload[1]}`];
        path = candidates.find((c) => existsSync(join(exportDir, c))) ?? pathname;
      }
    } catch {
      return url;
    }
    const file = resolve(exportDir, `.${path}`);
    if (!file.startsWith(`${exportDir}${sep}`) || !MEDIA.has(extname(file).toLowerCase())) return url;
    if (!existsSync(file) || !statSync(file).isFile()) return url;
    const rel = relative(exportDir, file).split(sep);
    const target = join(publicDir, "images", "imported", ...rel);
    copies.set(target, file);
    return `/images/imported/${rel.map(encodeURIComponent).join("/")}`;
  };
}

/** Writes through a temporary file, so a file is never left half-written. */
function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export async function importArticles(args: ImportArgs): Promise<ImportReport> {
  const report: ImportReport = {
    documents: 0,
    created: [],
    updated: [],
    unchanged: 0,
    images: 0,
    problems: [],
    skipped: [],
  };
  const outDir = resolve(args.out);
  const publicDir = resolve(args.public);
  let sources: ImportedSource[];
  let exportDir: string | null = null;
  if (/^https?:\/\//i.test(args.source)) sources = await readFeedChain(new URL(args.source), args, report);
  else {
    const path = resolve(args.source);
    if (!existsSync(path)) throw new Fatal(`${args.source}: no such file or folder`);
    const isDir = statSync(path).isDirectory();
    const csv = isDir ? join(path, "posts.csv") : basename(path) === "posts.csv" ? path : null;
    if (isDir && !existsSync(join(path, "posts.csv"))) {
      throw new Fatal(
        `${args.source}: is a folder without posts.csv; give a feed or export file, or a Substack export`,
      );
    }
    exportDir = isDir ? path : dirname(path);
    if (csv) {
      sources = [readSubstackExport(csv)];
      report.documents++;
    } else sources = await readFeedChain(pathToFileURL(path), args, report);
  }

  const copies = new Map<string, string>();
  const media = mediaMapper(exportDir, publicDir, copies);
  const taken = new Set<string>();
  const written = new Set<string>();
  for (const source of sources) {
    report.problems.push(...source.problems);
    report.skipped.push(...source.skipped);
    for (const item of source.items as ImportedItem[]) {
      const file = convertItem(item, {
        file: source.file,
        media,
        keepCanonical: args.canonical,
        taken,
      });
      if ("problems" in file) {
        report.problems.push(...file.problems);
        continue;
      }
      const path = join(outDir, file.name);
      if (written.has(path)) continue;
      written.add(path);
      const before = existsSync(path) ? readFileSync(path, "utf8") : null;
      if (before === file.text) {
        report.unchanged++;
        continue;
      }
      if (!args.dryRun) writeWhole(path, file.text);
      (before === null ? report.created : report.updated).push(shown(path));
    }
  }
  for (const [target, from] of copies) {
    const same = existsSync(target) && readFileSync(target).equals(readFileSync(from));
    if (same) continue;
    if (!args.dryRun) {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(from, target);
    }
    report.images++;
  }
  return report;
}

function parse(argv: string[]): ImportArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string", default: "content" },
      public: { type: "string", default: "public" },
      "dry-run": { type: "boolean", default: false },
      "max-pages": { type: "string", default: "100" },
      canonical: { type: "boolean", default: false },
      "ghost-url": { type: "string", default: "" },
    },
  });
  if (positionals.length !== 1) {
    throw new Fatal("give one SOURCE: a feed file or URL, a WordPress or Ghost export, or a Substack export folder");
  }
  const maxPages = Number(values["max-pages"]);
  if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > 10_000) {
    throw new Fatal(`--max-pages: must be a whole number from 1 to 10000, not "${values["max-pages"]}"`);
  }
  return {
    source: positionals[0] as string,
    out: values.out,
    public: values.public,
    dryRun: values["dry-run"],
    maxPages,
    canonical: values.canonical,
    ghostUrl: values["ghost-url"].replace(/\/+$/, ""),
  };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const report = await importArticles(args);
  const would = args.dryRun ? " (dry run: nothing written)" : "";
  console.log(
    `import: ${report.documents} document(s); ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged} unchanged, ${report.images} image(s) copied, ${report.skipped.length} skipped, ${report.problems.length} problem(s)${would}`,
  );
  for (const path of report.created) console.log(`  created ${path}`);
  for (const path of report.updated) console.log(`  updated ${path}`);
  for (const line of report.skipped) console.log(`  skipped ${line}`);
  if (report.problems.length > 0) {
    console.error(`import: ${report.problems.length} problem(s); those items were not written:`);
    for (const line of report.problems) console.error(`  ${line}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof Fatal || error instanceof ImportError) console.error(`import: ${error.message}`);
      else console.error(`import failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
