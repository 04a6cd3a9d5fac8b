// Conditional GET and two caches of rendered responses, keyed by the content version: the
// isolate's memory (no I/O at all) in front of the Cache API (shared by the colo). A write or a
// scheduled article's time coming changes the version, so old entries become unreachable
// without a purge. If-None-Match (RFC 9110 13.1.2) wins over If-Modified-Since; both answer 304
// before any rendering or body query. Every 304 is also remembered by URL, so the next one for
// the same URL and version is answered before routing (see notModifiedBeforeRouting).

import type { Context } from "hono";
import { fnv1a } from "../core/hash.js";
import type { AppEnv } from "./env.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import type { Services } from "./services.js";
import type { Version } from "./store/version.js";

/**
 * Every answer to a URL with a signed token (a subscriber's link), whatever gave it (its page, a
 * 400, 404 or 405, a 304 before routing): the URL is never sent on in a Referer, indexed, or kept
 * by a cache, where the token could be read back.
 */
export function privateIfTokenUrl(request: Request, response: Response): Response {
  if (!request.url.includes("token=") || !new URL(request.url).searchParams.has("token")) return response;
  // A copy: a response may come from the Cache API, whose headers may not be changed in place.
  const copy = new Response(response.body, response);
  copy.headers.set("referrer-policy", "no-referrer");
  copy.headers.set("x-robots-tag", "noindex");
  copy.headers.set("cache-control", "no-store");
  return copy;
}

const cacheControl = (version: Version) =>
  `public, max-age=${version.maxAge}, stale-while-revalidate=${version.maxAge > 0 ? 86400 : 0}`;
// Entries are immutable under their versioned key; the Cache API keeps them this long.
const STORED_CACHE_CONTROL = "public, max-age=604800";

/** Budget of the in-memory cache, in bytes of bodies. */
const MEMORY_BUDGET = 16 * 1024 * 1024;
/** URLs remembered for 304s before routing, per isolate and database. */
const MAX_NOT_MODIFIED_URLS = 10_000;

export interface Rendered {
  body: string;
  contentType: string;
  /** Epoch milliseconds of the newest change in the body; 0 when there is none. */
  lastModified: number;
}

interface Entry {
  body: Uint8Array;
  contentType: string;
  lastModified: number;
}

// Least recently used first: Map keeps insertion order, and a hit is moved to the end.
const memory = new Map<string, Entry>();
let memoryUsed = 0;

function recall(key: string): Entry | undefined {
  const entry = memory.get(key);
  if (entry) {
    memory.delete(key);
    memory.set(key, entry);
  }
  return entry;
}

function remember(key: string, entry: Entry): void {
  if (entry.body.byteLength > MEMORY_BUDGET / 4 || memory.has(key)) return;
  memory.set(key, entry);
  memoryUsed += entry.body.byteLength;
  for (const [oldKey, old] of memory) {
    if (memoryUsed <= MEMORY_BUDGET) break;
    memory.delete(oldKey);
    memoryUsed -= old.body.byteLength;
  }
}

// One isolate may serve several databases (test files do); entries never cross them.
const scopes = new WeakMap<Services, number>();
let scopeCount = 0;
function scopeOf(s: Services): number {
  let id = scopes.get(s);
  if (id === undefined) {
    id = ++scopeCount;
    scopes.set(s, id);
  }
  return id;
}

function learnNotModified(
  s: Services,
  url: string,
  token: string,
  etag: string,
  headers: Record<string, string>,
): void {
  const urls = s.notModified;
  if (urls.size >= MAX_NOT_MODIFIED_URLS) urls.clear();
  urls.set(url, { token, etag, headers });
}

/**
 * The hottest path: a reader polling with If-None-Match for a URL this isolate has answered
 * under the version it still trusts gets its 304 from memory, before routing and any I/O.
 */
export function notModifiedBeforeRouting(request: Request, s: Services): Response | null {
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch === null || s.notModified.size === 0) return null;
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  const known = s.notModified.get(request.url);
  if (!known || (ifNoneMatch !== known.etag && !matches(ifNoneMatch, known.etag))) return null;
  if (known.token !== s.version.fresh()?.token) return null;
  return new Response(null, { status: 304, headers: known.headers });
}

export interface CachedOptions {
  /** Identifies the representation besides the version: the path and the known query, canonical. */
  key: string;
  /** Head query: the newest change the body would hold (for If-Modified-Since on a miss). */
  newestChange?: (version: Version) => Promise<number>;
  render: (version: Version) => Promise<Rendered>;
  headers?: Record<string, string>;
  /**
   * False when the key also depends on the clock (today's date, the zones' current offsets): the
   * same URL and version may then need a new body, so no 304 is answered from memory before routing.
   */
  sameWhileVersion?: boolean;
}

export async function cached(c: Context<AppEnv>, options: CachedOptions): Promise<Response> {
  const s = c.var.services;
  const version = await s.version.current();
  const etag = `W/"${version.token}-${fnv1a(options.key)}"`;
  // A route's own headers win: that is how a page widens the policy (OWN_SCRIPT_CSP).
  const common = { etag, "cache-control": cacheControl(version), ...SECURITY_HEADERS, ...options.headers };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*" && matches(ifNoneMatch, etag)) {
    if (options.sameWhileVersion !== false) learnNotModified(s, c.req.url, version.token, etag, common);
    return notModified(common);
  }

  const cacheKey = new URL(`/__rendered/${version.token}/${encodeURIComponent(options.key)}`, s.site.siteUrl).href;
  const memoryKey = `${scopeOf(s)}:${cacheKey}`;
  let entry = recall(memoryKey);
  if (!entry) {
    const hit = await caches.default.match(cacheKey);
    if (hit) {
      entry = {
        body: new Uint8Array(await hit.arrayBuffer()),
        contentType: hit.headers.get("content-type") ?? "",
        lastModified: Date.parse(hit.headers.get("last-modified") ?? "") || 0,
      };
      remember(memoryKey, entry);
    }
  }

  const ifModifiedSince = ifNoneMatch === undefined ? c.req.header("if-modified-since") : undefined;
  if (ifModifiedSince !== undefined) {
    const lastModified = entry ? entry.lastModified : ((await options.newestChange?.(version)) ?? 0);
    if (lastModified > 0 && !modifiedSince(lastModified, ifModifiedSince)) {
      return notModified({ ...common, "last-modified": httpDate(lastModified) });
    }
  }

  if (!entry) {
    const rendered = await options.render(version);
    entry = {
      body: new TextEncoder().encode(rendered.body),
      contentType: rendered.contentType,
      lastModified: rendered.lastModified,
    };
    remember(memoryKey, entry);
    const stored = new Response(entry.body, {
      headers: { ...entityHeaders(entry), "cache-control": STORED_CACHE_CONTROL },
    });
    const put = caches.default.put(cacheKey, stored);
    try {
      c.executionCtx.waitUntil(put);
    } catch {
      await put; // no execution context (app.request in tests)
    }
  }
  // If-None-Match: * matches any current representation (RFC 9110 13.1.2); there is one now.
  if (ifNoneMatch?.trim() === "*") return notModified(common);
  // HEAD is answered by Hono from this GET response less its body; Content-Length stays.
  return new Response(entry.body, { headers: { ...common, ...entityHeaders(entry) } });
}

function entityHeaders(entry: Entry): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": entry.contentType,
    "content-length": String(entry.body.byteLength),
  };
  if (entry.lastModified > 0) headers["last-modified"] = httpDate(entry.lastModified);
  return headers;
}

function notModified(headers: Record<string, string>): Response {
  return new Response(null, { status: 304, headers });
}

const httpDate = (ms: number) => new Date(ms).toUTCString();

/** Weak comparison (RFC 9110 8.8.3.2) against a list of entity tags. */
function matches(header: string, etag: string): boolean {
  const opaque = etag.startsWith("W/") ? etag.slice(2) : etag;
  for (const tag of header.split(",")) {
    const t = tag.trim();
    if ((t.startsWith("W/") ? t.slice(2) : t) === opaque) return true;
  }
  return false;
}

/** HTTP dates have whole seconds. An unparsable date means "modified" (RFC 9110 13.1.3). */
function modifiedSince(lastModified: number, header: string): boolean {
  const since = Date.parse(header);
  return Number.isNaN(since) || Math.floor(lastModified / 1000) > Math.floor(since / 1000);
}
