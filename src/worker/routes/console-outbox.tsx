// The console's outbox: what MAILER=log kept (store/outbox.ts), listed, shown as its reader would
// see it, and downloadable as .eml. Behind the console's guard (routes/console.tsx).

import { type Context, Hono } from "hono";
import { readEml } from "../../core/eml.js";
import type { AppEnv } from "../env.js";
import { fieldProblem, nothingAt } from "../errors.js";
import { CONSOLE_FRAMES_CSP, EMAIL_FRAME_CSP } from "../security-headers.js";
import { render } from "../views/components.js";
import { OutboxListPage, OutboxMessagePage } from "../views/console/outbox.js";

export const consoleOutbox = new Hono<AppEnv>();

const PAGE = 50;
const ID = /^[1-9]\d{0,15}$/;

type Ctx = Context<AppEnv>;

/** The kept message a path names, or the 404 page. */
async function message(c: Ctx, id: string) {
  const found = ID.test(id) ? await c.var.services.outbox.get(Number(id)) : null;
  if (!found) throw nothingAt(c.req.path);
  return found;
}

consoleOutbox.get("/admin/outbox", async (c) => {
  const s = c.var.services;
  const given = c.req.query("cursor");
  if (given !== undefined && !ID.test(given)) {
    throw fieldProblem({ field: "cursor", message: "must be a message number from a link on this page" });
  }
  const page = await s.outbox.list(given === undefined ? null : Number(given), PAGE);
  const html = await render(
    <OutboxListPage
      site={s.site}
      timeZone={s.digest.timeZone}
      items={page.items}
      next={page.next}
      mailer={s.mail.mailer}
    />,
  );
  return c.html(html);
});

consoleOutbox.get("/admin/outbox/:file{[0-9]+\\.eml}", async (c) => {
  const id = c.req.param("file").slice(0, -".eml".length);
  const found = await message(c, id);
  return c.body(found.eml, 200, {
    "content-type": "message/rfc822",
    "content-disposition": `attachment; filename="message-${found.id}.eml"`,
  });
});

consoleOutbox.get("/admin/outbox/:id/html", async (c) => {
  const found = await message(c, c.req.param("id"));
  const { html } = readEml(found.eml);
  if (html === null) throw nothingAt(c.req.path);
  return c.body(html, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": EMAIL_FRAME_CSP });
});

consoleOutbox.get("/admin/outbox/:id", async (c) => {
  const s = c.var.services;
  const found = await message(c, c.req.param("id"));
  const parts = readEml(found.eml);
  const html = await render(
    <OutboxMessagePage
      site={s.site}
      timeZone={s.digest.timeZone}
      item={found}
      headers={parts.headers}
      text={parts.text}
      hasHtml={parts.html !== null}
    />,
  );
  return c.body(html, 200, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": CONSOLE_FRAMES_CSP,
  });
});
