// The digests' pages on the site: the archive of days and weeks, and the page a digest with no
// articles gets.

import { feedFamily } from "../../core/feeds/family.js";
import { formatDate, messages } from "../../core/i18n.js";
import { sentence } from "../../core/text.js";
import { render } from "./components.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

export interface ArchiveWeek {
  week: string;
  days: { day: string; count: number }[];
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

export function digestArchivePage(p: PageContext, archive: ArchivePage): Promise<string> {
  const { year, years, weeks } = archive;
  return render(
    <Layout
      config={p.site}
      title={year ? `Digests of ${year}` : "Digests"}
      canonical={`${p.site.siteUrl}${archive.path}`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
    >
      <h1>{year ? `Digests of ${year}` : "Digests"}</h1>
      <p>Every day and every week that has articles, as the email digest shows it.</p>
      {years.length > 1 ? (
        <nav aria-label="Years">
          <ul class="years">
            {years.map((y) => (
              <li>{y === year ? <strong aria-current="page">{y}</strong> : <a href={`/digests/${y}`}>{y}</a>}</li>
            ))}
          </ul>
        </nav>
      ) : null}
      {weeks.map(({ week, days }) => (
        <section>
          <h2>
            <a href={`/digests/weekly/${week}`}>
              <time datetime={week}>{weekName(week, p.site.siteLanguage)}</time>
            </a>
          </h2>
          <ul>
            {days.map(({ day, count }) => (
              <li>
                <a href={`/digests/daily/${day}`}>
                  <time datetime={day}>{dayName(day, p.site.siteLanguage)}</time>
                </a>{" "}
                <span class="meta">({messages(p.site.siteLanguage).articles(count)})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>,
  );
}

export function emptyDigestPage(p: PageContext, detail: string): Promise<string> {
  return render(
    <Layout config={p.site} title="No digest" feeds={[feedFamily(p.site, { kind: "site" })]}>
      <h1>Nothing to read here</h1>
      <p>{sentence(detail)}, so no email went out.</p>
      <p>
        <a href="/digests">See the digests that have articles</a> or <a href="/">read the latest articles</a>.
      </p>
    </Layout>,
  );
}
