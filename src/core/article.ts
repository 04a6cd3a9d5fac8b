// One article from input to what is stored: validate, render Markdown, sanitize, absolutize URLs.
// Pure: the site URL and options are arguments; runs in Node (content sync) and in the Worker (API).

import * as v from "valibot";
import { parseInstant } from "./dates.js";
import { ArticleError, type FieldError } from "./errors.js";
import { splitFrontMatter } from "./frontmatter.js";
import { markdownToHtml } from "./markdown.js";
import { htmlToText, sanitizeHtml } from "./sanitize.js";
import { ArticleJsonSchema, type FrontMatter, FrontMatterSchema } from "./schema.js";
import { slugify } from "./slug.js";
import { cleanText, SITE_MARK, truncateWords } from "./text.js";

export interface Author {
  name: string;
  slug: string;
  email?: string;
  url?: string;
}

export interface Tag {
  name: string;
  slug: string;
}

export interface ArticleImage {
  url: string;
  alt: string;
  /** Pixel size when known (given with the image, or read from a local file by content sync). */
  width: number | null;
  height: number | null;
  /** The file's length in bytes, when it is a file under public/ (read by content sync). */
  bytes?: number;
}

/**
 * An article as stored. Every URL on this site (the default `url`, a local image, links in the
 * content) is written site-relative, SITE_MARK and its path, so what is stored does not depend
 * on SITE_URL or the port a dev server ran on; `served` writes SITE_URL back in.
 */
export interface Article {
  slug: string;
  title: string;
  /** Canonical URL: the `url` field, or SITE_URL/articles/<slug>. */
  url: string;
  publishedAt: number;
  updatedAt: number | null;
  /** Plain text. */
  summary: string;
  image: ArticleImage | null;
  lang: string | null;
  draft: boolean;
  authors: Author[];
  tags: Tag[];
  /** Sanitized HTML with absolute URLs: served as stored. */
  contentHtml: string;
  /** Old paths on this site that redirect here (front matter `aliases`); absent when none. */
  aliases?: string[];
}

export interface BuildOptions {
  /** Origin of the site, without a trailing slash ("https://news.example.com"). */
  siteUrl: string;
  /** Slug to use when the input names none (from the file name or the request URL). */
  slug?: string;
  iframeHosts?: readonly string[];
}

/**
 * Bump when rendering or sanitizing changes, so content sync renders every file again. 5: the
 * next sync writes every file once more, so local images get their length in bytes (migration 0014).
 */
export const RENDER_VERSION = 5;

/** D1 stores rows of up to 2 MB; leave room for the other columns and for the JSON Feed item. */
export const MAX_CONTENT_BYTES = 1_600_000;
const SUMMARY_LENGTH = 280;

/** A content file or a `text/markdown` request body: YAML front matter, then Markdown. */
export function articleFromMarkdown(text: string, options: BuildOptions): Article {
  const document = splitFrontMatter(text);
  const fields = validate(FrontMatterSchema, document.fields);
  return build(fields, { markdown: document.body }, options);
}

/** A JSON request body: the front-matter fields plus `markdown` or `html`. */
export function articleFromJson(data: unknown, options: BuildOptions): Article {
  const { markdown, html, content_html, ...fields } = validate(ArticleJsonSchema, data);
  const bodies = [markdown, html, content_html].filter((b) => b != null);
  if (bodies.length !== 1) {
    throw new ArticleError([{ field: "markdown", message: 'give the body as exactly one of "markdown" or "html"' }]);
  }
  return build(fields, markdown != null ? { markdown } : { html: (html ?? content_html) as string }, options);
}

/** The slug a content file gets by default: its name, less ".md" and any "YYYY-MM-DD-" prefix. */
export function slugFromPath(path: string): string {
  const name = path.split("/").pop() ?? path;
  return slugify(name.replace(/\.(md|markdown)$/i, "").replace(/^\d{4}-\d{2}-\d{2}-/, ""));
}

function validate<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ArticleError(
    result.issues.map((issue) => ({ field: v.getDotPath(issue) ?? "(document)", message: issue.message })),
  );
}

function build(fields: FrontMatter, body: { markdown: string } | { html: string }, options: BuildOptions): Article {
  const errors: FieldError[] = [];
  const slug = fields.slug ?? options.slug ?? slugify(fields.title);
  // Relative links and images resolve against this site, even when the canonical URL is elsewhere.
  const onSite = `${options.siteUrl}/articles/${slug}`;
  const url = siteRelative(fields.url ?? onSite, options.siteUrl);
  const publishedAt = parseInstant(fields.date) as number;
  const updatedAt = fields.updated ? (parseInstant(fields.updated) as number) : null;
  if (updatedAt !== null && updatedAt < publishedAt) {
    errors.push({ field: "updated", message: "must not be earlier than date" });
  }

  const rawHtml = "markdown" in body ? markdownToHtml(cleanText(body.markdown)) : body.html;
  const contentHtml = sanitizeHtml(rawHtml, {
    baseUrl: onSite,
    siteOrigin: options.siteUrl,
    iframeHosts: options.iframeHosts ?? [],
    field: "markdown" in body ? "markdown" : "html",
  });
  const bytes = new TextEncoder().encode(contentHtml).length;
  if (bytes > MAX_CONTENT_BYTES) {
    errors.push({
      field: "markdown" in body ? "markdown" : "html",
      message: `renders to ${bytes} bytes of HTML; the limit is ${MAX_CONTENT_BYTES}`,
      tooLarge: true,
    });
  }

  let image: Article["image"] = null;
  if (fields.image) {
    const imageUrl = absoluteHttpUrl(fields.image.url, onSite);
    const { width = null, height = null } = fields.image;
    if (!imageUrl)
      errors.push({ field: "image", message: "must be an http(s) URL, absolute or relative to this site" });
    else if ((width === null) !== (height === null)) {
      errors.push({
        field: width === null ? "image.width" : "image.height",
        message: "give both width and height, or neither",
      });
    } else image = { url: siteRelative(imageUrl, options.siteUrl), alt: fields.image.alt ?? "", width, height };
  }
  if (errors.length > 0) throw new ArticleError(errors);

  return {
    slug,
    title: fields.title,
    url,
    publishedAt,
    updatedAt,
    summary: fields.summary ?? truncateWords(htmlToText(contentHtml), SUMMARY_LENGTH),
    image,
    lang: fields.lang ?? null,
    draft: fields.draft ?? false,
    authors: uniqueBySlug(
      (fields.authors ?? []).map((a) =>
        person({ ...a, url: a.url ? siteRelative(a.url, options.siteUrl) : a.url, slug: slugify(a.name) }),
      ),
    ),
    tags: uniqueBySlug((fields.tags ?? []).map((t) => ({ name: t.name, slug: slugify(t.name) }))),
    contentHtml,
    ...withAliases(fields.aliases ?? []),
  };
}

/** The aliases field of an article: distinct paths in the order given, absent when there are none. */
export function withAliases(paths: readonly string[]): { aliases?: string[] } {
  const aliases = [...new Set(paths)];
  return aliases.length > 0 ? { aliases } : {};
}

function absoluteHttpUrl(value: string, base: string): string | null {
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function uniqueBySlug<T extends { slug: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.slug) && seen.add(item.slug));
}

/** A person with only the fields that are set: the one shape every output uses. */
export function person<T extends { name: string; email?: string | null; url?: string | null }>(
  p: T,
): Omit<T, "email" | "url"> & { email?: string; url?: string } {
  const { email, url, ...rest } = p;
  return { ...rest, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

/** An absolute URL on this site, site-relative as stored; other URLs unchanged. */
function siteRelative(href: string, siteUrl: string): string {
  return href.startsWith(`${siteUrl}/`) ? `${SITE_MARK}${href.slice(siteUrl.length)}` : href;
}

const withSite = (text: string, siteUrl: string) =>
  text.includes(SITE_MARK) ? text.replaceAll(SITE_MARK, siteUrl) : text;

/** The article as served: SITE_URL written back wherever the stored form has SITE_MARK. */
export function served<A extends Article>(article: A, siteUrl: string): A {
  return {
    ...article,
    url: withSite(article.url, siteUrl),
    image: article.image ? { ...article.image, url: withSite(article.image.url, siteUrl) } : null,
    authors: article.authors.map((a) => (a.url ? { ...a, url: withSite(a.url, siteUrl) } : a)),
    contentHtml: withSite(article.contentHtml, siteUrl),
  };
}

/** The newest publish or update time among articles (Last-Modified); 0 when there are none. */
export function newestChangeOf(articles: readonly Pick<Article, "publishedAt" | "updatedAt">[]): number {
  let newest = 0;
  for (const a of articles) newest = Math.max(newest, a.publishedAt, a.updatedAt ?? 0);
  return newest;
}
