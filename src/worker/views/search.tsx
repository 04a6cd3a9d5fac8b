// The search page: its one search form, how many articles match, and one page of hits with their
// matches in <mark>. Every piece of stored text goes through JSX's escaping; only the match
// ranges become elements. A malformed query shows the form again with what is wrong with it.

import type { Child } from "hono/jsx";
import { formatInstant } from "../../core/dates.js";
import { feedFamily } from "../../core/feeds/family.js";
import { formatDay } from "../../core/i18n.js";
import { MAX_QUERY_LENGTH, type Marked } from "../../core/search.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { pagesWords, type QueryProblem } from "../../core/words/pages.js";
import { siteWords } from "../../core/words/site.js";
import { MAX_COUNTED } from "../store/search.js";
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
  /** How many articles match, at most MAX_COUNTED + 1 (null: no query run). */
  total: number | null;
  /** What is wrong with q, when it could not be run. */
  problem?: QueryProblem;
  page: number;
  /** The place of the first hit in the whole list (1 on the first page). */
  start: number;
  /** Links to the neighbouring pages of hits, if there are any. */
  next: string | null;
  prev: string | null;
}

export async function searchPage(p: PageContext, view: SearchPageView): Promise<string> {
  const words = wordsOf(pagesWords, p.site.siteLanguage);
  const title = view.q ? words.searchTitle(view.q) : words.search;
  const page = (
    <Layout
      config={p.site}
      title={view.page > 1 ? words.paged(title, view.page) : title}
      feeds={[feedFamily(p.site, { kind: "site" })]}
      // One visitor's results: not a page for search engines to keep.
      noindex={view.q !== ""}
      // This page's own form is the search box: the header's would be a second one.
      headerSearch={false}
    >
      <h1>{words.search}</h1>
      <search aria-label={words.searchLandmark}>
        <form class="search-page" action="/search" method="get">
          <label for="search-q">{words.searchLabel}</label>
          <input
            id="search-q"
            type="search"
            name="q"
            value={view.q}
            maxlength={MAX_QUERY_LENGTH}
            required
            autocomplete="off"
            aria-invalid={view.problem ? "true" : undefined}
            aria-describedby={view.problem ? "search-problem" : undefined}
          />{" "}
          <button type="submit">{wordsOf(siteWords, p.site.siteLanguage).searchButton}</button>
          {view.problem ? (
            <p id="search-problem" class="field-error" role="alert">
              {words.queryRefused} {words.queryProblem(view.problem)}.
            </p>
          ) : null}
          <p class="meta">
            {words.queryHelp.map((piece) => (typeof piece === "string" ? piece : <code>{piece.code}</code>))}
          </p>
        </form>
      </search>
      {view.total !== null && view.hits.length > 0 ? (
        <p class="meta" id="result-count">
          {words.results(view.total, MAX_COUNTED)}
        </p>
      ) : null}
      {view.q === "" || view.problem ? null : view.hits.length === 0 ? (
        <p>{words.noMatch(view.q, view.page > 1)}</p>
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
          {view.prev ? <a href={view.prev}>{words.previousResults}</a> : <span />}
          {view.next ? (
            <a href={view.next} rel="next">
              {words.moreResults}
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
