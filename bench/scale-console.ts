// The publisher's console in the scale benchmark (bench/scale.ts): the subscribers, suppressions,
// delivery ledger and outbox seeded beside the articles, and the console pages to time with a
// signed-in session. The Worker writes everything through its own stores (bench/scale-entry.ts);
// this file only decides, deterministically, who signed up when and what happened to each (the
// ids the rows get may differ in order between seeds: the Worker writes 50 sign-ups side by side).
//
// The mix, at 100 000 subscribers: 80% active, 5% pending (asked in the last two days), 12%
// unsubscribed, 3% suppressed (4 bounces to 1 complaint), and another 0.3% suppressed addresses
// whose subscriber was erased; 65% daily, 35% weekly; 30% chose 1-3 of the site's tags (the
// popular ones most); a dozen time zones, most in the site's own, and half at the default hour.
// Sign-ups spread over the two years before the seed's last day, more of them recently;
// confirmations follow within minutes to two days. The ledger holds the editions of the 14 days
// the hourly run keeps: 14 daily and 2 weekly editions, to everyone subscribed then, nearly all
// sent (some failed, some dead), the newest still going out.
//
// The seed's last day is the articles' (bench/scale.ts, LAST_DAY). The dashboard counts the
// confirmations and suppressions of the last 7 and 30 days by the clock, so each run moves the
// subscribers' and suppressions' times forward to today (POST /__bench/shift; whole days): a
// database seeded once stays as useful on later days. The ledger and the articles keep their dates.

import type { Miniflare } from "miniflare";
import { windowOf } from "../src/core/digest/window.js";
import { signSession } from "../src/core/session.js";
import { ADMIN_TOKEN, post, SIGNING_SECRET, VARS } from "./http.js";
import { random, zipf } from "./lib.js";
import type { SeedLedger, SeedSubscriber } from "./scale-entry.js";

const DAY = 86_400_000;
/** Sign-ups written per POST: each is two or three store calls. */
const BATCH = 500;
/** Ledger rows per POST (DeliveryStore's ENQUEUE_MAX). */
const LEDGER_BATCH = 10_000;
/** Messages in the outbox: as many as the log mailer keeps. */
const OUTBOX = 200;
/** Bench-side reads of the seeded data, never timed. */
type Db = Awaited<ReturnType<Miniflare["getD1Database"]>>;

const FIRST = ["aigerim", "daniyar", "madina", "yerlan", "saule", "timur", "aruzhan", "nurlan", "dana", "arman"];
const LAST = ["abenova", "seitkali", "kim", "omarov", "li", "petrova", "iskakov", "orlov", "volkov", "sadykova"];
const DOMAINS = ["gmail.com", "mail.kz", "yandex.kz", "outlook.com", "proton.me", "icloud.com", "example.org"];
const ZONES = [
  "Asia/Almaty",
  "Asia/Aqtobe",
  "Europe/Moscow",
  "Asia/Tashkent",
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "Asia/Bishkek",
  "Asia/Dubai",
  "Asia/Tokyo",
  "America/Los_Angeles",
  "UTC",
];

function dbOf(mf: Miniflare): Promise<Db> {
  return mf.getD1Database("DB");
}

async function one<T>(db: Db, sql: string, ...params: unknown[]): Promise<T> {
  const row = await db
    .prepare(sql)
    .bind(...params)
    .first<T>();
  if (!row) throw new Error(`bench/scale-console: no row for ${sql}`);
  return row;
}

/** Subscriber i of m: who they are, what they chose, and what became of them by `lastDay`. */
function subscriber(i: number, lastDay: number, tags: readonly string[], draw: Draws): SeedSubscriber {
  const { rand } = draw;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const local = `${pick(FIRST)}.${pick(LAST)}${i + 1}`;
  // One in ten typed a capital: the row keeps the address as given, lookups its lower case.
  const email = `${rand() < 0.1 ? local[0]?.toUpperCase() + local.slice(1) : local}@${DOMAINS[draw.domain()]}`;
  const fate = rand();
  const chosen = new Set<string>();
  if (tags.length > 0 && rand() < 0.3) {
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) chosen.add(tags[draw.tag() % tags.length] ?? "");
  }
  const preferences = {
    frequency: rand() < 0.65 ? ("daily" as const) : ("weekly" as const),
    tags: [...chosen],
    timeZone: ZONES[draw.zone()] ?? "UTC",
    sendHour: rand() < 0.5 ? 7 : Math.floor(rand() * 24),
  };
  const source = rand() < 0.6 ? "/subscribe" : rand() < 0.5 ? "/" : `/articles/story-${1 + Math.floor(rand() * 1000)}`;
  const ip = rand() < 0.9 ? `203.0.113.${Math.floor(rand() * 256)}` : null;
  const base = { email, preferences, source, ip, confirmedAt: null, unsubscribedAt: null, suppressed: null };
  if (fate < 0.05) return { ...base, requestedAt: lastDay - Math.floor(rand() * 2 * DAY) };
  // More sign-ups lately: the age's density falls linearly over two years.
  const requestedAt = lastDay - Math.floor(730 * DAY * (1 - Math.sqrt(rand()))) - DAY;
  const confirmedAt = requestedAt + 30_000 + Math.floor(rand() ** 3 * 2 * DAY);
  const later = () => confirmedAt + Math.floor(rand() * (lastDay - confirmedAt));
  if (fate < 0.17) return { ...base, requestedAt, confirmedAt, unsubscribedAt: later() };
  if (fate < 0.2) {
    const reason = rand() < 0.8 ? ("bounce" as const) : ("complaint" as const);
    return { ...base, requestedAt, confirmedAt, suppressed: { reason, at: later() } };
  }
  return { ...base, requestedAt, confirmedAt };
}

interface Draws {
  rand: () => number;
  tag: () => number;
  zone: () => number;
  domain: () => number;
}

/** Whether `p` was subscribed at `at`, with a row an edition then would have been written for. */
function subscribedAt(p: SeedSubscriber, at: number): boolean {
  if (p.confirmedAt === null || p.confirmedAt > at) return false;
  if (p.unsubscribedAt !== null && p.unsubscribedAt <= at) return false;
  return !(p.suppressed && p.suppressed.at <= at);
}

/** How an edition's row ended: the newest daily edition is still going out. */
function outcome(rand: () => number, newest: boolean): SeedLedger["rows"][number][2] {
  const x = rand();
  if (newest) return x < 0.55 ? "sent" : x < 0.58 ? "sending" : x < 0.98 ? "queued" : x < 0.99 ? "failed" : "dead";
  return x < 0.987 ? "sent" : x < 0.995 ? "failed" : "dead";
}

/** The editions of the 14 days before `lastDay`, each with when its run wrote the ledger. */
function editions(lastDay: number, timeZone: string): { edition: string; at: number; daily: boolean }[] {
  const out: { edition: string; at: number; daily: boolean }[] = [];
  for (let d = 14; d >= 1; d--) {
    const w = windowOf("daily", lastDay - d * DAY - DAY / 2, timeZone);
    out.push({ edition: `daily/${w.label}`, at: w.end + 7 * 3_600_000, daily: true });
  }
  for (const back of [11, 4]) {
    const w = windowOf("weekly", lastDay - back * DAY, timeZone);
    out.push({ edition: `weekly/${w.label}`, at: w.end + 7 * 3_600_000, daily: false });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Seeds `m` subscribers and their suppressions, ledger and outbox into a database that has its
 * articles. Prints progress at the large size.
 */
export async function seedConsole(mf: Miniflare, base: URL, m: number, lastDay: number): Promise<void> {
  const db = await dbOf(mf);
  const { results: tagRows } = await db
    .prepare("SELECT slug FROM tag_counts ORDER BY count DESC, slug LIMIT 50")
    .all<{ slug: string }>();
  const tags = tagRows.map((r) => r.slug);
  const rand = random(20_261_206);
  const draw: Draws = {
    rand,
    tag: zipf(Math.max(1, tags.length), 1, rand),
    zone: zipf(ZONES.length, 1.6, rand),
    domain: zipf(DOMAINS.length, 1, rand),
  };
  const begin = performance.now();
  const people: SeedSubscriber[] = [];
  const ids: number[] = [];
  for (let from = 0; from < m; from += BATCH) {
    const batch: SeedSubscriber[] = [];
    for (let i = from; i < Math.min(m, from + BATCH); i++) batch.push(subscriber(i, lastDay, tags, draw));
    const written = JSON.parse(await post(new URL("/__bench/subscribers", base), JSON.stringify(batch))) as number[];
    people.push(...batch);
    ids.push(...written);
    const done = Math.min(m, from + BATCH);
    if (m > BATCH && (done % 10_000 === 0 || done === m)) {
      console.log(`  seeded ${done} of ${m} subscribers in ${((performance.now() - begin) / 1000).toFixed(0)} s`);
    }
  }
  // Addresses suppressed whose subscriber erased their data since: only the hash is left.
  const gone = Array.from({ length: Math.ceil(m * 0.003) }, (_, k) => ({
    email: `gone${k + 1}@${DOMAINS[draw.domain()]}`,
    reason: rand() < 0.8 ? "bounce" : "complaint",
    at: lastDay - Math.floor(730 * DAY * (1 - Math.sqrt(rand()))),
  }));
  await post(new URL("/__bench/suppressions", base), JSON.stringify(gone));

  const timeZone = (VARS as Record<string, string | undefined>).DIGEST_TZ ?? "UTC";
  const list = editions(lastDay, timeZone);
  const newest = list.filter((e) => e.daily).at(-1)?.edition;
  let rows = 0;
  for (const { edition, at, daily } of list) {
    const frequency = daily ? "daily" : "weekly";
    const recipients: SeedLedger["rows"] = [];
    people.forEach((p, i) => {
      const id = ids[i];
      if (id !== undefined && p.preferences.frequency === frequency && subscribedAt(p, at)) {
        recipients.push([
          id,
          JSON.stringify([...new Set(p.preferences.tags)].sort()),
          outcome(rand, edition === newest),
        ]);
      }
    });
    for (let from = 0; from < recipients.length; from += LEDGER_BATCH) {
      const ledger: SeedLedger = { edition, at, rows: recipients.slice(from, from + LEDGER_BATCH) };
      await post(new URL("/__bench/ledger", base), JSON.stringify(ledger));
    }
    rows += recipients.length;
  }
  if (m > BATCH) {
    console.log(
      `  seeded ${rows} ledger rows in ${list.length} editions in ${((performance.now() - begin) / 1000).toFixed(0)} s`,
    );
  }
  // The outbox: digests of the newest article's day, as the log mailer keeps them.
  const newestArticle = await one<{ published_at: number }>(
    db,
    "SELECT published_at FROM articles WHERE draft = 0 AND published_at <= ?1 ORDER BY published_at DESC LIMIT 1",
    lastDay,
  );
  const day = windowOf("daily", newestArticle.published_at, timeZone);
  await post(
    new URL("/__bench/outbox", base),
    JSON.stringify({ edition: `daily/${day.label}`, count: OUTBOX, at: day.end + 7 * 3_600_000 }),
  );
}

/** Moves the subscribers' and suppressions' times so that the seed's last day is today (UTC). */
export async function shiftToToday(base: URL, lastDay: number): Promise<void> {
  const to = Math.floor(Date.now() / DAY) * DAY - lastDay;
  await post(new URL("/__bench/shift", base), JSON.stringify({ to: Math.max(0, to) }));
}

/** The Cookie header of a signed-in publisher: the session cookie POST /admin/login sets. */
export async function consoleCookie(): Promise<string> {
  return `console_session=${await signSession(SIGNING_SECRET, ADMIN_TOKEN, "token", Date.now())}`;
}

export interface ConsoleRoute {
  name: string;
  path: string;
}

/**
 * The console pages to time, picked from the seeded data (bench-side queries, not timed).
 * `middle` is the article the public routes read, `day` its day's label, `cursor` the public
 * routes' place 1 000 articles deep.
 */
export async function consoleRoutes(
  mf: Miniflare,
  middle: { slug: string; day: string; cursor: string },
): Promise<ConsoleRoute[]> {
  const db = await dbOf(mf);
  const { n } = await one<{ n: number }>(db, "SELECT count(*) AS n FROM subscribers");
  const person = await one<{ id: number; email: string }>(
    db,
    "SELECT id, email FROM subscribers WHERE status = 'active' AND frequency = 'daily' ORDER BY id LIMIT 1 OFFSET ?1",
    Math.floor(n / 3),
  );
  const deep = await one<{ id: number }>(
    db,
    "SELECT id FROM subscribers ORDER BY id LIMIT 1 OFFSET ?1",
    Math.floor(n / 2),
  );
  const tag = await one<{ slug: string }>(
    db,
    `SELECT j.value AS slug FROM subscribers, json_each(subscribers.tags_json) j
     GROUP BY j.value ORDER BY count(*) DESC, j.value LIMIT 1`,
  );
  // "aigerim." and the like: one first name in ten, a few thousand addresses at 100 000.
  const prefix = person.email.slice(0, person.email.indexOf(".") + 1).toLowerCase();
  const now = Date.now();
  const scheduled = await one<{ slug: string }>(
    db,
    "SELECT slug FROM articles WHERE draft = 0 AND published_at > ?1 ORDER BY published_at LIMIT 1",
    now,
  );
  const kept = await one<{ id: number }>(db, "SELECT id FROM outbox ORDER BY id DESC LIMIT 1");
  return [
    { name: "dashboard", path: "/admin" },
    { name: "subscribers, first page", path: "/admin/subscribers" },
    { name: "subscribers, status", path: "/admin/subscribers?status=unsubscribed" },
    { name: "subscribers, frequency", path: "/admin/subscribers?frequency=weekly" },
    { name: "subscribers, tag", path: `/admin/subscribers?tag=${tag.slug}` },
    { name: "subscribers, address prefix", path: `/admin/subscribers?q=${encodeURIComponent(prefix)}` },
    { name: "subscribers, deep page", path: `/admin/subscribers?after=${deep.id}` },
    { name: "one subscriber", path: `/admin/subscribers/${person.id}` },
    { name: "articles, published", path: "/admin/articles" },
    { name: "articles, scheduled", path: "/admin/articles?status=scheduled" },
    { name: "articles, drafts", path: "/admin/articles?status=draft" },
    { name: "articles, page 1000 deep", path: `/admin/articles?status=published&cursor=${middle.cursor}` },
    { name: "editor, file article", path: `/admin/articles/${middle.slug}/edit` },
    { name: "editor, API article", path: `/admin/articles/${scheduled.slug}/edit` },
    { name: "editions form", path: "/admin/editions" },
    { name: "edition preview, daily", path: `/admin/editions/preview?kind=daily&label=${middle.day}` },
    { name: "outbox", path: "/admin/outbox" },
    { name: "outbox message", path: `/admin/outbox/${kept.id}` },
  ];
}
