// The pieces the site's pages share: how a page renders to a string, the byline, the article
// list with its thumbnails, the pager, and the link to a feed's page.

import { formatInstant } from "../../core/dates.js";
import { FEED_FORMATS, type FeedFamily } from "../../core/feeds/family.js";
import { formatDay, messages } from "../../core/i18n.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { siteWords } from "../../core/words/site.js";
import type { StoredArticle } from "../store/articles.js";
import { feedPagePath } from "./feed-page.js";
import type { PageContext } from "./page-context.js";

export const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

/** Dates and fixed words under an article follow its language; the rest, the site's. */
export function displayDate(p: PageContext, ms: number, lang: string | null): string {
  return formatDay(ms, lang ?? p.site.siteLanguage, p.timeZone);
}

export function Byline(props: { p: PageContext; article: StoredArticle }) {
  const { article, p } = props;
  // The byline is in the article's language, like its date.
  const { and } = wordsOf(siteWords, article.lang ?? p.site.siteLanguage);
  const last = article.authors.length - 1;
  return (
    <p class="meta">
      <time datetime={formatInstant(article.publishedAt)}>{displayDate(p, article.publishedAt, article.lang)}</time>
      {article.authors.length > 0 ? " · " : null}
      {article.authors.map((author, i) => (
        <>
          {i === 0 ? null : i === last ? ` ${and} ` : ", "}
          <a href={`/authors/${author.slug}`}>{author.name}</a>
        </>
      ))}
    </p>
  );
}

/**
 * A listing's picture of an article: a fixed 3:2 box the image covers, so the list never shifts
 * as images load (the attributes give the box's ratio, not the image's). Its alt is empty on
 * purpose: it is not a link, the title beside it names the article, and a cropped preview read
 * aloud before every title would only lengthen the list; the article page shows the image whole,
 * with its alt text.
 */
export function Thumbnail(props: { url: string }) {
  return <img class="thumb" src={props.url} alt="" width="120" height="80" loading="lazy" decoding="async" />;
}

/** `level`: the titles' heading level, one below the heading the list is under (h1 by default). */
export function ArticleList(props: {
  p: PageContext;
  articles: StoredArticle[];
  level?: 2 | 3;
  /** Each entry's id: a web edition's, where a digest email's "more" button lands. */
  anchor?: (slug: string) => string;
}) {
  const Title = props.level === 3 ? "h3" : "h2";
  return (
    <ol class="articles">
      {props.articles.map((article) => (
        <li
          id={props.anchor?.(article.slug)}
          lang={article.lang ?? undefined}
          class={article.image ? "with-thumb" : undefined}
        >
          <Title>
            <a href={`/articles/${article.slug}`}>{article.title}</a>
          </Title>
          <Byline p={props.p} article={article} />
          <p>{article.summary}</p>
          {article.image ? <Thumbnail url={article.image.url} /> : null}
        </li>
      ))}
    </ol>
  );
}

export function Pager(props: { p: PageContext; next: string | null; first: string | null }) {
  if (!props.next && !props.first) return null;
  const words = messages(props.p.site.siteLanguage);
  return (
    <nav class="pager" aria-label={wordsOf(siteWords, props.p.site.siteLanguage).pages}>
      {props.first ? <a href={props.first}>{words.newest}</a> : <span />}
      {props.next ? (
        <a href={props.next} rel="next">
          {words.older}
        </a>
      ) : null}
    </nav>
  );
}

// One link to the feed page, which explains feeds and lists the files (the <head> still points
// feed readers straight at the files).
export function FeedLinks(props: { p: PageContext; feed: FeedFamily }) {
  return (
    <p class="feeds">
      {messages(props.p.site.siteLanguage).follow(props.feed.title)}{" "}
      <a href={feedPagePath(props.feed)}>{FEED_FORMATS.map((f) => f.label).join(", ")}</a>
    </p>
  );
}

export interface ListingPage {
  articles: StoredArticle[];
  next: string | null;
  first: string | null;
  /** This page's own path and cursor: an older page is its own canonical page, not the first's. */
  self?: string;
}
