// The digests' pages on the site: the archive of finished days and weeks with their first
// headlines, and the page a digest with no articles gets.

import { raw } from "hono/html";
import { feedFamily } from "../../core/feeds/family.js";
import { formatDate, messages } from "../../core/i18n.js";
import { escapeHtml } from "../../core/text.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { digestsWords } from "../../core/words/digests.js";
import type { EditionHeadlines } from "../store/archive.js";
import { render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

export interface ArchiveWeek {
  week: string;
  /** The week's edition; null for the week in progress, which has none yet. */
  edition: EditionHeadlines | null;
  /** Its finished days with articles, newest first. */
  days: { day: string; edition: EditionHeadlines }[];
}

export interface ArchivePage {
  /** The year shown, or null when nothing is published yet. */
  year: string | null;
  /** Years with articles, newest first. */
  years: string[];
  weeks: ArchiveWeek[];
  /** The page's own path: /digests for the newest year, /digests/2022 for another. */
  path: string;
}

/** "2022-01-10" as "Monday, January 10, 2022" in the site's language (a calendar day: no zone applies). */
function dayName(day: string, lang: string): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  return formatDate(Date.UTC(year, month - 1, date, 12), lang, "UTC", "full");
}

/** "2022-W02" as "Week 2, 2022" in the site's language. */
function weekName(week: string, lang: string): string {
  const [year = 0, number = 0] = week.split("-W").map(Number);
  return messages(lang).week(number, year);
}

// The year's editions are written as one string, not JSX: a full year is some 5 000 elements,
// which JSX took about 9 ms to render, most of a request's CPU budget; this takes well under 2.

/** An edition's first headlines, linking to the articles, then "and N more" linking to the edition. */
function headlinesHtml(lang: string, edition: EditionHeadlines, href: string): string {
  let html = '<ul class="headlines">';
  for (const a of edition.first) {
    const attr = a.lang ? ` lang="${escapeHtml(a.lang)}"` : "";
    html += `<li${attr}><a href="/articles/${escapeHtml(a.slug)}">${escapeHtml(a.title)}</a></li>`;
  }
  const rest = edition.count - edition.first.length;
  if (rest > 0) {
    html += `<li class="more"><a href="${href}">${escapeHtml(wordsOf(digestsWords, lang).andMore(rest))}</a></li>`;
  }
  return `${html}</ul>`;
}

/** Each week: its heading (a link when finished) and headlines, then its days with theirs. */
function weeksHtml(weeks: readonly ArchiveWeek[], lang: string): string {
  const words = wordsOf(digestsWords, lang);
  const count = (n: number) => `<span class="meta">(${escapeHtml(messages(lang).articles(n))})</span>`;
  let html = "";
  for (const { week, edition, days } of weeks) {
    const time = `<time datetime="${week}">${escapeHtml(weekName(week, lang))}</time>`;
    const href = `/digests/weekly/${week}`;
    html += '<section class="archive-week"><h2>';
    html += edition
      ? `<a href="${href}">${time}</a> ${count(edition.count)}</h2>${headlinesHtml(lang, edition, href)}`
      : `${time} <span class="meta">(${escapeHtml(words.weekInProgress)})</span></h2>`;
    html += '<ul class="archive-days">';
    for (const { day, edition: daily } of days) {
      const dayHref = `/digests/daily/${day}`;
      html += `<li><h3><a href="${dayHref}"><time datetime="${day}">${escapeHtml(dayName(day, lang))}</time></a> ${count(daily.count)}</h3>`;
      html += `${headlinesHtml(lang, daily, dayHref)}</li>`;
    }
    html += "</ul></section>";
  }
  return html;
}

export function digestArchivePage(p: PageContext, archive: ArchivePage): Promise<string> {
  const { year, years, weeks } = archive;
  const lang = p.site.siteLanguage;
  const words = wordsOf(digestsWords, lang);
  const title = year ? words.archiveOf(year) : words.archive;
  return render(
    <Layout
      config={p.site}
      title={title}
      canonical={`${p.site.siteUrl}${archive.path}`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{title}</h1>
      <p>{words.archiveIntro}</p>
      {years.length > 1 ? (
        <nav aria-label={words.years}>
          <ul class="years">
            {years.map((y) => (
              <li>{y === year ? <strong aria-current="page">{y}</strong> : <a href={`/digests/${y}`}>{y}</a>}</li>
            ))}
          </ul>
        </nav>
      ) : null}
      {raw(weeksHtml(weeks, lang))}
    </Layout>,
  );
}

/** A digest with no articles: why (in the site's language), and where to read instead. */
export function emptyDigestPage(p: PageContext, why: string): Promise<string> {
  const words = wordsOf(digestsWords, p.site.siteLanguage);
  return render(
    <Layout config={p.site} title={words.noDigest} feeds={[feedFamily(p.site, { kind: "site" })]}>
      <h1>{words.nothingHere}</h1>
      <p>{why}</p>
      <ul>
        <li>
          <a href="/digests">{words.allDigests}</a>
        </li>
        <li>
          <a href="/">{words.latestArticles}</a>
        </li>
      </ul>
    </Layout>,
  );
}
