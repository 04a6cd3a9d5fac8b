// Content sync planning: from the files under content/ and what the store holds, decide what to
// upsert and delete. Pure; the script in scripts/ does the reading and writing.
//
// Linear in the number of files: every lookup is a Map, and a file whose path and hash match the
// stored record is not parsed at all (its text is what was validated and stored before), so a
// start with nothing changed costs one hash per file. The parse of the other files can be handed
// to the caller (threads in the sync script); the plan is still assembled in the files' order.

import { type Article, articleFromMarkdown, RENDER_VERSION, slugFromPath } from "./article.js";
import { ArticleError, type FieldError } from "./errors.js";
import { imageSize } from "./image-size.js";
import { SITE_MARK } from "./text.js";

export interface ContentFile {
  /** Path as the publisher sees it, e.g. "content/2022-01-10-tokayev-csto-summit.md". */
  path: string;
  text: string;
}

/** What the store holds for one article, whatever its source. */
export interface StoredRecord {
  slug: string;
  source: "api" | "file";
  sourcePath: string | null;
  sourceHash: string | null;
}

export interface SyncPlan {
  upserts: { article: Article; path: string; hash: string }[];
  deletions: string[];
  unchanged: number;
  /** One line per problem, each starting with the file's path. Non-empty means: write nothing. */
  errors: string[];
}

/**
 * SHA-256 of a text's UTF-8 bytes in lowercase hex. The default is WebCrypto's; the sync script
 * passes Node's synchronous one, which gives the same digest for a fraction of the cost per file.
 */
export type Sha256Hex = (text: string) => string | Promise<string>;

/** One content file parsed: its article, or every problem found in it. */
export type ParsedFile = { article: Article } | { errors: FieldError[] };

export interface PlanOptions {
  hash?: Sha256Hex;
  /**
   * Parses the files that need it and returns their results in the same order. By default one
   * after another with parseContentFile; the sync script spreads them over threads.
   */
  parse?: (files: ContentFile[]) => Promise<ParsedFile[]>;
}

/** Parses and renders one content file; an invalid file gives its field errors, not a throw. */
export function parseContentFile(file: ContentFile, siteUrl: string): ParsedFile {
  try {
    return { article: articleFromMarkdown(file.text, { siteUrl, slug: slugFromPath(file.path) }) };
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    return { errors: error.errors };
  }
}

export async function planSync(
  files: ContentFile[],
  stored: StoredRecord[],
  siteUrl: string,
  options: PlanOptions = {},
): Promise<SyncPlan> {
  const hashOf = options.hash ?? sha256;
  const parse = options.parse ?? (async (list: ContentFile[]) => list.map((f) => parseContentFile(f, siteUrl)));
  const plan: SyncPlan = { upserts: [], deletions: [], unchanged: 0, errors: [] };
  const bySlug = new Map(stored.map((r) => [r.slug, r]));
  const byPath = new Map<string, StoredRecord>();
  for (const r of stored) if (r.source === "file" && r.sourcePath !== null) byPath.set(r.sourcePath, r);

  // First every file's hash: a file whose path and hash match its record is not parsed at all.
  // SITE_URL is not in it: stored articles are site-relative (see Article), so a sync on another
  // port or origin finds nothing to do.
  const hashes: string[] = [];
  const changed: ContentFile[] = [];
  for (const file of files) {
    const hash = await hashOf(`${RENDER_VERSION}\n${file.path}\n${file.text}`);
    hashes.push(hash);
    if (byPath.get(file.path)?.sourceHash !== hash) changed.push(file);
  }
  const parsed = await parse(changed);
  if (parsed.length !== changed.length) throw new Error(`parsed ${parsed.length} of ${changed.length} files`);

  // Then the plan, in the order of the files, so its errors and writes do not depend on the parse.
  const seen = new Map<string, string>();
  const claim = (slug: string, path: string): boolean => {
    const other = seen.get(slug);
    if (other !== undefined) {
      plan.errors.push(`${path}: slug: "${slug}" is also the slug of ${other}`);
      return false;
    }
    seen.set(slug, path);
    return true;
  };
  let next = 0;
  for (const [i, file] of files.entries()) {
    const hash = hashes[i] as string;
    const known = byPath.get(file.path);
    if (known?.sourceHash === hash) {
      if (claim(known.slug, file.path)) plan.unchanged++;
      continue;
    }
    const result = parsed[next++] as ParsedFile;
    if ("errors" in result) {
      for (const e of result.errors) plan.errors.push(`${file.path}: ${e.field}: ${e.message}`);
      continue;
    }
    const { article } = result;
    if (!claim(article.slug, file.path)) continue;
    const record = bySlug.get(article.slug);
    if (record?.source === "api") {
      plan.errors.push(claimedMessage(file.path, article.slug));
      continue;
    }
    if (record?.sourceHash === hash) plan.unchanged++;
    else plan.upserts.push({ article, path: file.path, hash });
  }
  for (const record of stored) {
    if (record.source === "file" && !seen.has(record.slug)) plan.deletions.push(record.slug);
  }
  return settle(plan);
}

/**
 * Refuses the planned upserts whose slug an API article holds. For callers that read only the
 * file-sourced records and then ask the store about the few slugs they would write.
 */
export function refuseClaimed(plan: SyncPlan, claimed: ReadonlySet<string>): SyncPlan {
  if (claimed.size === 0) return plan;
  const errors = [...plan.errors];
  for (const u of plan.upserts) {
    if (claimed.has(u.article.slug)) errors.push(claimedMessage(u.path, u.article.slug));
  }
  return settle({ ...plan, errors });
}

function claimedMessage(path: string, slug: string): string {
  return `${path}: slug: "${slug}" belongs to an article published through the API; rename the file or set another slug`;
}

function settle(plan: SyncPlan): SyncPlan {
  return plan.errors.length > 0 ? { ...plan, upserts: [], deletions: [] } : plan;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The file under public/ an article's image is served from, when it is on this site
 * ("images/a.png"); null otherwise, or when the path leaves public/.
 */
export function localImageFile(article: Article): string | null {
  const url = article.image?.url;
  if (!url?.startsWith(`${SITE_MARK}/`)) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.slice(SITE_MARK.length + 1).replace(/[?#].*$/s, ""));
  } catch {
    return null;
  }
  const segments = path.split("/");
  if (path === "" || segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\"))) return null;
  return path;
}

/**
 * The article with what its image's file tells: the file's length (the RSS enclosure's), and the
 * pixel size from its header when the article gives none and the header can be read.
 */
export function withImageFile(article: Article, file: { header: Uint8Array; bytes: number }): Article {
  if (!article.image) return article;
  const size = article.image.width === null ? imageSize(file.header) : null;
  return {
    ...article,
    image: { ...article.image, ...(size ? { width: size.width, height: size.height } : {}), bytes: file.bytes },
  };
}
