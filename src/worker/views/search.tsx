// The search page: the form, and one page of hits with their matches in <mark>. Every piece of
// stored text goes through JSX's escaping; only the match ranges become elements.

import type { Child } from "hono/jsx";
import { formatInstant } from "../../core/dates.js";
import { feedFamily } from "../../core/feeds/family.js";
import { formatDay } from "../../core/i18n.js";
import { MAX_QUERY_LENGTH, type Marked } from "../../core/search.js";
import { Thumbnail } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

export interface SearchHitView {
  slug: string;
  title: Marked;
  snippet: Marked;
  publishedAt: number;
  lang: string | null;
  /** The article's image, shown as the listings show it (see Thumbnail). */
  image: string | null;
}

export interface SearchPageView {
  /** The query as normalised ("" shows the form alone). */
  q: string;
  hits: SearchHitView[];
  page: number;
  /** The place of the first hit in the whole list (1 on the first page). */
  start: number;
  /** Links to the neighbouring pages of hits, if there are any. */
  next: string | null;
  prev: string | null;
}

export async function searchPage(p: PageContext, view: SearchPageView): Promise<string> {
  const title = view.q ? `Search: ${view.q}` : "Search";
  const page = (
    <Layout
      config={p.site}
      title={view.page > 1 ? `${title} (page ${view.page})` : title}
      feeds={[feedFamily(p.site, { kind: "site" })]}
      // One visitor's results: not a page for search engines to keep.
      noindex={view.q !== ""}
    >
      <h1>Search</h1>
      <search aria-label="Search articles">
        <form class="search-page" action="/search" method="get">
          <label for="search-q">Words to find in titles, summaries and articles</label>
          <input
            id="search-q"
            type="search"
            name="q"
            value={view.q}
            maxlength={MAX_QUERY_LENGTH}
            required
            autocomplete="off"
          />{" "}
          <button type="submit">Search</button>
          <p class="meta">
            Every word must occur; <code>"quotes"</code> find a phrase, <code>OR</code> either word, <code>-word</code>{" "}
            leaves it out, <code>title:word</code> looks in titles only.
          </p>
        </form>
      </search>
      {view.q === "" ? null : view.hits.length === 0 ? (
        <p>
          {view.page > 1 ? "No more articles match" : "No article matches"} “{view.q}”.
        </p>
      ) : (
        <ol class="articles" start={view.start}>
          {view.hits.map((hit) => (
            <li lang={hit.lang ?? undefined} class={hit.image ? "with-thumb" : undefined}>
              <h2>
                <a href={`/articles/${hit.slug}`}>{marked(hit.title)}</a>
              </h2>
              <p class="meta">
                <time datetime={formatInstant(hit.publishedAt)}>
                  {formatDay(hit.publishedAt, hit.lang ?? p.site.siteLanguage, p.timeZone)}
                </time>
              </p>
              <p>{marked(hit.snippet)}</p>
              {hit.image ? <Thumbnail url={hit.image} /> : null}
            </li>
          ))}
        </ol>
      )}
      {view.next || view.prev ? (
        <p class="pager">
          {view.prev ? <a href={view.prev}>← Previous results</a> : <span />}
          {view.next ? (
            <a href={view.next} rel="next">
              More results →
            </a>
          ) : null}
        </p>
      ) : null}
    </Layout>
  );
  return String(await page.toString());
}

/** Text with its match ranges as <mark> elements; the text itself stays text. */
function marked(value: Marked): Child[] {
  const parts: Child[] = [];
  let at = 0;
  for (const [start, end] of value.marks) {
    if (start > at) parts.push(value.text.slice(at, start));
    parts.push(<mark>{value.text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < value.text.length) parts.push(value.text.slice(at));
  return parts;
}
