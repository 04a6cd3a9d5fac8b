// Old addresses (front matter `aliases`, migration 0018): a GET or HEAD the site would answer 404
// goes on to the article with 301. Called from the not-found handler only, so a path any route
// serves is never redirected; the query string is dropped, and the target is the article's own
// page, never another alias (one hop).

import type { Context } from "hono";
import { requestAliasPath } from "../core/aliases.js";
import type { AppEnv } from "./env.js";

/** A day: long enough to spare the database, short enough that a removed alias stops soon after. */
const CACHE_CONTROL = "public, max-age=86400";

export async function aliasRedirect(c: Context<AppEnv>): Promise<Response | null> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return null;
  const path = requestAliasPath(c.req.url);
  if (path === null) return null;
  const s = c.var.services;
  const slug = await s.articles.aliased(path, s.now());
  if (slug === null) return null;
  return new Response(null, {
    status: 301,
    headers: { location: `${s.site.siteUrl}/articles/${slug}`, "cache-control": CACHE_CONTROL },
  });
}
