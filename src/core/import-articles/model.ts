// What every source (feeds, WordPress, Ghost, Substack) is read into, and how a problem is named:
// the file, the item (its number and title) and the field, so a publisher can find it.

export interface ImportedPerson {
  name: string;
  email?: string;
  url?: string;
}

/** One article as a source gives it, before it becomes a content file. */
export interface ImportedItem {
  /** Where it was found, for messages: `item 3 ("Night buses")`. */
  label: string;
  title: string;
  /** ISO 8601 with the zone the source gave ("2022-01-10T16:00:00+06:00"). */
  date: string;
  updated?: string;
  /** The source's slug, or null to derive one from the link or the title. */
  slug: string | null;
  authors: ImportedPerson[];
  tags: string[];
  /** The body as the source gives it: HTML (sanitized later), or the summary when `summaryOnly`. */
  html: string;
  /** The field the body came from, named in messages ("content:encoded", "html"). */
  htmlField: string;
  /** The source has only a summary of this article: the body says so and links to it. */
  summaryOnly: boolean;
  summary?: string;
  /** The article's address at the source (its permalink), absolute. */
  link?: string;
  /** A canonical URL the source states for it (Ghost's canonical_url). */
  canonical?: string;
  image?: { url: string; alt?: string };
  lang?: string;
  draft: boolean;
}

/** A source read: its items, the problems of the items skipped, and where its archive goes on. */
export interface ImportedSource {
  kind: "rss" | "atom" | "json" | "wordpress" | "ghost" | "substack";
  /** The document, as named in messages. */
  file: string;
  items: ImportedItem[];
  problems: string[];
  /** Items left out on purpose (pages, attachments, podcasts...), with why, for the report. */
  skipped: string[];
  /** RFC 5005 `prev-archive` (or JSON Feed `next_url`): the next older document, if any. */
  archive?: string;
}

/** A whole file that cannot be read (not XML, entity declarations, nesting too deep). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

/** `item 3 ("Night buses")`, the title cut to 60 characters. */
export function itemLabel(index: number, title: string | undefined): string {
  const shown = (title ?? "").replace(/\s+/g, " ").trim();
  if (shown === "") return `item ${index + 1}`;
  return `item ${index + 1} (${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 59)}…` : shown)})`;
}

/** One problem line: `feed.xml: item 3 ("Night buses"): pubDate: is not a date`. */
export function problem(file: string, label: string, field: string, message: string): string {
  return `${file}: ${label}: ${field}: ${message}`;
}

/** Collapses runs of white space (a title written over several lines in XML) into one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The `updated` field when the update time is a later instant than the publish time. */
export function laterUpdate(updated: string | null | undefined, date: string): { updated?: string } {
  return updated && Date.parse(updated) > Date.parse(date) ? { updated } : {};
}
