// `npm run export -- DIR [--remote]`: writes every article as a content file with front matter
// (DIR/content/…, which `npm run content:sync -- --content DIR/content` loads back to the same
// rows; see core/article-export.ts) and the subscribers with the suppressions (DIR/subscribers.json,
// as GET /api/subscribers/export?format=json gives them).
//
// Local (the default): read from the local D1 `wrangler dev` uses, drafts and scheduled articles
// included. --remote: read from the deployed site through its API (SITE_URL and ADMIN_TOKEN from
// the environment), following `next` links (`--limit` articles a page, 100 by default); the
// public API shows only published articles.

import { createWriteStream } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { type Article, withAliases } from "../src/core/article.js";
import { articleFile } from "../src/core/article-export.js";
import { parseSiteConfig } from "../src/core/config.js";
import { parseInstant } from "../src/core/dates.js";
import { isSlug } from "../src/core/slug.js";
import { EXPORT_LISTS, exportJson, jsonDocument, keysetPages, textStream } from "../src/worker/export.js";
import { ArticleExport } from "../src/worker/store/article-export.js";
import { SubscriberExport } from "../src/worker/store/subscriber-export.js";
import { openLocalD1 } from "./local-d1.js";

/** Articles read a page: with their HTML, up to 1.6 MB each, so not many. */
const ARTICLE_PAGE = 50;
/** Subscribers a request of the remote export: a page that fits the Free plan's 10 ms of CPU. */
const SUBSCRIBER_PAGE = 1000;

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    remote: { type: "boolean", default: false },
    config: { type: "string", default: "wrangler.toml" },
    "persist-to": { type: "string" },
    "site-url": { type: "string" },
    limit: { type: "string", default: "100" },
  },
});

class UsageError extends Error {}

/** Where each article's file goes: a file article's own path under content/, else its slug. */
function fileName(article: Article & { sourcePath?: string | null }, taken: Set<string>): string {
  const path = article.sourcePath ?? "";
  // Only a plain path under content/ is kept: nothing may land outside DIR/content.
  const own = /^content\/(?:[^/.][^/]*\/)*[^/.][^/]*\.md$/.test(path) ? path.slice("content/".length) : null;
  // A slug from the API is lower-case words and "-": checked, so no file lands outside DIR/content.
  if (own === null && !isSlug(article.slug)) {
    throw new Error(`the site gave an article with the slug "${article.slug.slice(0, 100)}", which is not a slug`);
  }
  let name = own ?? `${article.slug}.md`;
  if (taken.has(name)) name = `${article.slug}.${taken.size}.md`;
  taken.add(name);
  return name;
}

async function writeArticles(dir: string, articles: AsyncIterable<Article[]>, siteUrl: string): Promise<number> {
  const taken = new Set<string>();
  let written = 0;
  for await (const page of articles) {
    for (const article of page) {
      const path = join(dir, "content", fileName(article, taken));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, articleFile(article, siteUrl));
      written++;
    }
  }
  return written;
}

async function writeStream(path: string, body: ReadableStream<Uint8Array>): Promise<void> {
  await body.pipeTo(Writable.toWeb(createWriteStream(path)));
}

async function exportLocal(dir: string): Promise<number> {
  const config = resolve(args.config);
  const persist = args["persist-to"] ? resolve(args["persist-to"]) : join(dirname(config), ".wrangler/state");
  const d1 = await openLocalD1(config, persist);
  try {
    const { siteUrl } = parseSiteConfig({ ...d1.env, ...(args["site-url"] ? { SITE_URL: args["site-url"] } : {}) });
    const store = new ArticleExport(d1.db);
    const count = await writeArticles(
      dir,
      keysetPages(0, (after) => store.page(after, ARTICLE_PAGE)),
      siteUrl,
    );
    await writeStream(join(dir, "subscribers.json"), textStream(exportJson(new SubscriberExport(d1.db), EXPORT_LISTS)));
    return count;
  } finally {
    await d1.dispose();
  }
}

interface ApiItem {
  slug: string;
  title: string;
  url: string;
  date: string;
  updated: string | null;
  authors: { name: string; email?: string; url?: string }[];
  tags: { name: string; slug: string }[];
  summary: string;
  image: { url: string; alt: string; width: number | null; height: number | null } | null;
  lang: string | null;
  draft: boolean;
  content_html: string;
  aliases?: string[];
}

/** An item of GET /api/articles as the article it was served from (site URLs absolute). */
const fromApi = (item: ApiItem): Article => ({
  slug: item.slug,
  title: item.title,
  url: item.url,
  publishedAt: parseInstant(item.date) ?? Number.NaN,
  updatedAt: item.updated === null ? null : (parseInstant(item.updated) ?? Number.NaN),
  summary: item.summary,
  image: item.image,
  lang: item.lang,
  draft: item.draft,
  authors: item.authors.map((a) => ({ ...a, slug: "" })),
  tags: item.tags,
  contentHtml: item.content_html,
  ...withAliases(item.aliases ?? []),
});

interface Remote {
  siteUrl: string;
  token: string;
  limit: number;
}

/** --remote's settings, checked before anything is written. */
function remoteSettings(): Remote {
  const siteUrl = (process.env.SITE_URL ?? "").replace(/\/+$/, "");
  const token = process.env.ADMIN_TOKEN ?? "";
  if (!/^https?:\/\//.test(siteUrl)) throw new UsageError("--remote needs SITE_URL (https://…) in the environment");
  if (token === "") throw new UsageError("--remote needs ADMIN_TOKEN in the environment");
  const limit = Number(args.limit);
  if (!/^\d{1,3}$/.test(args.limit) || limit < 1 || limit > 100) {
    throw new UsageError(`--limit: must be a whole number of articles from 1 to 100, not "${args.limit}"`);
  }
  return { siteUrl, token, limit };
}

async function exportRemote(dir: string, { siteUrl, token, limit }: Remote): Promise<number> {
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res;
  };
  async function* pages(): AsyncGenerator<Article[]> {
    let next: string | null = `${siteUrl}/api/articles?limit=${limit}`;
    while (next !== null) {
      const body = (await (await get(next)).json()) as { items: ApiItem[]; next: string | null };
      yield body.items.map(fromApi);
      next = body.next;
    }
  }
  const count = await writeArticles(dir, pages(), siteUrl);
  // The subscriber export a page a request, each within a Worker's CPU budget, in the same file
  // as the local export writes.
  async function* records(list: string): AsyncGenerator<string[]> {
    let next: string | null = `${siteUrl}/api/subscribers/export?format=json&list=${list}&limit=${SUBSCRIBER_PAGE}`;
    while (next !== null) {
      const body = (await (await get(next, { authorization: `Bearer ${token}` })).json()) as Record<string, unknown>;
      yield ((body[list] ?? []) as unknown[]).map((record) => JSON.stringify(record));
      next = typeof body.next === "string" ? body.next : null;
    }
  }
  await writeStream(
    join(dir, "subscribers.json"),
    textStream(jsonDocument(EXPORT_LISTS.map((list) => [list, records(list)] as const))),
  );
  return count;
}

async function main(): Promise<number> {
  const [target, ...rest] = positionals;
  if (target === undefined || rest.length > 0) throw new UsageError("usage: npm run export -- DIR [--remote]");
  const remote = args.remote ? remoteSettings() : null;
  const dir = resolve(target);
  // Files left from another export would be loaded back with this one's.
  if ((await readdir(dir).catch(() => [])).length > 0) {
    throw new UsageError(`${dir} is not empty: export into a new directory`);
  }
  await mkdir(dir, { recursive: true });
  const count = remote ? await exportRemote(dir, remote) : await exportLocal(dir);
  console.log(
    `export: ${count} article(s) in ${join(dir, "content")}, subscribers in ${join(dir, "subscribers.json")}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`export failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
