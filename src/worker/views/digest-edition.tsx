// A digest's web edition (the email's "View in browser" link, a shared link): a page of the site,
// with its header and navigation, the edition's heading and date, its headlines linking to the
// articles with their summary lines, the editions before and after it, and a sign-up box. The
// email itself is rendered by core/digest/render.ts and is not this page.

import { articleAnchor, MAX_EMAIL_ITEMS } from "../../core/digest/render.js";
import { feedFamily } from "../../core/feeds/family.js";
import { messages } from "../../core/i18n.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { digestsWords } from "../../core/words/digests.js";
import type { StoredArticle } from "../store/articles.js";
import { ArticleList, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SignupBox, ZoneScript } from "./signup-box.js";

/** Another edition: its web edition's URL and its period as written ("Monday, January 10, 2022"). */
export interface EditionLink {
  url: string;
  period: string;
}

export interface EditionPage {
  /** "Daily digest, Monday, January 10, 2022". */
  heading: string;
  /** "3 articles tagged Transit from The Steppe Ledger." */
  intro: string;
  /** The window's public articles, newest first. */
  articles: StoredArticle[];
  previous: EditionLink | null;
  next: EditionLink | null;
  /** The page's path without its query: /digests/daily/2022-01-10 (the sign-up's source). */
  path: string;
  /** The page's canonical URL (with its tag filter, if any). */
  canonical: string;
  /** The tag filter's slugs: the sign-up box asks for the same tags. */
  tags: readonly string[];
}

export function digestEditionPage(p: PageContext, page: EditionPage): Promise<string> {
  const lang = p.site.siteLanguage;
  const words = messages(lang);
  const own = wordsOf(digestsWords, lang);
  const { previous, next } = page;
  return render(
    <Layout
      config={p.site}
      title={page.heading}
      description={page.intro}
      canonical={page.canonical}
      feeds={[feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{page.heading}</h1>
      <p class="meta">{page.intro}</p>
      <ArticleList p={p} articles={page.articles.slice(0, MAX_EMAIL_ITEMS)} anchor={articleAnchor} />
      {page.articles.length > MAX_EMAIL_ITEMS ? (
        // Emails sent before each entry had its id link here (#more).
        <section id="more" aria-labelledby="more-heading">
          <h2 id="more-heading">{words.moreArticles}</h2>
          <ArticleList p={p} articles={page.articles.slice(MAX_EMAIL_ITEMS)} level={3} anchor={articleAnchor} />
        </section>
      ) : null}
      {previous || next ? (
        <nav class="pager editions" aria-label={own.editions}>
          {previous ? (
            <a href={previous.url} rel="prev">
              ← {words.previousEdition(previous.period)}
            </a>
          ) : (
            <span />
          )}
          {next ? (
            <a href={next.url} rel="next">
              {words.nextEdition(next.period)} →
            </a>
          ) : null}
        </nav>
      ) : null}
      <SignupBox p={p} source={page.path} tags={page.tags} />
      <ZoneScript />
      <p>
        <a href="/digests">{own.allDigests}</a>
      </p>
    </Layout>,
  );
}
