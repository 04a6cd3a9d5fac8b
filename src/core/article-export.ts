// One article as a content file (`npm run export`): YAML front matter and a body that content
// sync renders back to the same stored row. Every front-matter field is written from
// ARTICLE_FIELDS, so a field added to the article model is one line there.
//
// The body is the stored HTML, not Markdown: an article written through the API or the console
// keeps no Markdown, and HTML turned back into Markdown would not render to the same bytes.
// CommonMark passes raw HTML through untouched as an "HTML block" (spec section 4.6) that starts
// with a block-level tag and ends at the first blank line; so the HTML is wrapped in `<main>`
// (an element the sanitizer unwraps, keeping its content; the line break inside the tags keeps
// the wrapper from adding text), and every line break that would make a blank line is written as
// `&#10;`, which the sanitizer decodes back to the same line break.

import { stringify } from "yaml";
import type { Article } from "./article.js";
import { formatInstant } from "./dates.js";
import { SITE_MARK } from "./text.js";

type Field = readonly [name: string, value: (article: Article, siteUrl: string) => unknown];

/** On this site: the path alone (it resolves against the site again); elsewhere: as it is. */
function onSite(url: string, siteUrl: string): string {
  const stored = url.startsWith(`${siteUrl}/`) ? `${SITE_MARK}${url.slice(siteUrl.length)}` : url;
  // A path starting "//" would read as another host's URL: it stays absolute.
  return stored.startsWith(SITE_MARK) && !stored.startsWith(`${SITE_MARK}//`) ? stored.slice(SITE_MARK.length) : url;
}

/** Absolute with this site's URL, as the front matter's URL fields require. */
const absolute = (url: string, siteUrl: string) => url.replaceAll(SITE_MARK, siteUrl);

/** Each front-matter field and how it is written; undefined leaves it out (its default is the same). */
export const ARTICLE_FIELDS: readonly Field[] = [
  ["title", (a) => a.title],
  ["slug", (a) => a.slug],
  ["date", (a) => formatInstant(a.publishedAt)],
  ["updated", (a) => (a.updatedAt === null ? undefined : formatInstant(a.updatedAt))],
  [
    "authors",
    (a, site) =>
      a.authors.map(({ name, email, url }) =>
        email === undefined && url === undefined
          ? name
          : {
              name,
              ...(email === undefined ? {} : { email }),
              ...(url === undefined ? {} : { url: absolute(url, site) }),
            },
      ),
  ],
  ["tags", (a) => a.tags.map((t) => t.name)],
  // Empty only when derived from a body with no text, as it will be again; the field refuses "".
  ["summary", (a) => (a.summary === "" ? undefined : a.summary)],
  [
    "image",
    (a, site) =>
      a.image === null
        ? undefined
        : {
            url: onSite(absolute(a.image.url, site), site),
            // An image given without alt text is stored with "", which the front matter refuses.
            ...(a.image.alt === "" ? {} : { alt: a.image.alt }),
            ...(a.image.width === null || a.image.height === null
              ? {}
              : { width: a.image.width, height: a.image.height }),
          },
  ],
  [
    "url",
    (a, site) => {
      const url = absolute(a.url, site);
      return url === `${site}/articles/${a.slug}` ? undefined : url;
    },
  ],
  ["lang", (a) => a.lang ?? undefined],
  ["draft", (a) => (a.draft ? true : undefined)],
  ["aliases", (a) => a.aliases],
];

/** The stored HTML as a Markdown body that renders back to it (see the header). */
export function htmlBody(html: string, siteUrl: string): string {
  const links = html.replaceAll(`${SITE_MARK}//`, `${siteUrl}//`).replaceAll(SITE_MARK, "");
  return `<main\n>${links.replace(/\n(?=[ \t]*(?:\n|$))/g, "&#10;")}</main\n>`;
}

/**
 * The content file of an article as stored (site URLs as SITE_MARK) or as served (site URLs
 * absolute under `siteUrl`, as the JSON API gives them). No final line break: one would be
 * rendered into the body.
 */
export function articleFile(article: Article, siteUrl: string): string {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of ARTICLE_FIELDS) {
    const v = value(article, siteUrl);
    if (v !== undefined) fields[name] = v;
  }
  const yaml = stringify(fields, { lineWidth: 0, schema: "core", aliasDuplicateObjects: false });
  return `---\n${yaml}---\n${htmlBody(article.contentHtml, siteUrl)}`;
}
