// The digests as pages of the site (issue 21, items 2, 3 and 9): the archive's finished days and
// weeks with their first headlines, and a web edition with the site's header, its headlines,
// previous and next, and a sign-up form, in English, Russian and Kazakh. DIGEST_TZ is Asia/Almaty.

import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { windowOf } from "../../../src/core/digest/window.js";
import { admin, fixture, isolate, request } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

const TZ = "Asia/Almaty";
const now = Date.now();
const today = windowOf("daily", now, TZ);
const thisWeek = windowOf("weekly", now, TZ).label;
const yesterday = windowOf("daily", today.start - 1, TZ);

beforeAll(async () => {
  const at = (slug: string, date: string, more: Record<string, unknown> = {}) =>
    fixture({ slug, title: `Headline ${slug}`, date, summary: `Summary of ${slug}.`, ...more });
  const articles = [
    // Tuesday 2 March 2021: three articles, no "more"; Wednesday 3 March: four, "and 1 more".
    at("tue-1", "2021-03-02T09:00:00+06:00"),
    at("tue-2", "2021-03-02T10:00:00+06:00"),
    at("tue-3", "2021-03-02T11:00:00+06:00"),
    at("wed-1", "2021-03-03T09:00:00+06:00", { tags: ["Parks"] }),
    at("wed-2", "2021-03-03T10:00:00+06:00"),
    at("wed-3", "2021-03-03T11:00:00+06:00"),
    at("wed-4", "2021-03-03T12:00:00+06:00"),
    // A draft is no headline.
    at("wed-draft", "2021-03-03T13:00:00+06:00", { draft: true }),
    // Friday 5 March, the week's last edition with articles; the next week's Monday.
    at("fri-1", "2021-03-05T09:00:00+06:00", { tags: ["Parks"] }),
    at("next-mon", "2021-03-08T09:00:00+06:00"),
    // ISO week 2020-W53 runs from 28 December 2020 to 3 January 2021: on both years' pages.
    at("w53-2020", "2020-12-30T09:00:00+06:00"),
    at("w53-2021", "2021-01-02T09:00:00+06:00"),
    // The day in progress (public already) and the day before it, which is finished.
    at("today", new Date(today.start + 1).toISOString()),
    at("yesterday", new Date(today.start - 3_600_000).toISOString()),
  ];
  for (const a of articles) expect((await admin("POST", "/api/articles", a)).status).toBe(201);
});

/** The archive page's editions: each link to an edition with the headlines listed under it. */
function editions(html: string): Map<string, string[]> {
  const document = parseDocument(html);
  const found = new Map<string, string[]>();
  for (const list of DomUtils.findAll((e) => e.name === "ul" && e.attribs.class === "headlines", document.children)) {
    // The edition a list belongs to: the link in the heading before it (a day's h3, a week's h2).
    let heading = DomUtils.prevElementSibling(list);
    while (heading && !/^h[23]$/.test(heading.name)) heading = DomUtils.prevElementSibling(heading);
    const link = heading ? DomUtils.findOne((e) => e.name === "a", heading.children) : null;
    const items = DomUtils.findAll((e) => e.name === "li", list.children).map((li) => {
      const a = DomUtils.findOne((e) => e.name === "a", li.children);
      return `${DomUtils.textContent(li).trim()} <${a?.attribs.href ?? ""}>`;
    });
    found.set(link?.attribs.href ?? "?", items);
  }
  return found;
}

describe("the digest archive", () => {
  it("lists each day and week with its first three headlines, newest first, then 'and N more'", async () => {
    const res = await request("/digests/2021");
    expect(res.status).toBe(200);
    const html = await res.text();
    const found = editions(html);
    // Three articles: the three, no "more".
    expect(found.get("/digests/daily/2021-03-02")).toEqual([
      "Headline tue-3 </articles/tue-3>",
      "Headline tue-2 </articles/tue-2>",
      "Headline tue-1 </articles/tue-1>",
    ]);
    // Four: three and "and 1 more", linking to the edition.
    expect(found.get("/digests/daily/2021-03-03")).toEqual([
      "Headline wed-4 </articles/wed-4>",
      "Headline wed-3 </articles/wed-3>",
      "Headline wed-2 </articles/wed-2>",
      "and 1 more </digests/daily/2021-03-03>",
    ]);
    // The week: eight articles from three days, the newest three, and five more.
    expect(found.get("/digests/weekly/2021-W09")).toEqual([
      "Headline fri-1 </articles/fri-1>",
      "Headline wed-4 </articles/wed-4>",
      "Headline wed-3 </articles/wed-3>",
      "and 5 more </digests/weekly/2021-W09>",
    ]);
    expect(found.get("/digests/weekly/2021-W10")).toEqual(["Headline next-mon </articles/next-mon>"]);
    const page = parsePage(html);
    expect(page.headings).toContain("Digests of 2021");
    expect(page.headings).toContain("Week 9, 2021 (8 articles)");
    expect(page.headings).toContain("Wednesday, March 3, 2021 (4 articles)");
    expect(page.text).not.toContain("wed-draft");
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("leaves out the day in progress, and names the week in progress without a link", async () => {
    const res = await request(`/digests/${yesterday.label.slice(0, 4)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const found = editions(html);
    expect(found.get(`/digests/daily/${yesterday.label}`)).toEqual(["Headline yesterday </articles/yesterday>"]);
    expect(html).not.toContain(`/digests/daily/${today.label}`);
    expect(html).not.toContain("Headline today");
    expect(html).not.toContain(`href="/digests/weekly/${thisWeek}"`);
    const yesterdaysWeek = windowOf("weekly", yesterday.start, TZ).label;
    if (yesterdaysWeek === thisWeek) {
      // The week has a finished day, but no edition yet.
      expect(html).toContain(`<time datetime="${thisWeek}">`);
      expect(parsePage(html).text).toContain("(this week, in progress)");
    } else {
      expect(html).toContain(`href="/digests/weekly/${yesterdaysWeek}"`);
    }
  });

  it("counts a week across the year's edge whole, on both years' pages", async () => {
    for (const year of ["2020", "2021"]) {
      const html = await (await request(`/digests/${year}`)).text();
      expect(editions(html).get("/digests/weekly/2020-W53"), year).toEqual([
        "Headline w53-2021 </articles/w53-2021>",
        "Headline w53-2020 </articles/w53-2020>",
      ]);
      expect(parsePage(html).headings, year).toContain("Week 53, 2020 (2 articles)");
    }
  });

  it("answers a year with no finished day with 404", async () => {
    expect((await request("/digests/2019")).status).toBe(404);
  });

  it("is in Russian and Kazakh, with Russian plurals", async () => {
    const ru = await (await isolate({ SITE_LANGUAGE: "ru" }).fetch("/digests/2021")).text();
    const ruPage = parsePage(ru);
    expect(ruPage.headings).toContain("Дайджесты за 2021 год");
    expect(ruPage.headings).toContain("среда, 3 марта 2021 г. (4 статьи)");
    expect(editions(ru).get("/digests/daily/2021-03-03")?.at(-1)).toBe("и ещё 1 статья </digests/daily/2021-03-03>");
    expect(editions(ru).get("/digests/weekly/2021-W09")?.at(-1)).toBe("и ещё 5 статей </digests/weekly/2021-W09>");
    const kk = await (await isolate({ SITE_LANGUAGE: "kk" }).fetch("/digests/2021")).text();
    expect(parsePage(kk).headings).toContain("2021 жылғы дайджесттер");
    expect(editions(kk).get("/digests/daily/2021-03-03")?.at(-1)).toBe(
      "және тағы 1 мақала </digests/daily/2021-03-03>",
    );
  });
});

describe("a digest's web edition", () => {
  it("is a page of the site: header, navigation, heading and date, headlines with summaries", async () => {
    const res = await request("/digests/daily/2021-03-03");
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = parsePage(html);
    const document = parseDocument(html);
    const header = DomUtils.findOne((e) => e.name === "header" && e.attribs.class === "site", document.children);
    expect(header).not.toBeNull();
    expect(DomUtils.findOne((e) => e.name === "nav", header ? [header] : [])).not.toBeNull();
    expect(page.headings[0]).toBe("Daily digest, Wednesday, March 3, 2021");
    expect(page.title).toBe("Daily digest, Wednesday, March 3, 2021 · The Steppe Ledger");
    for (const slug of ["wed-1", "wed-2", "wed-3", "wed-4"]) {
      expect(page.headings).toContain(`Headline ${slug}`);
      expect(page.links).toContain(`/articles/${slug}`);
      expect(page.text).toContain(`Summary of ${slug}.`);
    }
    expect(page.text).not.toContain("wed-draft");
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("gives each article the id a digest email's 'more' button lands on, and puts those after the email's 25 under #more", async () => {
    // Tuesday 13 April 2021: 27 articles, 09:00 to 09:26.
    for (let i = 0; i < 27; i++) {
      const a = fixture({
        slug: `busy-${i}`,
        title: `Busy ${i}`,
        date: `2021-04-13T09:${String(i).padStart(2, "0")}:00+06:00`,
      });
      expect((await admin("POST", "/api/articles", a)).status).toBe(201);
    }
    const html = await (await request("/digests/daily/2021-04-13")).text();
    const document = parseDocument(html);
    const more = DomUtils.findOne((e) => e.attribs.id === "more", document.children);
    expect(more).not.toBeNull();
    const inMore = DomUtils.findAll(
      (e) => e.name === "a" && /^\/articles\//.test(e.attribs.href ?? ""),
      more ? [more] : [],
    );
    // Newest first: the two oldest are the rest.
    expect(inMore.map((a) => a.attribs.href)).toEqual(["/articles/busy-1", "/articles/busy-0"]);
    expect(DomUtils.textContent(more?.children.find((c) => "name" in c && c.name === "h2") ?? [])).toBe(
      "More articles",
    );
    // Each article has the id a digest email's "more" button links to.
    const ids = DomUtils.findAll((e) => e.name === "li" && /^article-/.test(e.attribs.id ?? ""), document.children);
    expect(ids.map((li) => li.attribs.id)).toEqual(Array.from({ length: 27 }, (_, i) => `article-busy-${26 - i}`));
    expect(await htmlProblems(html)).toEqual([]);
    // A day of four articles has no #more.
    expect(await (await request("/digests/daily/2021-03-03")).text()).not.toContain('id="more"');
  });

  it("has a sign-up form posting to /subscribe, from this edition, and the filter's tags", async () => {
    const form = (html: string) => parsePage(html).forms.find((f) => f.action === "/subscribe");
    const plain = form(await (await request("/digests/daily/2021-03-03")).text());
    expect(plain?.method).toBe("post");
    expect(plain?.fields.find((f) => f.name === "email")?.type).toBe("email");
    expect(plain?.fields.find((f) => f.name === "source")?.value).toBe("/digests/daily/2021-03-03");
    expect(plain?.fields.filter((f) => f.name === "tags")).toEqual([]);
    const filtered = form(await (await request("/digests/daily/2021-03-03?tags=parks")).text());
    expect(filtered?.fields.filter((f) => f.name === "tags").map((f) => f.value)).toEqual(["parks"]);
  });

  it("gives its form the browser's time zone by the site's own script, under the own-script policy; the text version runs none", async () => {
    const res = await request("/digests/daily/2021-03-03");
    expect(res.headers.get("content-security-policy")).toMatch(/; script-src 'self'$/);
    const html = await res.text();
    const scripts = DomUtils.findAll((e) => e.name === "script", parseDocument(html).children)
      .filter((e) => e.attribs.type !== "application/ld+json")
      .map((e) => `${e.attribs.src ?? ""}|${DomUtils.textContent(e)}`);
    expect(scripts).toEqual(["/zone.js|"]);
    const zone = parsePage(html)
      .forms.find((f) => f.action === "/subscribe")
      ?.fields.find((f) => f.name === "browser_zone");
    expect(zone?.value).toBe("");
    const text = await request("/digests/daily/2021-03-03.txt");
    expect(text.headers.get("content-security-policy") ?? "").not.toContain("script-src");
  });

  it("links the editions before and after it, rel=prev and rel=next", async () => {
    const links = async (path: string) => {
      const document = parseDocument(await (await request(path)).text());
      const rel = (r: string) => {
        const a = DomUtils.findOne((e) => e.name === "a" && e.attribs.rel === r, document.children);
        return a ? `${a.attribs.href} ${DomUtils.textContent(a).trim()}` : null;
      };
      return [rel("prev"), rel("next")];
    };
    expect(await links("/digests/daily/2021-03-03")).toEqual([
      "https://news.example.com/digests/daily/2021-03-02 ← Previous: Tuesday, March 2, 2021",
      "https://news.example.com/digests/daily/2021-03-05 Next: Friday, March 5, 2021 →",
    ]);
    expect(await links("/digests/weekly/2021-W10")).toEqual([
      "https://news.example.com/digests/weekly/2021-W09 ← Previous: March 1 – March 7, 2021",
      expect.stringContaining("https://news.example.com/digests/weekly/"),
    ]);
  });

  it("is in Russian on a Russian site", async () => {
    const html = await (await isolate({ SITE_LANGUAGE: "ru" }).fetch("/digests/daily/2021-03-03")).text();
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Ежедневный дайджест, среда, 3 марта 2021 г.");
    expect(page.text).toContain("4 статьи из «The Steppe Ledger».");
    expect(page.text).toContain("← Предыдущий выпуск: вторник, 2 марта 2021 г.");
    expect(page.text).toContain("Следующий выпуск: пятница, 5 марта 2021 г. →");
    expect(page.text).toContain("Все дайджесты");
  });

  it("says why an empty edition is empty, in the site's language", async () => {
    const en = await request("/digests/daily/2021-03-04");
    expect(en.status).toBe(404);
    expect(parsePage(await en.text()).text).toContain(
      "No articles were published on Thursday, March 4, 2021, so no email went out.",
    );
    const ru = await isolate({ SITE_LANGUAGE: "ru" }).fetch("/digests/daily/2021-03-04?tags=parks");
    expect(parsePage(await ru.text()).text).toContain(
      "четверг, 4 марта 2021 г. не вышло ни одной статьи с тегом «Parks», поэтому письмо не отправлялось.",
    );
  });
});

describe("the sign-up page", () => {
  it("records where a forwarded email's link came from, and refuses a source that is not a path", async () => {
    const res = await request("/subscribe?source=%2Fdigests%2Fdaily%2F2021-03-03");
    expect(res.status).toBe(200);
    const form = parsePage(await res.text()).forms.find((f) => f.action === "/subscribe");
    expect(form?.fields.find((f) => f.name === "source")?.value).toBe("/digests/daily/2021-03-03");
    const plain = parsePage(await (await request("/subscribe")).text()).forms.find((f) => f.action === "/subscribe");
    expect(plain?.fields.find((f) => f.name === "source")?.value).toBe("/subscribe");
    expect((await request("/subscribe?source=https%3A%2F%2Felsewhere.example%2F")).status).toBe(400);
  });
});
