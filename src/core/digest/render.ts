// A digest email from its articles: subject, preheader, HTML (the MJML-compiled template,
// filled by core/template.ts, which escapes every value) and a plain-text part written from the same
// data. Rendered once per digest; per-recipient tokens are filled in afterwards.
// The template is the MJML output compiled at build time (src/generated/templates.ts).

import type { Article } from "../article.js";
import { fillTemplate, type Segment } from "../template.js";
import { truncateWords } from "../text.js";
import type { DigestWindow } from "./window.js";

/** Gmail clips messages whose HTML is over 102 KB; stay well under it. */
export const MAX_HTML_BYTES = 100_000;
/** Most articles an email lists; the web version has them all. */
export const MAX_EMAIL_ITEMS = 25;

export interface DigestSite {
  title: string;
  url: string;
  language: string;
  timeZone: string;
}

export interface DigestInput {
  site: DigestSite;
  window: DigestWindow;
  /** Public articles of the window, newest first. */
  articles: Article[];
  /** Tag names the digest is filtered by, if any. */
  tags: string[];
  webUrl: string;
  unsubscribeUrl: string;
  /** Why the reader gets this ("You subscribed to…"), shown in the footer. */
  reason: string;
  /** The web version lists everything; an email is capped to stay unclipped. */
  forEmail: boolean;
}

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Articles listed; the rest are behind the "more" link. */
  shown: number;
}

// One reusable buffer just over the limit: encodeInto stops when it is full, so the check
// costs one bounded copy and never allocates.
const encoder = new TextEncoder();
const sizeProbe = new Uint8Array(MAX_HTML_BYTES + 4);

function fitsInEmail(html: string): boolean {
  const { read, written } = encoder.encodeInto(html, sizeProbe);
  return read === html.length && written <= MAX_HTML_BYTES;
}

export function renderDigest(input: DigestInput, template: readonly Segment[]): RenderedDigest {
  let shown = input.forEmail ? Math.min(input.articles.length, MAX_EMAIL_ITEMS) : input.articles.length;
  for (;;) {
    const view = digestView(input, shown);
    const html = fillTemplate(template, view as unknown as Record<string, unknown>);
    // Long titles and summaries can still push past the limit: list fewer until it fits.
    if (!input.forEmail || shown <= 1 || fitsInEmail(html)) {
      return { subject: view.subject, preheader: view.preheader, html, text: digestText(view), shown };
    }
    shown = Math.max(1, Math.floor(shown * 0.8));
  }
}

export interface DigestView {
  lang: string;
  subject: string;
  preheader: string;
  heading: string;
  intro: string;
  site_title: string;
  site_url: string;
  web_url: string;
  unsubscribe_url: string;
  reason: string;
  items: {
    title: string;
    url: string;
    byline: string;
    summary: string;
    image: { src: string; alt: string; href: string } | null;
  }[];
  more: { more_url: string; more_label: string } | null;
}

// Building an Intl.DateTimeFormat costs far more than using one.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(ms: number, language: string, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const key = `${language}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { timeZone, ...options });
    dateFormats.set(key, format);
  }
  return format.format(ms);
}

/** What the template is filled with (exported for the benchmark's mjml baseline). */
export function digestView(input: DigestInput, shown: number): DigestView {
  const { site, window, articles } = input;
  const day = (ms: number, options: Intl.DateTimeFormatOptions) =>
    formatDate(ms, site.language, site.timeZone, options);
  const period =
    window.kind === "daily"
      ? day(window.start, { weekday: "long", day: "numeric", month: "long", year: "numeric" })
      : `${day(window.start, { day: "numeric", month: "long" })} – ${day(window.end - 1, { day: "numeric", month: "long", year: "numeric" })}`;
  const kind = window.kind === "daily" ? "Daily digest" : "Weekly digest";
  const first = articles[0];
  const count = articles.length;
  const rest = count - shown;
  const tagNote = input.tags.length > 0 ? ` tagged ${input.tags.join(", ")}` : "";
  return {
    lang: site.language,
    subject: `${site.title} ${kind.toLowerCase()}, ${period}: ${first?.title ?? ""}${count > 1 ? ` (+${count - 1} more)` : ""}`,
    preheader: truncateWords(
      articles
        .slice(1, 4)
        .map((a) => a.title)
        .join(" · ") ||
        (first?.summary ?? ""),
      140,
    ),
    heading: `${kind}: ${period}`,
    intro: `${count} ${count === 1 ? "article" : "articles"}${tagNote} from ${site.title}.`,
    site_title: site.title,
    site_url: `${site.url}/`,
    web_url: input.webUrl,
    unsubscribe_url: input.unsubscribeUrl,
    reason: input.reason,
    items: articles.slice(0, shown).map((a) => ({
      title: a.title,
      url: a.url,
      byline: [day(a.publishedAt, { dateStyle: "medium" }), a.authors.map((p) => p.name).join(", ")]
        .filter(Boolean)
        .join(" · "),
      summary: a.summary,
      image: a.image ? { src: a.image.url, alt: a.image.alt || a.title, href: a.url } : null,
    })),
    more:
      rest > 0
        ? { more_url: input.webUrl, more_label: `Read ${rest} more ${rest === 1 ? "article" : "articles"} on the web` }
        : null,
  };
}

/** The plain-text part, written from the data (not stripped HTML), wrapped at 72 columns. */
function digestText(view: DigestView): string {
  const lines = [`${view.site_title}: ${view.heading}`, view.intro, ""];
  view.items.forEach((item, i) => {
    lines.push(`${i + 1}. ${item.title}`);
    if (item.byline) lines.push(`   ${item.byline}`);
    lines.push(...wrap(item.summary, 69).map((l) => `   ${l}`));
    lines.push(`   Read more: ${item.url}`, "");
  });
  if (view.more) lines.push(`${view.more.more_label}: ${view.more.more_url}`, "");
  lines.push(
    "--",
    ...wrap(view.reason, 72),
    `Unsubscribe: ${view.unsubscribe_url}`,
    `View in browser: ${view.web_url}`,
    "",
  );
  return lines.join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
