// WebSub for the publisher side: which feed URLs (topics) a write changed, the Link header that
// advertises the hub, and the publish ping's body. Pure: the time and the site are arguments.

import type { Article } from "./article.js";
import type { SiteConfig } from "./config.js";
import { FEED_FORMATS, feedFamily, type Scope } from "./feeds/family.js";

/** Topics named in one ping (one request to the hub, one queue message) at most. */
export const TOPICS_PER_PING = 100;

/** What of an article decides the feeds it is in and what they say. */
export type FeedFacts = Pick<
  Article,
  | "title"
  | "url"
  | "publishedAt"
  | "updatedAt"
  | "summary"
  | "image"
  | "lang"
  | "draft"
  | "authors"
  | "tags"
  | "contentHtml"
>;

/** Whether readers of the feeds see the article at `now`: published, not a draft, not scheduled. */
export function isPublic(article: Pick<Article, "draft" | "publishedAt">, now: number): boolean {
  return !article.draft && article.publishedAt <= now;
}

/** The three feed URLs of each collection: the site's, then each tag's and each author's. */
export function feedTopics(
  site: SiteConfig,
  articles: readonly Pick<Article, "tags" | "authors">[],
  includeSite = true,
): string[] {
  const scopes: Scope[] = includeSite ? [{ kind: "site" }] : [];
  const seen = new Set<string>();
  for (const article of articles) {
    for (const tag of article.tags) {
      if (!seen.has(`t/${tag.slug}`)) {
        seen.add(`t/${tag.slug}`);
        scopes.push({ kind: "tag", subject: tag });
      }
    }
    for (const author of article.authors) {
      if (!seen.has(`a/${author.slug}`)) {
        seen.add(`a/${author.slug}`);
        scopes.push({ kind: "author", subject: author });
      }
    }
  }
  return scopes.flatMap((scope) => {
    const family = feedFamily(site, scope);
    return FEED_FORMATS.map((format) => family.url(format));
  });
}

/**
 * The feed URLs a write changed, given the article before it (null for a new one) and after it
 * (null once deleted): none when no reader could see it on either side or nothing a feed shows
 * changed; otherwise the site's feeds and those of every tag and author it had before or has after.
 */
export function changedTopics(
  site: SiteConfig,
  before: FeedFacts | null,
  after: FeedFacts | null,
  now: number,
): string[] {
  const was = before && isPublic(before, now) ? before : null;
  const is = after && isPublic(after, now) ? after : null;
  if (!was && !is) return [];
  if (was && is && sameFeedFacts(was, is)) return [];
  return feedTopics(
    site,
    [was, is].filter((a) => a !== null),
  );
}

function facts(a: FeedFacts): string {
  return JSON.stringify([
    a.title,
    a.url,
    a.publishedAt,
    a.updatedAt,
    a.summary,
    a.image,
    a.lang,
    a.draft,
    a.authors,
    a.tags,
    a.contentHtml,
  ]);
}

function sameFeedFacts(a: FeedFacts, b: FeedFacts): boolean {
  return facts(a) === facts(b);
}

/** Topics in groups of TOPICS_PER_PING: one ping each. */
export function pingGroups(topics: readonly string[], size = TOPICS_PER_PING): string[][] {
  const groups: string[][] = [];
  for (let start = 0; start < topics.length; start += size) groups.push(topics.slice(start, start + size));
  return groups;
}

/**
 * The publish ping as Google's hub documents it and Superfeedr and others accept: a form with
 * hub.mode=publish and hub.url repeated once per updated topic.
 */
export function pingBody(topics: readonly string[]): string {
  const form = new URLSearchParams({ "hub.mode": "publish" });
  for (const topic of topics) form.append("hub.url", topic);
  return form.toString();
}

/** WebSub 4 (discovery) as an HTTP header: `Link: <hub>; rel="hub", <self>; rel="self"`. */
export function discoveryLink(hub: string, self: string): string {
  return `<${hub}>; rel="hub", <${self}>; rel="self"`;
}
