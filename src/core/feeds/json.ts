// JSON Feed 1.1, built directly: `feed`'s json1() writes version 1.0 with a single author.

import { formatInstant } from "../dates.js";
import type { Feed, FeedItem } from "./model.js";

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
    // The URL served, query included, like Atom's rel="self".
    feed_url: feed.links.self,
    description: feed.description,
    icon: feed.iconUrl,
    favicon: feed.faviconUrl,
    language: feed.language,
    authors: [{ name: feed.title, url: feed.homeUrl }],
    ...(feed.links.next ? { next_url: feed.links.next } : {}),
    ...(feed.links.hub ? { hubs: [{ type: "WebSub", url: feed.links.hub }] } : {}),
  };
  return JSON.stringify({ ...head, items: feed.items.map(jsonItem) });
}
