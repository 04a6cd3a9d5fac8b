// One imported item to one content file: front matter (the fields docs/publishing.md lists, plus
// `aliases` for the old paths) and a Markdown body made from the sanitized HTML. The file is
// checked with the same parser the content sync uses, so what is written will sync; an item that
// would not is reported with its field and not written. The file name comes from the date and
// slug, so importing the same item again finds the same file.

import { stringify } from "yaml";
import { aliasPath } from "../aliases.js";
import { articleFromMarkdown } from "../article.js";
import { ArticleError } from "../errors.js";
import { canonicalLocale } from "../intl.js";
import { sanitizeHtml } from "../sanitize.js";
import { isSlug, slugify } from "../slug.js";
import { SITE_MARK } from "../text.js";
import { htmlToMarkdown, type MapMediaUrl } from "./markdown.js";
import type { ImportedItem } from "./model.js";

/**
 * Stands for this site while converting: a relative link with no source page to resolve against
 * is written site-relative ("/about"), and so is an image copied into public/.
 */
const HERE = "https://import.invalid";

export interface ConvertOptions {
  /** The file the item came from, named in problems. */
  file: string;
  /**
   * Where a media URL (img, source, video, the image field) goes: a site path under public/ for a
   * file found beside the export, or the URL unchanged. Site-relative paths ("/images/a.png") are
   * references relative to the export; absolute URLs are the source's.
   */
  media?: (url: string) => string;
  /** Keep the source's address as the canonical URL of every article (the articles stay there). */
  keepCanonical?: boolean;
  /** Slugs already taken in this import: a second item with one gets "-2", "-3"... */
  taken: Set<string>;
}

export interface ContentFileOut {
  /** "2022-01-10-night-buses.md" */
  name: string;
  text: string;
  slug: string;
}

function absolute(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function slugOf(item: ImportedItem): string {
  if (item.slug) {
    const given = item.slug.toLowerCase();
    if (isSlug(given)) return given;
    const derived = slugify(item.slug);
    if (isSlug(derived)) return derived;
  }
  const link = absolute(item.link);
  const last = link
    ? new URL(link).pathname
        .split("/")
        .filter((s) => s !== "")
        .pop()
    : undefined;
  const fromLink = last ? slugify(decodeSafe(last).replace(/\.[a-z0-9]+$/i, "")) : "";
  return isSlug(fromLink) ? fromLink : slugify(item.title);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unique(slug: string, taken: Set<string>): string {
  let candidate = slug;
  for (let n = 2; taken.has(candidate); n++) candidate = `${slug.slice(0, 95)}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** A content file for the item, or the problems that keep it from being one. */
export function convertItem(item: ImportedItem, options: ConvertOptions): ContentFileOut | { problems: string[] } {
  const where = `${options.file}: ${item.label}`;
  const link = absolute(item.link);
  const media: MapMediaUrl = (url) => {
    const local = url.startsWith(SITE_MARK) ? url.slice(SITE_MARK.length) : url;
    const mapped = options.media ? options.media(local) : local;
    return mapped.startsWith("/") ? `${SITE_MARK}${mapped}` : mapped;
  };
  let body: string;
  try {
    const clean = sanitizeHtml(item.html, { baseUrl: link ?? `${HERE}/`, siteOrigin: HERE, field: item.htmlField });
    body = htmlToMarkdown(clean, media).replaceAll(SITE_MARK, "");
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    return { problems: error.errors.map((e) => `${where}: ${item.htmlField}: ${e.message}`) };
  }
  if (item.summaryOnly && link) {
    const host = new URL(link).host;
    body = `${body}${body === "" ? "" : "\n"}[Continue reading at ${host}](${link})\n`;
  }

  const slug = unique(slugOf(item), options.taken);
  const canonical = absolute(item.canonical) ?? (item.summaryOnly || options.keepCanonical ? link : undefined);
  const aliases = [item.link]
    .filter((l): l is string => l !== undefined)
    .map((l) => {
      try {
        return aliasPath(new URL(l, `${HERE}/`).pathname);
      } catch {
        return null;
      }
    })
    .filter((p): p is string => p !== null && p !== `/articles/${slug}`);
  const image = item.image ? imageField(item.image, link, media) : undefined;
  const lang = item.lang ? canonicalLocale(item.lang) : null;

  const fields: Record<string, unknown> = {
    title: item.title,
    date: item.date,
    ...(item.updated ? { updated: item.updated } : {}),
    slug,
    ...(item.authors.length > 0 ? { authors: item.authors.map(person) } : {}),
    ...(item.tags.length > 0 ? { tags: [...new Set(item.tags)] } : {}),
    ...(item.summary ? { summary: item.summary } : {}),
    ...(image ? { image } : {}),
    ...(canonical ? { url: canonical } : {}),
    ...(lang ? { lang } : {}),
    ...(item.draft ? { draft: true } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
  };
  const note = item.summaryOnly
    ? "# Imported from a feed that carries only a summary of this article: the body is that summary.\n"
    : "";
  const text = `---\n${note}${stringify(fields, { lineWidth: 0 })}---\n\n${body}`;
  try {
    articleFromMarkdown(text, { siteUrl: HERE, slug });
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    options.taken.delete(slug);
    return { problems: error.errors.map((e) => `${where}: ${sourceField(e.field, item)}: ${e.message}`) };
  }
  return { name: `${item.date.slice(0, 10)}-${slug}.md`, text, slug };
}

/** The front-matter field a problem names, as the source calls it where that differs. */
function sourceField(field: string, item: ImportedItem): string {
  return field === "markdown" ? item.htmlField : field;
}

function person(p: ImportedItem["authors"][number]): string | Record<string, string> {
  const email = p.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email) ? p.email : undefined;
  const url = absolute(p.url);
  return email || url ? { name: p.name, ...(email ? { email } : {}), ...(url ? { url } : {}) } : p.name;
}

function imageField(
  image: NonNullable<ImportedItem["image"]>,
  base: string | undefined,
  media: MapMediaUrl,
): string | { url: string; alt: string } | undefined {
  let url: string;
  try {
    url = new URL(image.url, base ?? `${HERE}/`).href;
  } catch {
    return undefined;
  }
  const mapped = media(url.startsWith(`${HERE}/`) ? `${SITE_MARK}${url.slice(HERE.length)}` : url).replaceAll(
    SITE_MARK,
    "",
  );
  return image.alt ? { url: mapped, alt: image.alt } : mapped;
}
