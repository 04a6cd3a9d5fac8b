// The Worker as the scale benchmark runs it: the real default export, with the D1 binding timed.
// Each response carries what its request spent in D1: x-bench-d1-ms, the time at least one D1
// call was in flight, read from Date.now() around each awaited call (workerd's clock advances
// across I/O, not during synchronous work, so this is the wait for D1, and wall time minus it is
// the Worker's own time plus the HTTP hop); x-bench-d1-sql-ms, the sum of meta.duration of the
// results that carry it (all, run, batch); x-bench-d1-calls, the statements run. The bench sends
// one request at a time, so module-level counters are per request. POST /__bench/bump bumps the
// content version as a write would (the same UPDATE, and this isolate forgets its memo).
// POST /__bench/seed writes a batch of built articles through ArticleStore.sync, the store's own
// batch write (from inside workerd: Miniflare's Node proxy makes a blocking round trip per
// prepared statement); /__bench/articles writes drafts and scheduled ones through
// ArticleStore.put, as the admin API does. /__bench/subscribers and /__bench/suppressions write
// the rows SubscriberStore and SuppressionStore leave for each life (in their final state,
// batched: a store call per step took 13 ms a sign-up; test/worker/bench/scale-seed.test.ts holds
// them to the stores' own); /__bench/ledger writes an edition's rows through DeliveryStore's
// enqueue, claim, settle and markDead, and /__bench/outbox digests "sent" by the log mailer, each
// at the time the bench gives (a clock the stores read). Migration 0015's and 0013's triggers keep
// the counts, as they do for the Worker. POST /__bench/shift moves the subscribers' and
// suppressions' times so that the seed's last day is today (see bench/scale-console.ts).
// Bundled by bench/scale.ts only.

import type { Article } from "../src/core/article.js";
import { digestTimeZoneOrNull } from "../src/core/config.js";
import { addressKey, normaliseAddress, type Preferences } from "../src/core/subscription.js";
import worker from "../src/worker/index.js";
import { renderGroup } from "../src/worker/jobs/fanout.js";
import { digestMessage } from "../src/worker/jobs/message.js";
import { LogMailer } from "../src/worker/mail/log.js";
import { type Bindings, services } from "../src/worker/services.js";
import { AddressHash } from "../src/worker/store/address-hash.js";
import { ArchiveDays } from "../src/worker/store/archive.js";
import { ArticleStore } from "../src/worker/store/articles.js";
import { type DeliveryStatus, DeliveryStore } from "../src/worker/store/deliveries.js";
import { OutboxStore } from "../src/worker/store/outbox.js";
import { ContentVersion } from "../src/worker/store/version.js";

let inFlight = 0;
let since = 0;
let waitMs = 0;
let sqlMs = 0;
let calls = 0;

/** Runs one D1 call, adding its wall time to waitMs (overlapping calls counted once). */
async function timed<T>(call: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) since = Date.now();
  try {
    const result = await call();
    const results = Array.isArray(result) ? result : [result];
    for (const r of results) {
      const duration = (r as { meta?: { duration?: unknown } } | null)?.meta?.duration;
      if (typeof duration === "number") sqlMs += duration;
    }
    return result;
  } finally {
    if (--inFlight === 0) waitMs += Date.now() - since;
  }
}

const UNWRAP = Symbol("unwrap");

function timedStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(statement, {
    get(target, key) {
      if (key === "bind") return (...values: unknown[]) => timedStatement(target.bind(...values));
      if (key === "first" || key === "run" || key === "all" || key === "raw") {
        const method = target[key] as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          calls++;
          return timed(() => method.apply(target, args));
        };
      }
      if (key === UNWRAP) return target;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function unwrap(statement: D1PreparedStatement): D1PreparedStatement {
  return (statement as unknown as Record<symbol, D1PreparedStatement | undefined>)[UNWRAP] ?? statement;
}

/** Times every call on the database, and on each request's session of it (read replicas). */
function timedDb<T extends D1Database | D1DatabaseSession>(db: T): T {
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => timedStatement(target.prepare(sql));
      if (key === "withSession") return (start?: string) => timedDb((target as D1Database).withSession(start));
      if (key === "batch") {
        return (list: D1PreparedStatement[]) => {
          calls += list.length;
          return timed(() => target.batch(list.map(unwrap)));
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// One timed env per runtime env, so the Worker's per-env Services (and the version memo, kept
// per D1 binding) still hit.
const timedEnvs = new WeakMap<object, Bindings>();

function timedEnv(env: Bindings): Bindings {
  let wrapped = timedEnvs.get(env);
  if (!wrapped) {
    wrapped = { ...env, DB: timedDb(env.DB) };
    timedEnvs.set(env, wrapped);
  }
  return wrapped;
}

// --- the console's data, written by the Worker's stores at the times the bench gives ---------------

/** One subscriber's life as the bench generated it (bench/scale.ts); times in epoch ms. */
export interface SeedSubscriber {
  email: string;
  preferences: Preferences;
  source: string;
  ip: string | null;
  requestedAt: number;
  confirmedAt: number | null;
  unsubscribedAt: number | null;
  suppressed: { reason: "bounce" | "complaint"; at: number } | null;
}

/** An edition's ledger: who it went to, in which render group, and where each row ended. */
export interface SeedLedger {
  edition: string;
  at: number;
  rows: [subscriberId: number, tagsKey: string, status: DeliveryStatus][];
}

let clock = 0;
const now = () => clock;
/** The settings row that says how far /__bench/shift has moved the times. */
const SHIFT_KEY = "bench_time_shift";
/** Ids per claim call (DeliveryStore's IDS_MAX), and per settle: its json_each lookup is per row. */
const CLAIM_IDS = 1000;
const SETTLE_IDS = 100;
/** Subscribers (and suppressions) per INSERT statement. */
const SIGN_UPS = 250;

function articleStore(env: Bindings): ArticleStore {
  const archive = new ArchiveDays(env.DB, () => digestTimeZoneOrNull(env as unknown as Record<string, unknown>));
  return new ArticleStore(env.DB, new ContentVersion(env.DB, Date.now, ""), () => env.SITE_URL, archive);
}

/**
 * The rows SubscriberStore and SuppressionStore leave for each life (request, then confirm,
 * unsubscribe or suppress; see there): the same columns, the same JSON, the address and the
 * client's IP under the database's own salted hash (AddressHash), each row written once in its
 * final state. One D1 batch, SIGN_UPS rows a statement; the subscribers_counted trigger
 * (migration 0015) counts them as it counts the Worker's. Answers the new ids in order.
 */
export async function seedSubscribers(env: Bindings, people: SeedSubscriber[]): Promise<number[]> {
  const hashes = new AddressHash(env.DB);
  const rows = await Promise.all(people.map(async (p) => subscriberRow(p, await ipHash(hashes, p.ip))));
  const suppressed = await Promise.all(
    people.flatMap((p) =>
      p.suppressed ? [suppressionRow(hashes, p.email, p.suppressed.reason, p.suppressed.at)] : [],
    ),
  );
  const insert = env.DB.prepare(
    `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at,
       source, ip_hash, pending_json, confirm_nonce, confirm_sent_at, unsubscribed_at, updated_at)
     SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]',
       value ->> '$[6]', value ->> '$[7]', value ->> '$[8]', value ->> '$[9]', value ->> '$[10]', value ->> '$[11]',
       value ->> '$[12]', value ->> '$[13]', value ->> '$[14]'
     FROM json_each(?1) WHERE true
     RETURNING id`,
  );
  const inserts = chunked(rows, SIGN_UPS).map((chunk) => insert.bind(JSON.stringify(chunk)));
  const suppressions = chunked(suppressed, SIGN_UPS).map((chunk) => suppressionInsert(env).bind(JSON.stringify(chunk)));
  const results = await env.DB.batch<{ id: number }>([...inserts, ...suppressions]);
  // The new rows of one INSERT get ids counting up in the order of its rows.
  return results.slice(0, inserts.length).flatMap((r) => r.results.map((x) => x.id).sort((a, b) => a - b));
}

const ipHash = (hashes: AddressHash, ip: string | null) => (ip === null ? null : hashes.of(ip));

/** A subscriber's row as the stores leave it: request's INSERT, then confirm's and the others' UPDATEs. */
function subscriberRow(p: SeedSubscriber, ip: string | null): unknown[] {
  const { frequency, tags, timeZone, sendHour } = p.preferences;
  const source = p.source.slice(0, 200);
  const common = [frequency, JSON.stringify(tags), timeZone, sendHour, p.requestedAt];
  if (p.confirmedAt === null) {
    // Never confirmed: the request waits in pending_json, with its link's nonce.
    const pending = { frequency, tags, timeZone, sendHour, requestedAt: p.requestedAt, source, ipHash: ip };
    return [
      p.email,
      "pending",
      ...common,
      null,
      source,
      ip,
      JSON.stringify(pending),
      // An opaque single-use secret, as the store's (128 random bits; hex here).
      crypto.randomUUID().replace(/-/g, ""),
      p.requestedAt,
      null,
      p.requestedAt,
    ];
  }
  const status = p.suppressed ? "suppressed" : p.unsubscribedAt !== null ? "unsubscribed" : "active";
  const updated = p.suppressed?.at ?? p.unsubscribedAt ?? p.confirmedAt;
  return [p.email, status, ...common, p.confirmedAt, source, ip, null, null, p.requestedAt, p.unsubscribedAt, updated];
}

/** A suppression as SuppressionStore.suppress writes it: the salted hash of the address's key. */
async function suppressionRow(hashes: AddressHash, email: string, reason: string, at: number): Promise<unknown[]> {
  const address = normaliseAddress(email) ?? email.trim();
  return [await hashes.of(addressKey(address)), reason, at];
}

const suppressionInsert = (env: Bindings) =>
  env.DB.prepare(
    `INSERT INTO suppressions (email_hash, reason, created_at)
     SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]' FROM json_each(?1) WHERE true
     ON CONFLICT (email_hash) DO NOTHING`,
  );

function chunked<T>(list: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

/** Addresses suppressed and since erased: only their suppression is left. */
export async function seedSuppressions(
  env: Bindings,
  list: { email: string; reason: string; at: number }[],
): Promise<void> {
  const hashes = new AddressHash(env.DB);
  const rows = await Promise.all(list.map((x) => suppressionRow(hashes, x.email, x.reason, x.at)));
  if (rows.length === 0) return;
  await env.DB.batch(chunked(rows, SIGN_UPS).map((chunk) => suppressionInsert(env).bind(JSON.stringify(chunk))));
}

/** An edition's rows queued, then claimed and settled to the status each should end in. */
async function seedLedger(env: Bindings, { edition, at, rows }: SeedLedger): Promise<void> {
  const store = new DeliveryStore(env.DB, now);
  clock = at;
  // A fresh edition: the new ids count up in the order of the rows.
  const ids = (
    await store.enqueue(
      edition,
      rows.map(([subscriberId, tagsKey]) => ({ subscriberId, tagsKey })),
    )
  ).sort((a, b) => a - b);
  if (ids.length !== rows.length) throw new Error(`bench seed: ${edition} wrote ${ids.length} of ${rows.length} rows`);
  const byStatus = new Map<DeliveryStatus, number[]>();
  rows.forEach(([, , status], i) => {
    const id = ids[i];
    if (id === undefined || status === "queued") return;
    const list = byStatus.get(status);
    if (list) list.push(id);
    else byStatus.set(status, [id]);
  });
  const moved = [...byStatus.values()].flat().sort((a, b) => a - b);
  clock = at + 60_000;
  for (let i = 0; i < moved.length; i += CLAIM_IDS) await store.claim(moved.slice(i, i + CLAIM_IDS), 10 * 60_000);
  clock = at + 120_000;
  const chunks = (list: number[]) => chunked(list, SETTLE_IDS);
  for (const chunk of chunks(byStatus.get("sent") ?? [])) {
    await store.settle({ sent: chunk.map((id) => ({ id, providerId: `bench-${id}` })), failed: [], released: [] });
  }
  for (const chunk of chunks(byStatus.get("failed") ?? [])) {
    await store.settle({
      sent: [],
      failed: chunk.map((id) => ({ id, error: "550 5.1.1 mailbox unavailable" })),
      released: [],
    });
  }
  for (const chunk of chunks(byStatus.get("dead") ?? [])) await store.markDead(chunk, "retries ran out");
}

/** `count` digests of `edition` "sent" by the log mailer (printing nothing) into the outbox. */
async function seedOutbox(env: Bindings, edition: string, count: number, at: number): Promise<void> {
  const s = services(env);
  clock = at;
  const outbox = new OutboxStore(env.DB, now);
  const mailer = new LogMailer({ config: s.mail, siteUrl: s.site.siteUrl, now, outbox }, () => {});
  const group = await renderGroup(s, edition, "[]");
  if (group.articles === 0) throw new Error(`bench seed: ${edition} has no articles`);
  for (let i = 1; i <= count; i++) {
    clock = at + i * 1000;
    const message = await digestMessage(
      group,
      { id: i, email: `reader${i}@example.com` },
      s.signingSecret(),
      s.site.siteUrl,
    );
    await mailer.send(message, { idempotencyKey: `${edition}/${i}` });
  }
}

/** Moves every subscriber's and suppression's time so that they have moved `to` in all. */
async function shift(env: Bindings, to: number): Promise<void> {
  const row = await env.DB.prepare("SELECT value FROM settings WHERE key = ?1")
    .bind(SHIFT_KEY)
    .first<{ value: string }>();
  const by = to - Number(row?.value ?? 0);
  if (by === 0) return;
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE subscribers SET requested_at = requested_at + ?1, confirmed_at = confirmed_at + ?1,
           confirm_sent_at = confirm_sent_at + ?1, unsubscribed_at = unsubscribed_at + ?1, updated_at = updated_at + ?1`,
    ).bind(by),
    env.DB.prepare("UPDATE suppressions SET created_at = created_at + ?1").bind(by),
    env.DB.prepare(
      "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).bind(SHIFT_KEY, String(to)),
  ]);
}

const SEEDS: Record<string, (env: Bindings, body: unknown) => Promise<unknown>> = {
  "/__bench/seed": (env, body) =>
    articleStore(env).sync(body as { article: Article; path: string; hash: string }[], []),
  "/__bench/articles": async (env, body) => {
    const store = articleStore(env);
    for (const article of body as Article[]) await store.put(article);
  },
  "/__bench/subscribers": (env, body) => seedSubscribers(env, body as SeedSubscriber[]),
  "/__bench/suppressions": (env, body) =>
    seedSuppressions(env, body as { email: string; reason: string; at: number }[]),
  "/__bench/ledger": (env, body) => seedLedger(env, body as SeedLedger),
  "/__bench/outbox": (env, body) => {
    const { edition, count, at } = body as { edition: string; count: number; at: number };
    return seedOutbox(env, edition, count, at);
  },
  "/__bench/shift": (env, body) => shift(env, (body as { to: number }).to),
};

export default {
  async fetch(request, env, ctx) {
    const wrapped = timedEnv(env);
    const path = new URL(request.url).pathname;
    const seed = request.method === "POST" ? SEEDS[path] : undefined;
    if (seed) {
      const answer = await seed(env, await request.json());
      return answer === undefined ? new Response(null, { status: 204 }) : Response.json(answer);
    }
    if (request.method === "POST" && path === "/__bench/bump") {
      // The Worker's own version object: its memo is the one to forget.
      const { version } = services(wrapped);
      await version.bump().run();
      version.forget();
      return new Response(null, { status: 204 });
    }
    inFlight = 0;
    waitMs = 0;
    sqlMs = 0;
    calls = 0;
    const response = await worker.fetch(request, wrapped, ctx);
    const answer = new Response(response.body, response);
    answer.headers.set("x-bench-d1-ms", String(waitMs));
    answer.headers.set("x-bench-d1-sql-ms", sqlMs.toFixed(3));
    answer.headers.set("x-bench-d1-calls", String(calls));
    return answer;
  },
} satisfies ExportedHandler<Bindings>;
