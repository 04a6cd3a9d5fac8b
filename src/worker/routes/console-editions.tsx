// The console's editions area: pick an edition (daily or weekly, a day or week, tags, a subscriber
// or a sample reader), preview its email exactly as the send step builds it (the stored render
// when the edition has gone out to that group, else the fan-out's own render, never stored here;
// the send step's digestMessage and the mailer's compose for the headers), and send a test of it.
// A test goes through the configured mailer with "[Test] " before the subject and is never
// written to the delivery ledger. The console's guard (routes/console.tsx) covers every path here.

import { type Context, Hono } from "hono";
import { darkVariant, htmlBytes, preheaderOf } from "../../core/digest/preview.js";
import { editionFor } from "../../core/digest/schedule.js";
import { parseWindow, type WindowKind, windowOf } from "../../core/digest/window.js";
import type { FieldError } from "../../core/errors.js";
import { MAX_TAGS, normaliseAddress, unknownTags } from "../../core/subscription.js";
import { readForm } from "../body.js";
import type { AppEnv } from "../env.js";
import { notFound } from "../errors.js";
import { renderGroup, tagsKey } from "../jobs/fanout.js";
import { digestKey, digestMessage } from "../jobs/message.js";
import { compose } from "../mail/compose.js";
import { MailError, type MailMessage } from "../mail/mailer.js";
import { CONSOLE_FRAMES_CSP, EMAIL_FRAME_CSP } from "../security-headers.js";
import type { Services } from "../services.js";
import type { EditionRender } from "../store/editions.js";
import type { Subscriber } from "../store/subscribers.js";
import { render } from "../views/components.js";
import {
  type EditionChoice,
  type EditionPreview,
  EditionsPage,
  type EditionsProps,
} from "../views/console/editions.js";

export const consoleEditions = new Hono<AppEnv>();

type Ctx = Context<AppEnv>;

const FORM_MAX_BYTES = 8192;
const DAY = 86_400_000;
/** The sample reader's links name this id, which no subscriber has (ids count up from 1). */
const SAMPLE_ID = Number.MAX_SAFE_INTEGER;
const SAMPLE_ADDRESS = "reader@example.com";
const TEST_LIMIT_MESSAGE = "At most 10 test sends a minute: wait a minute and send it again.";

/** An edition, its tag group, and whom it is for: what a preview and a test send are built from. */
interface Chosen {
  kind: WindowKind;
  label: string;
  tags: string[];
  subscriber: Subscriber | null;
}

const page = async (c: Ctx, props: EditionsProps, status: 200 | 400 | 429 | 502 = 200, headers = {}) =>
  c.body(await render(<EditionsPage {...props} />), status, {
    "content-type": "text/html; charset=utf-8",
    // The preview frames the email as this site serves it (see security-headers.ts).
    "content-security-policy": CONSOLE_FRAMES_CSP,
    ...headers,
  });

consoleEditions.get("/admin/editions", async (c) => {
  const s = c.var.services;
  const choice = defaultChoice(s, "daily");
  return page(c, { site: s.site, tags: await s.tags.all(s.now(), "name"), choice, errors: [] });
});

consoleEditions.get("/admin/editions/preview", async (c) => {
  const s = c.var.services;
  const { choice, chosen, errors } = await readChoice(s, queryFields(c));
  const tags = await s.tags.all(s.now(), "name");
  if (!chosen) return page(c, { site: s.site, tags, choice, errors }, 400);
  const sent = normaliseAddress(c.req.query("sent") ?? "");
  const notice = sent ? { text: `A test of this edition went to ${sent}.`, error: false } : undefined;
  const preview = await previewOf(s, chosen, await messageOf(s, chosen));
  return page(c, { site: s.site, tags, choice, errors, preview, notice });
});

// The email's HTML itself, for the preview's sandboxed frames (`scheme=dark`: the dark variant).
consoleEditions.get("/admin/editions/preview.html", async (c) => {
  const s = c.var.services;
  const { chosen, errors } = await readChoice(s, queryFields(c));
  if (!chosen) {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    return c.body(`<!doctype html><title>Bad request</title><p>${escapeText(detail)}</p>`, 400, frameHeaders);
  }
  const { message } = await messageOf(s, chosen);
  if (!message) throw notFound(`${chosen.kind}/${chosen.label} has no articles for this group`);
  const html = c.req.query("scheme") === "dark" ? darkVariant(message.html) : message.html;
  return c.body(html, 200, frameHeaders);
});

consoleEditions.post("/admin/editions/test", async (c) => {
  const s = c.var.services;
  const form = await readForm(c.req.raw, { max: FORM_MAX_BYTES, lists: ["tags"] });
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
  const fields = {
    kind: text("kind"),
    label: text("label"),
    date: "",
    week: "",
    tags: Array.isArray(form.tags) ? form.tags : [],
    subscriber: text("subscriber"),
  };
  const { choice, chosen, errors } = await readChoice(s, fields);
  const tags = await s.tags.all(s.now(), "name");
  if (!chosen) return page(c, { site: s.site, tags, choice, errors }, 400);
  const built = await messageOf(s, chosen);
  const preview = await previewOf(s, chosen, built);
  const typed = text("address");
  const address = normaliseAddress(typed);
  // The sign-up's rule and words (core/subscription.ts).
  const addressError = typed.trim() === "" ? "is required" : address === null ? "is not a valid email address" : null;
  if (addressError || !address) {
    return page(
      c,
      { site: s.site, tags, choice, errors, preview, test: { address: typed, error: addressError ?? "" } },
      400,
    );
  }
  const message = built.message;
  if (!message) {
    const notice = { text: "This edition has no articles: there is nothing to send.", error: true };
    return page(c, { site: s.site, tags, choice, errors, preview, notice }, 400);
  }
  if (!(await s.allowTestSend())) {
    const notice = { text: TEST_LIMIT_MESSAGE, error: true };
    return page(c, { site: s.site, tags, choice, errors, preview, test: { address }, notice }, 429, {
      "retry-after": "60",
    });
  }
  const edition = `${chosen.kind}/${chosen.label}`;
  try {
    // A key of its own per test: a provider that honours keys would drop a second test otherwise.
    await s
      .mailer()
      .send(
        { ...message, to: address, subject: `[Test] ${message.subject}` },
        { idempotencyKey: `test/${edition}/${crypto.randomUUID()}` },
      );
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    console.warn(JSON.stringify({ event: "console.test-send.failed", edition, error: error.message }));
    const notice = { text: `The mailer did not send it: ${error.message}`, error: true };
    return page(c, { site: s.site, tags, choice, errors, preview, test: { address }, notice }, 502);
  }
  console.log(JSON.stringify({ event: "console.test-send", edition }));
  return c.redirect(`/admin/editions/preview${preview.query}&sent=${encodeURIComponent(address)}#test`, 303);
});

const frameHeaders = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": EMAIL_FRAME_CSP,
  // Its links carry a subscriber's token: never sent on as a Referer.
  "referrer-policy": "no-referrer",
};

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** The form's fields from the URL: `label`, or the form's `date` (daily) or `week` (weekly). */
function queryFields(c: Ctx): RawChoice {
  const one = (name: string) => c.req.query(name) ?? "";
  return {
    kind: one("kind"),
    label: one("label"),
    date: one("date"),
    week: one("week"),
    tags: c.req.queries("tags") ?? [],
    subscriber: one("subscriber"),
  };
}

interface RawChoice {
  kind: string;
  label: string;
  date: string;
  week: string;
  tags: string[];
  subscriber: string;
}

/** The form's values before anything is picked: the edition that goes out next (tomorrow's send: today's). */
function defaultChoice(s: Services, kind: WindowKind): EditionChoice {
  const timeZone = s.digest.timeZone;
  const now = s.now();
  return {
    kind,
    date: editionFor("daily", now + DAY, timeZone).label,
    week: editionFor("weekly", now + 7 * DAY, timeZone).label,
    tags: [],
    subscriber: "",
  };
}

/** The fields read and checked: the edition chosen, or the errors naming each bad field. */
async function readChoice(
  s: Services,
  raw: RawChoice,
): Promise<{ choice: EditionChoice; chosen: Chosen | null; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const kind: WindowKind = raw.kind === "weekly" ? "weekly" : "daily";
  if (raw.kind !== "" && raw.kind !== "daily" && raw.kind !== "weekly") {
    errors.push({ field: "kind", message: 'must be "daily" or "weekly"' });
  }
  const defaults = defaultChoice(s, kind);
  const typed = (raw.label || (kind === "daily" ? raw.date : raw.week)).trim();
  const label = typed || (kind === "daily" ? defaults.date : defaults.week);
  const field = kind === "daily" ? "date" : "week";
  if (!parseWindow(kind, label, s.digest.timeZone)) {
    errors.push({
      field,
      message: kind === "daily" ? "must be a day such as 2022-01-11" : "must be an ISO week such as 2022-W02",
    });
  }
  const tags = [...new Set(raw.tags.flatMap((t) => t.split(",")).map((t) => t.trim()))].filter((t) => t !== "");
  if (tags.length > MAX_TAGS) errors.push({ field: "tags", message: `must be at most ${MAX_TAGS} tags` });
  else errors.push(...unknownTags(tags, await s.tags.findAll(tags, s.now())));
  let subscriber: Subscriber | null = null;
  const wanted = raw.subscriber.trim();
  if (wanted !== "") {
    const address = normaliseAddress(wanted);
    if (address === null) errors.push({ field: "subscriber", message: "is not a valid email address" });
    else {
      subscriber = await s.subscribers.findByEmail(address);
      if (!subscriber) errors.push({ field: "subscriber", message: "is not the address of any subscriber" });
    }
  }
  const choice: EditionChoice = {
    kind,
    date: kind === "daily" ? label : defaults.date,
    week: kind === "weekly" ? label : defaults.week,
    tags,
    subscriber: raw.subscriber,
  };
  if (errors.length > 0) return { choice, chosen: null, errors };
  return { choice, chosen: { kind, label, tags, subscriber }, errors };
}

/** The group's render as the send step has it: stored once it went out, else rendered now (not stored). */
async function renderOf(s: Services, chosen: Chosen): Promise<EditionRender> {
  const edition = `${chosen.kind}/${chosen.label}`;
  const key = tagsKey(chosen.subscriber ? chosen.subscriber.preferences.tags : chosen.tags);
  return (await s.editions.get(edition, [key])).get(key) ?? (await renderGroup(s, edition, key));
}

const recipientOf = (chosen: Chosen) =>
  chosen.subscriber
    ? { id: chosen.subscriber.id, email: chosen.subscriber.email }
    : { id: SAMPLE_ID, email: SAMPLE_ADDRESS };

interface Built {
  articles: number;
  /** The message the send step would send for this choice; null when the edition has no articles. */
  message: MailMessage | null;
}

async function messageOf(s: Services, chosen: Chosen): Promise<Built> {
  const group = await renderOf(s, chosen);
  if (group.articles === 0) return { articles: 0, message: null };
  const message = await digestMessage(group, recipientOf(chosen), s.signingSecret(), s.site.siteUrl);
  return { articles: group.articles, message };
}

async function previewOf(s: Services, chosen: Chosen, built: Built): Promise<EditionPreview> {
  const edition = `${chosen.kind}/${chosen.label}`;
  const query = new URLSearchParams({ kind: chosen.kind, label: chosen.label });
  if (chosen.tags.length > 0) query.set("tags", chosen.tags.join(","));
  if (chosen.subscriber) query.set("subscriber", chosen.subscriber.email);
  const subscriber = chosen.subscriber
    ? { email: chosen.subscriber.email, status: chosen.subscriber.status, tags: chosen.subscriber.preferences.tags }
    : null;
  const { articles, message } = built;
  const base = { edition, query: `?${query}`, subscriber, fields: fieldsOf(chosen), articles };
  if (!message) return { ...base, message: null, newest: await newestWithArticles(s, chosen) };
  const recipient = recipientOf(chosen);
  // What the adapter writes (From, Message-ID from the idempotency key), as the send step's key gives it.
  const composed = await compose(
    message,
    { idempotencyKey: digestKey(edition, recipient.id) },
    { config: s.mail, siteUrl: s.site.siteUrl, now: s.now },
  );
  return {
    ...base,
    message: {
      from: composed.fromText,
      to: composed.to,
      subject: composed.subject,
      messageId: composed.messageId,
      preheader: preheaderOf(message.html),
      headers: composed.headers,
      text: message.text,
      htmlBytes: htmlBytes(message.html),
    },
  };
}

/**
 * The newest edition of the chosen kind that has a public article, when it is another one: where
 * an empty preview (tomorrow's, on a site that has not published today) points the publisher.
 */
async function newestWithArticles(s: Services, chosen: Chosen): Promise<EditionPreview["newest"]> {
  const [newest] = (await s.articles.list({ limit: 1, withContent: false }, s.now())).items;
  if (!newest) return null;
  const label = windowOf(chosen.kind, newest.publishedAt, s.digest.timeZone).label;
  if (label === chosen.label) return null;
  const query = new URLSearchParams({ kind: chosen.kind, [chosen.kind === "daily" ? "date" : "week"]: label });
  return { edition: `${chosen.kind}/${label}`, href: `/admin/editions/preview?${query}` };
}

/** The hidden fields of the test form: the same edition again. */
function fieldsOf(chosen: Chosen): [string, string][] {
  return [
    ["kind", chosen.kind],
    ["label", chosen.label],
    ...chosen.tags.map((t): [string, string] => ["tags", t]),
    ...(chosen.subscriber ? [["subscriber", chosen.subscriber.email] as [string, string]] : []),
  ];
}
