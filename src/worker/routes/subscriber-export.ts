// GET /api/subscribers/export behind the admin token: every subscriber with their consent record,
// and the suppressions as hashes, streamed (see ../export.ts). CSV by default, one list a file
// (`list=subscribers`, the default, or `list=suppressions`); JSON with both lists in one object.

import { Hono } from "hono";
import { requireAdmin } from "../auth.js";
import type { AppEnv } from "../env.js";
import { EXPORT_LISTS, type ExportList, exportCsv, exportJson, textStream } from "../export.js";
import { oneOf, query } from "../query.js";

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

subscriberExport.get(
  "/subscribers/export",
  requireAdmin,
  query({ format: oneOf(["csv", "json"]), list: oneOf(EXPORT_LISTS) }, "strict"),
  (c) => {
    const store = c.var.services.subscriberExport;
    const params = c.req.valid("query");
    const format = params.format ?? accepted(c.req.header("accept"));
    const headers = { "cache-control": "no-store", vary: "Accept" };
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
