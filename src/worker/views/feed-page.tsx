// The feed page of a collection (the site, a tag, an author): a person who followed an "RSS"
// link lands here instead of on raw XML. It says what a feed is, gives the three feed addresses
// with copy buttons (public/feeds.js; the addresses stay selectable text without it), one-click
// links for web readers, and a preview of the latest items.

import type { SiteConfig } from "../../core/config.js";
import { formatInstant } from "../../core/dates.js";
import { FEED_READERS } from "../../core/feed-readers.js";
import { FEED_FORMATS, type FeedFamily, type FeedFormat, feedFamily, type Scope } from "../../core/feeds/family.js";
import { formatDay } from "../../core/i18n.js";
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
  const family = feedFamily(site, scope);
  const name = scope.kind === "site" ? site.siteTitle : `“${scope.subject.name}”`;
  const what =
    scope.kind === "site"
      ? `from ${site.siteTitle}`
      : scope.kind === "tag"
        ? `tagged “${scope.subject.name}”`
        : `by ${scope.subject.name}`;
  const rss = FEED_FORMATS[0] as FeedFormat;
  return render(
    <Layout
      config={site}
      title={scope.kind === "site" ? "Feeds" : `Feeds: ${scope.subject.name}`}
      description={`Follow the articles ${what} in a feed reader.`}
      canonical={`${site.siteUrl}${feedPagePath(family)}`}
      feeds={[family]}
    >
      <div class="feed-page">
        <h1>Follow {name} in a feed reader</h1>
        <p>
          A feed is a list of the newest articles {what} that a feed reader checks for you. Add it to a reader once and
          new articles appear there as they are published: no account here, no email address, and you stop by removing
          it from the reader.
        </p>
        <p>
          If you clicked “RSS”, “Atom” or “JSON Feed” and expected an article, nothing is wrong: those are the formats
          of the feed, and this page is where they start. The addresses below are for your reader, not for reading in
          the browser.
        </p>

        <h2>Follow in one click</h2>
        <p>If you use one of these readers, open it here and confirm:</p>
        <ul class="readers">
          {FEED_READERS.map((reader) => (
            <li>
              <a href={reader.subscribeUrl(family.url(rss))}>{reader.name}</a>
            </li>
          ))}
        </ul>

        <h2>Or copy an address</h2>
        <p>
          In any other reader, choose “Add feed” or “Subscribe” and paste one of these. They carry the same articles; if
          you are unsure, take RSS.
        </p>
        <dl class="feed-urls">
          {FEED_FORMATS.map((format) => (
            <>
              <dt>{format.label}</dt>
              <dd>
                <code id={`feed-url-${format.name}`}>{breakable(family.url(format))}</code>{" "}
                <button type="button" class="copy" data-copy={`feed-url-${format.name}`} hidden>
                  Copy<span class="vh"> the {format.label} address</span>
                </button>
              </dd>
            </>
          ))}
        </dl>
        <p id="copy-status" class="meta" role="status" aria-live="polite" />
        {scope.kind === "site" ? (
          <p>
            Readers that import a list can take every feed of this site at once (the site, each tag and each author)
            from one OPML file: <a href="/feeds.opml">feeds.opml</a>.
          </p>
        ) : null}

        <h2>Latest articles</h2>
        {props.articles.length === 0 ? (
          <p>Nothing is published here yet. Follow anyway: new articles will reach your reader as they appear.</p>
        ) : (
          <>
            <p>What your reader will show first:</p>
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
          <a href={scope.kind === "site" ? "/" : family.path}>
            {scope.kind === "site" ? "Read the latest articles on the site" : `All articles ${what} on the site`}
          </a>
        </p>
      </div>
      <script src={FEED_PAGE_SCRIPT} defer />
    </Layout>,
  );
}
