// Content sync planning: from the files under content/ and what the store holds, decide what to
// upsert and delete. Pure; the script in scripts/ does the reading and writing.

import { type Article, articleFromMarkdown, RENDER_VERSION, slugFromPath } from "./article.js";
import { ArticleError } from "./errors.js";

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

export async function planSync(files: ContentFile[], stored: StoredRecord[], siteUrl: string): Promise<SyncPlan> {
  const plan: SyncPlan = { upserts: [], deletions: [], unchanged: 0, errors: [] };
  const bySlug = new Map(stored.map((r) => [r.slug, r]));
  const seen = new Map<string, string>();
  for (const file of files) {
    let article: Article;
    try {
      article = articleFromMarkdown(file.text, { siteUrl, slug: slugFromPath(file.path) });
    } catch (error) {
      if (!(error instanceof ArticleError)) throw error;
      for (const e of error.errors) plan.errors.push(`${file.path}: ${e.field}: ${e.message}`);
      continue;
    }
    const other = seen.get(article.slug);
    if (other) {
      plan.errors.push(`${file.path}: slug: "${article.slug}" is also the slug of ${other}`);
      continue;
    }
    seen.set(article.slug, file.path);
    const record = bySlug.get(article.slug);
    if (record?.source === "api") {
      plan.errors.push(
        `${file.path}: slug: "${article.slug}" belongs to an article published through the API; rename the file or set another slug`,
      );
      continue;
    }
    // SITE_URL is not in it: stored articles are site-relative (see Article), so a sync on another
    // port or origin finds nothing to do.
    const hash = await sha256(`${RENDER_VERSION}\n${file.path}\n${file.text}`);
    if (record?.sourceHash === hash) plan.unchanged++;
    else plan.upserts.push({ article, path: file.path, hash });
  }
  for (const record of stored) {
    if (record.source === "file" && !seen.has(record.slug)) plan.deletions.push(record.slug);
  }
  if (plan.errors.length > 0) {
    plan.upserts = [];
    plan.deletions = [];
  }
  return plan;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
