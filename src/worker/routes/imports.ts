// POST /api/subscribers/import (admin token): a subscriber export (Substack, Mailchimp, Buttondown,
// Ghost, listmonk or a plain list) sent as text/csv with the settings as query parameters (mode:
// confirmed or confirm, required; frequency; replace_tags), or as a multipart form's `file` with the
// settings as its fields; the answer is the report. At most IMPORT_ROWS rows a request: see
// ../subscriber-import.ts.

import { Hono } from "hono";
import { requireAdmin } from "../auth.js";
import type { AppEnv } from "../env.js";
import { query } from "../query.js";
import { importUpload, readUpload, SETTINGS } from "../subscriber-import.js";

export const imports = new Hono<AppEnv>();

imports.post("/subscribers/import", requireAdmin, query(SETTINGS, "strict"), async (c) => {
  const { services: s } = c.var;
  const { bytes, file, settings } = await readUpload(c.req.raw, c.req.valid("query"));
  const { report, written, confirmations } = await importUpload(s, bytes, file, settings);
  return c.json({
    source: report.source,
    section: report.kind,
    encoding: report.encoding,
    rows: report.rows,
    mode: settings.mode,
    added: written.added,
    kept: written.kept,
    updated: written.updated,
    blocked: written.blocked,
    suppressed: written.suppressed,
    already_suppressed: written.alreadySuppressed,
    merged: report.counts.merged,
    confirmations_queued: confirmations,
    problem_count: report.counts.problems,
    problems: report.problems,
    unknown_columns: report.unknownColumns,
    unknown_tags: report.unknownTags,
  });
});
