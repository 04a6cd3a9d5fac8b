// The one table of feed formats, and the one description of a feed family: the site's feeds,
// a tag's or an author's, in every format. Routes, pages (autodiscovery, feed links) and OPML
// all take titles, descriptions and URLs from here.

import type { Tag } from "../article.js";
import type { SiteConfig } from "../config.js";
import { renderAtom } from "./atom.js";
import { renderJson } from "./json.js";
import type { Feed } from "./model.js";
import { renderRss } from "./rss.js";

export interface FeedFormat {
  /** The file name in URLs. */
  file: "feed.xml" | "atom.xml" | "feed.json";
  /** The name in `?format=` (OPML). */
  name: "rss" | "atom" | "json";
  /** Media type, for autodiscovery links and OPML. */
  type: string;
  label: string;
  /** Content-Type of the response. */
  contentType: string;
  render: (feed: Feed) => string;
}

export const FEED_FORMATS: readonly FeedFormat[] = [
  {
    file: "feed.xml",
    name: "rss",
    type: "application/rss+xml",
    label: "RSS",
    contentType: "application/rss+xml; charset=utf-8",
    render: renderRss,
  },
  {
    file: "atom.xml",
    name: "atom",
    type: "application/atom+xml",
    label: "Atom",
    contentType: "application/atom+xml; charset=utf-8",
    render: renderAtom,
  },
  {
    file: "feed.json",
    name: "json",
    type: "application/feed+json",
    label: "JSON Feed",
    contentType: "application/feed+json; charset=utf-8",
    render: renderJson,
  },
];

export type Scope = { kind: "site" } | { kind: "tag"; subject: Tag } | { kind: "author"; subject: Tag };

export interface FeedFamily {
  /** Path prefix of the family: "", "/tags/<slug>" or "/authors/<slug>". */
  path: string;
  title: string;
  description: string;
  /** The HTML page the feeds mirror. */
  homeUrl: string;
  /** The family's feed in one format. */
  url: (format: FeedFormat) => string;
}

export function feedFamily(site: SiteConfig, scope: Scope): FeedFamily {
  const path = scope.kind === "site" ? "" : `/${scope.kind}s/${scope.subject.slug}`;
  return {
    path,
    title: scope.kind === "site" ? site.siteTitle : `${site.siteTitle}: ${scope.subject.name}`,
    description:
      scope.kind === "site"
        ? site.siteDescription
        : scope.kind === "tag"
          ? `Articles tagged “${scope.subject.name}” from ${site.siteTitle}`
          : `Articles by ${scope.subject.name} from ${site.siteTitle}`,
    homeUrl: `${site.siteUrl}${path || "/"}`,
    url: (format) => `${site.siteUrl}${path}/${format.file}`,
  };
}

export function formatByName(name: string): FeedFormat | undefined {
  return FEED_FORMATS.find((f) => f.name === name);
}
