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
// prepared statement).
// Bundled by bench/scale.ts only.

import type { Article } from "../src/core/article.js";
import { digestTimeZoneOrNull } from "../src/core/config.js";
import worker from "../src/worker/index.js";
import { type Bindings, services } from "../src/worker/services.js";
import { ArchiveDays } from "../src/worker/store/archive.js";
import { ArticleStore } from "../src/worker/store/articles.js";
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

export default {
  async fetch(request, env, ctx) {
    const wrapped = timedEnv(env);
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/__bench/seed") {
      const upserts = (await request.json()) as { article: Article; path: string; hash: string }[];
      const archive = new ArchiveDays(env.DB, () => digestTimeZoneOrNull(env as unknown as Record<string, unknown>));
      const store = new ArticleStore(env.DB, new ContentVersion(env.DB, Date.now, ""), () => env.SITE_URL, archive);
      await store.sync(upserts, []);
      return new Response(null, { status: 204 });
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
