// The digests' pages on the site: the archive of finished days and weeks with their first
// headlines, and the page a digest with no articles gets.

import { feedFamily } from "../../core/feeds/family.js";
import { formatDate, messages } from "../../core/i18n.js";
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

/** An edition's first headlines, linking to the articles, then "and N more" linking to the edition. */
function Headlines(props: { lang: string; edition: EditionHeadlines; href: string }) {
  const { edition } = props;
  const rest = edition.count - edition.first.length;
  return (
    <ul class="headlines">
      {edition.first.map((a) => (
        <li lang={a.lang ?? undefined}>
          <a href={`/articles/${a.slug}`}>{a.title}</a>
        </li>
      ))}
      {rest > 0 ? (
        <li class="more">
          <a href={props.href}>{wordsOf(digestsWords, props.lang).andMore(rest)}</a>
        </li>
      ) : null}
    </ul>
  );
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
      {weeks.map(({ week, edition, days }) => (
        <section class="archive-week">
          <h2>
            {edition ? (
              <a href={`/digests/weekly/${week}`}>
                <time datetime={week}>{weekName(week, lang)}</time>
              </a>
            ) : (
              <>
                <time datetime={week}>{weekName(week, lang)}</time> <span class="meta">({words.weekInProgress})</span>
              </>
            )}{" "}
            {edition ? <span class="meta">({messages(lang).articles(edition.count)})</span> : null}
          </h2>
          {edition ? <Headlines lang={lang} edition={edition} href={`/digests/weekly/${week}`} /> : null}
          <ul class="archive-days">
            {days.map(({ day, edition: daily }) => (
              <li>
                <h3>
                  <a href={`/digests/daily/${day}`}>
                    <time datetime={day}>{dayName(day, lang)}</time>
                  </a>{" "}
                  <span class="meta">({messages(lang).articles(daily.count)})</span>
                </h3>
                <Headlines lang={lang} edition={daily} href={`/digests/daily/${day}`} />
              </li>
            ))}
          </ul>
        </section>
      ))}
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
