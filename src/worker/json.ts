// The JSON API's article shape (PRODUCT.md, "HTTP surface"): dates in RFC 3339.

import { formatInstant } from "../core/dates.js";
import type { StoredArticle } from "./store.js";

export function jsonItem(a: StoredArticle) {
  return {
    slug: a.slug,
    title: a.title,
    url: a.url,
    date: formatInstant(a.publishedAt),
    updated: a.updatedAt === null ? null : formatInstant(a.updatedAt),
    authors: a.authors.map(({ name, email, url }) => ({ name, ...(email ? { email } : {}), ...(url ? { url } : {}) })),
    tags: a.tags.map(({ name, slug }) => ({ name, slug })),
    summary: a.summary,
    image: a.image?.url ?? null,
    content_html: a.contentHtml,
  };
}
