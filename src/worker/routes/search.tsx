// Full-text search: GET /search (the page; an empty query shows the form) and GET /api/search
// (JSON, CORS "*", strict query like the rest of /api). Both take `q` and `page` (1 to 10, ten
// hits a page), turn q into an FTS5 expression (core/search.ts) before any I/O, so a malformed
// query is a 400 (the API's names q; the page shows the form again saying what is wrong), and
// cache by content version and the normalised query. The page also says how many match.

import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import * as v from "valibot";
import { apiItem } from "../../core/api-item.js";
import { newestChangeOf } from "../../core/article.js";
import { ftsQuery, normaliseQuery, QueryError, unmark } from "../../core/search.js";
import type { AppEnv } from "../env.js";
import { fieldProblem } from "../errors.js";
import { cached } from "../http-cache.js";
import { query, wholeNumber } from "../query.js";
import type { Services } from "../services.js";
import type { Hits } from "../store/search.js";
import { pageContext } from "../views/page-context.js";
import { searchPage } from "../views/search.js";

/** Hits per page. */
const PAGE_SIZE = 10;
/** Deepest page: past it, a reader should say more precisely what they are looking for. */
const MAX_PAGE = 10;

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
const CORS = { "access-control-allow-origin": "*" };

const q = v.optional(v.string());
const page = wholeNumber(1, MAX_PAGE);

export const search = new Hono<AppEnv>();

search.use("/api/search", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 }));

/** A QueryError (from parsing q, or from FTS5 itself) is the reader's 400 naming q. */
function rethrowAsBadRequest(error: unknown): never {
  if (error instanceof QueryError) throw fieldProblem({ field: "q", message: error.message });
  throw error;
}

/** The FTS5 expression for q, or the reader's 400 naming q. */
function matchOf(text: string): string {
  try {
    return ftsQuery(text);
  } catch (error) {
    rethrowAsBadRequest(error);
  }
}

/** The canonical query string of a page of results (also the cache key's). */
function searchString(text: string, n: number): string {
  const params = new URLSearchParams({ q: text });
  if (n > 1) params.set("page", String(n));
  return `?${params}`;
}

async function hitsOf(s: Services, match: string, n: number, asOf: number): Promise<Hits> {
  try {
    return await s.search.search(match, asOf, PAGE_SIZE, (n - 1) * PAGE_SIZE);
  } catch (error) {
    rethrowAsBadRequest(error);
  }
}

/** The search page with no hits to list: the form alone, or the form and what is wrong with q. */
const noHits = { hits: [], total: null, page: 1, start: 1, next: null, prev: null };

search.get("/search", query({ q, page }, "lenient"), async (c) => {
  const { services: s } = c.var;
  const params = c.req.valid("query");
  const text = normaliseQuery(params.q ?? "");
  const n = params.page ?? 1;
  if (text === "") {
    return cached(c, {
      key: "/search",
      render: async () => ({
        body: await searchPage(pageContext(s), { ...noHits, q: "" }),
        contentType: HTML,
        lastModified: 0,
      }),
    });
  }
  // A malformed query is the reader's 400: the page again, with their query and what is wrong
  // with it in the site's language (the API says it in English, as problem+json).
  try {
    const match = ftsQuery(text);
    return await searchResults(c, s, text, match, n);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const body = await searchPage(pageContext(s), { ...noHits, q: text, problem: error.problem });
    return c.body(body, 400, { "content-type": HTML, "cache-control": "no-store" });
  }
});

function searchResults(c: Context<AppEnv>, s: Services, text: string, match: string, n: number) {
  return cached(c, {
    key: `/search${searchString(text, n)}`,
    render: async ({ asOf }) => {
      const { hits, more, total } = await s.search.search(match, asOf, PAGE_SIZE, (n - 1) * PAGE_SIZE, true);
      const body = await searchPage(pageContext(s), {
        q: text,
        total: total ?? null,
        hits: hits.map((hit) => ({
          slug: hit.article.slug,
          title: unmark(hit.title),
          snippet: unmark(hit.snippet),
          publishedAt: hit.article.publishedAt,
          lang: hit.article.lang,
          image: hit.article.image?.url ?? null,
        })),
        page: n,
        start: (n - 1) * PAGE_SIZE + 1,
        next: more && n < MAX_PAGE ? `/search${searchString(text, n + 1)}` : null,
        prev: n > 1 ? `/search${searchString(text, n - 1)}` : null,
      });
      return { body, contentType: HTML, lastModified: newestChangeOf(hits.map((hit) => hit.article)) };
    },
  });
}

search.get("/api/search", query({ q, page }, "strict"), (c) => {
  const { services: s } = c.var;
  const params = c.req.valid("query");
  const text = normaliseQuery(params.q ?? "");
  if (text === "") throw fieldProblem({ field: "q", message: "is required: the words to search for" });
  const n = params.page ?? 1;
  const match = matchOf(text);
  return cached(c, {
    key: `/api/search${searchString(text, n)}`,
    headers: CORS,
    render: async ({ asOf }) => {
      const { hits, more } = await hitsOf(s, match, n, asOf);
      const items = hits.map((hit) => {
        const { content_html: _html, draft: _draft, ...item } = apiItem(hit.article);
        const title = unmark(hit.title);
        return { ...item, title_marks: title.marks, snippet: unmark(hit.snippet) };
      });
      // On the site's origin, never the Host header's.
      const next = more && n < MAX_PAGE ? `${s.site.siteUrl}/api/search${searchString(text, n + 1)}` : null;
      return {
        body: JSON.stringify({ items, next }),
        contentType: JSON_TYPE,
        lastModified: newestChangeOf(hits.map((hit) => hit.article)),
      };
    },
  });
});
