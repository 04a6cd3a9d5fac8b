// JSON Feed 1.1, built directly: `feed`'s json1() writes version 1.0 with a single author.
// Each item's JSON is also stored at write time (jsonFeedItem), so a render only joins strings.

import { formatInstant } from "../dates.js";
import type { Feed, FeedItem } from "./model.js";

/** One item of a JSON Feed 1.1, serialized. */
export function jsonFeedItem(item: FeedItem): string {
  return JSON.stringify(jsonItem(item));
}

function jsonItem(item: FeedItem) {
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: item.contentHtml,
    summary: item.summary,
    ...(item.image ? { image: item.image.url } : {}),
    date_published: formatInstant(item.published),
    date_modified: formatInstant(item.updated),
    ...(item.authors.length > 0
      ? { authors: item.authors.map((a) => ({ name: a.name, ...(a.url ? { url: a.url } : {}) })) }
      : {}),
    ...(item.tags.length > 0 ? { tags: item.tags.map((t) => t.name) } : {}),
    ...(item.lang ? { language: item.lang } : {}),
  };
}

export function renderJson(feed: Feed): string {
  const head = {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.id,
    description: feed.description,
    icon: feed.iconUrl,
    favicon: feed.faviconUrl,
    language: feed.language,
    authors: [{ name: feed.title, url: feed.homeUrl }],
    ...(feed.links.next ? { next_url: feed.links.next } : {}),
  };
  // Without stored items, one JSON.stringify of the whole document is the fastest path.
  if (!feed.items.some((item) => item.json)) return JSON.stringify({ ...head, items: feed.items.map(jsonItem) });
  const items = feed.items.map((item) => item.json ?? jsonFeedItem(item)).join(",");
  return `${JSON.stringify(head).slice(0, -1)},"items":[${items}]}`;
}
