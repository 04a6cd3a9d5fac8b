// Atom 1.0, written by the `feed` package through the placeholder layer (xml.ts).
// Fixes: titles and summaries escaped as HTML (feed declares them type="html" but writes the
// raw text, so markup in a title would render), categories with a term, xml:lang, enclosure
// MIME types, RFC 5005 paging links.

import { Feed as FeedWriter } from "feed";
import { escapeHtml } from "../text.js";
import { type Feed, PAGING_RELS } from "./model.js";
import { cdata, escapeXml, Placeholders } from "./xml.js";

// feed derives an enclosure's type from the file extension.
const ENCLOSURE_TYPES: Record<string, string> = { "image/jpg": "image/jpeg", "image/svg": "image/svg+xml" };

export function renderAtom(feed: Feed): string {
  const p = new Placeholders();
  const writer = new FeedWriter({
    id: p.text(feed.id),
    title: p.text(feed.title),
    description: p.text(feed.description),
    link: feed.homeUrl,
    feed: feed.links.self,
    updated: new Date(feed.updated),
    generator: p.text(feed.generator),
    // RFC 4287 4.1.1: a feed whose entries lack authors needs one of its own.
    author: { name: p.text(feed.title) },
    image: p.text(feed.iconUrl),
    favicon: p.text(feed.faviconUrl),
  });
  for (const item of feed.items) {
    writer.addItem({
      // type="html" holding escaped text reads as the plain text even in readers that
      // ignore the type and decode entities, and the validator finds no undeclared markup.
      title: p.text(escapeHtml(item.title)),
      id: item.id,
      link: item.url,
      date: new Date(item.updated),
      published: new Date(item.published),
      description: p.text(escapeHtml(item.summary)),
      content: p.put(cdata(item.contentHtml)),
      // No <email>: feedparser gives an author without one the email of the author before it,
      // and JSON Feed and RSS (dc:creator) carry no emails either.
      author: item.authors.map((a) => ({ name: p.text(a.name), ...(a.url ? { link: a.url } : {}) })),
      // feed writes `name` as the label and leaves out the term unless given.
      category: item.tags.map((t) => ({ term: p.text(t.slug), name: p.text(t.name), scheme: feed.tagsUrl })),
      ...(item.image?.type
        ? {
            image: {
              url: item.image.url,
              // A blank title is a validator warning: an image without alt text has none.
              ...(item.image.alt ? { title: p.text(item.image.alt) } : {}),
              ...(item.image.bytes === null ? {} : { length: item.image.bytes }),
            },
          }
        : {}),
    });
  }
  // Structural fixes happen before placeholders are filled, so article text can never match them.
  // The whole-document passes run only when some entry needs them.
  let xml = writer
    .atom1()
    .replace(
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.language)}">`,
    )
    .replace(/(<link rel="self" href="[^"]*"\/>)/, (self) => self + pagingLinks(feed));
  if (feed.items.some((i) => i.lang && i.lang !== feed.language)) {
    let entry = 0;
    xml = xml.replace(/<entry>/g, () => {
      const lang = feed.items[entry++]?.lang;
      return lang && lang !== feed.language ? `<entry xml:lang="${escapeXml(lang)}">` : "<entry>";
    });
  }
  if (feed.items.some((i) => i.image?.type === "image/jpeg" || i.image?.type === "image/svg+xml")) {
    xml = xml.replace(/ type="(image\/jpg|image\/svg)"/g, (_, type: string) => ` type="${ENCLOSURE_TYPES[type]}"`);
  }
  return p.fill(xml);
}

function pagingLinks(feed: Feed): string {
  const hub = feed.links.hub ? `\n    <link rel="hub" href="${escapeXml(feed.links.hub)}"/>` : "";
  return (
    hub +
    PAGING_RELS.map(([key, rel]) => {
      const href = feed.links[key];
      return href ? `\n    <link rel="${rel}" type="application/atom+xml" href="${escapeXml(href)}"/>` : "";
    }).join("")
  );
}
