// GET /api/subscribers/export behind the admin token: every subscriber with their consent record,
// and the suppressions as hashes, streamed (see ../export.ts). CSV by default, one list a file
// (`list=subscribers`, the default, or `list=suppressions`); JSON with both lists in one object.
// With `limit`, one page of one list instead, and where the next starts (a `Link: rel="next"`
// header, and `next` in JSON): a list of any length in requests that each fit the Free plan's
// 10 ms of CPU.

import { Hono } from "hono";
import * as v from "valibot";
import { csvRow } from "../../core/csv.js";
import { csvValues, jsonValues } from "../../core/subscriber-export.js";
import { requireAdmin } from "../auth.js";
import type { AppEnv } from "../env.js";
import { fieldProblem } from "../errors.js";
import {
  afterKey,
  EXPORT_LISTS,
  type ExportList,
  exportCsv,
  exportJson,
  exportPage,
  PAGED_MAX,
  textStream,
} from "../export.js";
import { oneOf, query, wholeNumber } from "../query.js";

export const subscriberExport = new Hono<AppEnv>();

type Format = "csv" | "json";

/** The format the Accept header prefers of the two (RFC 9110 section 12.5.1); CSV when it names neither. */
function accepted(accept: string | undefined): Format {
  let best: { format: Format; q: number } = { format: "csv", q: 0 };
  for (const range of (accept ?? "").split(",")) {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    const format = type === "text/csv" ? "csv" : type === "application/json" ? "json" : null;
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (format !== null && q > best.q) best = { format, q };
  }
  return best.format;
}

/** The same request's URL, starting after `key`. */
function nextUrl(url: string, key: string): string {
  const next = new URL(url);
  next.searchParams.set("after", key);
  return next.toString();
}

subscriberExport.get(
  "/subscribers/export",
  requireAdmin,
  query(
    {
      format: oneOf(["csv", "json"]),
      list: oneOf(EXPORT_LISTS),
      limit: wholeNumber(1, PAGED_MAX),
      after: v.optional(v.pipe(v.string(), v.maxLength(100, 'is not a key this export gave out; follow its "next"'))),
    },
    "strict",
  ),
  async (c) => {
    const store = c.var.services.subscriberExport;
    const params = c.req.valid("query");
    const format = params.format ?? accepted(c.req.header("accept"));
    const headers = { "cache-control": "no-store", vary: "Accept" };
    if (params.after !== undefined && params.limit === undefined) {
      throw fieldProblem({ field: "after", message: "is for paging: give limit too" });
    }
    if (params.limit !== undefined) {
      const list = params.list ?? "subscribers";
      const after = params.after === undefined ? null : afterKey(list, params.after);
      if (params.after !== undefined && after === null) {
        throw fieldProblem({
          field: "after",
          message: `is not a key of the ${list} this export gave out; follow its "next"`,
        });
      }
      const page = await exportPage(store, list, after, params.limit);
      const next = page.next === null ? null : nextUrl(c.req.url, page.next);
      if (format === "json") {
        const records = page.rows.map((values) => jsonValues(page.names, values));
        return c.body(`{${JSON.stringify(list)}: [${records.join(",\n")}], "next": ${JSON.stringify(next)}}\n`, 200, {
          ...headers,
          "content-type": "application/json; charset=utf-8",
        });
      }
      return c.body(csvRow(page.names) + page.rows.map(csvValues).join(""), 200, {
        ...headers,
        "content-type": "text/csv; charset=utf-8; header=present",
        ...(next === null ? {} : { link: `<${next}>; rel="next"` }),
      });
    }
    if (format === "json") {
      const lists: readonly ExportList[] = params.list === undefined ? EXPORT_LISTS : [params.list];
      return c.body(textStream(exportJson(store, lists)), 200, {
        ...headers,
        "content-type": "application/json; charset=utf-8",
        "content-disposition": 'attachment; filename="subscribers.json"',
      });
    }
    const list = params.list ?? "subscribers";
    return c.body(textStream(exportCsv(store, list)), 200, {
      ...headers,
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${list}.csv"`,
    });
  },
);
