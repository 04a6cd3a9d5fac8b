// The site's pages: home, article, tag and author listings, the digest archive. Each renders to
// a string, which the routes cache like the feeds.

import { raw } from "hono/html";
import type { Tag } from "../../core/article.js";
import { formatInstant } from "../../core/dates.js";
import { FEED_FORMATS, type FeedFamily, feedFamily } from "../../core/feeds/family.js";
import { formatDate, formatDay, messages } from "../../core/i18n.js";
import { newsArticle, webSite } from "../../core/jsonld.js";
import { sentence } from "../../core/text.js";
import type { StoredArticle } from "../store/articles.js";
import type { NameCount } from "../store/names.js";
import { feedPagePath } from "./feed-page.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SubscribeForm, type SubscribeValues } from "./subscribe.js";

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

/** Dates and fixed words under an article follow its language; the rest, the site's. */
function displayDate(p: PageContext, ms: number, lang: string | null): string {
  return formatDay(ms, lang ?? p.site.siteLanguage, p.timeZone);
}

function Byline(props: { p: PageContext; article: StoredArticle }) {
  const { article, p } = props;
  return (
    <p class="meta">
      <time datetime={formatInstant(article.publishedAt)}>{displayDate(p, article.publishedAt, article.lang)}</time>
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

function ArticleList(props: { p: PageContext; articles: StoredArticle[] }) {
  return (
    <ol class="articles">
      {props.articles.map((article) => (
        <li lang={article.lang ?? undefined} class={article.image ? "with-thumb" : undefined}>
          <h2>
            <a href={`/articles/${article.slug}`}>{article.title}</a>
          </h2>
          <Byline p={props.p} article={article} />
          <p>{article.summary}</p>
          {article.image ? <Thumbnail url={article.image.url} /> : null}
        </li>
      ))}
    </ol>
  );
}

function Pager(props: { p: PageContext; next: string | null; first: string | null }) {
  if (!props.next && !props.first) return null;
  const words = messages(props.p.site.siteLanguage);
  return (
    <nav class="pager" aria-label="Pages">
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
function FeedLinks(props: { p: PageContext; feed: FeedFamily }) {
  return (
    <p class="feeds">
      {messages(props.p.site.siteLanguage).follow(props.feed.title)}{" "}
      <a href={feedPagePath(props.feed)}>{FEED_FORMATS.map((f) => f.label).join(", ")}</a>
    </p>
  );
}

/** Tags the home page's form offers: the most used ones (the /subscribe page has them all). */
const HOME_FORM_TAGS = 10;

const blankForm = (source: string, tags: readonly string[] = []): SubscribeValues => ({
  email: "",
  frequency: "daily",
  tags,
  source,
});

export interface ListingPage {
  articles: StoredArticle[];
  next: string | null;
  first: string | null;
  /** This page's own path and cursor: an older page is its own canonical page, not the first's. */
  self?: string;
}

export function homePage(p: PageContext, page: ListingPage, tags: NameCount[]): Promise<string> {
  const feed = feedFamily(p.site, { kind: "site" });
  return render(
    <Layout
      config={p.site}
      title={p.site.siteTitle}
      canonical={`${p.site.siteUrl}${page.self ?? "/"}`}
      feeds={[feed]}
      jsonLd={page.first ? undefined : webSite(p.site)}
    >
      <h1>Latest</h1>
      <FeedLinks p={p} feed={feed} />
      <ArticleList p={p} articles={page.articles} />
      <Pager p={p} next={page.next} first={page.first} />
      <SubscribeForm tags={tags.slice(0, HOME_FORM_TAGS)} values={blankForm("/")} />
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
          <p>
            <a href="/tags">All tags</a> · <a href="/authors">All authors</a>
          </p>
        </section>
      ) : null}
    </Layout>,
  );
}

export function articlePage(p: PageContext, article: StoredArticle): Promise<string> {
  const feeds = [
    feedFamily(p.site, { kind: "site" }),
    ...article.tags.map((subject) => feedFamily(p.site, { kind: "tag", subject })),
  ];
  return render(
    <Layout
      config={p.site}
      title={article.title}
      description={article.summary}
      canonical={article.url}
      feeds={feeds}
      lang={article.lang ?? undefined}
      image={article.image}
      article={{
        publishedAt: article.publishedAt,
        updatedAt: article.updatedAt,
        authors: article.authors.map((a) => `${p.site.siteUrl}/authors/${a.slug}`),
        tags: article.tags.map((t) => t.name),
      }}
      jsonLd={newsArticle(
        {
          ...article,
          lang: article.lang ?? p.site.siteLanguage,
          pageUrl: `${p.site.siteUrl}/articles/${article.slug}`,
        },
        p.site,
      )}
    >
      <article>
        <h1>{article.title}</h1>
        <Byline p={p} article={article} />
        {article.updatedAt !== null ? (
          <p class="meta updated">
            {messages(article.lang ?? p.site.siteLanguage).updated}{" "}
            <time datetime={formatInstant(article.updatedAt)}>{displayDate(p, article.updatedAt, article.lang)}</time>
          </p>
        ) : null}
        {article.image ? <img class="lead" src={article.image.url} alt={article.image.alt} /> : null}
        <div class="content">{raw(article.contentHtml)}</div>
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
      <SubscribeForm
        tags={article.tags}
        values={blankForm(`/articles/${article.slug}`)}
        lang={article.lang && article.lang !== p.site.siteLanguage ? p.site.siteLanguage : undefined}
      />
    </Layout>,
  );
}

export function listingPage(p: PageContext, kind: "tag" | "author", subject: Tag, page: ListingPage): Promise<string> {
  const feed = feedFamily(p.site, { kind, subject });
  const words = messages(p.site.siteLanguage);
  const heading = kind === "tag" ? words.tagged(subject.name) : words.byAuthor(subject.name);
  return render(
    <Layout
      config={p.site}
      title={subject.name}
      canonical={`${p.site.siteUrl}${page.self ?? `/${kind}s/${subject.slug}`}`}
      feeds={[feed, feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{heading}</h1>
      <FeedLinks p={p} feed={feed} />
      <ArticleList p={p} articles={page.articles} />
      <Pager p={p} next={page.next} first={page.first} />
      {kind === "tag" ? (
        <SubscribeForm tags={[subject]} values={blankForm(`/tags/${subject.slug}`, [subject.slug])} />
      ) : null}
    </Layout>,
  );
}

export interface NameIndexPage {
  kind: "tag" | "author";
  names: NameCount[];
  next: string | null;
  first: string | null;
}

/** /tags and /authors: every name with its number of public articles, alphabetical. */
export function nameIndexPage(p: PageContext, page: NameIndexPage): Promise<string> {
  const title = page.kind === "tag" ? "Tags" : "Authors";
  const words = messages(p.site.siteLanguage);
  const empty = page.names.length === 0 && !page.first;
  return render(
    <Layout
      config={p.site}
      title={title}
      canonical={`${p.site.siteUrl}/${page.kind}s`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{title}</h1>
      {empty ? (
        <p>
          Nothing is published yet, so there are no {page.kind}s to list. <a href="/">See the latest articles</a>.
        </p>
      ) : (
        <ul class="names">
          {page.names.map((n) => (
            <li>
              <a href={`/${page.kind}s/${n.slug}`}>{n.name}</a> <span class="meta">({words.articles(n.count)})</span>
            </li>
          ))}
        </ul>
      )}
      <Pager p={p} next={page.next} first={page.first} />
    </Layout>,
  );
}

export interface ArchiveWeek {
  week: string;
  days: { day: string; count: number }[];
}

export interface ArchivePage {
  /** The year shown, or null when nothing is published yet. */
  year: string | null;
  /** Years with articles, newest first. */
  years: string[];
  weeks: ArchiveWeek[];
  /** The page's own path: /digests for the newest year, /digests/2022 for another. */
  path: string;
}

/** "2022-01-10" as "Monday, January 10, 2022" in the site's language (a calendar day: no zone applies). */
function dayName(day: string, lang: string): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  return formatDate(Date.UTC(year, month - 1, date, 12), lang, "UTC", "full");
}

/** "2022-W02" as "Week 2, 2022" in the site's language. */
function weekName(week: string, lang: string): string {
  const [year = 0, number = 0] = week.split("-W").map(Number);
  return messages(lang).week(number, year);
}

export function digestArchivePage(p: PageContext, archive: ArchivePage): Promise<string> {
  const { year, years, weeks } = archive;
  return render(
    <Layout
      config={p.site}
      title={year ? `Digests of ${year}` : "Digests"}
      canonical={`${p.site.siteUrl}${archive.path}`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{year ? `Digests of ${year}` : "Digests"}</h1>
      <p>Every day and every week that has articles, as the email digest shows it.</p>
      {years.length > 1 ? (
        <nav aria-label="Years">
          <ul class="years">
            {years.map((y) => (
              <li>{y === year ? <strong aria-current="page">{y}</strong> : <a href={`/digests/${y}`}>{y}</a>}</li>
            ))}
          </ul>
        </nav>
      ) : null}
      {weeks.map(({ week, days }) => (
        <section>
          <h2>
            <a href={`/digests/weekly/${week}`}>
              <time datetime={week}>{weekName(week, p.site.siteLanguage)}</time>
            </a>
          </h2>
          <ul>
            {days.map(({ day, count }) => (
              <li>
                <a href={`/digests/daily/${day}`}>
                  <time datetime={day}>{dayName(day, p.site.siteLanguage)}</time>
                </a>{" "}
                <span class="meta">({messages(p.site.siteLanguage).articles(count)})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>,
  );
}

export function emptyDigestPage(p: PageContext, detail: string): Promise<string> {
  return render(
    <Layout config={p.site} title="No digest" feeds={[feedFamily(p.site, { kind: "site" })]}>
      <h1>Nothing to read here</h1>
      <p>{sentence(detail)}, so no email went out.</p>
      <p>
        <a href="/digests">See the digests that have articles</a> or <a href="/">read the latest articles</a>.
      </p>
    </Layout>,
  );
}
