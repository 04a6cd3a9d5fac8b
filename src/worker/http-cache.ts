// Conditional GET and two caches of rendered responses, keyed by content version: the
// isolate's memory (no I/O at all) in front of the Cache API (shared by the colo).
// A write bumps the version, so old entries become unreachable without a purge.
// If-None-Match (RFC 9110 13.1.2) wins over If-Modified-Since; both answer 304 before any
// rendering or body query.

import type { Context } from "hono";
import type { AppEnv } from "./env.js";

export const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400";
// Entries are immutable under their versioned key; the Cache API keeps them this long.
const STORED_CACHE_CONTROL = "public, max-age=604800";

/** Budget of the in-memory cache, in UTF-16 code units of bodies (about 2 bytes each). */
const MEMORY_BUDGET = 8 * 1024 * 1024;

// One isolate may serve several databases (test files do); entries never cross them.
const databases = new WeakMap<object, number>();
let databaseCount = 0;
function databaseId(db: object): number {
  let id = databases.get(db);
  if (id === undefined) {
    id = ++databaseCount;
    databases.set(db, id);
  }
  return id;
}

// Least recently used first: Map keeps insertion order, and a hit is moved to the end.
const memory = new Map<string, Rendered>();
let memoryUsed = 0;

function recall(key: string): Rendered | undefined {
  const entry = memory.get(key);
  if (entry) {
    memory.delete(key);
    memory.set(key, entry);
  }
  return entry;
}

function remember(key: string, entry: Rendered): void {
  if (entry.body.length > MEMORY_BUDGET / 4 || memory.has(key)) return;
  memory.set(key, entry);
  memoryUsed += entry.body.length;
  for (const [oldKey, old] of memory) {
    if (memoryUsed <= MEMORY_BUDGET) break;
    memory.delete(oldKey);
    memoryUsed -= old.body.length;
  }
}

export interface Rendered {
  body: string;
  contentType: string;
  /** Epoch milliseconds of the newest change in the body; 0 when there is none. */
  lastModified: number;
}

export interface CachedOptions {
  /** The store's content version; the deployment's id is added, so new code never serves old bytes. */
  version: number;
  /** Identifies the representation besides the version: path and raw query. */
  key: string;
  /** Head query: the newest change the body would hold (for If-Modified-Since on a miss). */
  newestChange: () => Promise<number>;
  render: () => Promise<Rendered>;
  headers?: Record<string, string>;
}

export async function cached(c: Context<AppEnv>, options: CachedOptions): Promise<Response> {
  const deployment = (c.env.CF_VERSION_METADATA?.id ?? "dev").slice(0, 8);
  const version = `${options.version}.${deployment}`;
  const etag = `W/"${version}-${hash(options.key)}"`;
  const common = { etag, "cache-control": CACHE_CONTROL, ...options.headers };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) return notModified(common);

  const cacheKey = new URL(`/__rendered/${version}/${encodeURIComponent(options.key)}`, c.req.url).href;
  const memoryKey = `${databaseId(c.env.DB)}:${cacheKey}`;
  let entry = recall(memoryKey);
  if (!entry) {
    const hit = await caches.default.match(cacheKey);
    if (hit) {
      entry = {
        body: await hit.text(),
        contentType: hit.headers.get("content-type") ?? "",
        lastModified: Date.parse(hit.headers.get("last-modified") ?? "") || 0,
      };
      remember(memoryKey, entry);
    }
  }

  const ifModifiedSince = ifNoneMatch === undefined ? c.req.header("if-modified-since") : undefined;
  if (ifModifiedSince !== undefined) {
    const lastModified = entry ? entry.lastModified : await options.newestChange();
    if (lastModified > 0 && !modifiedSince(lastModified, ifModifiedSince)) {
      return notModified({ ...common, "last-modified": new Date(lastModified).toUTCString() });
    }
  }

  if (!entry) {
    entry = await options.render();
    remember(memoryKey, entry);
    const stored = new Response(entry.body, {
      headers: { ...responseHeaders(entry), "cache-control": STORED_CACHE_CONTROL },
    });
    const put = caches.default.put(cacheKey, stored);
    try {
      c.executionCtx.waitUntil(put);
    } catch {
      await put; // no execution context (app.request in tests)
    }
  }
  return new Response(entry.body, { headers: { ...common, ...responseHeaders(entry) } });
}

function responseHeaders(entry: Rendered): Record<string, string> {
  const headers: Record<string, string> = { "content-type": entry.contentType };
  if (entry.lastModified > 0) headers["last-modified"] = new Date(entry.lastModified).toUTCString();
  return headers;
}

function notModified(headers: Record<string, string>): Response {
  return new Response(null, { status: 304, headers });
}

/** Weak comparison (RFC 9110 8.8.3.2) against a list of entity tags. */
function matches(header: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === opaque);
}

/** HTTP dates have whole seconds. An unparsable date means "modified" (RFC 9110 13.1.3). */
function modifiedSince(lastModified: number, header: string): boolean {
  const since = Date.parse(header);
  return Number.isNaN(since) || Math.floor(lastModified / 1000) > Math.floor(since / 1000);
}

/** FNV-1a 32-bit, base 36: short and stable. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
