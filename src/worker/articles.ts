// Writing articles: the one path the admin API (routes/admin.ts) and the console's articles pages
// share, so a write from either is the same store batch (content version, search index, archive,
// sitemaps) followed by the same WebSub pings.

import type { Context } from "hono";
import type { Article } from "../core/article.js";
import { changedTopics } from "../core/websub.js";
import type { AppEnv } from "./env.js";
import { HttpProblem, notFound } from "./errors.js";
import { queuePings } from "./jobs/websub.js";
import type { StoredArticle } from "./store/articles.js";

type Ctx = Context<AppEnv>;

/** Creates an article (UniqueSlugError when the slug is taken): the article as stored. */
export async function createArticle(c: Ctx, article: Article): Promise<StoredArticle> {
  const s = c.var.services;
  await s.articles.create(article);
  const after = await stored(c, article.slug);
  pingAfterResponse(c, null, after);
  return after;
}

/** Creates or replaces an article (409 for one from content/): the article as stored, and whether it is new. */
export async function putArticle(c: Ctx, article: Article): Promise<{ article: StoredArticle; created: boolean }> {
  const s = c.var.services;
  const existing = await s.articles.getAny(article.slug);
  refuseFileArticle(existing);
  await s.articles.put(article);
  const after = await stored(c, article.slug);
  pingAfterResponse(c, existing, after);
  return { article: after, created: existing === null };
}

/** Deletes an article (404 when there is none, 409 for one from content/): the article it was. */
export async function removeArticle(c: Ctx, slug: string): Promise<StoredArticle> {
  const s = c.var.services;
  const existing = await s.articles.getAny(slug);
  if (!existing) throw notFound(`no article has the slug "${slug.slice(0, 100)}"`);
  refuseFileArticle(existing);
  await s.articles.delete(slug);
  pingAfterResponse(c, existing, null);
  return existing;
}

async function stored(c: Ctx, slug: string): Promise<StoredArticle> {
  const after = await c.var.services.articles.getAny(slug);
  if (!after) throw new Error("article vanished after write");
  return after;
}

/**
 * Tells the WebSub hub which feeds the write changed, after the response: the pings go on the
 * delivery queue (whose consumer retries them), so neither the hub nor the queue delays the
 * publisher, and a WebSub problem (a bad WEBSUB_HUB) is logged, never the write's error.
 */
function pingAfterResponse(c: Ctx, before: StoredArticle | null, after: StoredArticle | null): void {
  const s = c.var.services;
  const work = (async () => {
    if (!s.websubHub) return;
    await queuePings(s, changedTopics(s.site, before, after, s.now()));
  })().catch((error: unknown) => {
    console.error(
      JSON.stringify({ event: "websub.not-queued", error: error instanceof Error ? error.message : String(error) }),
    );
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in tests): the work runs on regardless.
  }
}

/** Articles from content/ are owned by their files: the next sync would undo an edit made here. */
export function refuseFileArticle(existing: StoredArticle | null): void {
  if (existing?.source === "file") {
    throw new HttpProblem(409, {
      title: "Conflict",
      detail: `"${existing.slug}" comes from ${existing.sourcePath}; edit that file and run content sync`,
    });
  }
}
