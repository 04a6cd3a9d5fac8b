// The Hono application: configuration, the store, error handling, and the route areas.

import { Hono } from "hono";
import { type Config, ConfigError, parseConfig } from "../core/config.js";
import { ArticleError } from "../core/errors.js";
import type { AppEnv } from "./env.js";
import { HttpProblem, problemResponse } from "./problem.js";
import { admin } from "./routes/admin.js";
import { api } from "./routes/api.js";
import { digests } from "./routes/digests.js";
import { feeds } from "./routes/feeds.js";
import { site } from "./routes/site.js";
import { ArticleStore } from "./store.js";
import { notFoundPage } from "./views/pages.js";

// Vars are fixed for an isolate's life; parse them once per env object.
const configs = new WeakMap<object, Config>();

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  let config = configs.get(c.env);
  if (!config) {
    config = parseConfig(c.env as unknown as Record<string, unknown>);
    configs.set(c.env, config);
  }
  c.set("config", config);
  c.set("store", new ArticleStore(c.env.DB, config.siteUrl));
  await next();
});

// Defence in depth for the HTML pages: stored content is sanitized, and no page needs script.
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; img-src 'self' https: http: data:; media-src 'self' https: http:; style-src 'unsafe-inline'; frame-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

app.use(async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
});

app.route("/api/articles", admin);
app.route("/api", api);
app.route("/", feeds);
app.route("/", digests);
app.route("/", site);

app.notFound((c) => {
  if (c.req.path.startsWith("/api/")) {
    return problemResponse(
      new HttpProblem(404, { title: "Not Found", detail: `no route for ${c.req.path}` }),
      c.req.path,
    );
  }
  return c.get("config") ? notFoundPage(c) : c.text("Not Found", 404);
});

app.onError((error, c) => {
  if (error instanceof HttpProblem) return problemResponse(error, c.req.path);
  if (error instanceof ArticleError) {
    const tooLarge = error.errors.some((e) => e.tooLarge);
    return problemResponse(
      new HttpProblem(tooLarge ? 413 : 400, {
        title: tooLarge ? "Content Too Large" : "Bad Request",
        detail: tooLarge ? "the article is over the size limit" : "the article has invalid fields",
        errors: error.errors,
      }),
      c.req.path,
    );
  }
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
    return problemResponse(
      new HttpProblem(500, { title: "Server misconfigured", detail: `setting ${error.message}` }),
      c.req.path,
    );
  }
  console.error(error);
  return problemResponse(new HttpProblem(500, { title: "Internal Server Error" }), c.req.path);
});
