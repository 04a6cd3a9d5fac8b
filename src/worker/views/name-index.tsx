// /tags and /authors: the index of every tag or author name.

import { feedFamily } from "../../core/feeds/family.js";
import { messages } from "../../core/i18n.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { pagesWords } from "../../core/words/pages.js";
import { siteWords } from "../../core/words/site.js";
import type { NameCount } from "../store/names.js";
import { Pager, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

export interface NameIndexPage {
  kind: "tag" | "author";
  names: NameCount[];
  next: string | null;
  first: string | null;
}

/** /tags and /authors: every name with its number of public articles, alphabetical. */
export function nameIndexPage(p: PageContext, page: NameIndexPage): Promise<string> {
  const words = messages(p.site.siteLanguage);
  const own = wordsOf(pagesWords, p.site.siteLanguage);
  const nav = wordsOf(siteWords, p.site.siteLanguage).nav;
  const title = page.kind === "tag" ? nav.tags : nav.authors;
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
          {own.noNames(page.kind)} <a href="/">{own.seeLatest}</a>.
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
