// Operator routes behind the admin token: the recent editions with their delivery counts, one
// edition's rows by status, a retry of an edition's dead rows, and the subscriber list (for
// export) and erasure. JSON; strict queries.

import { Hono } from "hono";
import * as v from "valibot";
import { parseInstant } from "../../core/dates.js";
import { isEdition } from "../../core/digest/window.js";
import { normaliseAddress, type SubscriberStatus } from "../../core/subscription.js";
import { requireAdmin } from "../auth.js";
import { readJson } from "../body.js";
import type { AppEnv } from "../env.js";
import { fieldProblem, notFound } from "../errors.js";
import { retryDead } from "../jobs/enqueue.js";
import { runSchedule } from "../jobs/schedule.js";
import { oneOf, query, wholeNumber } from "../query.js";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../store/deliveries.js";

// requireAdmin goes on each route: a "*" middleware here would cover the public /api routes too.
export const operator = new Hono<AppEnv>();

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;
const EARLIEST_RUN = Date.UTC(2000, 0, 1);

const SUBSCRIBER_STATUSES = ["pending", "active", "unsubscribed", "suppressed"] as const;
const BODY_MAX_BYTES = 1024;
/** Editions a page of the editions list, by default: two weeks of dailies and weeklies. */
const EDITIONS_PAGE = 20;

const edition = v.pipe(
  v.string(),
  v.check(
    isEdition,
    (issue) => `"${String(issue.input).slice(0, 60)}" is not an edition (daily/2022-01-10 or weekly/2022-W02)`,
  ),
);

/** The id after which a page starts, as a previous answer's `next` link gave it. */
const afterId = v.optional(
  v.pipe(
    v.string(),
    v.check(
      (s) => /^\d{1,15}$/.test(s),
      (issue) => `"${String(issue.input).slice(0, 60)}" is not a cursor this site gave out; follow a "next" link`,
    ),
    v.transform(Number),
  ),
);

operator.get(
  "/deliveries",
  requireAdmin,
  query(
    {
      edition: v.optional(edition),
      status: oneOf(DELIVERY_STATUSES as [DeliveryStatus, ...DeliveryStatus[]]),
      // An id with edition (rows), an edition without it (the editions list); checked below.
      cursor: v.optional(
        v.pipe(v.string(), v.maxLength(60, 'is not a cursor this site gave out; follow a "next" link')),
      ),
      limit: wholeNumber(1, 500),
    },
    "strict",
  ),
  async (c) => {
    const { services: s } = c.var;
    const params = c.req.valid("query");
    const badCursor = () => {
      const message = `"${params.cursor}" is not a cursor this site gave out; follow a "next" link`;
      return fieldProblem({ field: "cursor", message });
    };
    if (params.edition === undefined) {
      if (params.status !== undefined) {
        const message = "is required with status (daily/2022-01-10 or weekly/2022-W02)";
        throw fieldProblem({ field: "edition", message });
      }
      if (params.cursor !== undefined && !isEdition(params.cursor)) throw badCursor();
      const page = await s.deliveries.editions(params.cursor ?? null, params.limit ?? EDITIONS_PAGE);
      return c.json({ items: page.items, next: nextLink(c, params.search, page.next) });
    }
    if (params.cursor !== undefined && !/^\d{1,15}$/.test(params.cursor)) throw badCursor();
    const cursor = params.cursor === undefined ? null : Number(params.cursor);
    const counts = await s.deliveries.counts(params.edition);
    if (params.status === undefined) return c.json({ edition: params.edition, counts });
    const page = await s.deliveries.list(params.edition, params.status, cursor, params.limit ?? 100);
    const items = page.rows.map((row) => ({
      subscriber_id: row.subscriberId,
      status: row.status,
      attempts: row.attempts,
      last_error: row.lastError,
      updated_at: new Date(row.updatedAt).toISOString(),
    }));
    return c.json({ edition: params.edition, counts, items, next: nextLink(c, params.search, page.next) });
  },
);

operator.post("/deliveries/retry", requireAdmin, query({}, "strict"), async (c) => {
  const { services: s } = c.var;
  const body = await readJson(c.req.raw, { max: BODY_MAX_BYTES, example: '{"edition": "daily/2022-01-10"}' });
  const given = typeof body === "object" && body !== null ? (body as Record<string, unknown>).edition : undefined;
  if (typeof given !== "string" || !isEdition(given)) {
    throw fieldProblem({ field: "edition", message: "must be an edition such as daily/2022-01-10 or weekly/2022-W02" });
  }
  return c.json({ requeued: await retryDead(s, given) });
});

// Runs the hourly delivery as of a past hour: the hour the Cron Trigger missed (an outage), or a
// day of the sample content in development. The ledger keeps anyone from getting an edition twice.
operator.post("/deliveries/run", requireAdmin, query({}, "strict"), async (c) => {
  const { services: s } = c.var;
  const body = await readJson(c.req.raw, { max: BODY_MAX_BYTES, example: '{"at": "2022-01-12T01:00:00Z"}' });
  const given = typeof body === "object" && body !== null ? (body as Record<string, unknown>).at : undefined;
  // parseInstant, not Date.parse: Date.parse rolls 2022-02-30 over to 2 March and T24:00 to the
  // next day. A leap second (:60) is refused too: no hour starts at one.
  const at = typeof given === "string" && RFC3339.test(given) ? (parseInstant(given) ?? Number.NaN) : Number.NaN;
  const field = (message: string) => fieldProblem({ field: "at", message });
  if (!Number.isFinite(at) || at < EARLIEST_RUN) {
    throw field(
      "must be a time that exists, such as 2022-01-12T01:00:00Z (RFC 3339, with Z or an offset), from 2000 on",
    );
  }
  // A future hour would send editions that are not complete yet.
  if (at > s.now()) throw field("must not be in the future");
  // That hour's ledger rows may be gone: running it again could send its editions twice.
  const pruned = await s.deliveries.prunedBefore();
  if (at < pruned) {
    throw field(`must be after ${new Date(pruned).toISOString()}: older delivery records have been deleted`);
  }
  const result = await runSchedule(s, at);
  return c.json({
    run_hour: result.runHour,
    fanouts: result.fanouts.length,
    requeued: result.requeued,
    confirmations: result.confirmations,
  });
});

operator.get(
  "/subscribers",
  requireAdmin,
  query({ status: oneOf(SUBSCRIBER_STATUSES), cursor: afterId, limit: wholeNumber(1, 500) }, "strict"),
  async (c) => {
    const { services: s } = c.var;
    const params = c.req.valid("query");
    const status: SubscriberStatus | undefined = params.status;
    const page = await s.subscribers.list(status, params.cursor ?? 0, params.limit ?? 100);
    const items = page.items.map((sub) => ({
      email: sub.email,
      status: sub.status,
      frequency: sub.preferences.frequency,
      tags: sub.preferences.tags,
      time_zone: sub.preferences.timeZone,
      send_hour: sub.preferences.sendHour,
      requested_at: new Date(sub.requestedAt).toISOString(),
      confirmed_at: sub.confirmedAt === null ? null : new Date(sub.confirmedAt).toISOString(),
      source: sub.source,
    }));
    return c.json({ items, next: nextLink(c, params.search, page.next) });
  },
);

operator.delete("/subscribers/:email", requireAdmin, query({}, "strict"), async (c) => {
  const { services: s } = c.var;
  const raw = c.req.param("email");
  const email = normaliseAddress(raw);
  if (email === null) throw fieldProblem({ field: "email", message: `"${raw.slice(0, 100)}" is not an email address` });
  const subscriber = await s.subscribers.findByEmail(email);
  // The ledger's trigger deletes their queued and sending rows with the subscriber.
  if (!subscriber || !(await s.subscribers.erase(subscriber.id)))
    throw notFound(`no subscriber has the address ${email}`);
  return c.body(null, 204);
});

/** The same query with `cursor` set, on the site's origin (never the Host header's); null after the last page. */
function nextLink(
  c: { req: { path: string }; var: AppEnv["Variables"] },
  search: string,
  next: number | string | null,
): string | null {
  if (next === null) return null;
  const url = new URL(`${c.var.services.site.siteUrl}${c.req.path}${search}`);
  url.searchParams.set("cursor", String(next));
  return url.href;
}
