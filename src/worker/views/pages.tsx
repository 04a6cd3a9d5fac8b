// The site's pages: home, article, tag and author listings, not found.

import type { Context } from "hono";
import { raw } from "hono/html";
import type { Tag } from "../../core/article.js";
import type { Config } from "../../core/config.js";
import { formatInstant } from "../../core/dates.js";
import type { AppEnv } from "../env.js";
import type { StoredArticle, TagCount } from "../store.js";
import { type FeedRef, feedUrls, Layout } from "./layout.js";

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function displayDate(config: Config, ms: number): string {
  const key = `${config.siteLanguage}|${config.digestTz}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(config.siteLanguage, { dateStyle: "long", timeZone: config.digestTz });
    dateFormats.set(key, format);
  }
  return format.format(ms);
}

function Byline(props: { config: Config; article: StoredArticle }) {
  const { article, config } = props;
  return (
    <p class="meta">
      <time datetime={formatInstant(article.publishedAt)}>{displayDate(config, article.publishedAt)}</time>
      {article.authors.length > 0 ? " · " : null}
      {article.authors.map((author, i) => (
        <>
          {i > 0 ? ", " : null}
          <a href={`/authors/${author.slug}`}>{author.name}</a>
        </>
      ))}
    </p>
  );
}

function ArticleList(props: { config: Config; articles: StoredArticle[] }) {
  return (
    <ol class="articles">
      {props.articles.map((article) => (
        <li lang={article.lang ?? undefined}>
          <h2>
            <a href={`/articles/${article.slug}`}>{article.title}</a>
          </h2>
          <Byline config={props.config} article={article} />
          <p>{article.summary}</p>
        </li>
      ))}
    </ol>
  );
}

function Pager(props: { next: string | null; first: string | null }) {
  if (!props.next && !props.first) return null;
  return (
    <nav class="pager">
      {props.first ? <a href={props.first}>← Newest</a> : <span />}
      {props.next ? (
        <a href={props.next} rel="next">
          Older →
        </a>
      ) : null}
    </nav>
  );
}

function FeedLinks(props: { config: Config; feed: FeedRef }) {
  return (
    <p class="feeds">
      Follow {props.feed.title}:{" "}
      {feedUrls(props.config, props.feed).map((f, i) => (
        <>
          {i > 0 ? " · " : null}
          <a href={f.href} type={f.type}>
            {f.label}
          </a>
        </>
      ))}
    </p>
  );
}

const siteFeed = (config: Config): FeedRef => ({ path: "", title: config.siteTitle });
const tagFeed = (config: Config, tag: Tag): FeedRef => ({
  path: `/tags/${tag.slug}`,
  title: `${config.siteTitle}: ${tag.name}`,
});
const authorFeed = (config: Config, author: Tag): FeedRef => ({
  path: `/authors/${author.slug}`,
  title: `${config.siteTitle}: ${author.name}`,
});

export interface ListingPage {
  articles: StoredArticle[];
  next: string | null;
  first: string | null;
}

export function homePage(c: Context<AppEnv>, page: ListingPage, tags: TagCount[]) {
  const config = c.var.config;
  const feed = siteFeed(config);
  return c.html(
    <Layout config={config} title={config.siteTitle} canonical={`${config.siteUrl}/`} feeds={[feed]}>
      <h1>Latest</h1>
      <FeedLinks config={config} feed={feed} />
      <ArticleList config={config} articles={page.articles} />
      <Pager next={page.next} first={page.first} />
      {tags.length > 0 ? (
        <section>
          <h2>Tags</h2>
          <ul class="tags">
            {tags.map((tag) => (
              <li>
                <a href={`/tags/${tag.slug}`}>
                  {tag.name} <span class="meta">({tag.count})</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>,
  );
}

export function articlePage(c: Context<AppEnv>, article: StoredArticle) {
  const config = c.var.config;
  const feeds = [siteFeed(config), ...article.tags.map((tag) => tagFeed(config, tag))];
  return c.html(
    <Layout
      config={config}
      title={article.title}
      description={article.summary}
      canonical={article.url}
      feeds={feeds}
      lang={article.lang ?? undefined}
    >
      <article>
        <h1>{article.title}</h1>
        <Byline config={config} article={article} />
        {article.image ? <img class="lead" src={article.image.url} alt={article.image.alt} /> : null}
        <div class="content">{raw(article.contentHtml)}</div>
        {article.updatedAt !== null ? (
          <p class="meta">
            Updated <time datetime={formatInstant(article.updatedAt)}>{displayDate(config, article.updatedAt)}</time>
          </p>
        ) : null}
        {article.tags.length > 0 ? (
          <ul class="tags">
            {article.tags.map((tag) => (
              <li>
                <a href={`/tags/${tag.slug}`} rel="tag">
                  {tag.name}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </article>
    </Layout>,
  );
}

export function listingPage(c: Context<AppEnv>, kind: "tag" | "author", subject: Tag, page: ListingPage) {
  const config = c.var.config;
  const feed = kind === "tag" ? tagFeed(config, subject) : authorFeed(config, subject);
  const heading = kind === "tag" ? `Tagged “${subject.name}”` : `By ${subject.name}`;
  return c.html(
    <Layout
      config={config}
      title={subject.name}
      canonical={`${config.siteUrl}/${kind}s/${subject.slug}`}
      feeds={[feed, siteFeed(config)]}
    >
      <h1>{heading}</h1>
      <FeedLinks config={config} feed={feed} />
      <ArticleList config={config} articles={page.articles} />
      <Pager next={page.next} first={page.first} />
    </Layout>,
  );
}

export function notFoundPage(c: Context<AppEnv>) {
  const config = c.var.config;
  return c.html(
    <Layout config={config} title="Page not found" feeds={[siteFeed(config)]}>
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{c.req.path}</code>. It may have moved, or the link may be mistyped.
      </p>
      <p>
        <a href="/">Go to the latest articles</a>
      </p>
    </Layout>,
    404,
  );
}

export interface ArchiveWeek {
  week: string;
  days: { day: string; count: number }[];
}

/** The digest archive as an HTML string (it is cached like a feed). */
export async function digestArchivePage(c: Context<AppEnv>, weeks: ArchiveWeek[]): Promise<string> {
  const config = c.var.config;
  const page = (
    <Layout config={config} title="Digests" canonical={`${config.siteUrl}/digests`} feeds={[siteFeed(config)]}>
      <h1>Digests</h1>
      <p>Every day and every week that has articles, as the email digest shows it.</p>
      {weeks.map(({ week, days }) => (
        <section>
          <h2>
            <a href={`/digests/weekly/${week}`}>Week {week}</a>
          </h2>
          <ul>
            {days.map(({ day, count }) => (
              <li>
                <a href={`/digests/daily/${day}`}>{day}</a>{" "}
                <span class="meta">
                  ({count} {count === 1 ? "article" : "articles"})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
  return String(await page.toString());
}

export function emptyDigestPage(c: Context<AppEnv>, kind: string, label: string) {
  const config = c.var.config;
  return c.html(
    <Layout config={config} title="No digest" feeds={[siteFeed(config)]}>
      <h1>Nothing to read here</h1>
      <p>
        No articles were published in the {kind} digest for <strong>{label}</strong>, so no email went out.
      </p>
      <p>
        <a href="/digests">See the digests that have articles</a> or <a href="/">read the latest articles</a>.
      </p>
    </Layout>,
    404,
  );
}
