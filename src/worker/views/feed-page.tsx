// The feed page of a collection (the site, a tag, an author): a person who followed an "RSS"
// link lands here instead of on raw XML. It says what a feed is, gives the three feed addresses
// with copy buttons (public/feeds.js, whose messages the page gives it in the site's language; the
// addresses stay selectable text without it), one-click links for web readers, and a preview of
// the latest items.

import type { SiteConfig } from "../../core/config.js";
import { formatInstant } from "../../core/dates.js";
import { FEED_READERS } from "../../core/feed-readers.js";
import { FEED_FORMATS, type FeedFamily, type FeedFormat, feedFamily, type Scope } from "../../core/feeds/family.js";
import { formatDay } from "../../core/i18n.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { type FeedSubject, pagesWords } from "../../core/words/pages.js";
import { siteWords } from "../../core/words/site.js";
import type { StoredArticle } from "../store/articles.js";
import { Layout } from "./layout.js";

/** The feed page of a family, as a path: "/feeds", "/tags/<slug>/feeds", "/authors/<slug>/feeds". */
export const feedPagePath = (family: Pick<FeedFamily, "path">): string => `${family.path}/feeds`;

/** The script the page loads: its copy buttons. Served from public/. */
export const FEED_PAGE_SCRIPT = "/feeds.js";

export interface FeedPageProps {
  site: SiteConfig;
  timeZone: string;
  scope: Scope;
  /** The newest public articles of the collection, newest first. */
  articles: StoredArticle[];
}

/** A long address wraps after a slash on a narrow screen, not inside a word; copied text is unchanged. */
function breakable(url: string) {
  const [scheme, , host, ...path] = url.split("/");
  return [`${scheme}//${host}`, ...path.map((part) => [<wbr />, "/", part])];
}

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

export function feedPage(props: FeedPageProps): Promise<string> {
  const { site, scope } = props;
  const words = wordsOf(pagesWords, site.siteLanguage);
  const family = feedFamily(site, scope);
  const subject: FeedSubject =
    scope.kind === "site" ? { kind: "site", site: site.siteTitle } : { kind: scope.kind, name: scope.subject.name };
  const rss = FEED_FORMATS[0] as FeedFormat;
  return render(
    <Layout
      config={site}
      title={
        scope.kind === "site" ? wordsOf(siteWords, site.siteLanguage).nav.feeds : words.feedsOf(scope.subject.name)
      }
      description={words.feedDescription(subject)}
      canonical={`${site.siteUrl}${feedPagePath(family)}`}
      feeds={[family]}
    >
      <div class="feed-page">
        <h1>{words.followHeading(subject)}</h1>
        <p>{words.feedIntro(subject)}</p>
        <p>{words.feedFormats}</p>

        <h2>{words.oneClick}</h2>
        <p>{words.oneClickIntro}</p>
        <ul class="readers">
          {FEED_READERS.map((reader) => (
            <li>
              <a href={reader.subscribeUrl(family.url(rss))}>{reader.name}</a>
            </li>
          ))}
        </ul>

        <h2>{words.copyHeading}</h2>
        <p>{words.copyIntro}</p>
        <dl class="feed-urls">
          {FEED_FORMATS.map((format) => (
            <>
              <dt>{format.label}</dt>
              <dd>
                <code id={`feed-url-${format.name}`}>{breakable(family.url(format))}</code>{" "}
                {/* The script's messages come from here, in the site's language: it has no words of its own. */}
                <button
                  type="button"
                  class="copy"
                  data-copy={`feed-url-${format.name}`}
                  data-copied={words.copied(format.label)}
                  hidden
                >
                  {words.copy}
                  <span class="vh"> {words.copyWhat(format.label)}</span>
                </button>
              </dd>
            </>
          ))}
        </dl>
        <p id="copy-status" class="meta" role="status" aria-live="polite" data-blocked={words.copyBlocked} />
        {scope.kind === "site" ? (
          <p>
            {words.opml} <a href="/feeds.opml">feeds.opml</a>.
          </p>
        ) : null}

        <h2>{words.latest}</h2>
        {props.articles.length === 0 ? (
          <p>{words.nothingYet}</p>
        ) : (
          <>
            <p>{words.latestIntro}</p>
            <ol class="articles">
              {props.articles.map((article) => (
                <li lang={article.lang ?? undefined}>
                  <h3>
                    <a href={`/articles/${article.slug}`}>{article.title}</a>
                  </h3>
                  <p class="meta">
                    <time datetime={formatInstant(article.publishedAt)}>
                      {formatDay(article.publishedAt, article.lang ?? site.siteLanguage, props.timeZone)}
                    </time>
                  </p>
                  <p>{article.summary}</p>
                </li>
              ))}
            </ol>
          </>
        )}
        <p>
          <a href={scope.kind === "site" ? "/" : family.path}>{words.backToSite(subject)}</a>
        </p>
      </div>
      <script src={FEED_PAGE_SCRIPT} defer />
    </Layout>,
  );
}
