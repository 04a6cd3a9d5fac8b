// OPML 2.0 list of every feed the site offers, in one format. Outlines say type="rss" whatever
// the format: that is what OPML 2.0 readers look for in a subscription list.

import { escapeXml } from "./xml.js";

export interface OpmlFeed {
  title: string;
  xmlUrl: string;
  htmlUrl: string;
}

export interface OpmlDocument {
  title: string;
  /** Epoch milliseconds; written as dateModified. */
  modified: number;
  site: OpmlFeed;
  tags: OpmlFeed[];
  authors: OpmlFeed[];
}

const outline = (f: OpmlFeed, indent: string) =>
  `${indent}<outline type="rss" text="${escapeXml(f.title)}" title="${escapeXml(f.title)}" xmlUrl="${escapeXml(f.xmlUrl)}" htmlUrl="${escapeXml(f.htmlUrl)}"/>`;

const group = (text: string, feeds: OpmlFeed[]) =>
  feeds.length === 0
    ? []
    : [`    <outline text="${escapeXml(text)}">`, ...feeds.map((f) => outline(f, "      ")), "    </outline>"];

export function renderOpml(doc: OpmlDocument): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    "  <head>",
    `    <title>${escapeXml(doc.title)}</title>`,
    `    <dateModified>${new Date(doc.modified).toUTCString()}</dateModified>`,
    "    <docs>http://opml.org/spec2.opml</docs>",
    "  </head>",
    "  <body>",
    outline(doc.site, "    "),
    ...group("Tags", doc.tags),
    ...group("Authors", doc.authors),
    "  </body>",
    "</opml>",
    "",
  ].join("\n");
}
