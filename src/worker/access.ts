// Cloudflare Access sign-in, the shell around core/access.ts: reads the Cf-Access-Jwt-Assertion
// header, fetches the team's signing keys and keeps them in the isolate, and says who the token
// names. The console's sign-in middleware calls accessIdentity with services.access().

import { type AccessKey, verifyAccessJwt } from "../core/access.js";
import type { AccessConfig } from "../core/config.js";

/** The header Access adds to every request it lets through (not the CF_Authorization cookie, which it does not always pass). */
const ASSERTION_HEADER = "Cf-Access-Jwt-Assertion";
/** Keys rotate every 6 weeks and the old one stays listed for 7 days: 10 minutes is plenty fresh. */
const KEYS_TTL_MS = 10 * 60_000;
/** The least time between two fetches of the keys beyond the scheduled one, and after a failure. */
const MIN_REFETCH_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

interface KeyCache {
  keys: AccessKey[] | null;
  fetchedAt: number;
  /** When the last fetch failed. */
  failedAt: number;
  /** When a token with an unknown kid last made us fetch again. */
  refetchedAt: number;
}

// Kept with the settings object, which Services builds once per isolate: one set of keys per team
// and application, and a test's own settings start with none.
const caches = new WeakMap<AccessConfig, KeyCache>();

/**
 * The person a valid Access token on `request` names, or null: no token (no log), or a refused one
 * or keys that could not be fetched (one console.warn line saying why; never the token).
 */
export async function accessIdentity(
  request: Request,
  config: AccessConfig,
  now: number,
  fetcher: typeof fetch = fetch,
): Promise<{ email: string } | null> {
  const token = request.headers.get(ASSERTION_HEADER);
  if (!token) return null;
  let cache = caches.get(config);
  if (!cache) {
    cache = { keys: null, fetchedAt: -Infinity, failedAt: -Infinity, refetchedAt: -Infinity };
    caches.set(config, cache);
  }
  const expected = { audience: config.audience, issuer: config.teamDomain, now };

  if (cache.keys === null || now - cache.fetchedAt >= KEYS_TTL_MS) {
    // After a failure, a minute's pause: a key server that is down must not be asked on every request.
    if (now - cache.failedAt < MIN_REFETCH_MS) return refused("keys-unavailable", "the last fetch failed");
    const problem = await refresh(cache, config, now, fetcher);
    if (problem !== null) return refused("keys-unavailable", problem);
  }
  let verdict = await verifyAccessJwt(token, cache.keys ?? [], expected);
  // A kid we do not know may be a key rotated in since we fetched: ask once, at most once a minute,
  // so a flood of made-up kids cannot become a flood of fetches.
  if (
    !verdict.ok &&
    verdict.reason === "unknown-key" &&
    now - cache.fetchedAt >= MIN_REFETCH_MS &&
    now - cache.refetchedAt >= MIN_REFETCH_MS &&
    now - cache.failedAt >= MIN_REFETCH_MS
  ) {
    cache.refetchedAt = now;
    const problem = await refresh(cache, config, now, fetcher);
    if (problem !== null) return refused("keys-unavailable", problem);
    verdict = await verifyAccessJwt(token, cache.keys ?? [], expected);
  }
  return verdict.ok ? { email: verdict.email } : refused(verdict.reason);
}

/** Fetches the team's keys into `cache`; null, or what went wrong. */
async function refresh(cache: KeyCache, config: AccessConfig, now: number, fetcher: typeof fetch) {
  const problem = await fetchKeys(config.teamDomain, fetcher).then(
    (keys) => {
      cache.keys = keys;
      cache.fetchedAt = now;
      return null;
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  if (problem !== null) cache.failedAt = now;
  return problem;
}

/** The `keys` of https://<team>.cloudflareaccess.com/cdn-cgi/access/certs (JWKs named by kid). */
async function fetchKeys(teamDomain: string, fetcher: typeof fetch): Promise<AccessKey[]> {
  const response = await fetcher(`${teamDomain}/cdn-cgi/access/certs`, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the certs endpoint answered ${response.status}`);
  }
  const document: unknown = await response.json().catch(() => null);
  const keys = typeof document === "object" && document !== null ? (document as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error("the certs endpoint's answer has no keys array");
  return keys.filter((key): key is AccessKey => typeof key === "object" && key !== null && !Array.isArray(key));
}

function refused(reason: string, detail?: string): null {
  console.warn(JSON.stringify({ event: "access.refused", reason, ...(detail ? { detail } : {}) }));
  return null;
}
