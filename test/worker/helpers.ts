// Test helpers: requests through the Worker's real fetch handler, and article fixtures.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { app } from "../../src/worker/app.js";
import entry from "../../src/worker/index.js";
import { type Bindings, Services } from "../../src/worker/services.js";
import type { StoredArticle } from "../../src/worker/store/articles.js";

export const SITE = "https://news.example.com";
export const TOKEN = "test-admin-token-0123456789";

// The main module's default export, as the runtime dispatches to it (not typed by wrangler types).
const worker = (exports as unknown as { default: Fetcher }).default;

/**
 * A request through the Worker's fetch handler with this env (one env keeps one Services: a
 * journey's); work it left for after the response is awaited.
 */
export async function fetchWith(workerEnv: Bindings, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  // The runtime's incoming-request type adds Cloudflare's `cf` fields, which a test has none of.
  const request = new Request(new URL(path, SITE), init) as Parameters<typeof entry.fetch>[0];
  const res = await entry.fetch(request, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export function request(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(new URL(path, SITE), init));
}

export function admin(method: string, path: string, body?: unknown, type = "application/json"): Promise<Response> {
  return request(path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": type },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

let counter = 0;

/** A valid article body with a fixed date; each call gets a fresh slug unless one is given. */
export function fixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    title: `Article number ${counter}`,
    slug: `article-${counter}`,
    date: "2022-02-01T09:00:00+06:00",
    authors: ["Dana Kim"],
    tags: ["Transit"],
    markdown: `Body of article ${counter}.`,
    ...overrides,
  };
}

/** Services on the test database, as the Worker builds them. */
export function testServices(): Services {
  return new Services(env);
}

/** The write counter in D1 (bumped by every write). */
export async function contentVersion(): Promise<number> {
  return (await env.DB.prepare("SELECT value FROM meta WHERE key = 'content_version'").first<number>("value")) ?? 0;
}

/** An article as stored, drafts and scheduled ones included. */
export function stored(slug: string): Promise<StoredArticle | null> {
  return testServices().articles.getAny(slug);
}

/** A statement the Worker prepared, with the values it bound (none for a statement run unbound). */
export interface PreparedStatement {
  sql: string;
  params: unknown[];
}

/**
 * An env of its own ("another isolate"): its own memo, and a record of the D1 statements it
 * prepares, with their bound values.
 */
export function isolate(overrides: Record<string, unknown> = {}) {
  const prepared: PreparedStatement[] = [];
  // Records every statement prepared on `target`: the database, or a request's session of it.
  const recording = <T extends D1Database | D1DatabaseSession>(target: T): T =>
    new Proxy(target, {
      get(inner, name) {
        if (name === "prepare") {
          return (sql: string) => {
            const record: PreparedStatement = { sql, params: [] };
            prepared.push(record);
            const statement = inner.prepare(sql);
            // The bound statement stays D1's own object: batch() takes nothing else.
            const bind = statement.bind.bind(statement);
            statement.bind = (...values: unknown[]) => {
              // A statement bound again is another execution: recorded as its own.
              if (record.params.length === 0) record.params = values;
              else prepared.push({ sql, params: values });
              return bind(...values);
            };
            return statement;
          };
        }
        if (name === "withSession") {
          return (start?: string) => recording((inner as D1Database).withSession(start));
        }
        const value = Reflect.get(inner, name);
        return typeof value === "function" ? value.bind(inner) : value;
      },
    });
  const db = recording(env.DB);
  const isolateEnv = { ...env, DB: db, ...overrides };
  return {
    env: isolateEnv,
    fetch: (path: string, init: RequestInit = {}) => app.request(path, init, isolateEnv),
    statements: () => prepared.length,
    prepared: (): readonly PreparedStatement[] => prepared,
  };
}

/** Polls until `check` passes (a queue works in the background), for at most 30 seconds. */
export async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Three public articles h1..h3 (2022-05-01..03, tagged Transit), for tests of the app as a whole. */
export async function seedThreeArticles(): Promise<void> {
  for (let i = 1; i <= 3; i++) {
    const res = await admin(
      "POST",
      "/api/articles",
      fixture({ slug: `h${i}`, title: `H ${i}`, date: `2022-05-0${i}T10:00:00+06:00`, tags: ["Transit"] }),
    );
    if (res.status !== 201) throw new Error(`seeding h${i}: ${res.status}`);
  }
}
