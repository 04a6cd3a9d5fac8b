// A digest email from its articles: subject, preheader, HTML (the MJML-compiled template,
// filled by core/template.ts, which escapes every value) and a plain-text part written from the same
// data. Rendered once per digest; per-recipient tokens are filled in afterwards.
// The template is the MJML output compiled at build time (src/generated/templates.ts).
// The email shows up to MAX_EMAIL_ITEMS cards and a "Read N more" button to the first article
// left out on the web edition (a page of the site: views/digest-edition.tsx); the rendering with
// `forEmail` false is the edition's plain text (.txt), the rest listed with their links. Fixed words come from
// core/i18n.ts and core/words/digests.ts: the site's language for the digest, each article's own
// for its item. The subject is the lead headline and how many more (the site's name is the From
// name, the date is in the preheader and the heading), at most MAX_SUBJECT characters.

import type { Article } from "../article.js";
import { type DigestKind, formatDate, type Messages, messages } from "../i18n.js";
import { fillTemplate, type Segment } from "../template.js";
import { truncateWords, wrapWords } from "../text.js";
import { wordsOf } from "../words/catalogue.js";
import { digestsWords } from "../words/digests.js";
import type { DigestWindow } from "./window.js";

/** Gmail clips messages whose HTML is over 102 KB; stay well under it. */
export const MAX_HTML_BYTES = 100_000;
/** Most articles an email shows as cards; the web version lists the rest as links. */
export const MAX_EMAIL_ITEMS = 25;
/** Most characters of a subject: what an inbox's line shows, and RFC 5322's advice for a line. */
export const MAX_SUBJECT = 78;

export interface DigestSite {
  title: string;
  url: string;
  /** BCP 47 tag: the language of the digest's own words and dates. */
  language: string;
  timeZone: string;
}

export interface DigestInput {
  site: DigestSite;
  window: DigestWindow;
  /** Public articles of the window, newest first. */
  articles: Article[];
  /** Tag names the digest is filtered by, if any (an article has any of them). */
  tags: string[];
  /** The web version's URL (without a fragment). */
  webUrl: string;
  /** The recipient's unsubscribe link; null shows no unsubscribe link or text in either part. */
  unsubscribeUrl: string | null;
  /** The recipient's preferences page; null shows no "Manage preferences" link in either part. */
  preferencesUrl: string | null;
  /**
   * The sign-up page a forwarded email's footer invites to ("Forwarded this email? Subscribe");
   * null or absent shows no invitation (the web version has a sign-up form of its own).
   */
  subscribeUrl?: string | null;
  /** Why the reader gets this, shown in the footer; by default the site language's own note. */
  reason?: string;
  /** The email (a "View in browser" link, a "Read N more" button) or its web version. */
  forEmail: boolean;
}

export interface RenderedDigest {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Articles shown as cards, the same in the email and its web version; the rest are behind "more". */
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

// The email's size is measured with stand-ins this long for what differs per recipient (the
// unsubscribe and preferences links, the footer note), so the email and its web version agree
// on how many cards fit, whoever receives the email.
const RECIPIENT_STAND_IN = "x".repeat(1000);

export function renderDigest(input: DigestInput, template: readonly Segment[]): RenderedDigest {
  // Cards are built once; each try below only slices them and sets the parts that depend on
  // how many are shown.
  const full = digestView(input, Math.min(input.articles.length, MAX_EMAIL_ITEMS));
  const withCards = (shown: number, forEmail: boolean): DigestView => ({
    ...full,
    items: full.items.slice(0, shown),
    ...frame(input, shown, forEmail),
  });
  let shown = full.items.length;
  // Long titles and summaries can push the email past the limit: show fewer cards until it
  // fits. Measured on the email form with the per-recipient stand-ins, for the web version too.
  while (
    shown > 1 &&
    !fitsInEmail(
      fill(template, {
        ...withCards(shown, true),
        unsubscribe_url: RECIPIENT_STAND_IN,
        preferences_url: RECIPIENT_STAND_IN,
        reason: RECIPIENT_STAND_IN,
      }),
    )
  ) {
    shown = Math.max(1, Math.floor(shown * 0.8));
  }
  for (;;) {
    const view = withCards(shown, input.forEmail);
    const html = fill(template, view);
    // Only a footer note or link longer than its stand-in gets here twice.
    if (!input.forEmail || shown <= 1 || fitsInEmail(html)) {
      return { subject: view.subject, preheader: view.preheader, html, text: digestText(input, view), shown };
    }
    shown = Math.max(1, Math.floor(shown * 0.8));
  }
}

const fill = (template: readonly Segment[], view: DigestView) =>
  fillTemplate(template, view as unknown as Record<string, unknown>);

interface ItemLink {
  lang: string;
  title: string;
  url: string;
}

export interface DigestView {
  lang: string;
  subject: string;
  preheader: string;
  heading: string;
  intro: string;
  site_title: string;
  site_url: string;
  /** The "View in browser" link: null on the web version, which does not link to itself. */
  web_url: string | null;
  view_in_browser: string;
  unsubscribe_url: string | null;
  unsubscribe: string;
  preferences_url: string | null;
  manage_preferences: string;
  reason: string;
  /** The email's invitation to whoever it was forwarded to. */
  forwarded: { forwarded_question: string; subscribe_url: string; subscribe_label: string } | null;
  items: (ItemLink & {
    byline: string;
    summary: string;
    read_more: string;
    read_more_label: string;
    image: { src: string; alt: string; href: string } | null;
  })[];
  /** The email's button to the web version's list of the rest. */
  more: { more_url: string; more_label: string } | null;
  /** The web version's list of the rest. */
  rest: { rest_heading: string; rest_items: ItemLink[] } | null;
}

/** What the template is filled with (exported for the benchmark's mjml baseline). */
export function digestView(input: DigestInput, shown: number): DigestView {
  const { site, window, articles } = input;
  const words = messages(site.language);
  const own = wordsOf(digestsWords, site.language);
  const kind: DigestKind = window.kind;
  const heading = own.heading(kind, periodOf(window, site));
  const first = articles[0];
  const count = articles.length;
  const next = articles
    .slice(1, 4)
    .map((a) => a.title)
    .join(" · ");
  return {
    lang: site.language,
    subject: digestSubject(site.language, first?.title ?? "", count - 1),
    preheader: truncateWords([heading, next || first?.summary].filter(Boolean).join(" · "), 140),
    heading,
    intro: words.digestIntro(count, input.tags, site.title),
    site_title: site.title,
    site_url: `${site.url}/`,
    view_in_browser: words.viewInBrowser,
    unsubscribe_url: input.unsubscribeUrl,
    unsubscribe: words.unsubscribe,
    preferences_url: input.preferencesUrl,
    manage_preferences: words.managePreferences,
    reason: input.reason ?? (input.forEmail ? words.emailReason : words.webReason)(kind, site.title),
    forwarded:
      input.forEmail && input.subscribeUrl
        ? { forwarded_question: own.forwarded, subscribe_url: input.subscribeUrl, subscribe_label: own.subscribe }
        : null,
    items: articles.slice(0, shown).map((a) => {
      const own = itemWords(a, words);
      return {
        ...itemLink(a, site),
        byline: [
          formatDate(a.publishedAt, a.lang ?? site.language, site.timeZone, "medium"),
          a.authors.map((p) => p.name).join(", "),
        ]
          .filter(Boolean)
          .join(" · "),
        summary: a.summary,
        read_more: `${own.readMore} →`,
        read_more_label: own.readMoreAbout(a.title),
        image: a.image ? { src: a.image.url, alt: a.image.alt || a.title, href: a.url } : null,
      };
    }),
    ...frame(input, shown, input.forEmail),
  };
}

/**
 * The subject: the lead headline, then how many more articles ("(+2 more)"), in at most
 * MAX_SUBJECT characters; a longer headline is cut at a word with "…", the count kept whole.
 */
export function digestSubject(language: string, lead: string, others: number): string {
  const more = others > 0 ? ` ${wordsOf(digestsWords, language).subjectMore(others)}` : "";
  // A cut inside a character written as two UTF-16 units (an emoji) drops its first half too.
  const headline = truncateWords(lead, MAX_SUBJECT - more.length).replace(/[\uD800-\uDBFF]…$/, "…");
  return `${headline}${more}`;
}

/** How an edition's period is written: "Monday, January 10, 2022", "January 3 – January 9, 2022". */
export function periodOf(window: DigestWindow, site: DigestSite): string {
  const day = (ms: number, style: Parameters<typeof formatDate>[3]) =>
    formatDate(ms, site.language, site.timeZone, style);
  return window.kind === "daily"
    ? day(window.start, "full")
    : `${day(window.start, "dayMonth")} – ${day(window.end - 1, "long")}`;
}

const itemLink = (a: Article, site: DigestSite): ItemLink => ({
  lang: a.lang ?? site.language,
  title: a.title,
  url: a.url,
});

const withoutFragment = (url: string) => url.replace(/#.*$/s, "");

/** The id of an article's entry on a web edition: the fragment the email's "more" button links. */
export const articleAnchor = (slug: string) => `article-${encodeURIComponent(slug)}`;

/** The parts of a view that depend on how many cards are shown, and on email or web. */
function frame(input: DigestInput, shown: number, forEmail: boolean): Pick<DigestView, "web_url" | "more" | "rest"> {
  const words = messages(input.site.language);
  const rest = input.articles.length - shown;
  const webUrl = withoutFragment(input.webUrl);
  return {
    web_url: forEmail ? webUrl : null,
    // To the first article the email left out: the web edition gives each article an id, and
    // the email may show fewer than MAX_EMAIL_ITEMS when it would pass MAX_HTML_BYTES.
    more:
      forEmail && rest > 0
        ? {
            more_url: `${webUrl}#${articleAnchor(input.articles[shown]?.slug ?? "")}`,
            more_label: words.moreOnWeb(rest),
          }
        : null,
    rest:
      !forEmail && rest > 0
        ? {
            rest_heading: words.moreArticles,
            rest_items: input.articles.slice(shown).map((a) => itemLink(a, input.site)),
          }
        : null,
  };
}

/** An item's own words: its article's language when it has one, else the digest's. */
function itemWords(article: Article, digest: Messages): Messages {
  return article.lang ? messages(article.lang) : digest;
}

/** The plain-text part, written from the data (not stripped HTML), wrapped at 72 columns. */
function digestText(input: DigestInput, view: DigestView): string {
  const words = messages(input.site.language);
  const webUrl = withoutFragment(input.webUrl);
  const lines = [view.heading, view.intro, ""];
  view.items.forEach((item, i) => {
    lines.push(`${i + 1}. ${item.title}`);
    if (item.byline) lines.push(`   ${item.byline}`);
    lines.push(...wrapWords(item.summary, 69).map((l) => `   ${l}`));
    lines.push(`   ${messages(item.lang).readMore}: ${item.url}`, "");
  });
  if (view.more) lines.push(`${view.more.more_label}: ${view.more.more_url}`, "");
  if (view.rest) {
    lines.push(`${view.rest.rest_heading}:`, "");
    view.rest.rest_items.forEach((item, i) => {
      lines.push(`${view.items.length + i + 1}. ${item.title}`, `    ${item.url}`);
    });
    lines.push("");
  }
  lines.push("--", ...wrapWords(view.reason, 72));
  if (view.unsubscribe_url) lines.push(`${words.unsubscribe}: ${view.unsubscribe_url}`);
  if (view.preferences_url) lines.push(`${words.managePreferences}: ${view.preferences_url}`);
  if (view.forwarded) {
    lines.push(
      `${view.forwarded.forwarded_question} ${view.forwarded.subscribe_label}: ${view.forwarded.subscribe_url}`,
    );
  }
  // A plain-text reader cannot follow the HTML's layout: always point at the web version.
  lines.push(`${words.viewInBrowser}: ${webUrl}`, "");
  return lines.join("\n");
}
