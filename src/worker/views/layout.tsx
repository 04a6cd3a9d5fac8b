// Page shell: head with autodiscovery links, header, footer, and the site's small stylesheet.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { SiteConfig } from "../../core/config.js";
import { FEED_FORMATS, type FeedFamily } from "../../core/feeds/family.js";

export interface LayoutProps {
  config: SiteConfig;
  title: string;
  description?: string;
  canonical?: string;
  feeds: FeedFamily[];
  lang?: string;
  /** Pages that answer one visitor's request (a form's outcome): kept out of search engines. */
  noindex?: boolean;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { config } = props;
  const pageTitle = props.title === config.siteTitle ? props.title : `${props.title} · ${config.siteTitle}`;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={config.siteLanguage}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <link rel="icon" type="image/png" href="/favicon.png" />
          <title>{pageTitle}</title>
          <meta name="description" content={props.description ?? config.siteDescription} />
          {props.noindex ? <meta name="robots" content="noindex" /> : null}
          {props.canonical ? <link rel="canonical" href={props.canonical} /> : null}
          {props.feeds.flatMap((feed) =>
            FEED_FORMATS.map((f) => (
              <link rel="alternate" type={f.type} title={`${feed.title} (${f.label})`} href={feed.url(f)} />
            )),
          )}
          <style>{raw(STYLE)}</style>
        </head>
        <body>
          <header class="site">
            <a class="brand" href="/">
              {config.siteTitle}
            </a>
            <nav>
              <a href="/subscribe">Subscribe</a> <a href="/digests">Digests</a>{" "}
              {FEED_FORMATS.map((f) => (
                <>
                  <a href={`/${f.file}`}>{f.label}</a>{" "}
                </>
              ))}
            </nav>
            <search class="search" aria-label="Site search">
              <form action="/search" method="get">
                <input type="search" name="q" aria-label="Words to find" maxlength={200} />{" "}
                <button type="submit">Search</button>
              </form>
            </search>
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

const STYLE = `
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
h1{line-height:1.2;margin:1.5rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem}
.meta a{color:inherit}
ol.articles{list-style:none;padding:0;margin:1rem 0}
ol.articles li{padding:1rem 0;border-bottom:1px solid var(--rule)}
ol.articles h2{font-size:1.2rem;margin:0 0 .25rem;line-height:1.3}
ol.articles h2 a{color:var(--fg);text-decoration:none}
ol.articles h2 a:hover{text-decoration:underline}
ol.articles p{margin:.25rem 0}
.tags{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}
.tags a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none;font-size:.9rem}
.content img,.content video,.lead{max-width:100%;height:auto}
.content pre{overflow-x:auto;padding:.75rem;border:1px solid var(--rule);border-radius:4px}
.content table{border-collapse:collapse;display:block;overflow-x:auto}
.content td,.content th{border:1px solid var(--rule);padding:.3rem .6rem}
.content blockquote{margin-left:0;padding-left:1rem;border-left:3px solid var(--rule);color:var(--muted)}
.pager{display:flex;justify-content:space-between;margin:1.5rem 0}
.feeds{font-size:.9rem}
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
.field-error{margin:.25rem 0}
.field-error,.error-summary{color:#c5221f}
@media (prefers-color-scheme:dark){.field-error,.error-summary{color:#f28b82}}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
footer.site{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
`.trim();
