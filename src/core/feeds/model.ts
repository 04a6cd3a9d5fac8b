// One feed model for every format: what a feed says, independent of how it is written.

import { type Article, person } from "../article.js";

export interface FeedPerson {
  name: string;
  email?: string;
  url?: string;
}

export interface FeedItem {
  /** Permanent id: the article's URL on this site, even when its canonical URL is elsewhere. */
  id: string;
  url: string;
  title: string;
  /** Plain text. */
  summary: string;
  contentHtml: string;
  published: number;
  updated: number;
  authors: FeedPerson[];
  tags: { name: string; slug: string }[];
  /** bytes: the file's length, when known (a local image content sync read). */
  image: { url: string; alt: string; type: string | null; bytes: number | null } | null;
  lang: string | null;
}

/** RFC 5005 names the link to newer items "previous" (the validator does not know "prev"). */
export const PAGING_RELS = [
  ["first", "first"],
  ["next", "next"],
  ["prev", "previous"],
] as const;

export interface FeedLinks {
  /** The URL served, query included: atom:link rel="self". */
  self: string;
  /** RFC 5005 paging, in the same format. */
  first: string;
  next: string | null;
  prev: string | null;
  /** The WebSub hub (rel="hub"), when WEBSUB_HUB is set and this URL is a topic it is told about. */
  hub?: string;
}

export interface Feed {
  /** Permanent id of the feed (its first page's URL in this format). */
  id: string;
  title: string;
  description: string;
  language: string;
  /** The HTML page the feed mirrors. */
  homeUrl: string;
  /** Base of tag URLs: category domain/scheme. */
  tagsUrl: string;
  iconUrl: string;
  faviconUrl: string;
  generator: string;
  /** Minutes a reader may wait between polls (RSS ttl). */
  ttl: number;
  /** Newest change among the items; never "now", so output is byte-stable. */
  updated: number;
  links: FeedLinks;
  items: FeedItem[];
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
};

export function imageType(url: string): string | null {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) ?? null;
}

export function feedItem(article: Article, siteUrl: string): FeedItem {
  return {
    id: `${siteUrl}/articles/${article.slug}`,
    url: article.url,
    title: article.title,
    summary: article.summary,
    contentHtml: article.contentHtml,
    published: article.publishedAt,
    updated: article.updatedAt ?? article.publishedAt,
    authors: article.authors.map(({ name, email, url }) => person({ name, email, url })),
    tags: article.tags,
    image: article.image
      ? {
          url: article.image.url,
          alt: article.image.alt,
          type: imageType(article.image.url),
          bytes: article.image.bytes ?? null,
        }
      : null,
    lang: article.lang,
  };
}

/** The newest publish or update time among the items; the epoch for an empty feed. */
export function newestChange(items: FeedItem[]): number {
  return items.reduce((max, item) => Math.max(max, item.updated, item.published), 0);
}
