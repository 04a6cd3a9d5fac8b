// The digest archive's page for a full year (365 days and 52 weeks, each with three headlines and
// "and N more"), in en, ru and kk: the 10 ms CPU budget is the bar. The baseline writes the same
// headlines as a bare escaped list, the least any page showing them must do; the ratio says what
// the dates, counts and words cost on top. Ratio > 1 means ours is faster.

import type { SiteConfig } from "../src/core/config.js";
import { escapeHtml } from "../src/core/text.js";
import type { EditionHeadlines } from "../src/worker/store/archive.js";
import { type ArchiveWeek, digestArchivePage } from "../src/worker/views/digests.js";
import { compareAsync, report } from "./lib.js";

const DAY = 86_400_000;
const site = (siteLanguage: string): SiteConfig => ({
  siteUrl: "https://news.example.com",
  siteTitle: "The Steppe Ledger",
  siteDescription: "Regional news",
  siteLanguage,
  feedItems: 20,
});

const edition = (label: string, count: number): EditionHeadlines => ({
  count,
  first: [1, 2, 3].map((i) => ({
    slug: `${label}-${i}`,
    title: `The regional council met on Tuesday to discuss the budget, part ${i}`,
    lang: null,
  })),
});

/** 2022: 52 ISO weeks (W01 starts on 3 January), the 365 days, and 2021-W52 for 1-2 January. */
function fullYear(): ArchiveWeek[] {
  const weeks: ArchiveWeek[] = [];
  for (let w = 52; w >= 1; w--) {
    const week = `2022-W${String(w).padStart(2, "0")}`;
    const days = [];
    for (let d = 6; d >= 0; d--) {
      const day = new Date(Date.UTC(2022, 0, 3) + ((w - 1) * 7 + d) * DAY).toISOString().slice(0, 10);
      if (day.startsWith("2022")) days.push({ day, edition: edition(day, 8) });
    }
    weeks.push({ week, edition: edition(week, 56), days });
  }
  weeks.push({
    week: "2021-W52",
    edition: edition("2021-W52", 56),
    days: ["2022-01-02", "2022-01-01"].map((day) => ({ day, edition: edition(day, 8) })),
  });
  return weeks;
}

function bareList(weeks: readonly ArchiveWeek[]): string {
  let html = "<ul>";
  for (const week of weeks) {
    for (const e of [week.edition, ...week.days.map((d) => d.edition)]) {
      for (const a of e?.first ?? [])
        html += `<li><a href="/articles/${escapeHtml(a.slug)}">${escapeHtml(a.title)}</a></li>`;
    }
  }
  return `${html}</ul>`;
}

export async function run(): Promise<void> {
  const weeks = fullYear();
  const rows = [];
  for (const language of ["en", "ru", "kk"]) {
    const page = () =>
      digestArchivePage(
        { site: site(language), timeZone: "Asia/Almaty" },
        { year: "2022", years: ["2022", "2021"], weeks, path: "/digests/2022" },
      );
    const html = await page();
    const lists = html.split('class="headlines"').length - 1;
    if (lists !== 365 + 53) throw new Error(`the year page has ${lists} headline lists, not 418`);
    const timed = await compareAsync({ a: page, b: async () => bareList(weeks) }, 15, 10);
    rows.push({ name: `a year of the archive (${language}), vs its headlines bare`, ...timed, unit: "ms" });
  }
  report(rows.map((row) => ({ ...row, better: "lower" as const })));
}
