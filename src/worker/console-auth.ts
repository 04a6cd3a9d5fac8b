// The publisher's console's guard (routes/console.tsx): a signed session cookie (core/session.ts)
// on every /admin page but the sign-in page, and on every request that changes something an
// Origin (or, without one, a Referer) that is the site's own, so a form on another site cannot
// act for a signed-in publisher.

import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { isLoopbackHost } from "../core/config.js";
import { SESSION_TTL_MS, type SessionVia, signSession, verifySession } from "../core/session.js";
import { accessIdentity } from "./access.js";
import type { AppEnv } from "./env.js";
import { HttpProblem } from "./errors.js";

export const SESSION_COOKIE = "console_session";
export const CONSOLE_PATH = "/admin";

/** The session the request's cookie carries, or null (none, malformed, forged, expired, or the console is off). */
export async function currentSession(c: Context<AppEnv>): Promise<{ via: SessionVia; expires: number } | null> {
  const value = getCookie(c, SESSION_COOKIE);
  const s = c.var.services;
  const token = s.adminToken();
  if (!value || (token === null && s.access() === null)) return null;
  const check = await verifySession(s.signingSecret(), token ?? "", value, s.now());
  return check.ok ? { via: check.via, expires: check.expires } : null;
}

/**
 * With Cloudflare Access in front of the console (ACCESS_TEAM_DOMAIN, ACCESS_AUD), a request
 * carrying a valid Access token starts a session without the admin token. Whether it did.
 */
export async function signInByAccess(c: Context<AppEnv>): Promise<boolean> {
  const s = c.var.services;
  const config = s.access();
  if (!config) return false;
  const person = await accessIdentity(c.req.raw, config, s.now());
  if (!person) return false;
  await startSession(c, "access");
  console.log(JSON.stringify({ event: "console.sign-in", via: "access" }));
  return true;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/admin, Secure unless the site is on a loopback host. */
export async function startSession(c: Context<AppEnv>, via: SessionVia): Promise<void> {
  const s = c.var.services;
  const value = await signSession(s.signingSecret(), s.adminToken() ?? "", via, s.now());
  setCookie(c, SESSION_COOKIE, value, { ...cookieScope(c), maxAge: SESSION_TTL_MS / 1000 });
}

/** Ends the session in this browser. */
export function endSession(c: Context<AppEnv>): void {
  setCookie(c, SESSION_COOKIE, "", { ...cookieScope(c), maxAge: 0 });
}

function cookieScope(c: Context<AppEnv>) {
  const secure = !isLoopbackHost(new URL(c.var.services.site.siteUrl).hostname);
  return { path: CONSOLE_PATH, httpOnly: true, sameSite: "Strict" as const, secure };
}

/** Every console answer: never stored by a cache or a browser's history cache, never indexed. */
export const consoleHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.res.headers.set("cache-control", "no-store");
  c.res.headers.set("x-robots-tag", "noindex");
});

/** Pages behind the sign-in: without a session, 303 to the sign-in page (which comes back here after). */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if ((await currentSession(c)) || (await signInByAccess(c))) return next();
  const back = c.req.method === "GET" || c.req.method === "HEAD" ? `${c.req.path}${new URL(c.req.url).search}` : null;
  const login = back && back !== CONSOLE_PATH ? `/admin/login?next=${encodeURIComponent(back)}` : "/admin/login";
  return c.redirect(login, 303);
});

/** Any request that is not GET or HEAD must come from a page of this site: else 403. */
export const sameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  const site = new URL(c.var.services.site.siteUrl).origin;
  const origin = c.req.header("origin") ?? originOf(c.req.header("referer"));
  if (origin !== site) {
    throw new HttpProblem(403, {
      title: "Forbidden",
      detail: origin
        ? `this form was sent from ${origin.slice(0, 100)}, not from ${site}: open the console at ${site}/admin`
        : `this request names no origin; open the console at ${site}/admin and send the form from there`,
    });
  }
  return next();
});

function originOf(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** A place inside the console to go back to after signing in: anything else is the dashboard. */
export function backTo(next: string | undefined): string {
  return next && /^\/admin(?:[/?]|$)/.test(next) && !/[\\\r\n]/.test(next) ? next : CONSOLE_PATH;
}
