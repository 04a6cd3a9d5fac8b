// A digest email from its articles: subject, preheader, HTML (the MJML-compiled template,
// filled with mustache, which escapes every value) and a plain-text part written from the same
// data. Rendered once per digest; per-recipient tokens are filled in afterwards.

import Mustache from "mustache";
import type { Article } from "../article.js";
import { escapeHtml, truncateWords } from "../text.js";
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

const encoder = new TextEncoder();

export function renderDigest(input: DigestInput, template: string): RenderedDigest {
  let shown = input.forEmail ? Math.min(input.articles.length, MAX_EMAIL_ITEMS) : input.articles.length;
  for (;;) {
    const view = digestView(input, shown);
    // Our escaper, not mustache's, which also turns every "/" in a URL into "&#x2F;".
    const html = Mustache.render(template, view, {}, { escape: escapeHtml });
    // Long titles and summaries can still push past the limit: list fewer until it fits.
    if (!input.forEmail || shown <= 1 || encoder.encode(html).length <= MAX_HTML_BYTES) {
      return { subject: view.subject, preheader: view.preheader, html, text: digestText(view), shown };
    }
    shown = Math.max(1, Math.floor(shown * 0.8));
  }
}

interface DigestView {
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

function digestView(input: DigestInput, shown: number): DigestView {
  const { site, window, articles } = input;
  const day = (ms: number, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(site.language, { timeZone: site.timeZone, ...options }).format(ms);
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
