// A tag's or an author's page: their feeds, a sign-up box (a tag's asks for that tag's articles),
// and their articles, newest first, a page at a time.

import type { Tag } from "../../core/article.js";
import { feedFamily } from "../../core/feeds/family.js";
import { messages } from "../../core/i18n.js";
import { ArticleList, FeedLinks, type ListingPage, Pager, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SignupBox, ZoneScript } from "./signup-box.js";

export function listingPage(p: PageContext, kind: "tag" | "author", subject: Tag, page: ListingPage): Promise<string> {
  const feed = feedFamily(p.site, { kind, subject });
  const words = messages(p.site.siteLanguage);
  const heading = kind === "tag" ? words.tagged(subject.name) : words.byAuthor(subject.name);
  const path = `/${kind}s/${subject.slug}`;
  return render(
    <Layout
      config={p.site}
      title={subject.name}
      canonical={`${p.site.siteUrl}${page.self ?? path}`}
      feeds={[feed, feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{heading}</h1>
      <FeedLinks p={p} feed={feed} />
      {kind === "tag" ? (
        <SignupBox p={p} source={path} tags={[subject.slug]} tagName={subject.name} />
      ) : (
        <SignupBox p={p} source={path} />
      )}
      <ArticleList p={p} articles={page.articles} />
      <Pager p={p} next={page.next} first={page.first} />
      <ZoneScript />
    </Layout>,
  );
}
