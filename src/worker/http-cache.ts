// Conditional GET and the Cache API for rendered responses, keyed by content version.
// A write bumps the version, so old entries become unreachable without a purge.
// If-None-Match (RFC 9110 13.1.2) wins over If-Modified-Since; both answer 304 before any
// rendering or body query.

import type { Context } from "hono";
import type { AppEnv } from "./env.js";

export const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400";
// Entries are immutable under their versioned key; the Cache API keeps them this long.
const STORED_CACHE_CONTROL = "public, max-age=604800";

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

  const cacheKey = new Request(new URL(`/__rendered/${version}/${encodeURIComponent(options.key)}`, c.req.url));
  const hit = await caches.default.match(cacheKey);
  const ifModifiedSince = ifNoneMatch === undefined ? c.req.header("if-modified-since") : undefined;
  if (ifModifiedSince !== undefined) {
    const lastModified = hit ? Date.parse(hit.headers.get("last-modified") ?? "") : await options.newestChange();
    if (lastModified > 0 && !modifiedSince(lastModified, ifModifiedSince)) {
      return notModified({ ...common, "last-modified": new Date(lastModified).toUTCString() });
    }
  }
  if (hit) return withHeaders(hit, common);

  const rendered = await options.render();
  const headers: Record<string, string> = { ...common, "content-type": rendered.contentType };
  if (rendered.lastModified > 0) headers["last-modified"] = new Date(rendered.lastModified).toUTCString();
  const stored = new Response(rendered.body, { headers: { ...headers, "cache-control": STORED_CACHE_CONTROL } });
  const put = caches.default.put(cacheKey, stored);
  try {
    c.executionCtx.waitUntil(put);
  } catch {
    await put; // no execution context (app.request in tests)
  }
  return new Response(rendered.body, { headers });
}

function notModified(headers: Record<string, string>): Response {
  return new Response(null, { status: 304, headers });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
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
