// The scale benchmark (`npm run bench -- --scale`): every public route at 30 and at 100 000
// articles, on the Worker's own workerd socket (Miniflare). The articles are built with the
// project's article functions (articleFromJson, as the admin API parses them) and written through
// ArticleStore.sync, the store's batch write path, 100 per D1 batch (in the Worker, see
// bench/scale-entry.ts): about 200 tags drawn from a Zipf distribution, 1-4 tags and 1-3 authors
// (of 500) each, ten years of dates, 2-5 KB bodies; drafts and scheduled articles through the
// API's store path; beside them 40 and 100 000 subscribers with their ledger and outbox
// (bench/scale-console.ts). The seeded database is kept under .bench/scale/, keyed by
// SEED_VERSION, the migrations, the store's sources and the sizes, so a second run does not seed
// again.
//
// Each route is requested uncached (right after a content version bump: POST /__bench/bump runs
// the store's own bump statement and makes the isolate forget its memo, as a write does) and then
// cached; the median of REPS rounds is reported, rounds at 30 and at 100 000 alternating. D1 time
// per request comes from bench/scale-entry.ts (see there): the Worker's own time is wall minus D1.
// The console's pages follow, signed in, each the first request after a bump (never cached).
//
// Then the content sync: 20 000 of the same articles written as Markdown files, loaded by the real
// `scripts/content-sync.ts` into a fresh local D1 and loaded again with nothing changed, both timed
// against their targets (60 s and 5 s). `npm run bench -- --scale --sync-only` runs only that;
// SCALE_SYNC_FILES sets the number of files (0 leaves the sync out).

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Miniflare } from "miniflare";
import { OFFLINE_ENV, WRANGLER_BIN } from "../scripts/wrangler.js";
import { type Article, articleFromJson } from "../src/core/article.js";
import { encodeCursor } from "../src/core/cursor.js";
import { windowOf } from "../src/core/digest/window.js";
import { monthOf, sitemapFile } from "../src/core/sitemap.js";
import { bundle, COMPATIBILITY, migrate, post, start, VARS, workerOptions } from "./http.js";
import { median, random, zipf } from "./lib.js";
import { type ConsoleRoute, consoleCookie, consoleRoutes, seedConsole, shiftToToday } from "./scale-console.js";

const TSX = createRequire(import.meta.url).resolve("tsx/cli");

/** Bump to reseed (the generator below or in bench/scale-console.ts changed). */
const SEED_VERSION = 2;
/** The large size can be lowered for a quick look: SCALE_ARTICLES=5000 SCALE_SUBSCRIBERS=5000. */
const SIZES = [30, Number(process.env.SCALE_ARTICLES ?? 100_000)];
/** Subscribers beside each size's articles. */
const SUBSCRIBERS = [40, Number(process.env.SCALE_SUBSCRIBERS ?? 100_000)];
// 500 a request broke the connection to workerd (EPIPE); 100 (500 statements a batch) holds.
const BATCH = Number(process.env.SCALE_BATCH ?? 100);
const TAGS = 200;
const AUTHORS = 500;
const REPS = Number(process.env.SCALE_REPS ?? 7);
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2016, 0, 1);
const LAST_DAY = Date.UTC(2026, 0, 1);
const CACHE_ROOT = ".bench/scale";

// --- the generated content -------------------------------------------------------------------

const TOPICS = [
  "Energy",
  "Transport",
  "Schools",
  "Health",
  "Housing",
  "Water",
  "Farming",
  "Courts",
  "Budget",
  "Elections",
  "Culture",
  "Sport",
  "Weather",
  "Trade",
  "Mining",
  "Tourism",
  "Science",
  "Roads",
  "Police",
  "Media",
];
const PLACES = [
  "Almaty",
  "Astana",
  "Shymkent",
  "Karaganda",
  "Aktobe",
  "Taraz",
  "Pavlodar",
  "Semey",
  "Atyrau",
  "Kostanay",
];
const FIRST = [
  "Aigerim",
  "Daniyar",
  "Madina",
  "Yerlan",
  "Saule",
  "Timur",
  "Aruzhan",
  "Nurlan",
  "Dana",
  "Arman",
  "Zhanna",
  "Bauyrzhan",
  "Kamila",
  "Askar",
  "Gulnara",
  "Olzhas",
  "Alina",
  "Ruslan",
  "Asel",
  "Marat",
  "Elena",
  "Sergei",
  "Anna",
  "Ivan",
  "Laura",
];
const LAST = [
  "Abenova",
  "Seitkali",
  "Kim",
  "Omarov",
  "Li",
  "Petrova",
  "Suleimenov",
  "Nurpeisova",
  "Iskakov",
  "Tulegenova",
  "Baimukhanov",
  "Zhakupova",
  "Orlov",
  "Akhmetova",
  "Dzhaksybekov",
  "Sadykova",
  "Volkov",
  "Mukanova",
  "Yessimov",
  "Kaliyeva",
];
const SENTENCES = [
  "The regional council met on Tuesday to discuss the budget for road repairs, tram lines and the new bus depot.",
  "Members asked for a public hearing before the vote, and the chair agreed to hold it next month.",
  "Residents of the eastern districts say the heating came on two weeks late again this autumn.",
  "The ministry published the figures on its website, but the tables leave out the smaller towns.",
  "Farmers expect a good harvest if the dry spell ends before the middle of the month.",
  "A spokesperson for the company said the plant would reopen once the inspection is complete.",
  "Teachers in three schools have asked for smaller classes and more time for lesson planning.",
  "The court adjourned the hearing until the defence has had time to read the new evidence.",
  "Ticket prices on the intercity line will rise by eight percent from the first of next month.",
  "Volunteers planted four hundred trees along the river embankment over the weekend.",
  "The museum's new wing opens to visitors on Saturday with an exhibition of felt carpets.",
  "Engineers found cracks in two of the bridge supports during a routine inspection.",
];

const tagName = (rank: number) => `${TOPICS[rank % TOPICS.length]} ${PLACES[Math.floor(rank / TOPICS.length)]}`;
const authorName = (rank: number) =>
  `${FIRST[rank % FIRST.length]} ${LAST[Math.floor(rank / FIRST.length) % LAST.length]}`;

/** Markdown of 2-5 KB: paragraphs, a heading, a list, a link and some emphasis. */
function body(rand: () => number): string {
  const target = 2048 + Math.floor(rand() * 3072);
  const pick = () => SENTENCES[Math.floor(rand() * SENTENCES.length)] ?? "";
  const parts: string[] = [];
  let size = 0;
  while (size < target) {
    const kind = rand();
    let part: string;
    if (kind < 0.1) part = `## ${pick().split(" ").slice(0, 5).join(" ")}`;
    else if (kind < 0.2) part = `- ${pick()}\n- *${pick()}*\n- ${pick()}`;
    else if (kind < 0.3)
      part = `${pick()} [Read the report](https://example.org/reports/${Math.floor(rand() * 1e6)}). **${pick()}**`;
    else part = `${pick()} ${pick()} ${pick()}`;
    parts.push(part);
    size += part.length + 2;
  }
  return parts.join("\n\n");
}

type Draw = { tag: () => number; author: () => number; rand: () => number };

/** The fields of article i of n, as a JSON body or front matter would give them; oldest first. */
function articleFields(i: number, n: number, draw: Draw) {
  const { rand } = draw;
  const slot = (LAST_DAY - FIRST_DAY) / n;
  const date = new Date(Math.floor(FIRST_DAY + i * slot + rand() * slot));
  const tags = new Set<string>();
  const tagCount = 1 + Math.floor(rand() * 4);
  while (tags.size < tagCount) tags.add(tagName(draw.tag()));
  const authors = new Set<string>();
  const authorCount = 1 + Math.floor(rand() * 3);
  while (authors.size < authorCount) authors.add(authorName(draw.author()));
  const title = `${[...tags][0]}: ${SENTENCES[i % SENTENCES.length]?.split(" ").slice(0, 6).join(" ")}`;
  return {
    title,
    slug: `story-${i + 1}`,
    date: date.toISOString(),
    authors: [...authors].map((name) => ({ name })),
    tags: [...tags].map((name) => ({ name })),
    markdown: body(rand),
  };
}

/** Article i of n, as the admin API would build it from JSON. */
function article(
  i: number,
  n: number,
  draw: Draw,
  extra: { slug?: string; date?: string; draft?: boolean } = {},
): Article {
  return articleFromJson(
    { ...articleFields(i, n, draw), ...extra },
    { siteUrl: VARS.SITE_URL ?? "http://127.0.0.1:8787" },
  );
}

/**
 * What a publisher has in hand beside the published articles, written through the admin API's
 * store path: drafts dated in the last 60 days, and a few articles scheduled in 2030 (after any
 * run of this bench), one a week.
 */
function unpublished(n: number): Article[] {
  const rand = random(20_261_207);
  const draw = { rand, tag: zipf(TAGS, 1, rand), author: zipf(AUTHORS, 0.6, rand) };
  const drafts = Math.max(3, Math.floor(n / 250));
  const scheduled = Math.max(2, Math.floor(n / 2000));
  const out: Article[] = [];
  for (let i = 0; i < drafts; i++) {
    const date = new Date(LAST_DAY - Math.floor(rand() * 60 * DAY)).toISOString();
    out.push(article(i, n, draw, { slug: `draft-${i + 1}`, date, draft: true }));
  }
  for (let i = 0; i < scheduled; i++) {
    const date = new Date(Date.UTC(2030, 0, 1, 5) + i * 7 * DAY).toISOString();
    out.push(article(i, n, draw, { slug: `scheduled-${i + 1}`, date }));
  }
  return out;
}

/** Article i of n as a content file: YAML front matter (JSON strings are valid YAML), then Markdown. */
function articleFile(i: number, n: number, draw: Draw): { name: string; text: string } {
  const { markdown, slug, authors, tags, ...fields } = articleFields(i, n, draw);
  const list = (items: { name: string }[]) => `[${items.map((t) => JSON.stringify(t.name)).join(", ")}]`;
  const front = [
    `title: ${JSON.stringify(fields.title)}`,
    `date: ${JSON.stringify(fields.date)}`,
    `authors: ${list(authors)}`,
    `tags: ${list(tags)}`,
  ];
  return { name: `${fields.date.slice(0, 10)}-${slug}.md`, text: `---\n${front.join("\n")}\n---\n\n${markdown}\n` };
}

// --- the seeded database, kept on disk ---------------------------------------------------------

/** Changes whenever the schema, the store's writes or this generator change. */
function seedKey(n: number, m: number): string {
  const hash = createHash("sha256").update(`seed ${SEED_VERSION} ${n} ${m}\n`);
  for (const file of readdirSync("migrations").sort()) hash.update(file).update(readFileSync(join("migrations", file)));
  for (const file of readdirSync("src/worker/store").sort()) {
    hash.update(file).update(readFileSync(join("src/worker/store", file)));
  }
  hash.update(readFileSync("src/core/article.ts"));
  return `${n}-${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Builds the articles here, BATCH at a time, and has the Worker write each batch (see
 * scale-entry.ts); then the drafts and scheduled articles, and the m subscribers and what
 * goes with them (scale-console.ts).
 */
async function seed(mf: Miniflare, base: URL, n: number, m: number): Promise<void> {
  await migrate(mf);
  const rand = random(20_260_401);
  const draw = { rand, tag: zipf(TAGS, 1, rand), author: zipf(AUTHORS, 0.6, rand) };
  const begin = performance.now();
  for (let from = 0; from < n; from += BATCH) {
    const upserts: { article: Article; path: string; hash: string }[] = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      upserts.push({ article: article(i, n, draw), path: `content/story-${i + 1}.md`, hash: `seed-${i + 1}` });
    }
    await post(new URL("/__bench/seed", base), JSON.stringify(upserts), 3);
    const done = Math.min(n, from + BATCH);
    if (n > BATCH && (done % 10_000 === 0 || done === n)) {
      const s = (performance.now() - begin) / 1000;
      console.log(`  seeded ${done} of ${n} articles in ${s.toFixed(0)} s`);
    }
  }
  const extra = unpublished(n);
  for (let from = 0; from < extra.length; from += BATCH) {
    await post(new URL("/__bench/articles", base), JSON.stringify(extra.slice(from, from + BATCH)));
  }
  await seedConsole(mf, base, m, LAST_DAY);
}

/** A Miniflare on the seeded database for n articles; seeds it first when it is not on disk. */
async function open(
  n: number,
  m: number,
  script: string,
  dir: string,
): Promise<{ mf: Miniflare; url: URL; seededS: number | null }> {
  const key = seedKey(n, m);
  const persist = resolve(CACHE_ROOT, key);
  const complete = join(persist, "complete");
  const fresh = !existsSync(complete);
  if (fresh) {
    // Databases of this size seeded under an older key are of no more use (about 1.6 GB each).
    for (const old of existsSync(CACHE_ROOT) ? readdirSync(CACHE_ROOT) : []) {
      if (old.startsWith(`${n}-`) && old !== key) rmSync(join(CACHE_ROOT, old), { recursive: true, force: true });
    }
    rmSync(persist, { recursive: true, force: true });
    mkdirSync(persist, { recursive: true });
  }
  const { mf, url } = await start({
    ...workerOptions(script, dir),
    d1Databases: ["DB"],
    d1Persist: persist,
    cache: true,
    bindings: VARS,
  });
  let seededS: number | null = null;
  if (fresh) {
    console.log(`Seeding ${n} articles and ${m} subscribers into ${persist} ...`);
    const begin = performance.now();
    await seed(mf, url, n, m);
    seededS = (performance.now() - begin) / 1000;
    writeFileSync(complete, `${new Date().toISOString()} ${seededS.toFixed(1)} s\n`);
  } else {
    const [when, seconds] = readFileSync(complete, "utf8").split(" ");
    console.log(
      `Using the database seeded with ${n} articles and ${m} subscribers in ${seconds} s on ${when} (${persist})`,
    );
  }
  await shiftToToday(url, LAST_DAY);
  return { mf, url, seededS };
}

// --- the routes --------------------------------------------------------------------------------

interface Route {
  name: string;
  path: string;
}

/**
 * The paths to time, picked from the seeded data (bench-side queries, not timed): the public
 * routes, and the console's (scale-console.ts).
 */
async function routes(mf: Miniflare, n: number): Promise<{ site: Route[]; console: ConsoleRoute[] }> {
  const db = await mf.getD1Database("DB");
  const one = async <T>(sql: string, ...params: unknown[]): Promise<T> => {
    const row = await db
      .prepare(sql)
      .bind(...params)
      .first<T>();
    if (!row) throw new Error(`bench/scale: no row for ${sql}`);
    return row;
  };
  // Public articles only: drafts and the scheduled ones are the console's.
  const now = Date.now();
  const middle = await one<{ slug: string; published_at: number; authors_json: string }>(
    `SELECT slug, published_at, authors_json FROM articles WHERE draft = 0 AND published_at <= ?2
     ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?1`,
    Math.floor(n / 2),
    now,
  );
  const tagged = (order: string) =>
    one<{ slug: string }>(
      `SELECT tag_slug AS slug FROM article_tags
       WHERE article_id IN (SELECT id FROM articles WHERE draft = 0 AND published_at <= ?1)
       GROUP BY tag_slug ORDER BY COUNT(*) ${order}, tag_slug LIMIT 1`,
      now,
    );
  const popular = await tagged("DESC");
  const rare = await tagged("ASC");
  const rareName = await one<{ name: string }>(
    "SELECT tag_name AS name FROM article_tags WHERE tag_slug = ?1 LIMIT 1",
    rare.slug,
  );
  const author = (JSON.parse(middle.authors_json) as { slug: string }[])[0]?.slug ?? "";
  // 1 000 items deep; at 30 articles, the middle of the list.
  const deep = await one<{ published_at: number; id: number }>(
    `SELECT published_at, id FROM articles WHERE draft = 0 AND published_at <= ?2
     ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?1`,
    Math.min(999, Math.floor(n / 2)),
    now,
  );
  const tz = (VARS as Record<string, string | undefined>).DIGEST_TZ ?? "UTC";
  const cursor = encodeCursor({ publishedAt: deep.published_at, id: deep.id, direction: "after" });
  const day = windowOf("daily", middle.published_at, tz).label;
  const site = [
    { name: "home", path: "/" },
    { name: "article", path: `/articles/${middle.slug}` },
    { name: "tag page, popular", path: `/tags/${popular.slug}` },
    { name: "tag page, rare", path: `/tags/${rare.slug}` },
    { name: "author page", path: `/authors/${author}` },
    { name: "feed.xml", path: "/feed.xml" },
    { name: "atom.xml", path: "/atom.xml" },
    { name: "feed.json", path: "/feed.json" },
    { name: "tag feed, popular", path: `/tags/${popular.slug}/feed.xml` },
    { name: "tag feed, rare", path: `/tags/${rare.slug}/feed.xml` },
    { name: "author feed", path: `/authors/${author}/feed.xml` },
    { name: "feeds.opml", path: "/feeds.opml" },
    { name: "feed page", path: "/feeds" },
    { name: "tag feed page, popular", path: `/tags/${popular.slug}/feeds` },
    { name: "author feed page", path: `/authors/${author}/feeds` },
    { name: "tags index", path: "/tags" },
    { name: "authors index", path: "/authors" },
    { name: "digest archive", path: "/digests" },
    { name: "daily digest", path: `/digests/daily/${day}` },
    { name: "weekly digest", path: `/digests/weekly/${windowOf("weekly", middle.published_at, tz).label}` },
    { name: "api first page", path: "/api/articles" },
    { name: "api page 1000 deep", path: `/api/articles?cursor=${cursor}` },
    { name: "sitemap index", path: "/sitemap.xml" },
    {
      name: "month sitemap",
      path: `/sitemaps/${sitemapFile({ kind: "articles", month: monthOf(middle.published_at), part: 1 })}`,
    },
    // "hearing" is in two of the body sentences, so in nearly every article; the rare tag's name
    // as a phrase is in the titles of the few articles that carry it first.
    { name: "search, common word", path: "/search?q=hearing" },
    { name: "search, common word, page 10", path: "/search?q=hearing&page=10" },
    { name: "search, rare phrase", path: `/search?q=${encodeURIComponent(`"${rareName.name}"`)}` },
    { name: "api search, common word", path: "/api/search?q=hearing" },
  ];
  return { site, console: await consoleRoutes(mf, { slug: middle.slug, day, cursor }) };
}

interface Sample {
  wallMs: number;
  d1Ms: number;
  sqlMs: number;
  calls: number;
  bytes: number;
}

/** One GET on a fresh connection, timed to the last byte; `cookie` signs in to the console. */
function timedGet(url: URL, cookie?: string): Promise<Sample> {
  return new Promise((done, fail) => {
    const begin = performance.now();
    httpGet(url, { agent: false, headers: cookie ? { cookie } : {} }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on("end", () => {
        const wallMs = performance.now() - begin;
        if (response.statusCode !== 200) {
          fail(new Error(`GET ${url.pathname}${url.search}: ${response.statusCode}`));
          return;
        }
        const header = (name: string) => Number(response.headers[name] ?? Number.NaN);
        done({
          wallMs,
          d1Ms: header("x-bench-d1-ms"),
          sqlMs: header("x-bench-d1-sql-ms"),
          calls: header("x-bench-d1-calls"),
          bytes,
        });
      });
    }).on("error", fail);
  });
}

async function bump(base: URL): Promise<void> {
  await post(new URL("/__bench/bump", base), "", 1);
}

interface Timing {
  uncached: Sample;
  cached: Sample;
}

/** One round: bump the version, then request twice. */
async function round(base: URL, route: Route): Promise<{ uncached: Sample; cached: Sample }> {
  const url = new URL(route.path, base);
  await bump(base);
  const uncached = await timedGet(url);
  const cached = await timedGet(url);
  return { uncached, cached };
}

/** The median of each field over samples. */
function sampleMedian(samples: Sample[]): Sample {
  return {
    wallMs: median(samples.map((x) => x.wallMs)),
    d1Ms: median(samples.map((x) => x.d1Ms)),
    sqlMs: median(samples.map((x) => x.sqlMs)),
    calls: median(samples.map((x) => x.calls)),
    bytes: median(samples.map((x) => x.bytes)),
  };
}

/** Medians over rounds, per field. */
function medians(rounds: { uncached: Sample; cached: Sample }[]): Timing {
  return {
    uncached: sampleMedian(rounds.map((x) => x.uncached)),
    cached: sampleMedian(rounds.map((x) => x.cached)),
  };
}

/** "100k" for 100 000. */
const short = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** A Markdown table: the first column left-aligned, the figures right-aligned. */
function markdown(head: string[], lines: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const row = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [row(head), rule, ...lines.map(row)].join("\n");
}

function table(rows: { name: string; small: Timing; large: Timing }[], sizes: readonly number[]): string {
  const [s, l] = sizes.map(short);
  const head = [
    "route",
    `${s} unc ms`,
    `${s} cached ms`,
    `${l} unc ms`,
    `${l} cached ms`,
    "ratio unc",
    "ratio cached",
    `${l} unc D1 ms`,
    `${l} unc Worker ms`,
    "D1 calls",
    `${l} KB`,
  ];
  const lines = rows.map(({ name, small, large }) => [
    name,
    f(small.uncached.wallMs),
    f(small.cached.wallMs),
    f(large.uncached.wallMs),
    f(large.cached.wallMs),
    `${(large.uncached.wallMs / small.uncached.wallMs).toFixed(1)}x`,
    `${(large.cached.wallMs / small.cached.wallMs).toFixed(1)}x`,
    f(large.uncached.d1Ms),
    f(large.uncached.wallMs - large.uncached.d1Ms),
    String(large.uncached.calls),
    (large.uncached.bytes / 1024).toFixed(0),
  ]);
  return markdown(head, lines);
}

/** The console's pages: uncached only (they are never cached). */
function consoleTable(rows: { name: string; small: Sample; large: Sample }[], sizes: readonly string[]): string {
  const [s, l] = sizes;
  const head = ["console page", `${s} ms`, `${l} ms`, "ratio", `${l} D1 ms`, `${l} Worker ms`, "D1 calls", `${l} KB`];
  const lines = rows.map(({ name, small, large }) => [
    name,
    f(small.wallMs),
    f(large.wallMs),
    `${(large.wallMs / small.wallMs).toFixed(1)}x`,
    f(large.d1Ms),
    f(large.wallMs - large.d1Ms),
    String(large.calls),
    (large.bytes / 1024).toFixed(0),
  ]);
  return markdown(head, lines);
}

// --- the content sync ---------------------------------------------------------------------------

/** Files in the content sync measurement; SCALE_SYNC_FILES=0 leaves it out. */
const SYNC_FILES = Number(process.env.SCALE_SYNC_FILES ?? 20_000);
const SYNC_FRESH_TARGET_S = 60;
const SYNC_AGAIN_TARGET_S = 5;

/** Runs `node tsx scripts/content-sync.ts ...args` from `cwd`; wall seconds and its last line. */
function timedSync(cwd: string, args: string[]): { seconds: number; last: string } {
  const begin = performance.now();
  const result = spawnSync(process.execPath, [TSX, resolve("scripts/content-sync.ts"), ...args], {
    cwd,
    env: { ...process.env, ...OFFLINE_ENV },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - begin) / 1000;
  if (result.status !== 0) {
    throw new Error(`content sync exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  return { seconds, last: result.stdout.trim().split("\n").pop() ?? "" };
}

/**
 * `npm run content:sync` on SYNC_FILES generated files (the articles the routes are timed on, as
 * Markdown files), into a fresh local D1 and then again with nothing changed: wall time of the
 * whole command, Node start included, as a publisher waits for it.
 */
async function contentSync(): Promise<void> {
  const n = SYNC_FILES;
  const dir = mkdtempSync(join(tmpdir(), "bench-sync-"));
  try {
    const content = join(dir, "content");
    mkdirSync(content);
    const rand = random(20_260_401);
    const draw = { rand, tag: zipf(TAGS, 1, rand), author: zipf(AUTHORS, 0.6, rand) };
    for (let i = 0; i < n; i++) {
      const file = articleFile(i, n, draw);
      writeFileSync(join(content, file.name), file.text);
    }
    const state = join(dir, "state");
    const config = resolve("wrangler.toml");
    execFileSync(
      process.execPath,
      [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state],
      { cwd: dir, env: { ...process.env, ...OFFLINE_ENV }, stdio: "ignore" },
    );
    const args = ["--config", config, "--persist-to", state];
    console.log(
      `\nContent sync of ${String(n).replace(/\B(?=(\d{3})+$)/g, " ")} generated files (${dir}), wall time of the whole command:`,
    );
    const fresh = timedSync(dir, args);
    console.log(`  ${fresh.last}`);
    const again = timedSync(dir, args);
    console.log(`  ${again.last}`);
    const verdict = (s: number, target: number) =>
      `${s.toFixed(1)} s (target under ${target} s: ${s < target ? "met" : "MISSED"})`;
    console.log(`  fresh database:   ${verdict(fresh.seconds, SYNC_FRESH_TARGET_S)}`);
    console.log(`  nothing changed:  ${verdict(again.seconds, SYNC_AGAIN_TARGET_S)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (process.argv.includes("--sync-only")) return contentSync();
  await routeTimes();
  if (SYNC_FILES > 0) await contentSync();
}

async function routeTimes(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const running: Miniflare[] = [];
  try {
    const config = join(dir, "wrangler.toml");
    writeFileSync(
      config,
      `name = "bench-scale"\nmain = ${JSON.stringify(resolve("bench/scale-entry.ts"))}\ncompatibility_date = "${COMPATIBILITY.compatibilityDate}"\ncompatibility_flags = ${JSON.stringify(COMPATIBILITY.compatibilityFlags)}\n`,
    );
    const out = join(dir, "out");
    bundle(config, out);
    // wrangler names the bundle after the entry module.
    const script = join(out, "scale-entry.js");
    // Both sizes run side by side and their rounds alternate, so a busy spell on a shared
    // machine falls on both alike.
    const sides: { n: number; url: URL; routes: Route[]; console: ConsoleRoute[] }[] = [];
    const cookie = await consoleCookie();
    for (const [i, n] of SIZES.entries()) {
      const m = SUBSCRIBERS[i] ?? 0;
      const { mf, url, seededS } = await open(n, m, script, out);
      running.push(mf);
      if (seededS !== null) console.log(`Seeded ${n} articles and ${m} subscribers in ${seededS.toFixed(1)} s`);
      const list = await routes(mf, n);
      // Warm the isolate (module load, first D1 connection) before timing anything.
      for (const route of list.site) await timedGet(new URL(route.path, url));
      for (const route of list.console) await timedGet(new URL(route.path, url), cookie);
      sides.push({ n, url, routes: list.site, console: list.console });
    }
    const [small, large] = sides;
    if (!small || !large) throw new Error("bench/scale: a size was not started");
    const rows: { name: string; small: Timing; large: Timing }[] = [];
    for (const [i, smallRoute] of small.routes.entries()) {
      const largeRoute = large.routes[i];
      if (!largeRoute) throw new Error(`bench/scale: no ${smallRoute.name} at ${large.n}`);
      const a: { uncached: Sample; cached: Sample }[] = [];
      const b: { uncached: Sample; cached: Sample }[] = [];
      for (let r = 0; r < REPS; r++) {
        a.push(await round(small.url, smallRoute));
        b.push(await round(large.url, largeRoute));
      }
      const row = { name: smallRoute.name, small: medians(a), large: medians(b) };
      rows.push(row);
      for (const [n, route, t] of [
        [small.n, smallRoute, row.small],
        [large.n, largeRoute, row.large],
      ] as const) {
        console.log(
          `  ${n} articles, ${route.name} (${route.path.slice(0, 60)}): uncached ${t.uncached.wallMs.toFixed(1)} ms (D1 ${t.uncached.d1Ms} ms in ${t.uncached.calls} calls, meta.duration sum ${t.uncached.sqlMs.toFixed(1)} ms), cached ${t.cached.wallMs.toFixed(1)} ms (${t.cached.calls} D1 calls)`,
        );
      }
    }
    console.log(
      `\nEvery public route at ${SIZES.join(" and ")} articles, median of ${REPS} rounds (wall ms, Node to last byte):`,
    );
    console.log(table(rows, SIZES));
    console.log(
      "unc = first request after a content version bump; D1 ms = time a D1 call was in flight, timed in the Worker; Worker ms = wall - D1 (the Worker's own time plus the local HTTP hop).",
    );

    // The console, signed in: never cached, so each round is the first request after a bump.
    const consoleRows: { name: string; small: Sample; large: Sample }[] = [];
    for (const [i, smallRoute] of small.console.entries()) {
      const largeRoute = large.console[i];
      if (!largeRoute) throw new Error(`bench/scale: no ${smallRoute.name} at ${large.n}`);
      const a: Sample[] = [];
      const b: Sample[] = [];
      for (let r = 0; r < REPS; r++) {
        await bump(small.url);
        a.push(await timedGet(new URL(smallRoute.path, small.url), cookie));
        await bump(large.url);
        b.push(await timedGet(new URL(largeRoute.path, large.url), cookie));
      }
      const row = { name: smallRoute.name, small: sampleMedian(a), large: sampleMedian(b) };
      consoleRows.push(row);
      for (const [n, route, t] of [
        [small.n, smallRoute, row.small],
        [large.n, largeRoute, row.large],
      ] as const) {
        console.log(
          `  ${n} articles, ${route.name} (${route.path.slice(0, 60)}): ${t.wallMs.toFixed(1)} ms (D1 ${t.d1Ms} ms in ${t.calls} calls, meta.duration sum ${t.sqlMs.toFixed(1)} ms)`,
        );
      }
    }
    const sizes = SIZES.map((n, i) => `${short(n)}/${short(SUBSCRIBERS[i] ?? 0)}`);
    console.log(
      `\nThe console's pages, signed in, at ${SIZES.map((n, i) => `${n} articles and ${SUBSCRIBERS[i]} subscribers`).join(" and ")} (${sizes.join(", ")} below), median of ${REPS} rounds, each the first request after a content version bump (wall ms, Node to last byte):`,
    );
    console.log(consoleTable(consoleRows, sizes));
    const worst = (list: Sample[]) => ({
      wall: Math.max(...list.map((x) => x.wallMs)),
      worker: Math.max(...list.map((x) => x.wallMs - x.d1Ms)),
    });
    const site = worst(rows.filter((r) => !r.name.includes("search")).map((r) => r.large.uncached));
    const admin = worst(consoleRows.map((r) => r.large));
    console.log(
      `At ${short(large.n)}: public routes uncached (search aside) at most ${f(site.wall)} ms wall, ${f(site.worker)} ms Worker; console pages at most ${f(admin.wall)} ms wall, ${f(admin.worker)} ms Worker.`,
    );
  } finally {
    await Promise.all(running.map((mf) => mf.dispose()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
