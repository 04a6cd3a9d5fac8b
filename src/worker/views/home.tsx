// The home page: the latest articles, the subscribe form with the most used tags, and the tags.

import { feedFamily } from "../../core/feeds/family.js";
import { webSite } from "../../core/jsonld.js";
import type { NameCount } from "../store/names.js";
import { ArticleList, blankForm, FeedLinks, type ListingPage, Pager, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SubscribeForm } from "./subscribe.js";

/** Tags the home page's form offers: the most used ones (the /subscribe page has them all). */
const HOME_FORM_TAGS = 10;

export function homePage(p: PageContext, page: ListingPage, tags: NameCount[]): Promise<string> {
  const feed = feedFamily(p.site, { kind: "site" });
  return render(
    <Layout
      config={p.site}
      title={p.site.siteTitle}
      canonical={`${p.site.siteUrl}${page.self ?? "/"}`}
      feeds={[feed]}
      jsonLd={page.first ? undefined : webSite(p.site)}
    >
      <h1>Latest</h1>
      <FeedLinks p={p} feed={feed} />
      <ArticleList p={p} articles={page.articles} />
      <Pager p={p} next={page.next} first={page.first} />
      <SubscribeForm tags={tags.slice(0, HOME_FORM_TAGS)} values={blankForm("/")} />
      {tags.length > 0 ? (
        <section>
          <h2>Tags</h2>
          <ul class="tags">
            {tags.map((tag) => (
              <li>
                <a href={`/tags/${tag.slug}`}>
                  {tag.name} <span class="meta">({tag.count})</span>
                </a>
              </li>
            ))}
          </ul>
          <p>
            <a href="/tags">All tags</a> · <a href="/authors">All authors</a>
          </p>
        </section>
      ) : null}
    </Layout>,
  );
}
