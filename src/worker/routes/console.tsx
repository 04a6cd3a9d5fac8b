// The publisher's console under /admin: signing in with the admin token (a session cookie,
// console-auth.ts) and out, and the dashboard. Pages for people: HTML, never cached or indexed;
// every form that changes something checks its origin first.

import { type Context, Hono } from "hono";
import { rateLimitKey } from "../../core/client-ip.js";
import { isLoopbackHost } from "../../core/config.js";
import { isEdition } from "../../core/digest/window.js";
import { sameSecret } from "../auth.js";
import { readForm } from "../body.js";
import {
  backTo,
  consoleHeaders,
  currentSession,
  endSession,
  requireSession,
  sameOrigin,
  signInByAccess,
  startSession,
} from "../console-auth.js";
import type { AppEnv } from "../env.js";
import { fieldProblem } from "../errors.js";
import { retryDead } from "../jobs/enqueue.js";
import { render } from "../views/components.js";
import { DashboardPage } from "../views/console/dashboard.js";
import { LoginPage } from "../views/console/login.js";

export const consoleRoutes = new Hono<AppEnv>();

const FORM_MAX_BYTES = 4096;
const RECENT_EDITIONS = 10;
const HOUR = 3_600_000;

type Ctx = Context<AppEnv>;

const page = async (c: Ctx, html: Promise<string>, status: 200 | 400 | 403 | 429 = 200, headers = {}) =>
  c.body(await html, status, { "content-type": "text/html; charset=utf-8", ...headers });

consoleRoutes.use("/admin", consoleHeaders, sameOrigin);
consoleRoutes.use("/admin/*", consoleHeaders, sameOrigin);

consoleRoutes.get("/admin/login", async (c) => {
  const s = c.var.services;
  const next = backTo(c.req.query("next"));
  if ((await currentSession(c)) || (await signInByAccess(c))) return c.redirect(next, 303);
  const off = s.adminToken() === null;
  const access = s.access() !== null;
  return page(c, render(<LoginPage site={s.site} next={next} off={off} access={access} />), off && !access ? 403 : 200);
});

consoleRoutes.post("/admin/login", async (c) => {
  const s = c.var.services;
  const form = await readForm(c.req.raw, { max: FORM_MAX_BYTES });
  const next = backTo(typeof form.next === "string" ? form.next : undefined);
  const token = s.adminToken();
  if (token === null) {
    return page(c, render(<LoginPage site={s.site} next={next} off={true} access={s.access() !== null} />), 403);
  }
  const client = rateLimitKey(c.req.header("cf-connecting-ip") ?? "unknown");
  if (!(await s.allowSignInAttempt(client))) {
    console.warn(JSON.stringify({ event: "console.sign-in.limited", client }));
    const error = "Too many attempts from this address: wait a minute and try again.";
    return page(c, render(<LoginPage site={s.site} next={next} error={error} />), 429, { "retry-after": "60" });
  }
  const given = typeof form.token === "string" ? form.token : "";
  if (given === "" || !(await sameSecret(given, token))) {
    console.warn(JSON.stringify({ event: "console.sign-in.failed", client }));
    const error = given === "" ? "Enter the admin token." : "That is not the admin token.";
    return page(c, render(<LoginPage site={s.site} next={next} error={error} />), 400);
  }
  await startSession(c, "token");
  console.log(JSON.stringify({ event: "console.sign-in", via: "token", client }));
  return c.redirect(next, 303);
});

consoleRoutes.post("/admin/logout", async (c) => {
  endSession(c);
  return c.redirect("/admin/login", 303);
});

// Every other console page, here and in the areas app.ts mounts after this one, is behind a session.
consoleRoutes.use("/admin", requireSession);
consoleRoutes.use("/admin/*", requireSession);

consoleRoutes.get("/admin", async (c) => {
  const s = c.var.services;
  const now = s.now();
  const [figures, editions] = await Promise.all([
    s.dashboard.figures(now),
    s.deliveries.editions(null, RECENT_EDITIONS),
  ]);
  const mailer = s.mail.mailer;
  const retried = c.req.query("retried");
  const edition = c.req.query("edition");
  const notice =
    retried !== undefined && /^\d{1,6}$/.test(retried) && edition !== undefined && isEdition(edition)
      ? `${retried} dead send${retried === "1" ? "" : "s"} of ${edition} went back in the queue.`
      : undefined;
  return page(
    c,
    render(
      <DashboardPage
        site={s.site}
        figures={figures}
        editions={editions.items}
        nextRun={(Math.floor(now / HOUR) + 1) * HOUR}
        timeZone={s.digest.timeZone}
        mailer={mailer}
        mailerWarning={mailer === "log" && !isLoopbackHost(new URL(s.site.siteUrl).hostname)}
        notice={notice}
      />,
    ),
  );
});

consoleRoutes.post("/admin/editions/retry", async (c) => {
  const s = c.var.services;
  const form = await readForm(c.req.raw, { max: FORM_MAX_BYTES });
  const edition = typeof form.edition === "string" ? form.edition : "";
  if (!isEdition(edition)) {
    throw fieldProblem({ field: "edition", message: "must be an edition such as daily/2022-01-10 or weekly/2022-W02" });
  }
  const requeued = await retryDead(s, edition);
  return c.redirect(`/admin?retried=${requeued}&edition=${encodeURIComponent(edition)}`, 303);
});
