// The console's subscribers: the filtered list and its CSV export, one subscriber's page, and
// its actions (unsubscribe, resend the confirmation, erase after a confirmation step). The
// console's guard (routes/console.tsx) has already checked the session and, on a POST, the origin.

import { type Context, Hono } from "hono";
import { csvRow } from "../../core/csv.js";
import {
  type FilterInput,
  filterQuery,
  type ListCursor,
  parseSubscriberFilter,
  type SubscriberFilter,
} from "../../core/subscriber-filter.js";
import { readForm } from "../body.js";
import type { AppEnv } from "../env.js";
import { EXPORT_PAGE, textStream } from "../export.js";
import { queueConfirmation } from "../jobs/confirm.js";
import { render } from "../views/components.js";
import { dateTime } from "../views/console/layout.js";
import { EraseConfirmPage, NoSubscriberPage, SubscriberPage } from "../views/console/subscriber.js";
import { SubscribersPage } from "../views/console/subscribers.js";

export const consoleSubscribers = new Hono<AppEnv>();

/** Subscribers on a page of the list. */
const PAGE = 50;
/** Rows a page walks at most when a filter is not on the index it walks (see store/subscriber-list.ts). */
const WINDOW = 1000;
/**
 * The CSV export's pages: as large as the API export's, so 100 000 subscribers stay within the
 * Free plan's 50 D1 queries an invocation (a filtered page is two; see ../export.ts).
 */
const CSV_PAGE = EXPORT_PAGE;
const CSV_WINDOW = 2 * EXPORT_PAGE;
const FORM_MAX_BYTES = 1024;
const MINUTE = 60_000;

const CSV_HEADER = [
  "email",
  "status",
  "frequency",
  "tags",
  "time_zone",
  "send_hour",
  "requested_at",
  "confirmed_at",
  "source",
];

type Ctx = Context<AppEnv>;

const html = async (c: Ctx, page: Promise<string>, status: 200 | 400 | 404 = 200) =>
  c.body(await page, status, { "content-type": "text/html; charset=utf-8" });

function filterInput(c: Ctx): FilterInput {
  const { q, status, frequency, tag, after } = c.req.query();
  return { q, status, frequency, tag, after };
}

/** A page's `next` back as a cursor: an address key when searching by prefix, else an id. */
const cursorOf = (filter: SubscriberFilter, next: string): ListCursor =>
  filter.prefix !== undefined ? { kind: "key", key: next } : { kind: "id", id: Number(next) };

consoleSubscribers.get("/admin/subscribers", async (c) => {
  const s = c.var.services;
  const input = filterInput(c);
  const values = {
    q: input.q ?? "",
    status: input.status ?? "",
    frequency: input.frequency ?? "",
    tag: input.tag ?? "",
  };
  const parsed = parseSubscriberFilter(input);
  const erased = c.req.query("erased");
  const notice = erased !== undefined && /^\d{1,15}$/.test(erased) ? `Subscriber ${erased} was erased.` : undefined;
  const common = { site: s.site, timeZone: s.digest.timeZone, values, notice };
  if (!parsed.ok) {
    const page = (
      <SubscribersPage {...common} errors={parsed.errors} items={[]} nextHref={null} searched={null} csvHref="" />
    );
    return html(c, render(page), 400);
  }
  const { filter, after } = parsed;
  const result = await s.subscriberList.page(filter, after, PAGE, WINDOW);
  const page = (
    <SubscribersPage
      {...common}
      errors={[]}
      items={result.items}
      nextHref={result.next === null ? null : `/admin/subscribers${filterQuery(filter, result.next)}`}
      searched={result.searched}
      csvHref={`/admin/subscribers.csv${filterQuery(filter)}`}
    />
  );
  return html(c, render(page));
});

consoleSubscribers.get("/admin/subscribers.csv", async (c) => {
  const s = c.var.services;
  const parsed = parseSubscriberFilter(filterInput(c));
  if (!parsed.ok) {
    const page = (
      <SubscribersPage
        site={s.site}
        timeZone={s.digest.timeZone}
        values={{ q: "", status: "", frequency: "", tag: "", ...filterInput(c) }}
        errors={parsed.errors}
        items={[]}
        nextHref={null}
        searched={null}
        csvHref=""
      />
    );
    return html(c, render(page), 400);
  }
  const { filter, after: start } = parsed;
  const list = s.subscriberList;
  const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
  // One keyset page per pull: the export never holds more than a page, however long the list.
  async function* rows() {
    yield csvRow(CSV_HEADER);
    let after = start;
    for (;;) {
      const page = await list.page(filter, after, CSV_PAGE, CSV_WINDOW);
      yield page.items
        .map((x) =>
          csvRow([
            x.email,
            x.status,
            x.preferences.frequency,
            x.preferences.tags.join(","),
            x.preferences.timeZone,
            String(x.preferences.sendHour),
            iso(x.requestedAt),
            iso(x.confirmedAt),
            x.source,
          ]),
        )
        .join("");
      if (page.next === null) return;
      after = cursorOf(filter, page.next);
    }
  }
  const stream = textStream(rows());
  return c.body(stream, 200, {
    "content-type": "text/csv; charset=utf-8; header=present",
    "content-disposition": 'attachment; filename="subscribers.csv"',
  });
});

/** The id in the path, or null when it cannot name a subscriber. */
const idOf = (c: Ctx): number | null => {
  const raw = c.req.param("id") ?? "";
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
};

const noSubscriber = (c: Ctx) =>
  html(c, render(<NoSubscriberPage site={c.var.services.site} id={c.req.param("id") ?? ""} />), 404);

const NOTICES: Record<string, string> = {
  unsubscribed: "Unsubscribed: no more email goes to this address.",
  unchanged: "Not changed: a suppressed address stays suppressed.",
  resent: "A new confirmation email is on its way; the earlier link no longer works.",
  "not-pending": "Nothing sent: only a sign-up awaiting confirmation gets a confirmation email.",
};

consoleSubscribers.get("/admin/subscribers/:id", async (c) => {
  const s = c.var.services;
  const id = idOf(c);
  if (id === null) return noSubscriber(c);
  const [record, history] = await Promise.all([s.subscriberList.consent(id), s.subscriberList.history(id)]);
  if (!record) return noSubscriber(c);
  const done = c.req.query("done") ?? "";
  const when = dateTime(s.digest.timeZone);
  const sent = record.confirmSentAt;
  const notice =
    done === "cooldown" && sent !== null
      ? `Not sent: a confirmation email went out at ${when(sent)}, less than 10 minutes ago. Another can go from ${when(sent + 10 * MINUTE)}.`
      : NOTICES[done];
  const page = (
    <SubscriberPage site={s.site} timeZone={s.digest.timeZone} record={record} history={history} notice={notice} />
  );
  return html(c, render(page));
});

consoleSubscribers.post("/admin/subscribers/:id/unsubscribe", async (c) => {
  const id = idOf(c);
  const after = id === null ? null : await c.var.services.subscribers.unsubscribe(id);
  if (id === null || !after) return noSubscriber(c);
  const done = after.status === "unsubscribed" ? "unsubscribed" : "unchanged";
  return c.redirect(`/admin/subscribers/${id}?done=${done}`, 303);
});

consoleSubscribers.post("/admin/subscribers/:id/resend", async (c) => {
  const s = c.var.services;
  const id = idOf(c);
  if (id === null) return noSubscriber(c);
  // The settings the email needs, checked before the cooldown is spent (as POST /subscribe does).
  s.deliveryQueue();
  s.signingSecret();
  s.mailer();
  const outcome = await s.subscribers.renewConfirmation(id);
  if (!outcome) return noSubscriber(c);
  if (outcome.kind === "send") await queueConfirmation(s, id, outcome.nonce);
  const done = outcome.kind === "send" ? "resent" : outcome.kind;
  return c.redirect(`/admin/subscribers/${id}?done=${done}`, 303);
});

// The first POST asks; the second, carrying confirm=erase, erases.
consoleSubscribers.post("/admin/subscribers/:id/erase", async (c) => {
  const s = c.var.services;
  const id = idOf(c);
  if (id === null) return noSubscriber(c);
  const form = await readForm(c.req.raw, { max: FORM_MAX_BYTES });
  if (form.confirm !== "erase") {
    const record = await s.subscriberList.consent(id);
    if (!record) return noSubscriber(c);
    return html(c, render(<EraseConfirmPage site={s.site} id={id} email={record.subscriber.email} />));
  }
  if (!(await s.subscribers.erase(id))) return noSubscriber(c);
  return c.redirect(`/admin/subscribers?erased=${id}`, 303);
});
