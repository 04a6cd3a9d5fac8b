// RSS 2.0, written by the `feed` package through the placeholder layer (xml.ts).
// Additions feed lacks: dc:creator, dc:language, media:content, RFC 5005 paging links.

import { type Extension, Feed as FeedWriter } from "feed";
import { escapeHtml } from "../text.js";
import { type Feed, type FeedLinks, PAGING_RELS } from "./model.js";
import { cdata, Placeholders } from "./xml.js";

/** feed types extension values as objects, but writes arrays (repeated elements) just as well. */
const extension = (name: string, value: unknown): Extension => ({ name, objects: value as Record<string, unknown> });

const MEDIA_NS = ' xmlns:media="http://search.yahoo.com/mrss/"';

export function renderRss(feed: Feed): string {
  const p = new Placeholders();
  const writer = new FeedWriter({
    title: p.rssText(feed.title),
    description: p.rssText(feed.description),
    link: feed.homeUrl,
    language: feed.language,
    ttl: feed.ttl,
    image: p.text(feed.iconUrl),
    // Without this feed writes the time of the request, and no two responses would match.
    updated: new Date(feed.updated),
    generator: p.rssText(feed.generator),
    docs: "https://www.rssboard.org/rss-specification",
    // Declares the atom namespace; the extension below replaces feed's lone self link.
    feed: feed.links.self,
  });
  writer.addExtension(extension("atom:link", pagingLinks(feed.links, p)));
  for (const item of feed.items) {
    // One dc:creator naming everyone: readers keep only one (feedparser and newsboat the last).
    const extensions = item.authors.length > 0 ? [extension("dc:creator", [p.rssText(joinNames(item.authors))])] : [];
    if (item.lang && item.lang !== feed.language) extensions.push(extension("dc:language", [p.rssText(item.lang)]));
    if (item.image) {
      const { url, type, alt, bytes } = item.image;
      extensions.push(
        extension("media:content", {
          _attributes: {
            url: p.text(url),
            medium: "image",
            type: type ?? undefined,
            ...(bytes === null ? {} : { fileSize: bytes }),
          },
          ...(alt ? { "media:description": { _attributes: { type: "plain" }, _text: p.rssText(alt) } } : {}),
        }),
      );
    }
    writer.addItem({
      // Titles are plain text: escaped once, so no reader sees markup in them.
      title: p.rssText(item.title),
      link: item.url,
      // A guid equal to the link is a permalink; otherwise feed marks it isPermaLink="false".
      ...(item.id === item.url ? {} : { guid: p.rssText(item.id) }),
      date: new Date(item.published),
      // description is HTML to readers: the plain-text summary is escaped as HTML first.
      description: p.put(cdata(escapeHtml(item.summary))),
      content: p.put(cdata(item.contentHtml)),
      category: item.tags.map((t) => ({ name: p.rssText(t.name), domain: feed.tagsUrl })),
      // length is required: 0 when the size is unknown, as the RSS Advisory Board advises.
      ...(item.image?.type
        ? { image: { url: item.image.url, type: item.image.type, length: item.image.bytes ?? 0 } }
        : {}),
      extensions,
    });
  }
  let xml = writer.rss2();
  if (feed.items.some((i) => i.image)) xml = xml.replace('<rss version="2.0"', `<rss version="2.0"${MEDIA_NS}`);
  return p.fill(xml);
}

function pagingLinks(links: FeedLinks, p: Placeholders) {
  const out: { _attributes: Record<string, string> }[] = [
    { _attributes: { href: p.text(links.self), rel: "self", type: "application/rss+xml" } },
  ];
  if (links.hub) out.push({ _attributes: { href: p.text(links.hub), rel: "hub" } });
  for (const [key, rel] of PAGING_RELS) {
    const href = links[key];
    if (href) out.push({ _attributes: { href: p.text(href), rel, type: "application/rss+xml" } });
  }
  return out;
}

/** Every author in one line, in no particular language: "Dana Kim, Zoë Ortega". */
function joinNames(people: readonly { name: string }[]): string {
  return people.map((p) => p.name).join(", ");
}
