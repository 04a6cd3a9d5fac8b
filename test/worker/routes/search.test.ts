// Full-text search through the real Worker and D1's FTS5: what readers find (Latin, Russian and
// Kazakh words), what they never find (drafts, scheduled articles until their time), how the
// index follows edits and deletes, and how malformed queries are answered.

import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { articleFromMarkdown } from "../../../src/core/article.js";
import { QueryError } from "../../../src/core/search.js";
import { SearchStore } from "../../../src/worker/store/search.js";
import { admin, fixture, isolate, request, SITE, testServices } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

interface Marked {
  text: string;
  marks: [number, number][];
}
interface SearchItem {
  slug: string;
  title: string;
  title_marks: [number, number][];
  snippet: Marked;
  content_html?: unknown;
}
interface SearchBody {
  items: SearchItem[];
  next: string | null;
}

async function api(q: string, extra = ""): Promise<SearchBody> {
  const res = await request(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, q).toBe(200);
  return (await res.json()) as SearchBody;
}

const slugsFor = async (q: string) => (await api(q)).items.map((i) => i.slug);

async function publish(body: Record<string, unknown>): Promise<void> {
  const res = await admin("POST", "/api/articles", fixture(body));
  expect(res.status, await res.clone().text()).toBe(201);
}

afterEach(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  await publish({
    slug: "summit",
    title: "Tokayev speaks at the CSTO summit",
    summary: "The president asked allies for help.",
    markdown: "Troops arrived in **Almaty** within days. Read [the statement](https://example.org/statement).",
  });
  await publish({
    slug: "ru-news",
    title: "Новости дня",
    summary: "Короткая сводка.",
    markdown: "Президент выступил в Казахстане с обращением к народу. Столица — Астана.",
    lang: "ru",
  });
  await publish({
    slug: "kk-news",
    title: "Күн жаңалықтары",
    summary: "Қысқа шолу.",
    markdown: "Қазақстанда ұлттық әділет өңірлерде күшейді.",
    lang: "kk",
  });
});

describe("GET /api/search", () => {
  it("finds Latin words in titles, summaries and bodies, case-insensitively", async () => {
    expect(await slugsFor("tokayev")).toEqual(["summit"]);
    expect(await slugsFor("ALLIES")).toEqual(["summit"]);
    expect(await slugsFor("almaty")).toEqual(["summit"]);
  });

  it("does not find the markup of bodies (link targets, tag names)", async () => {
    expect(await slugsFor("strong")).toEqual([]);
    expect(await slugsFor("href")).toEqual([]);
    expect(await slugsFor("example")).toEqual([]);
    expect(await slugsFor("statement")).toEqual(["summit"]);
  });

  it("finds Russian words whatever their case and ending", async () => {
    expect(await slugsFor("Казахстане")).toEqual(["ru-news"]);
    // The reader types the word without the ending the text has, and the other way round.
    expect(await slugsFor("казахстан")).toEqual(["ru-news"]);
    expect(await slugsFor("ПРЕЗИДЕНТ")).toEqual(["ru-news"]);
    expect(await slugsFor("обращение")).toEqual(["ru-news"]);
    // An inflected form finds the word as written in the text ("в Астане" for "Астана").
    expect(await slugsFor("Астане")).toEqual(["ru-news"]);
    expect(await slugsFor("Астаной")).toEqual(["ru-news"]);
  });

  it("finds Kazakh words with their own letters", async () => {
    expect(await slugsFor("әділет")).toEqual(["kk-news"]);
    expect(await slugsFor("ҰЛТТЫҚ")).toEqual(["kk-news"]);
    expect(await slugsFor("Қазақстан")).toEqual(["kk-news"]);
    expect(await slugsFor("өңір")).toEqual(["kk-news"]);
    // The genitive finds the locative the text has: both are қазақстан + an ending.
    expect(await slugsFor("Қазақстанның")).toEqual(["kk-news"]);
    // Kazakh letters are letters of their own: қ is not к.
    expect(await slugsFor("казакстан")).toEqual([]);
  });

  it("marks the matches in the title and the snippet as ranges of plain text", async () => {
    const [item, ...rest] = (await api("almaty tokayev")).items;
    expect(rest).toEqual([]);
    expect(item?.title.slice(...(item.title_marks[0] ?? [0, 0]))).toBe("Tokayev");
    expect(item?.snippet.text).toContain("Troops arrived in Almaty within days.");
    expect(item?.snippet.marks.map(([s, e]) => item.snippet.text.slice(s, e))).toEqual(["Almaty"]);
    expect(item?.content_html).toBeUndefined();
  });

  it("ranks a match in the title above one in the body", async () => {
    await publish({ slug: "rank-body", title: "Weather report", markdown: "A word about zephyrs in the body." });
    await publish({ slug: "rank-title", title: "Zephyrs", markdown: "Nothing else here." });
    expect(await slugsFor("zephyrs")).toEqual(["rank-title", "rank-body"]);
  });

  it("never finds a draft, and finds it once it is published", async () => {
    await publish({ slug: "draft-one", title: "Quokka draft", draft: true });
    expect(await slugsFor("quokka")).toEqual([]);
    const res = await admin("PUT", "/api/articles/draft-one", fixture({ slug: "draft-one", title: "Quokka draft" }));
    expect(res.status).toBe(200);
    expect(await slugsFor("quokka")).toEqual(["draft-one"]);
  });

  it("never finds a scheduled article before its time, and finds it after", async () => {
    const now = Date.parse("2030-05-01T10:00:00Z");
    vi.setSystemTime(now);
    await publish({ slug: "later", title: "Narwhal sighting", date: "2030-05-01T12:00:00Z" });
    expect(await slugsFor("narwhal")).toEqual([]);
    expect(await (await request("/search?q=narwhal")).text()).not.toContain("Narwhal sighting");
    vi.setSystemTime(Date.parse("2030-05-01T12:00:01Z"));
    expect(await slugsFor("narwhal")).toEqual(["later"]);
  });

  it("follows an edit: old words are no longer found, new ones are", async () => {
    await publish({ slug: "edited", title: "Pelican story", markdown: "About pelicans." });
    expect(await slugsFor("pelican")).toEqual(["edited"]);
    const res = await admin("PUT", "/api/articles/edited", fixture({ slug: "edited", title: "Flamingo story" }));
    expect(res.status).toBe(200);
    expect(await slugsFor("pelican")).toEqual([]);
    expect(await slugsFor("flamingo")).toEqual(["edited"]);
  });

  it("forgets a deleted article", async () => {
    await publish({ slug: "deleted", title: "Wombat story" });
    expect(await slugsFor("wombat")).toEqual(["deleted"]);
    expect((await admin("DELETE", "/api/articles/deleted")).status).toBe(204);
    expect(await slugsFor("wombat")).toEqual([]);
    const fts = await env.DB.prepare(
      "SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'wombat'",
    ).first<number>("n");
    expect(fts).toBe(0);
  });

  it("follows a content sync: its batches index new files and forget deleted ones", async () => {
    const file = (slug: string, body: string) => ({
      article: articleFromMarkdown(`---\ntitle: "File ${slug}"\ndate: "2022-01-10T10:00:00Z"\n---\n${body}\n`, {
        siteUrl: SITE,
        slug,
      }),
      path: `content/${slug}.md`,
      hash: `hash-${slug}-${body}`,
    });
    const store = testServices().articles;
    await store.sync([file("sync-a", "Жайлау in the hills."), file("sync-b", "Another жайлау.")], [], 1);
    expect((await slugsFor("жайлау")).sort()).toEqual(["sync-a", "sync-b"]);
    await store.sync([file("sync-a", "Emptiness now.")], ["sync-b"]);
    expect(await slugsFor("жайлау")).toEqual([]);
    expect(await slugsFor("emptiness")).toEqual(["sync-a"]);
  });

  it("ranks a word in 1 000 articles by relevance, and lists one in 1 001 newest first", async () => {
    const file = (slug: string, title: string, body: string, date = "2021-06-01T10:00:00Z") => ({
      article: articleFromMarkdown(`---\ntitle: "${title}"\ndate: "${date}"\n---\n${body}\n`, {
        siteUrl: SITE,
        slug,
      }),
      path: `content/${slug}.md`,
      hash: slug,
    });
    const store = testServices().articles;
    const others = Array.from({ length: 999 }, (_, i) => file(`walrus-${i + 1}`, `Note ${i + 1}`, "A walrus."));
    await store.sync([file("walrus-0", "Walrus", "Walrus, walrus and walrus."), ...others], []);
    expect((await api("walrus")).items[0]?.slug).toBe("walrus-0");
    // The 1 001st, added last but published a month before the others: last of the newest first.
    await store.sync([file("walrus-1000", "Note 1000", "A walrus.", "2021-05-01T10:00:00Z")], []);
    let page = await api("walrus");
    const seen: string[] = [];
    for (;;) {
      seen.push(...page.items.map((i) => i.slug));
      if (!page.next) break;
      page = (await (await request(page.next)).json()) as SearchBody;
    }
    // Ten pages of ten: the newest (the last written among equal dates) first, and no walrus-0,
    // the oldest match, which is past the 1 000 kept.
    expect(seen.slice(0, 3)).toEqual(["walrus-999", "walrus-998", "walrus-997"]);
    expect(seen).toHaveLength(100);
    expect(seen).not.toContain("walrus-0");
    // A narrower query is ranked again and finds it.
    expect(await slugsFor("title:walrus")).toEqual(["walrus-0"]);
  });

  it("understands phrases, OR, leaving words out and fields", async () => {
    await publish({ slug: "op-a", title: "Ibex and marmot", summary: "Mountain animals." });
    await publish({ slug: "op-b", title: "Marmot alone", summary: "Ibex in the summary." });
    expect((await slugsFor('"ibex and marmot"')).sort()).toEqual(["op-a"]);
    expect((await slugsFor("ibex -alone")).sort()).toEqual(["op-a"]);
    expect((await slugsFor("ibex NOT alone")).sort()).toEqual(["op-a"]);
    expect((await slugsFor("title:ibex")).sort()).toEqual(["op-a"]);
    expect((await slugsFor("summary:ibex")).sort()).toEqual(["op-b"]);
    expect((await slugsFor("mountain OR alone")).sort()).toEqual(["op-a", "op-b"]);
  });

  it('leaves out -field:word, -"a phrase" and -field:"a phrase" as NOT does', async () => {
    await publish({ slug: "dash-tram", title: "Tram depot opens", summary: "A bus stop moves." });
    await publish({ slug: "dash-bus", title: "Tram and bus lanes", summary: "Night lanes." });
    await publish({ slug: "dash-both", title: "Tram news", summary: "Tram and bus lanes again." });
    expect((await slugsFor("tram NOT title:bus")).sort()).toEqual(["dash-both", "dash-tram"]);
    expect((await slugsFor("tram -title:bus")).sort()).toEqual(["dash-both", "dash-tram"]);
    expect((await slugsFor('tram -"bus lanes"')).sort()).toEqual(["dash-tram"]);
    expect((await slugsFor('tram -title:"bus lanes"')).sort()).toEqual(["dash-both", "dash-tram"]);
    expect((await slugsFor('tram -summary:"bus lanes"')).sort()).toEqual(["dash-bus", "dash-tram"]);
  });

  it("pages ten at a time with an absolute next link, at most ten pages deep", async () => {
    for (let i = 0; i < 12; i++) await publish({ slug: `paged-${i}`, title: `Yak number ${i}` });
    const first = await api("yak");
    expect(first.items).toHaveLength(10);
    expect(first.next).toBe(`${SITE}/api/search?q=yak&page=2`);
    const second = (await (await request(first.next ?? "")).json()) as SearchBody;
    expect(second.items).toHaveLength(2);
    expect(second.next).toBeNull();
    const all = new Set([...first.items, ...second.items].map((i) => i.slug));
    expect(all.size).toBe(12);
    expect((await request("/api/search?q=yak&page=10")).status).toBe(200);
    expect((await request("/api/search?q=yak&page=11")).status).toBe(400);
    expect((await request("/api/search?q=yak&page=0")).status).toBe(400);
  });

  it("answers with CORS and is strict about its parameters", async () => {
    const res = await request("/api/search?q=tokayev");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const unknown = await request("/api/search?q=tokayev&utm_source=x");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain("utm_source");
    const missing = await request("/api/search");
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  });

  it("answers hostile queries (repeated, huge, floods of syntax, control characters) with a 400 or hits, never a 500", async () => {
    const cases = [
      "/api/search?q=yak&q=ibex",
      `/api/search?q=${"(".repeat(200)}`,
      `/api/search?q=${encodeURIComponent('"'.repeat(200))}`,
      `/api/search?q=${encodeURIComponent("-".repeat(200))}`,
      `/api/search?q=${encodeURIComponent("a OR ".repeat(40))}`,
      `/api/search?q=${encodeURIComponent("title:".repeat(33))}`,
      `/api/search?q=${encodeURIComponent("\u0000\u0001 yak \u202e")}`,
      "/api/search?q=%ED%A0%80%20yak",
      "/api/search?q=%FF%FE%20yak",
      `/api/search?q=${"yak%20".repeat(20_000)}`,
      "/api/search?q=yak&page=1&page=2",
    ];
    for (const path of cases) {
      const res = await request(path);
      expect([200, 400], path.slice(0, 80)).toContain(res.status);
      expect(res.headers.get("content-type"), path.slice(0, 80)).toMatch(/^application\/(problem\+)?json/);
    }
  });

  it("answers a malformed query with a 400 naming q, never a 500", async () => {
    for (const q of [
      '"unbalanced',
      "AND",
      "tokayev AND",
      "OR tokayev",
      "tokayev OR",
      "NEAR(tokayev summit)",
      "foo:bar",
      "*",
      "(tokayev",
      "tokayev)",
      "NOT",
      "-tokayev",
      "-",
      "tokayev -",
      "tokayev - summit",
      "tokayev -title:",
      'tokayev -""',
      "tokayev -:",
      "title:",
      ":",
      '""',
      "...",
    ]) {
      const res = await request(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type"), q).toBe("application/problem+json; charset=utf-8");
      const body = (await res.json()) as { errors: { field: string }[] };
      expect(
        body.errors.map((e) => e.field),
        q,
      ).toEqual(["q"]);
    }
  });

  it("turns an expression FTS5 rejects into a QueryError, should one ever reach the store", async () => {
    const store = new SearchStore(env.DB, () => SITE);
    for (const match of ['"open', "AND", "NEAR(", "*"]) {
      await expect(store.search(match, Date.now(), 10, 0), match).rejects.toBeInstanceOf(QueryError);
    }
  });

  it("takes 200 characters of query and refuses 201", async () => {
    expect((await request(`/api/search?q=${"a".repeat(200)}`)).status).toBe(200);
    expect((await request(`/api/search?q=${"a".repeat(201)}`)).status).toBe(400);
  });

  it("takes 10 words and refuses 11", async () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect((await request(`/api/search?q=${encodeURIComponent(words(10))}`)).status).toBe(200);
    const res = await request(`/api/search?q=${encodeURIComponent(words(11))}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain("at most 10 words");
  });
});

describe("GET /search", () => {
  it("shows the search form for an empty query, as a valid page", async () => {
    for (const path of ["/search", "/search?q=", "/search?q=%20%20"]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(await htmlProblems(html)).toEqual([]);
      const page = parsePage(html);
      expect(page.headings[0]).toBe("Search");
      expect(page.forms.some((f) => f.action === "/search" && f.fields.some((x) => x.name === "q"))).toBe(true);
    }
  });

  it("lists hits with their matches in <mark>, as a valid page", async () => {
    const res = await request("/search?q=almaty&utm_source=newsletter");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).toContain("<mark>Almaty</mark>");
    expect(parsePage(html).links).toContain("/articles/summit");
    // The reader's query shows in the form.
    expect(parsePage(html).forms.some((f) => f.fields.some((x) => x.name === "q" && x.value === "almaty"))).toBe(true);
  });

  it("shows a hit's image as the listings do: a lazy thumbnail, and none for a hit without one", async () => {
    await publish({
      slug: "pictured-hit",
      title: "Pictured kumis festival",
      image: { url: "/images/kumis.png", alt: "Bowls of kumis", width: 1200, height: 800 },
    });
    await publish({ slug: "plain-hit", title: "Plain kumis festival" });
    const html = await (await request("/search?q=kumis")).text();
    expect(await htmlProblems(html)).toEqual([]);
    const items = html.split("<li").filter((li) => li.includes('href="/articles/'));
    expect(items.find((li) => li.includes("pictured-hit"))).toContain(
      '<img class="thumb" src="https://news.example.com/images/kumis.png" alt="" width="120" height="80" loading="lazy" decoding="async"/>',
    );
    expect(items.find((li) => li.includes("plain-hit"))).not.toContain("<img");
  });

  it("shows article text that looks like markup as text", async () => {
    await publish({
      slug: "hostile",
      title: "Capybara <script>alert(1)</script> & co",
      markdown: "The capybara wrote `<script>alert(2)</script>` and <b>bold</b> in a sentence.",
    });
    const html = await (await request("/search?q=capybara")).text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    const [item] = (await api("capybara")).items;
    expect(item?.title).toBe("Capybara <script>alert(1)</script> & co");
    expect(item?.snippet.text).toContain("<script>alert(2)</script>");
  });

  it("answers a malformed query with the search page again, keeping the query and saying what is wrong", async () => {
    const res = await request(`/search?q=${encodeURIComponent('"unbalanced')}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.textOf("search-problem")).toBe("This search cannot be run: the query has a quote that is not closed.");
    const field = page.forms[0]?.fields.find((f) => f.name === "q");
    expect(field?.value).toBe('"unbalanced');
    expect(field?.attributes["aria-invalid"]).toBe("true");
    expect(field?.description).toBe(page.textOf("search-problem"));
    expect((await request(`/search?q=${"a".repeat(201)}`)).status).toBe(400);
    expect((await request("/search?q=tokayev&page=11")).status).toBe(400);
  });

  it("pages with next and previous links", async () => {
    for (let i = 0; i < 11; i++) await publish({ slug: `okapi-${i}`, title: `Okapi number ${i}` });
    const first = parsePage(await (await request("/search?q=okapi")).text());
    expect(first.links).toContain("/search?q=okapi&page=2");
    const second = await request("/search?q=okapi&page=2");
    const html = await second.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(parsePage(html).links).toContain("/search?q=okapi");
    expect(parsePage(html).links).not.toContain("/search?q=okapi&page=3");
  });

  it("answers HEAD with the GET's headers and no body, and 304 to its ETag", async () => {
    const get = await request("/search?q=tokayev");
    const head = await request("/search?q=tokayev", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const again = await request("/search?q=tokayev", { headers: { "if-none-match": get.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    expect((await request("/api/search?q=tokayev", { method: "HEAD" })).status).toBe(200);
  });

  it("is in every page's header", async () => {
    for (const path of ["/", "/articles/summit", "/no-such-page"]) {
      const html = await (await request(path)).text();
      expect(html, path).toMatch(
        /<header class="site">[\s\S]*<search class="search"[^>]*>\s*<form action="\/search" method="get">[\s\S]*<\/header>/,
      );
    }
  });
});

/**
 * `n` public articles holding `word`: one published through the API, the rest copied from it in
 * one statement (the index follows by its triggers), so a thousand take a moment.
 */
async function seedMatches(word: string, n: number): Promise<void> {
  await publish({ slug: `${word}-0`, title: `The ${word}`, markdown: `A ${word} was seen.` });
  if (n <= 1) return;
  const { results } = await env.DB.prepare("SELECT name FROM pragma_table_info('articles')").all<{ name: string }>();
  const columns = results.map((r) => r.name).filter((name) => name !== "id");
  const values = columns.map((name) => (name === "slug" ? "slug || '-' || n.i" : name));
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO articles (${columns.join(", ")}) SELECT ${values.join(", ")} FROM articles, n WHERE slug = ?1`,
  )
    .bind(`${word}-0`, n - 1)
    .run();
}

describe("the search page's count and form", () => {
  const countOf = async (q: string, fetch: (path: string) => Response | Promise<Response> = request) => {
    const res = await fetch(`/search?q=${q}`);
    expect(res.status).toBe(200);
    return parsePage(await res.text()).textOf("result-count");
  };

  it("says how many articles match, in English and in Russian's plural forms, and more than 1 000 past it", async () => {
    const ru = isolate({ SITE_LANGUAGE: "ru" });
    const kk = isolate({ SITE_LANGUAGE: "kk" });
    const cases: [string, number, string, string, string][] = [
      ["gazelle", 1, "1 result", "1 результат", "1 нәтиже"],
      ["lynx", 2, "2 results", "2 результата", "2 нәтиже"],
      ["saiga", 5, "5 results", "5 результатов", "5 нәтиже"],
      ["pika", 21, "21 results", "21 результат", "21 нәтиже"],
      ["argali", 1000, "1,000 results", "1 000 результатов", "1 000 нәтиже"],
      ["tarpan", 1001, "more than 1,000 results", "более 1 000 результатов", "1 000-нан астам нәтиже"],
    ];
    for (const [word, n, en, inRussian, inKazakh] of cases) {
      await seedMatches(word, n);
      expect(await countOf(word), word).toBe(en);
      expect(await countOf(word, ru.fetch), word).toBe(inRussian);
      expect(await countOf(word, kk.fetch), word).toBe(inKazakh);
    }
    // The count is of all matches, on every page of them.
    expect(await countOf("pika&page=3")).toBe("21 results");
    // A draft is not counted.
    await publish({ slug: "gazelle-draft", title: "A gazelle draft", draft: true });
    expect(await countOf("gazelle")).toBe("1 result");
  });

  it("says nothing of a count when nothing matches, and says so in the site's language", async () => {
    const html = await (await isolate({ SITE_LANGUAGE: "ru" }).fetch("/search?q=quagga")).text();
    const page = parsePage(html);
    expect(page.textOf("result-count")).toBeNull();
    expect(page.text).toContain("Нет статей по запросу «quagga».");
  });

  it("has exactly one search form, labelled and keeping the query; every other page keeps the header's", async () => {
    for (const path of ["/search", "/search?q=tokayev", `/search?q=${encodeURIComponent('"open')}`]) {
      const html = await (await request(path)).text();
      const forms = [...html.matchAll(/<form\b[^>]*action="\/search"/g)];
      expect(forms, path).toHaveLength(1);
      expect(html, path).not.toContain('<search class="search"');
      const page = parsePage(html);
      const field = page.forms[0]?.fields.find((f) => f.name === "q");
      expect(field?.attributes.id).toBe("search-q");
      expect(html).toContain('<label for="search-q">Words to find in titles, summaries and articles</label>');
    }
    expect(parsePage(await (await request("/search?q=tokayev")).text()).forms[0]?.fields[0]?.value).toBe("tokayev");
  });

  it("says what is wrong with a malformed query in the site's language", async () => {
    const res = await isolate({ SITE_LANGUAGE: "ru" }).fetch(`/search?q=${encodeURIComponent("a OR")}`);
    expect(res.status).toBe(400);
    const page = parsePage(await res.text());
    expect(page.textOf("search-problem")).toBe(
      "Такой поиск выполнить нельзя: в запросе у OR должно быть слово с каждой стороны.",
    );
    // The API's problem stays in English.
    const api = await isolate({ SITE_LANGUAGE: "ru" }).fetch(`/api/search?q=${encodeURIComponent("a OR")}`);
    expect(((await api.json()) as { errors: { detail: string }[] }).errors[0]?.detail).toBe(
      "OR needs a word on each side",
    );
  });
});
