// The JSON API's article shape: dates in RFC 3339. It carries every field an article is written
// with, so a GET response sent back with PUT changes nothing.

import { type Article, person } from "./article.js";
import { formatInstant } from "./dates.js";

export function apiItem(a: Article) {
  return {
    slug: a.slug,
    title: a.title,
    url: a.url,
    date: formatInstant(a.publishedAt),
    updated: a.updatedAt === null ? null : formatInstant(a.updatedAt),
    authors: a.authors.map(({ name, email, url }) => person({ name, email, url })),
    tags: a.tags.map(({ name, slug }) => ({ name, slug })),
    summary: a.summary,
    image: a.image ? { url: a.image.url, alt: a.image.alt, width: a.image.width, height: a.image.height } : null,
    lang: a.lang,
    draft: a.draft,
    content_html: a.contentHtml,
    ...(a.aliases ? { aliases: a.aliases } : {}),
  };
}
