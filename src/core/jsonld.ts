// Structured data for search engines (schema.org in JSON-LD): NewsArticle on article pages,
// WebSite on the home page, and the one safe way to put either inside an HTML <script> element.

import { formatInstant } from "./dates.js";

/** Google's article guidelines long showed headlines cut at 110 characters; longer ones are cut here. */
export const HEADLINE_LENGTH = 110;

export interface JsonLdImage {
  url: string;
  width?: number | null;
  height?: number | null;
}

export interface JsonLdArticle {
  title: string;
  summary: string;
  /** The article's canonical URL (this site's page, or where it lives elsewhere). */
  url: string;
  /** This site's page for it. */
  pageUrl: string;
  publishedAt: number;
  updatedAt: number | null;
  lang: string;
  image: JsonLdImage | null;
  authors: { name: string; slug: string; url?: string }[];
  tags: { name: string }[];
}

export interface JsonLdSite {
  siteUrl: string;
  siteTitle: string;
  siteDescription: string;
  siteLanguage: string;
}

type Node = Record<string, unknown>;

function imageObject(image: JsonLdImage): Node {
  const node: Node = { "@type": "ImageObject", url: image.url };
  // Both or neither: a size with one side known tells a renderer nothing.
  if (image.width && image.height) {
    node.width = image.width;
    node.height = image.height;
  }
  return node;
}

/** At most HEADLINE_LENGTH characters (code points, so an emoji is never cut in half). */
export function headline(title: string): string {
  const chars = Array.from(title);
  if (chars.length <= HEADLINE_LENGTH) return title;
  const cut = chars.slice(0, HEADLINE_LENGTH - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/u, "")}…`;
}

/** NewsArticle with the properties Google's article rich results read. */
export function newsArticle(a: JsonLdArticle, site: JsonLdSite): Node {
  const short = headline(a.title);
  const node: Node = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: short,
    ...(short !== a.title ? { alternativeHeadline: a.title } : {}),
    description: a.summary,
    url: a.url,
    mainEntityOfPage: { "@type": "WebPage", "@id": a.pageUrl, url: a.pageUrl },
    datePublished: formatInstant(a.publishedAt),
    // Google asks for dateModified on every article: the publish time when it was never updated.
    dateModified: formatInstant(a.updatedAt ?? a.publishedAt),
    inLanguage: a.lang,
    author: a.authors.map((p) => ({
      "@type": "Person",
      name: p.name,
      url: p.url ?? `${site.siteUrl}/authors/${p.slug}`,
    })),
    publisher: publisher(site),
  };
  if (a.image) node.image = [imageObject(a.image)];
  if (a.tags.length > 0) {
    node.articleSection = a.tags[0]?.name;
    node.keywords = a.tags.map((t) => t.name);
  }
  return node;
}

function publisher(site: JsonLdSite): Node {
  return {
    "@type": "NewsMediaOrganization",
    name: site.siteTitle,
    url: `${site.siteUrl}/`,
    logo: imageObject({ url: `${site.siteUrl}/icon.png`, width: 512, height: 512 }),
  };
}

/** WebSite for the home page: the site's name, address and language. */
export function webSite(site: JsonLdSite): Node {
  return {
    "@context": "https://schema.org",
    "@type": "WebSite",
    name: site.siteTitle,
    description: site.siteDescription,
    url: `${site.siteUrl}/`,
    inLanguage: site.siteLanguage,
    publisher: publisher(site),
  };
}

/**
 * JSON for a <script type="application/ld+json"> element. A script element's text ends at the
 * first "</script" whatever it is inside, and "<!--" changes how it is parsed (HTML 4.12.1.3):
 * every "<" is written as \u003c, which JSON reads back as the same character. ">" and "&" are
 * escaped too, and U+2028/U+2029, so the text is safe wherever it is pasted.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
