// Page shell: head with autodiscovery links, canonical URL, link-preview tags (Open Graph,
// Twitter card) and structured data, header, footer, and the site's small stylesheet.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { SiteConfig } from "../../core/config.js";
import { formatInstant } from "../../core/dates.js";
import { FEED_FORMATS, type FeedFamily } from "../../core/feeds/family.js";
import { jsonLdText } from "../../core/jsonld.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { siteWords } from "../../core/words/site.js";

/** A page's picture for link previews; width and height when they are known. */
export interface PageImage {
  /** Absolute. */
  url: string;
  alt: string;
  width?: number | null;
  height?: number | null;
}

/** What Open Graph says of an article page. */
export interface PageArticle {
  publishedAt: number;
  updatedAt: number | null;
  /** Absolute URLs of the authors' pages. */
  authors: string[];
  tags: string[];
}

export interface LayoutProps {
  config: SiteConfig;
  title: string;
  description?: string;
  canonical?: string;
  feeds: FeedFamily[];
  lang?: string;
  /** Pages that answer one visitor's request (a form's outcome): kept out of search engines. */
  noindex?: boolean;
  /** The picture link previews show; the site's icon when there is none. */
  image?: PageImage | null;
  /** On article pages: og:type article and its facts. */
  article?: PageArticle;
  /** Structured data (schema.org JSON-LD). */
  jsonLd?: unknown;
  /** The header's search box; false on a page whose own form is one (the search page). */
  headerSearch?: boolean;
  children?: Child;
}

/** OG locales are language_TERRITORY; the site's languages get their usual territory. */
const LOCALES: Record<string, string> = { en: "en_US", ru: "ru_RU", kk: "kk_KZ" };
const ogLocale = (lang: string) => LOCALES[lang.toLowerCase()] ?? lang.replace("-", "_");

/** Open Graph and Twitter card tags: what a chat app or social site shows for a shared link. */
function LinkPreview(props: LayoutProps & { url: string; description: string }) {
  const { config, article } = props;
  const image: PageImage = props.image ?? {
    url: `${config.siteUrl}/icon.png`,
    alt: config.siteTitle,
    width: 512,
    height: 512,
  };
  const sized = image.width && image.height;
  return (
    <>
      <meta property="og:type" content={article ? "article" : "website"} />
      <meta property="og:site_name" content={config.siteTitle} />
      <meta property="og:title" content={props.title} />
      <meta property="og:description" content={props.description} />
      <meta property="og:url" content={props.url} />
      <meta property="og:locale" content={ogLocale(props.lang ?? config.siteLanguage)} />
      <meta property="og:image" content={image.url} />
      {sized ? <meta property="og:image:width" content={String(image.width)} /> : null}
      {sized ? <meta property="og:image:height" content={String(image.height)} /> : null}
      {image.alt ? <meta property="og:image:alt" content={image.alt} /> : null}
      {article ? (
        <>
          <meta property="article:published_time" content={formatInstant(article.publishedAt)} />
          {article.updatedAt !== null ? (
            <meta property="article:modified_time" content={formatInstant(article.updatedAt)} />
          ) : null}
          {article.authors.map((author) => (
            <meta property="article:author" content={author} />
          ))}
          {article.tags.map((tag) => (
            <meta property="article:tag" content={tag} />
          ))}
        </>
      ) : null}
      <meta name="twitter:card" content={props.image ? "summary_large_image" : "summary"} />
      <meta name="twitter:title" content={props.title} />
      <meta name="twitter:description" content={props.description} />
      <meta name="twitter:image" content={image.url} />
      {image.alt ? <meta name="twitter:image:alt" content={image.alt} /> : null}
    </>
  );
}

export function Layout(props: LayoutProps) {
  const { config } = props;
  const pageTitle = props.title === config.siteTitle ? props.title : `${props.title} · ${config.siteTitle}`;
  const description = props.description ?? config.siteDescription;
  const words = wordsOf(siteWords, config.siteLanguage);
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={config.siteLanguage}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <link rel="icon" type="image/png" href="/favicon.png" />
          <link rel="apple-touch-icon" href="/icon.png" />
          <title>{pageTitle}</title>
          <meta name="description" content={description} />
          {props.noindex ? <meta name="robots" content="noindex" /> : null}
          {/* A page kept out of the index has no canonical URL to offer, nor a preview to give. */}
          {props.canonical && !props.noindex ? <link rel="canonical" href={props.canonical} /> : null}
          {props.canonical && !props.noindex ? (
            <LinkPreview {...props} url={props.canonical} description={description} />
          ) : null}
          {/* A data block, never run: the CSP's default-src 'none' (no script-src) does not apply to it. */}
          {props.jsonLd !== undefined && !props.noindex ? (
            <script type="application/ld+json">{raw(jsonLdText(props.jsonLd))}</script>
          ) : null}
          {props.feeds.flatMap((feed) =>
            FEED_FORMATS.map((f) => (
              <link rel="alternate" type={f.type} title={`${feed.title} (${f.label})`} href={feed.url(f)} />
            )),
          )}
          <style>{raw(SITE_STYLE)}</style>
        </head>
        <body>
          <header class="site">
            <a class="brand" href="/">
              {config.siteTitle}
            </a>
            <nav aria-label={words.siteNav}>
              <a href="/subscribe">{words.nav.subscribe}</a> <a href="/tags">{words.nav.tags}</a>{" "}
              <a href="/authors">{words.nav.authors}</a> <a href="/digests">{words.nav.digests}</a>{" "}
              <a href="/feeds">{words.nav.feeds}</a>
            </nav>
            {props.headerSearch === false ? null : (
              <search class="search" aria-label={words.siteSearch}>
                <form action="/search" method="get">
                  <input type="search" name="q" aria-label={words.searchField} maxlength={200} />{" "}
                  <button type="submit">{words.searchButton}</button>
                </form>
              </search>
            )}
          </header>
          <main lang={props.lang}>{props.children}</main>
          <footer class="site">
            <p>{config.siteDescription}</p>
          </footer>
        </body>
      </html>
    </>
  );
}

export const SITE_STYLE = `
:root{--bg:#fdfcfa;--fg:#1d1d1f;--muted:#5f6368;--accent:#0b5cad;--rule:#e3e1dc;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.6}
@media (prefers-color-scheme:dark){:root{--bg:#17181a;--fg:#e8e6e3;--muted:#a0a4a8;--accent:#7db4f0;--rule:#33363a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg)}
main,header.site,footer.site{max-width:44rem;margin:0 auto;padding:0 1.25rem}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;padding-top:1.25rem;padding-bottom:.75rem;border-bottom:1px solid var(--rule)}
.brand{font-weight:700;font-size:1.25rem;color:var(--fg);text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
nav a{white-space:nowrap}
search.search{margin-left:auto}search.search form{display:flex;gap:.25rem}search.search input{font:inherit;width:9rem;min-width:0;padding:.2rem .5rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}search.search button{padding:.2rem .6rem}
@media (max-width:40rem){search.search{flex:1 1 100%}search.search input{flex:1;width:auto}}
.search-page label{display:block}.search-page input{font:inherit;width:100%;max-width:24rem;padding:.4rem .5rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}
.subscription fieldset{border:0;padding:0;margin:.75rem 0}
.subscription legend{font-weight:600;padding:0}
.subscription fieldset label{display:inline-block;margin-right:1rem}
.subscription label[for]{display:block}
.subscription select{font:inherit;padding:.3rem;max-width:100%}
.subscription .field{margin:1rem 0}
.subscription section{margin-top:2rem;padding-top:1rem;border-top:1px solid var(--rule)}
.subscription dl.summary dt{font-weight:600}
.subscription dl.summary dd{margin:0 0 .5rem}
.notice{padding:.5rem .75rem;border-left:3px solid var(--accent)}
.subscription .address{overflow-wrap:anywhere}
.subscription .choice{margin:.75rem 0}.subscription .choice p{margin:.25rem 0}
button.danger{background:none;color:#c5221f;border:1px solid currentColor}
@media (prefers-color-scheme:dark){button.danger{color:#f28b82}}
h1{line-height:1.2;margin:1.5rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem}
.meta a{color:inherit}
ol.articles{list-style:none;padding:0;margin:1rem 0}
ol.articles li{padding:1rem 0;border-bottom:1px solid var(--rule)}
ol.articles :is(h2,h3){font-size:1.2rem;margin:0 0 .25rem;line-height:1.3}
ol.articles :is(h2,h3) a{color:var(--fg);text-decoration:none}
ol.articles :is(h2,h3) a:hover{text-decoration:underline}
ol.articles p{margin:.25rem 0}
ol.articles li.with-thumb{display:grid;grid-template-columns:minmax(0,1fr) auto;column-gap:1rem}
ol.articles li.with-thumb>:not(.thumb){grid-column:1}
ol.articles .thumb{grid-column:2;grid-row:1/span 3;width:7.5rem;height:5rem;object-fit:cover;border-radius:4px;background:var(--rule)}
@media (max-width:30rem){ol.articles .thumb{grid-row:1/span 2;width:5.25rem;height:3.5rem}ol.articles li.with-thumb>p:not(.meta){grid-column:1/-1}}
ul.names{list-style:none;padding:0;columns:2 14rem;column-gap:2rem}
ul.names li{break-inside:avoid;padding:.15rem 0}
.tags{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}
.tags a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none;font-size:.9rem}
.content img,.content video,.lead{max-width:100%;height:auto}
.content pre{overflow-x:auto;padding:.75rem;border:1px solid var(--rule);border-radius:4px}
.content table{border-collapse:collapse;display:block;overflow-x:auto}
.content td,.content th{border:1px solid var(--rule);padding:.3rem .6rem}
.content blockquote{margin-left:0;padding-left:1rem;border-left:3px solid var(--rule);color:var(--muted)}
.pager{display:flex;justify-content:space-between;margin:1.5rem 0}
.archive-week{margin:1.75rem 0;padding-top:.25rem;border-top:1px solid var(--rule)}.archive-week h2{font-size:1.3rem;margin:.75rem 0 .25rem}.archive-week h3{font-size:1rem;margin:1rem 0 .2rem}.archive-week h2 a,.archive-week h3 a{color:var(--fg);text-decoration:none}.archive-week h2 a:hover,.archive-week h3 a:hover{text-decoration:underline}
nav.editions{gap:.5rem 1.5rem}nav.editions a{white-space:normal}nav.editions a[rel=next]{margin-left:auto;text-align:right}
ul.archive-days{list-style:none;padding:0;margin:0}ul.headlines{margin:.2rem 0 .5rem;padding-left:1.1rem}ul.headlines li{margin:.15rem 0}ul.headlines li.more{list-style:none;font-size:.9rem}
.feeds{font-size:.9rem}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
.feed-page .readers{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.feed-page .readers a{display:inline-block;padding:.3rem .8rem;border:1px solid var(--rule);border-radius:4px;text-decoration:none}
.feed-page dl.feed-urls dt{font-weight:600;margin-top:.75rem}
.feed-page dl.feed-urls dd{margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
.feed-page code{overflow-wrap:anywhere;font-size:.95rem;padding:.15rem .4rem;border:1px solid var(--rule);border-radius:4px}
.feed-page button.copy{padding:.2rem .8rem;font-size:.9rem}
.feed-page ol.articles h3{font-size:1.1rem;margin:0 0 .25rem;line-height:1.3}
.feed-page ol.articles h3 a{color:var(--fg);text-decoration:none}
.subscribe{margin:2rem 0;padding:1rem 1.25rem;border:1px solid var(--rule);border-radius:6px}
.subscribe h2{margin-top:0;font-size:1.2rem}
.subscribe label{display:block}
.subscribe fieldset{border:0;padding:0;margin:.75rem 0}
.subscribe legend{font-weight:600;padding:0}
.subscribe fieldset label{display:inline-block;margin-right:1rem}
input[type=email]{width:100%;max-width:24rem;font:inherit;padding:.4rem .5rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.45rem 1.1rem;border:0;border-radius:4px;background:var(--accent);color:var(--bg);cursor:pointer}
[aria-invalid=true]{border-color:#c5221f;outline:1px solid #c5221f}
.field{margin:.75rem 0}
.field select{font:inherit;width:100%;max-width:24rem;padding:.35rem .4rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
.field select+.meta{margin:.25rem 0 0}
fieldset>.meta{margin:.25rem 0 .5rem}
.field-error{margin:.25rem 0}
.field-error,.error-summary{color:#c5221f}
@media (prefers-color-scheme:dark){.field-error,.error-summary{color:#f28b82}}
.lede{font-size:1.1rem;margin:.25rem 0 0}
main>section>h2{margin:1.75rem 0 .25rem}
.signup{margin:1.25rem 0 1.5rem;padding:.9rem 1.1rem;border:1px solid var(--rule);border-radius:6px}
.signup h2{margin:0 0 .4rem;font-size:1.15rem;line-height:1.3}
.signup label{display:block;margin-bottom:.25rem}
.signup-row{display:flex;gap:.5rem}
.signup-row input[type=email]{flex:1 1 auto;max-width:none;min-width:0}
.signup-row button{flex:none}
.signup p.meta{margin:.5rem 0 0;line-height:1.4}
@media (max-width:30rem){.signup-row{flex-direction:column}}
.article-tags{display:flex;flex-wrap:wrap;align-items:baseline;gap:.4rem;margin:1.5rem 0}
.article-tags h2{font-size:.9rem;font-weight:600;margin:0;color:var(--muted)}
.article-tags ul.tags{margin:0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
footer.site{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
`.trim();
