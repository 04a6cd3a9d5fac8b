// The Worker as the delivery benchmark runs it: the real default export, with the D1 binding
// counted for the cron and the queue consumer (every statement they run, batches counted per
// statement), and GET /__bench/d1 answering the count. Bundled by bench/delivery.ts only.

import worker from "../src/worker/index.js";
import type { Bindings } from "../src/worker/services.js";

let statements = 0;
/** Reads the real statement behind a counted one: D1's batch() takes only its own. */
const UNWRAP = Symbol("unwrap");

function countedStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(statement, {
    get(target, key) {
      if (key === "bind") return (...values: unknown[]) => countedStatement(target.bind(...values));
      if (key === "first" || key === "run" || key === "all" || key === "raw") {
        const method = target[key] as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          statements++;
          return method.apply(target, args);
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

function countedDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => countedStatement(target.prepare(sql));
      if (key === "batch") {
        return (list: D1PreparedStatement[]) => {
          statements += list.length;
          return target.batch(list.map(unwrap));
        };
      }
      if (key === "exec") {
        return (sql: string) => {
          statements += sql.split(";").filter((s) => s.trim() !== "").length;
          return target.exec(sql);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// One counted env per runtime env, so the Worker's per-env Services cache still hits.
const counted = new WeakMap<object, Bindings>();

function countedEnv(env: Bindings): Bindings {
  let wrapped = counted.get(env);
  if (!wrapped) {
    wrapped = { ...env, DB: countedDb(env.DB) };
    counted.set(env, wrapped);
  }
  return wrapped;
}

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__bench/d1") return Response.json({ statements });
    return worker.fetch(request, env, ctx);
  },
  scheduled(controller, env, ctx) {
    return worker.scheduled(controller, countedEnv(env), ctx);
  },
  queue(batch, env, ctx) {
    return worker.queue(batch, countedEnv(env), ctx);
  },
} satisfies ExportedHandler<Bindings>;
