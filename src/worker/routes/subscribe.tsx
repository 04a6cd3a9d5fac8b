// Sign-up: GET /subscribe (the form on a page of its own) and POST /subscribe, from that form or
// from any page's form, or as JSON. Every accepted request gets the same answer whether the
// address is new, pending, active, unsubscribed or suppressed; the confirmation email is put on
// the delivery queue after the response (jobs/confirm.ts sends it), so the timing says nothing either.

import { Hono } from "hono";
import * as v from "valibot";
import { rateLimitKey } from "../../core/client-ip.js";
import type { FieldError } from "../../core/errors.js";
import { parseSubscription, unknownTags } from "../../core/subscription.js";
import { canonicalZone, zoneEpoch } from "../../core/time-zones.js";
import { contentTypeError, mediaType, readForm, readJson } from "../body.js";
import type { AppEnv } from "../env.js";
import { fieldErrorsOf, fieldProblem, HttpProblem } from "../errors.js";
import { cached } from "../http-cache.js";
import { queueConfirmation } from "../jobs/confirm.js";
import { query } from "../query.js";
import { OWN_SCRIPT_CSP } from "../security-headers.js";
import type { Services } from "../services.js";
import { pageContext } from "../views/page-context.js";
import {
  acceptedPage,
  HONEYPOT_FIELD,
  runsZoneScript,
  type SubscribeValues,
  subscribePage,
} from "../views/subscribe.js";

/** Largest body accepted, in bytes: a form with every field filled is far smaller. */
const MAX_BODY_BYTES = 8192;
/** The window of the SUBSCRIBE_LIMITER binding (wrangler.toml), in seconds. */
const LIMIT_PERIOD_SECONDS = 60;
/** `source` is the path of the page the form was on. */
const SOURCE = /^\/[A-Za-z0-9\-._~/%]{0,199}$/;

const HTML = "text/html; charset=utf-8";
const NO_STORE = { "cache-control": "no-store" };

/** The one answer to every accepted JSON request. */
const ACCEPTED_JSON = JSON.stringify({
  status: "accepted",
  message: "If the address can receive mail, a confirmation link is on its way.",
});

type BodyKind = "json" | "form" | "multipart" | "other";

export const subscribe = new Hono<AppEnv>();

// ?source= names where a link to this page was (a forwarded digest's footer): the sign-up records it.
const pageQuery = query(
  {
    source: v.optional(
      v.pipe(
        v.string(),
        v.check(
          (value) => SOURCE.test(value),
          "must be the path of a page on this site, e.g. /digests/daily/2022-01-10",
        ),
      ),
    ),
  },
  "lenient",
);

subscribe.get("/subscribe", pageQuery, (c) => {
  const { services: s } = c.var;
  const { source = BLANK.source, search } = c.req.valid("query");
  const now = s.now();
  return cached(c, {
    // The page lists the zones' current offsets: a new key whenever one changes.
    key: `/subscribe${search}${search ? "&" : "?"}zones=${zoneEpoch(now)}`,
    sameWhileVersion: false,
    headers: { "content-security-policy": OWN_SCRIPT_CSP },
    render: async ({ asOf }) => ({
      body: await subscribePage(pageContext(s), {
        tags: await s.tags.all(asOf, "name"),
        values: { ...BLANK, source },
        schedule: schedule(s, now),
      }),
      contentType: HTML,
      lastModified: 0,
    }),
  });
});

// Every answer to a sign-up is private to the one who sent it, errors from app.onError included.
subscribe.use("/subscribe", async (c, next) => {
  await next();
  if (c.req.method === "POST") c.res.headers.set("cache-control", "no-store");
});

subscribe.post("/subscribe", async (c) => {
  const kind = bodyKind(c.req.header("content-type"));
  try {
    return await accept(c.var.services, c.req.raw, kind, (work) => {
      try {
        c.executionCtx.waitUntil(work);
      } catch {
        return work; // no execution context (app.request in tests)
      }
      return undefined;
    });
  } catch (error) {
    // A person who posted a form gets it again with the message. A refusal as a whole (429, a
    // broken setting), and every error of a program's request, is app.onError's.
    if (kind === "form" || kind === "multipart") return formAgain(c.var.services, BLANK, fieldErrorsOf(error));
    throw error;
  }
});

/** Runs `work` after the response; returns it when it has to be awaited instead. */
type Later = (work: Promise<void>) => Promise<void> | undefined;

async function accept(s: Services, request: Request, kind: BodyKind, later: Later): Promise<Response> {
  const ip = request.headers.get("cf-connecting-ip");
  // An IPv6 client is one bucket per /64: it can pick any address in it.
  if (!(await s.allowSubscribeRequest(rateLimitKey(ip ?? "unknown")))) {
    throw new HttpProblem(429, {
      title: "Too Many Requests",
      detail: "there were too many subscription requests from your network; try again in a minute",
      headers: { "retry-after": String(LIMIT_PERIOD_SECONDS) },
    });
  }
  if (kind === "other") throw fieldProblem(contentTypeError(request.headers.get("content-type"), WANTED));
  // Settings first, so a broken deployment says which setting before anything is stored: the
  // queue that carries the confirmation, and what the consumer will sign and send it with.
  s.deliveryQueue();
  s.signingSecret();
  s.mailer();

  const raw = await readFields(request, kind === "json");
  if (typeof raw[HONEYPOT_FIELD] === "string" && raw[HONEYPOT_FIELD] !== "") return accepted(s, kind);

  const errors: FieldError[] = [];
  const source = raw.source === undefined || raw.source === "" ? defaultSource(kind) : raw.source;
  if (typeof source !== "string" || !SOURCE.test(source)) {
    errors.push({ field: "source", message: "must be the path of a page on this site" });
  }
  // The compact forms send the browser's zone as a hint, not as a field the reader chose: a zone
  // this site does not know falls back to the site's, never to an error about an unseen field.
  const hinted = typeof raw.browser_zone === "string" ? canonicalZone(raw.browser_zone) : null;
  const defaults = { timeZone: hinted ?? s.digest.timeZone, sendHour: s.digest.sendHour };
  const parsed = parseSubscription(raw, defaults);
  if (!parsed.ok) errors.push(...parsed.errors);
  else {
    const tags = parsed.value.preferences.tags;
    errors.push(...unknownTags(tags, await s.tags.findAll(tags, s.now())));
  }
  if (errors.length > 0 || !parsed.ok || typeof source !== "string") {
    if (kind === "json") throw fieldProblem(errors);
    return formAgain(s, formValues(raw), errors);
  }

  const { email, preferences } = parsed.value;
  const outcome = await s.subscribers.request({ email, preferences, source, ip });
  if (outcome.kind === "send") {
    const { subscriberId, nonce } = outcome;
    const work = queueConfirmation(s, subscriberId, nonce).catch((error: unknown) => {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
      console.error(`confirmation email for subscriber ${subscriberId} not queued: ${why}`);
    });
    const pending = later(work);
    if (pending) await pending;
  }
  return accepted(s, kind);
}

async function accepted(s: Services, kind: BodyKind): Promise<Response> {
  if (kind === "json") {
    return new Response(ACCEPTED_JSON, {
      status: 202,
      headers: { "content-type": "application/json; charset=utf-8", ...NO_STORE },
    });
  }
  return new Response(await acceptedPage(pageContext(s)), {
    status: 202,
    headers: { "content-type": HTML, ...NO_STORE },
  });
}

function bodyKind(contentType: string | undefined): BodyKind {
  const type = mediaType(contentType);
  if (type === "application/json") return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data") return "multipart";
  return "other";
}

const WANTED = "application/json or a form (application/x-www-form-urlencoded or multipart/form-data)";

/** Past the limit, a 400 naming body (not a 413): a person's form comes back with the message. */
const tooLarge = () => fieldProblem({ field: "body", message: `is over ${MAX_BODY_BYTES} bytes` });

/**
 * The posted fields: a JSON object as it is, a form's as strings (`tags` as a list, since each
 * checked box repeats it). Any other field given twice is refused: which one was meant?
 */
async function readFields(request: Request, json: boolean): Promise<Record<string, unknown>> {
  const limit = { max: MAX_BODY_BYTES, tooLarge };
  if (!json) return readForm(request, { ...limit, lists: ["tags"] });
  const data = await readJson(request, limit);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw fieldProblem({ field: "body", message: "must be a JSON object" });
  }
  return data as Record<string, unknown>;
}

/** What the form shows when it comes back: the posted values, strings only. */
function formValues(raw: Record<string, unknown>): SubscribeValues {
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 512) : "");
  const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : [];
  return {
    email: text(raw.email),
    frequency: text(raw.frequency),
    tags,
    source: text(raw.source),
    timeZone: text(raw.time_zone),
    sendHour: text(raw.send_hour),
  };
}

const BLANK: SubscribeValues = {
  email: "",
  frequency: "daily",
  tags: [],
  source: "/subscribe",
  timeZone: "",
  sendHour: "",
};

/** The site's zone and hour, shown until the reader picks others, and the time offsets are shown for. */
const schedule = (s: Services, now: number) => ({ timeZone: s.digest.timeZone, sendHour: s.digest.sendHour, now });

const defaultSource = (kind: BodyKind) => (kind === "json" ? "/api" : "/subscribe");

/** The /subscribe page again, with the posted values and each message next to its field. */
async function formAgain(s: Services, values: SubscribeValues, errors: FieldError[]): Promise<Response> {
  const tags = await s.tags.all(s.now(), "name");
  const source = SOURCE.test(values.source) ? values.source : "/subscribe";
  const page = { tags, values: { ...values, source }, errors, schedule: schedule(s, s.now()) };
  const body = await subscribePage(pageContext(s), page);
  const headers: Record<string, string> = { "content-type": HTML, ...NO_STORE };
  if (runsZoneScript(values)) headers["content-security-policy"] = OWN_SCRIPT_CSP;
  return new Response(body, { status: 400, headers });
}
