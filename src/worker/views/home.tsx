// The home page: what the publication is and its sign-up box first, on every width, then the
// latest articles, a page at a time, and the most used tags.

import { feedFamily } from "../../core/feeds/family.js";
import { webSite } from "../../core/jsonld.js";
import { formatNumber, wordsOf } from "../../core/words/catalogue.js";
import { siteWords } from "../../core/words/site.js";
import type { NameCount } from "../store/names.js";
import { ArticleList, FeedLinks, type ListingPage, Pager, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SignupBox, ZoneScript } from "./signup-box.js";

export function homePage(p: PageContext, page: ListingPage, tags: NameCount[]): Promise<string> {
  const feed = feedFamily(p.site, { kind: "site" });
  const lang = p.site.siteLanguage;
  const words = wordsOf(siteWords, lang);
  return render(
    <Layout
      config={p.site}
      title={p.site.siteTitle}
      canonical={`${p.site.siteUrl}${page.self ?? "/"}`}
      feeds={[feed]}
      jsonLd={page.first ? undefined : webSite(p.site)}
    >
      <h1>{p.site.siteTitle}</h1>
      <p class="lede">{p.site.siteDescription}</p>
      <SignupBox p={p} source="/" />
      <section aria-labelledby="latest">
        <h2 id="latest">{words.latest}</h2>
        <FeedLinks p={p} feed={feed} />
        <ArticleList p={p} articles={page.articles} level={3} />
        <Pager p={p} next={page.next} first={page.first} />
      </section>
      {tags.length > 0 ? (
        <section aria-labelledby="tags">
          <h2 id="tags">{words.tags}</h2>
          <ul class="tags">
            {tags.map((tag) => (
              <li>
                <a href={`/tags/${tag.slug}`}>
                  {tag.name} <span class="meta">({formatNumber(lang, tag.count)})</span>
                </a>
              </li>
            ))}
          </ul>
          <p>
            <a href="/tags">{words.allTags}</a> · <a href="/authors">{words.allAuthors}</a>
          </p>
        </section>
      ) : null}
      <ZoneScript />
    </Layout>,
  );
}
