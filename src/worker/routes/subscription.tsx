// The subscriber's own pages, opened from links in emails: GET+POST /subscribe/confirm (double
// opt-in), /preferences (also where the unsubscribe page's "weekly instead" posts) and
// /unsubscribe (RFC 8058 one-click, and "delete my data"). Each link carries a signed token; a
// GET only shows a page, a POST from it changes something.

import { type Context, Hono } from "hono";
import type { Tag } from "../../core/article.js";
import { type FieldError, type Preferences, parsePreferences, unknownTags } from "../../core/subscription.js";
import { signToken, type TokenPurpose, verifyToken } from "../../core/token.js";
import { buffered, readForm } from "../body.js";
import type { AppEnv } from "../env.js";
import { fieldErrorsOf, fieldProblem } from "../errors.js";
import type { Services } from "../services.js";
import type { Subscriber } from "../store/subscribers.js";
import {
  confirmPage,
  erasedPage,
  type LinkProblem,
  linkProblemPage,
  notSubscribedPage,
  preferencesPage,
  subscribedPage,
  type TagNames,
  unsubscribedGonePage,
  unsubscribePage,
  WEEKLY_INSTEAD,
  weeklyDonePage,
} from "../views/subscription.js";

export const subscription = new Hono<AppEnv>();

const CONFIRM = "/subscribe/confirm";
const PREFERENCES = "/preferences";
const UNSUBSCRIBE = "/unsubscribe";

/** The preference form with every tag checked fits many times over. */
const MAX_BODY_BYTES = 8 * 1024;

// Tokens are in these URLs: no cache may keep the pages, no Referer may carry the token to
// another site, and no search engine may list them. Registered per path: a `use("*")` here
// would reach every route of the app this one is mounted in.
const PRIVATE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};
for (const path of [CONFIRM, PREFERENCES, UNSUBSCRIBE]) {
  subscription.use(path, async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(PRIVATE_HEADERS)) c.res.headers.set(name, value);
  });
  // The body is read here, bounded, before the token is looked at (an oversized one is a 413 and
  // drained whatever the link: see body.ts), and handed on in memory for readForm.
  subscription.post(path, async (c, next) => {
    c.req.raw = await buffered(c.req.raw, { max: MAX_BODY_BYTES });
    await next();
  });
}

type Ctx = Context<AppEnv>;

const html = async (c: Ctx, page: Promise<string>, status: 200 | 400 | 409 = 200) =>
  c.body(await page, status, { "content-type": "text/html; charset=utf-8" });

/** The page for a link that cannot be used: always a 400, never a hint about any address. */
const linkProblem = (c: Ctx, problem: LinkProblem) => html(c, linkProblemPage(c.var.services.site, problem), 400);

type Verified = { ok: true; subscriber: number; nonce?: string; token: string } | { ok: false; problem: LinkProblem };

async function verified(c: Ctx, purpose: TokenPurpose): Promise<Verified> {
  const s = c.var.services;
  const tokens = c.req.queries("token") ?? [];
  const token = tokens[0];
  // verifyToken refuses an over-long token before any decoding.
  if (tokens.length !== 1 || token === undefined) return { ok: false, problem: "invalid" };
  const result = await verifyToken(s.verificationSecrets(), token, purpose, s.now());
  if (!result.ok) return { ok: false, problem: result.reason === "expired" ? "expired" : "invalid" };
  return { ...result, token };
}

/** This page's URL with its token: where its forms post. */
const selfUrl = (path: string, token: string) => `${path}?token=${encodeURIComponent(token)}`;

async function tagNames(s: Services, preferences: Preferences): Promise<TagNames> {
  const found = await s.tags.findAll(preferences.tags, s.now());
  return new Map(found.filter((t): t is Tag => t !== null).map((t) => [t.slug, t.name]));
}

// ---- Confirmation (double opt-in) ----

/** Why a correctly signed confirmation link no longer confirms. */
const spentOrGone = async (s: Services, id: number): Promise<LinkProblem> =>
  (await s.subscribers.get(id)) ? "used" : "gone";

subscription.get(CONFIRM, async (c) => {
  const s = c.var.services;
  const token = await verified(c, "confirm");
  if (!token.ok) return linkProblem(c, token.problem);
  const waiting =
    token.nonce === undefined ? null : await s.subscribers.awaitingConfirmation(token.subscriber, token.nonce);
  if (!waiting) return linkProblem(c, await spentOrGone(s, token.subscriber));
  return html(
    c,
    confirmPage(s.site, {
      action: selfUrl(CONFIRM, token.token),
      email: waiting.subscriber.email,
      preferences: waiting.preferences,
      tagNames: await tagNames(s, waiting.preferences),
      // An active subscriber who subscribed again is confirming new preferences.
      existing: waiting.subscriber.status === "active",
    }),
  );
});

subscription.post(CONFIRM, async (c) => {
  const s = c.var.services;
  const token = await verified(c, "confirm");
  if (!token.ok) return linkProblem(c, token.problem);
  const subscriber = token.nonce === undefined ? null : await s.subscribers.confirm(token.subscriber, token.nonce);
  if (!subscriber) return linkProblem(c, await spentOrGone(s, token.subscriber));
  const manage = await signToken(s.signingSecret(), { purpose: "manage", subscriber: subscriber.id });
  return html(
    c,
    subscribedPage(s.site, {
      email: subscriber.email,
      preferences: subscriber.preferences,
      tagNames: await tagNames(s, subscriber.preferences),
      preferencesUrl: selfUrl(PREFERENCES, manage),
    }),
  );
});

// ---- Preferences ----

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 64) : "");

async function showPreferences(
  c: Ctx,
  token: string,
  subscriber: Subscriber,
  form: { values?: Record<string, unknown>; errors?: FieldError[]; saved?: boolean } = {},
) {
  const s = c.var.services;
  if (subscriber.status === "unsubscribed" || subscriber.status === "suppressed") {
    const page = notSubscribedPage(s.site, {
      email: subscriber.email,
      status: subscriber.status,
      unsubscribeAction: selfUrl(UNSUBSCRIBE, token),
    });
    return html(c, page, c.req.method === "POST" ? 409 : 200);
  }
  const p = subscriber.preferences;
  const posted = form.values;
  const postedTags = posted?.tags;
  const values = posted
    ? {
        frequency: text(posted.frequency),
        tags: (postedTags === undefined ? [] : Array.isArray(postedTags) ? postedTags : [postedTags]).map(text),
        timeZone: text(posted.time_zone) || p.timeZone,
        sendHour: text(posted.send_hour) || String(p.sendHour),
      }
    : { frequency: p.frequency, tags: p.tags, timeZone: p.timeZone, sendHour: String(p.sendHour) };
  const page = preferencesPage(s.site, {
    email: subscriber.email,
    status: subscriber.status,
    since:
      subscriber.status === "active" && subscriber.confirmedAt !== null
        ? { at: subscriber.confirmedAt, timeZone: p.timeZone }
        : null,
    values,
    ...(form.errors ? { errors: form.errors } : {}),
    ...(form.saved ? { saved: true } : {}),
    tags: await s.tags.all(s.now(), "name"),
    now: s.now(),
    action: selfUrl(PREFERENCES, token),
    unsubscribeAction: selfUrl(UNSUBSCRIBE, token),
  });
  return html(c, page, form.errors ? 400 : 200);
}

subscription.get(PREFERENCES, async (c) => {
  const token = await verified(c, "manage");
  if (!token.ok) return linkProblem(c, token.problem);
  const subscriber = await c.var.services.subscribers.get(token.subscriber);
  if (!subscriber) return linkProblem(c, "gone");
  return showPreferences(c, token.token, subscriber);
});

subscription.post(PREFERENCES, async (c) => {
  const s = c.var.services;
  const token = await verified(c, "manage");
  if (!token.ok) return linkProblem(c, token.problem);
  const subscriber = await s.subscribers.get(token.subscriber);
  if (!subscriber) return linkProblem(c, "gone");
  if (subscriber.status === "unsubscribed" || subscriber.status === "suppressed") {
    return showPreferences(c, token.token, subscriber);
  }
  let form: Record<string, unknown>;
  try {
    form = await readForm(c.req.raw, { max: MAX_BODY_BYTES, lists: ["tags"] });
  } catch (error) {
    return showPreferences(c, token.token, subscriber, { errors: fieldErrorsOf(error) });
  }
  const current = subscriber.preferences;
  const parsed = parsePreferences(form, { timeZone: current.timeZone, sendHour: current.sendHour });
  const errors = parsed.ok
    ? unknownTags(parsed.value.tags, await s.tags.findAll(parsed.value.tags, s.now()))
    : parsed.errors;
  if (!parsed.ok || errors.length > 0) return showPreferences(c, token.token, subscriber, { values: form, errors });
  const saved = await s.subscribers.updatePreferences(subscriber.id, parsed.value);
  if (!saved) return linkProblem(c, "gone");
  if (form[WEEKLY_INSTEAD.name] === WEEKLY_INSTEAD.value) {
    return html(
      c,
      weeklyDonePage(s.site, {
        email: saved.email,
        preferences: saved.preferences,
        tagNames: await tagNames(s, saved.preferences),
        preferencesUrl: selfUrl(PREFERENCES, token.token),
      }),
    );
  }
  return showPreferences(c, token.token, saved, { saved: true });
});

// ---- Unsubscribe (RFC 8058) and "delete my data" ----

subscription.get(UNSUBSCRIBE, async (c) => {
  const s = c.var.services;
  const token = await verified(c, "manage");
  if (!token.ok) return linkProblem(c, token.problem);
  const subscriber = await s.subscribers.get(token.subscriber);
  if (!subscriber) return linkProblem(c, "gone");
  const action = selfUrl(UNSUBSCRIBE, token.token);
  if (subscriber.status === "unsubscribed" || subscriber.status === "suppressed") {
    const page = notSubscribedPage(s.site, {
      email: subscriber.email,
      status: subscriber.status,
      unsubscribeAction: action,
    });
    return html(c, page);
  }
  return html(
    c,
    unsubscribePage(s.site, {
      email: subscriber.email,
      preferences: subscriber.preferences,
      action,
      preferencesUrl: selfUrl(PREFERENCES, token.token),
    }),
  );
});

// RFC 8058 section 3.1: the mail client POSTs `List-Unsubscribe=One-Click` (form-encoded or
// multipart) with no cookies and no other context; any POST here unsubscribes, so the page's
// own button needs no field at all. The answer is 200 whenever the token is ours: even when the
// subscriber is already gone, the client only needs to know that no more mail will come.
subscription.post(UNSUBSCRIBE, async (c) => {
  const s = c.var.services;
  const token = await verified(c, "manage");
  if (!token.ok) return linkProblem(c, token.problem);
  const { action } = await readForm(c.req.raw, { max: MAX_BODY_BYTES, lenient: true });
  if (action !== undefined && action !== "erase" && action !== "unsubscribe") {
    throw fieldProblem({ field: "action", message: 'must be "unsubscribe" or "erase"' });
  }
  if (action === "erase") {
    // Read first, so the page can say which address it deleted.
    const erased = await s.subscribers.get(token.subscriber);
    await s.subscribers.erase(token.subscriber);
    return html(c, erasedPage(s.site, { email: erased?.email ?? null, blocked: erased?.status === "suppressed" }));
  }
  const subscriber = await s.subscribers.unsubscribe(token.subscriber);
  if (!subscriber) return html(c, unsubscribedGonePage(s.site));
  const status = subscriber.status === "suppressed" ? "suppressed" : "unsubscribed";
  return html(
    c,
    notSubscribedPage(s.site, {
      email: subscriber.email,
      status,
      unsubscribeAction: selfUrl(UNSUBSCRIBE, token.token),
      justNow: true,
    }),
  );
});
