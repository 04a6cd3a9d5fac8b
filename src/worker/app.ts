// The Hono application: services on the context, the route areas, and the one error model.

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { PatternRouter } from "hono/router/pattern-router";
import { ConfigError } from "../core/config.js";
import { ArticleError } from "../core/errors.js";
import { aliasRedirect } from "./aliases.js";
import { sentNonForm } from "./body.js";
import { BOOKMARK_HEADER, currentBookmark, inSession, isBookmark } from "./d1-session.js";
import type { AppEnv } from "./env.js";
import {
  answersWithProblem,
  HttpProblem,
  nothingAt,
  type ProblemFields,
  problemFields,
  problemResponse,
} from "./errors.js";
import { admin } from "./routes/admin.js";
import { api } from "./routes/api.js";
import { consoleRoutes } from "./routes/console.js";
import { consoleArticles } from "./routes/console-articles.js";
import { consoleEditions } from "./routes/console-editions.js";
import { consoleImport } from "./routes/console-import.js";
import { consoleOutbox } from "./routes/console-outbox.js";
import { consoleSubscribers } from "./routes/console-subscribers.js";
import { digests } from "./routes/digests.js";
import { feedPages } from "./routes/feed-pages.js";
import { feeds } from "./routes/feeds.js";
import { imports } from "./routes/imports.js";
import { operator } from "./routes/operator.js";
import { search } from "./routes/search.js";
import { seo } from "./routes/seo.js";
import { site } from "./routes/site.js";
import { subscribe } from "./routes/subscribe.js";
import { subscriberExport } from "./routes/subscriber-export.js";
import { subscription } from "./routes/subscription.js";
import { webhooks } from "./routes/webhooks.js";
import { OWN_POLICIES, SECURITY_HEADERS } from "./security-headers.js";
import { services } from "./services.js";
import { errorPage } from "./views/errors.js";

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  const s = services(c.env);
  c.set("services", s);
  // The request's D1 session (d1-session.ts): from the client's bookmark, at the primary for a
  // write, else where this isolate's trusted content version was read.
  const given = c.req.header(BOOKMARK_HEADER);
  const write = c.req.method !== "GET" && c.req.method !== "HEAD";
  if (given !== undefined && !isBookmark(given.trim())) {
    throw new HttpProblem(400, {
      title: "Bad Request",
      detail: `${BOOKMARK_HEADER}: not a D1 bookmark (send back the value a write answered with)`,
    });
  }
  const start = given?.trim() ?? (write ? "first-primary" : (s.version.freshBookmark() ?? "first-unconstrained"));
  await inSession(c.env.DB, start, given !== undefined, async () => {
    await next();
    // Where this request left the database: a client that sends it back reads at least this.
    // Only to the publisher (and to whoever sent one): on a public POST (sign-up) it would tell
    // whether anything was written.
    const publisher = write && c.req.path.startsWith("/api/") && c.req.header("authorization") !== undefined;
    const bookmark = (given !== undefined && !write) || publisher ? currentBookmark() : null;
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
  });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    // A route that sends no Referer at all (its URLs carry tokens) keeps that stricter policy.
    if (name === "referrer-policy" && c.res.headers.get(name) === "no-referrer") continue;
    // A page that runs the site's own script (the feed pages), or shows an email in a frame (the
    // console), keeps the policy that allows it.
    if (name === "content-security-policy" && OWN_POLICIES.has(c.res.headers.get(name) ?? "")) continue;
    c.res.headers.set(name, value);
  }
  // A URL with a signed token gets its private headers in index.ts (privateIfTokenUrl), where
  // errors and the 304s given before routing pass too.
});

app.route("/api/articles", admin);
app.route("/", consoleRoutes);
app.route("/", consoleArticles);
app.route("/", consoleOutbox);
app.route("/", consoleImport);
app.route("/", consoleSubscribers);
app.route("/", consoleEditions);
app.route("/api", imports);
app.route("/api", subscriberExport);
app.route("/api", operator);
app.route("/api", api);
app.route("/", feeds);
app.route("/", feedPages);
app.route("/", digests);
app.route("/", subscribe);
app.route("/", subscription);
app.route("/", webhooks);
app.route("/", seo);
app.route("/", search);
app.route("/", site);

// Which methods each path answers, for 405 and Allow (RFC 9110 15.5.6).
let methodRouter: PatternRouter<string> | null = null;
function allowedMethods(path: string): string[] {
  if (!methodRouter) {
    methodRouter = new PatternRouter<string>();
    for (const route of app.routes) {
      if (route.method !== "ALL") methodRouter.add(route.method, route.path, route.method);
    }
  }
  const allowed = new Set<string>();
  for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"]) {
    if (methodRouter.match(method, path)[0].length > 0) allowed.add(method);
  }
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed];
}

app.notFound(async (c) => {
  const moved = await aliasRedirect(c);
  if (moved) return moved;
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) {
    throw new HttpProblem(405, {
      title: "Method Not Allowed",
      detail: `${c.req.method} is not allowed here; use ${allowed.join(", ")}`,
      headers: { allow: allowed.join(", ") },
    });
  }
  throw nothingAt(c.req.path);
});

app.onError((error, c) => {
  let status: number;
  let fields: ProblemFields;
  if (error instanceof HTTPException) {
    status = error.status;
    fields = problemFields(error);
  } else if (error instanceof ArticleError) {
    const tooLarge = error.errors.some((e) => e.tooLarge);
    status = tooLarge ? 413 : 400;
    fields = {
      title: tooLarge ? "Content Too Large" : "Bad Request",
      detail: tooLarge ? "the article is over the size limit" : "the article has invalid fields",
      errors: error.errors,
    };
  } else if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
    status = 500;
    fields = { title: "Server misconfigured", detail: `setting ${error.message}` };
  } else {
    console.error(error);
    status = 500;
    fields = { title: "Internal Server Error" };
  }
  // Security headers here too: a not-found handler's error never passes the middleware again.
  const withSecurity = { ...fields, headers: { ...fields.headers, ...SECURITY_HEADERS } };
  if (answersWithProblem(c.req.path) || sentNonForm(c.req.raw))
    return problemResponse(status, withSecurity, c.req.path);
  return errorPage(c, status, withSecurity);
});
