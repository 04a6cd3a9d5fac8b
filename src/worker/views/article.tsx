// An article's page: the article whole, its tags, and the sign-up box after it.

import { raw } from "hono/html";
import { formatInstant } from "../../core/dates.js";
import { feedFamily } from "../../core/feeds/family.js";
import { messages } from "../../core/i18n.js";
import { newsArticle } from "../../core/jsonld.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { siteWords } from "../../core/words/site.js";
import type { StoredArticle } from "../store/articles.js";
import { Byline, displayDate, render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { SignupBox, ZoneScript } from "./signup-box.js";

export function articlePage(p: PageContext, article: StoredArticle): Promise<string> {
  // The article's own fixed words (its date, "Updated", its tags' label) follow its language.
  const words = wordsOf(siteWords, article.lang ?? p.site.siteLanguage);
  const feeds = [
    feedFamily(p.site, { kind: "site" }),
    ...article.tags.map((subject) => feedFamily(p.site, { kind: "tag", subject })),
  ];
  return render(
    <Layout
      config={p.site}
      title={article.title}
      description={article.summary}
      canonical={article.url}
      feeds={feeds}
      lang={article.lang ?? undefined}
      image={article.image}
      article={{
        publishedAt: article.publishedAt,
        updatedAt: article.updatedAt,
        authors: article.authors.map((a) => `${p.site.siteUrl}/authors/${a.slug}`),
        tags: article.tags.map((t) => t.name),
      }}
      jsonLd={newsArticle(
        {
          ...article,
          lang: article.lang ?? p.site.siteLanguage,
          pageUrl: `${p.site.siteUrl}/articles/${article.slug}`,
        },
        p.site,
      )}
    >
      <article>
        <h1>{article.title}</h1>
        <Byline p={p} article={article} />
        {article.updatedAt !== null ? (
          <p class="meta updated">
            {messages(article.lang ?? p.site.siteLanguage).updated}{" "}
            <time datetime={formatInstant(article.updatedAt)}>{displayDate(p, article.updatedAt, article.lang)}</time>
          </p>
        ) : null}
        {article.image ? <img class="lead" src={article.image.url} alt={article.image.alt} /> : null}
        <div class="content">{raw(article.contentHtml)}</div>
        {article.tags.length > 0 ? (
          <div class="article-tags">
            <h2>{words.tags}</h2>
            <ul class="tags">
              {article.tags.map((tag) => (
                <li>
                  <a href={`/tags/${tag.slug}`} rel="tag">
                    {tag.name}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </article>
      <SignupBox p={p} source={`/articles/${article.slug}`} />
      <ZoneScript />
    </Layout>,
  );
}
