// RSS 2.0 (https://www.rssboard.org/rss-specification), Atom 1.0 (RFC 4287) and JSON Feed 1.1
// (https://www.jsonfeed.org/version/1.1/) read into imported items: the full content where the
// feed has it (content:encoded, Atom content of any type, content_html or content_text), the
// summary otherwise (description, Atom summary, JSON summary), marked summaryOnly. The next older
// document is RFC 5005's prev-archive link (JSON Feed: next_url).

import { escapeHtml } from "../text.js";
import { fromRfc822, fromRfc3339 } from "./dates.js";
import {
  ImportError,
  type ImportedPerson,
  type ImportedSource,
  itemLabel,
  laterUpdate,
  oneLine,
  problem,
} from "./model.js";
import { child, childrenNamed, childText, innerXml, isElement, textOf, type XmlElement } from "./xml.js";

/** Plain text as HTML paragraphs (a JSON Feed content_text, an Atom type="text" body). */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/** A link element of any prefix (link, atom:link, a10:link) with this rel. */
function relLink(element: XmlElement, rel: string): string | undefined {
  for (const c of element.children) {
    if (!isElement(c) || !/(^|:)link$/.test(c.name)) continue;
    if ((c.attrs.rel ?? "alternate") === rel && c.attrs.href) return c.attrs.href.trim();
  }
  return undefined;
}

/** RSS's "email (Name)" or a bare name. */
function rssPerson(text: string): ImportedPerson {
  const m = /^\s*(\S+@\S+)\s*\((.+)\)\s*$/.exec(text);
  if (m) return { name: oneLine(m[2] as string), email: m[1] as string };
  return /^\S+@\S+$/.test(text.trim()) ? { name: text.trim(), email: text.trim() } : { name: oneLine(text) };
}

export function readRss(channel: XmlElement, file: string): ImportedSource {
  const source: ImportedSource = { kind: "rss", file, items: [], problems: [], skipped: [] };
  const archive = relLink(channel, "prev-archive");
  if (archive) source.archive = archive;
  const lang = childText(channel, "language");
  for (const [i, item] of childrenNamed(channel, "item").entries()) {
    const title = childText(item, "title");
    const label = itemLabel(i, title);
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    const pubDate = childText(item, "pubdate");
    const dcDate = childText(item, "dc:date");
    const date = pubDate ? fromRfc822(pubDate) : dcDate ? fromRfc3339(dcDate) : null;
    if (!title) {
      fail("title", "is missing; every article needs a title");
      continue;
    }
    if (date === null) {
      fail(
        pubDate || !dcDate ? "pubDate" : "dc:date",
        pubDate || dcDate
          ? `"${(pubDate ?? dcDate ?? "").slice(0, 80)}" is not an RFC 822 date like "Mon, 10 Jan 2022 16:00:00 +0600"`
          : "is missing; every article needs its date",
      );
      continue;
    }
    const full = childText(item, "content:encoded");
    const description = childText(item, "description");
    const creators = childrenNamed(item, "dc:creator").map((c) => oneLine(textOf(c)));
    const author = childText(item, "author");
    const enclosure = child(item, "enclosure");
    const link = childText(item, "link") ?? guidLink(item);
    source.items.push({
      label,
      title: oneLine(title),
      date,
      slug: null,
      authors: [...(author ? [rssPerson(author)] : []), ...creators.filter((c) => c !== "").map((name) => ({ name }))],
      tags: childrenNamed(item, "category")
        .map((c) => oneLine(textOf(c)))
        .filter((t) => t !== ""),
      html: full ?? description ?? "",
      htmlField: full ? "content:encoded" : "description",
      summaryOnly: full === undefined,
      ...(link ? { link } : {}),
      ...(enclosure?.attrs.url && /^image\//.test(enclosure.attrs.type ?? "")
        ? { image: { url: enclosure.attrs.url } }
        : {}),
      ...(lang ? { lang } : {}),
      draft: false,
    });
  }
  return source;
}

function guidLink(item: XmlElement): string | undefined {
  const guid = child(item, "guid");
  if (!guid || guid.attrs.ispermalink === "false") return undefined;
  const text = textOf(guid).trim();
  return /^https?:\/\//.test(text) ? text : undefined;
}

/** What an Atom entry and a JSON Feed item share: the feed's authors stand in for none. */
function entryHead(
  label: string,
  title: string,
  date: string,
  updated: string | null,
  authors: ImportedPerson[],
  feedAuthors: ImportedPerson[],
) {
  return {
    label,
    title,
    date,
    ...laterUpdate(updated, date),
    slug: null,
    authors: authors.length > 0 ? authors : feedAuthors,
  };
}

function atomPeople(element: XmlElement): ImportedPerson[] {
  return childrenNamed(element, "author")
    .map((a) => {
      const email = childText(a, "email");
      const uri = childText(a, "uri");
      return { name: oneLine(childText(a, "name") ?? ""), ...(email ? { email } : {}), ...(uri ? { url: uri } : {}) };
    })
    .filter((p) => p.name !== "");
}

/** An Atom text construct (RFC 4287 3.1) as HTML. */
function atomHtml(element: XmlElement): string {
  const type = element.attrs.type ?? "text";
  if (type === "xhtml") {
    const div = element.children.find((c): c is XmlElement => isElement(c) && /(^|:)div$/.test(c.name));
    return div ? innerXml(div) : innerXml(element);
  }
  if (type === "html" || type === "text/html") return textOf(element);
  return textToHtml(textOf(element));
}

/** An Atom text construct as one line of plain text (a title). */
function atomText(element: XmlElement | undefined): string {
  if (!element) return "";
  const type = element.attrs.type ?? "text";
  const text = type === "text" ? textOf(element) : atomHtml(element).replace(/<[^>]*>/g, "");
  return oneLine(type === "text" ? text : decodeBasic(text));
}

function decodeBasic(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    const lower = name.toLowerCase();
    if (named[lower]) return named[lower];
    const code = lower.startsWith("#x") ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

export function readAtom(feed: XmlElement, file: string): ImportedSource {
  const source: ImportedSource = { kind: "atom", file, items: [], problems: [], skipped: [] };
  const archive = relLink(feed, "prev-archive");
  if (archive) source.archive = archive;
  const feedAuthors = atomPeople(feed);
  const feedLang = feed.attrs["xml:lang"];
  for (const [i, entry] of childrenNamed(feed, "entry").entries()) {
    const title = atomText(child(entry, "title"));
    const label = itemLabel(i, title);
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    if (!title) {
      fail("title", "is missing; every article needs a title");
      continue;
    }
    const published = childText(entry, "published");
    const updatedText = childText(entry, "updated");
    const dateText = published ?? updatedText;
    const date = dateText ? fromRfc3339(dateText) : null;
    if (date === null) {
      fail(
        published ? "published" : "updated",
        dateText
          ? `"${dateText.slice(0, 80)}" is not an RFC 3339 date-time`
          : "is missing; every article needs its date",
      );
      continue;
    }
    const updated = published && updatedText ? fromRfc3339(updatedText) : null;
    const content = child(entry, "content");
    const summary = child(entry, "summary");
    // Content given by reference (src="...") is not in the feed: the summary stands in.
    const full = content && !content.attrs.src ? content : undefined;
    const authors = atomPeople(entry);
    const link = relLink(entry, "alternate");
    const lang = entry.attrs["xml:lang"] ?? feedLang;
    source.items.push({
      ...entryHead(label, title, date, updated, authors, feedAuthors),
      tags: childrenNamed(entry, "category")
        .map((c) => oneLine(c.attrs.label ?? c.attrs.term ?? ""))
        .filter((t) => t !== ""),
      html: full ? atomHtml(full) : summary ? atomHtml(summary) : "",
      htmlField: full ? "content" : "summary",
      summaryOnly: full === undefined,
      ...(summary && full ? { summary: atomText(summary) } : {}),
      ...(link ? { link } : {}),
      ...(lang ? { lang } : {}),
      draft: false,
    });
  }
  return source;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

export function readJsonFeed(data: Json, file: string): ImportedSource {
  const source: ImportedSource = { kind: "json", file, items: [], problems: [], skipped: [] };
  if (!Array.isArray(data.items)) throw new ImportError(`${file}: items: must be a list (JSON Feed 1.1)`);
  const next = str(data.next_url);
  if (next) source.archive = next;
  const feedAuthors = jsonPeople(data);
  const feedLang = str(data.language);
  for (const [i, item] of data.items.entries()) {
    if (!isObject(item)) {
      source.problems.push(problem(file, itemLabel(i, undefined), "(item)", "must be a JSON object"));
      continue;
    }
    const title = oneLine(str(item.title) ?? "");
    const label = itemLabel(i, title);
    const fail = (field: string, message: string) => source.problems.push(problem(file, label, field, message));
    if (!title) {
      fail("title", "is missing; every article needs a title");
      continue;
    }
    const published = str(item.date_published) ?? str(item.date_modified);
    const date = published ? fromRfc3339(published) : null;
    if (date === null) {
      fail(
        "date_published",
        published
          ? `"${published.slice(0, 80)}" is not an RFC 3339 date-time`
          : "is missing; every article needs its date",
      );
      continue;
    }
    const modified = str(item.date_modified);
    const updated = modified ? fromRfc3339(modified) : null;
    const html = str(item.content_html);
    const text = str(item.content_text);
    const summary = str(item.summary);
    const authors = jsonPeople(item);
    const link = str(item.url) ?? str(item.external_url);
    const image = str(item.image) ?? str(item.banner_image);
    const lang = str(item.language) ?? feedLang;
    source.items.push({
      ...entryHead(label, title, date, updated, authors, feedAuthors),
      tags: (Array.isArray(item.tags) ? item.tags : []).map((t) => oneLine(String(t))).filter((t) => t !== ""),
      html: html ?? (text ? textToHtml(text) : textToHtml(summary ?? "")),
      htmlField: html ? "content_html" : text ? "content_text" : "summary",
      summaryOnly: html === undefined && text === undefined,
      ...(summary && (html || text) ? { summary: oneLine(summary) } : {}),
      ...(link ? { link } : {}),
      ...(image ? { image: { url: image } } : {}),
      ...(lang ? { lang } : {}),
      draft: false,
    });
  }
  return source;
}

/** JSON Feed 1.1's `authors`, or 1.0's `author`. */
function jsonPeople(object: Json): ImportedPerson[] {
  const list = Array.isArray(object.authors) ? object.authors : isObject(object.author) ? [object.author] : [];
  return list.filter(isObject).flatMap((a) => {
    const name = oneLine(str(a.name) ?? "");
    const url = str(a.url);
    return name ? [{ name, ...(url ? { url } : {}) }] : [];
  });
}
