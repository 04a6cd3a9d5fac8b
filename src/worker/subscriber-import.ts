// A subscriber export as it arrives (a text/csv body, or a multipart form's `file` with its
// settings) and its import through the import store, shared by POST /api/subscribers/import and
// the console's upload form. One upload takes at most IMPORT_ROWS data rows, so it stays inside a
// Worker's CPU time and D1 queries per invocation: a larger list goes in parts (the same rows twice
// change nothing), or whole with `npm run import:subscribers -- FILE --remote`. A "confirm" import
// queues the confirmation emails it owes at once (the consumer sends them at MAIL_RATE).

import * as v from "valibot";
import type { FieldError } from "../core/errors.js";
import { type ImportReport, SubscriberImport } from "../core/import/index.js";
import { serviceName } from "../core/import/service-names.js";
import { contentTypeError, mediaType, readBytes } from "./body.js";
import { fieldProblem, HttpProblem } from "./errors.js";
import { queueMessages } from "./jobs/enqueue.js";
import { oneOf } from "./query.js";
import type { Services } from "./services.js";
import type { ImportBatchResult, ImportMode } from "./store/imports.js";

/** Data rows one request takes at most. */
export const IMPORT_ROWS = 1000;
/** The body's bytes at most: a thousand rows of a wide Mailchimp export fit. */
export const IMPORT_BODY_MAX = 2 * 1024 * 1024;

export interface Settings {
  mode: ImportMode;
  frequency: "daily" | "weekly";
  replaceTags: boolean;
}

export const SETTINGS = {
  mode: oneOf(["confirmed", "confirm"]),
  frequency: oneOf(["daily", "weekly"]),
  replace_tags: oneOf(["true", "false"]),
};

/** The settings from the query or the form's fields; every bad or missing one named. */
export function settingsOf(raw: Record<string, string | undefined>): Settings {
  const errors: FieldError[] = [];
  const result = v.safeParse(v.object(SETTINGS), raw);
  if (!result.success) {
    for (const issue of result.issues) errors.push({ field: v.getDotPath(issue) ?? "query", message: issue.message });
  }
  if (raw.mode === undefined) {
    errors.push({
      field: "mode",
      message:
        'is required: "confirmed" (they opted in elsewhere: active now) or "confirm" (each gets a confirmation email)',
    });
  }
  if (errors.length > 0) throw fieldProblem(errors);
  return {
    mode: raw.mode as ImportMode,
    frequency: raw.frequency === "weekly" ? "weekly" : "daily",
    replaceTags: raw.replace_tags === "true",
  };
}

/** The file and the settings, from a text/csv body (settings in the query) or a multipart form. */
export async function readUpload(
  request: Request,
  queryValues: Record<string, string | undefined>,
): Promise<{ bytes: Uint8Array; file: string; settings: Settings }> {
  const bytes = await readBytes(request, { max: IMPORT_BODY_MAX });
  const type = mediaType(request.headers.get("content-type"));
  if (type === "text/csv" || type === "text/plain") {
    return { bytes, file: "upload.csv", settings: settingsOf(queryValues) };
  }
  if (type !== "multipart/form-data") {
    throw fieldProblem(
      contentTypeError(request.headers.get("content-type"), "text/csv, or multipart/form-data with a file"),
    );
  }
  let form: FormData;
  try {
    form = await new Response(bytes, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw fieldProblem({ field: "body", message: "is not valid multipart/form-data" });
  }
  const fields: Record<string, string | undefined> = { ...queryValues };
  let file: File | null = null;
  for (const [name, value] of form) {
    if (name === "file" && typeof value !== "string" && file === null) file = value;
    else if (name === "file") throw fieldProblem({ field: "file", message: "must be one file" });
    else if (typeof value === "string" && Object.hasOwn(SETTINGS, name)) {
      if (fields[name] !== undefined) throw fieldProblem({ field: name, message: "is given more than once" });
      fields[name] = value;
    } else
      throw fieldProblem({
        field: name.slice(0, 60),
        message: "is not a field of this form; it takes file, mode, frequency, replace_tags",
      });
  }
  if (!file) throw fieldProblem({ field: "file", message: "is required: the export file" });
  return {
    bytes: new Uint8Array(await file.arrayBuffer()),
    file: file.name.slice(0, 200) || "upload.csv",
    settings: settingsOf(fields),
  };
}

export interface ImportAnswer {
  report: ImportReport;
  written: ImportBatchResult;
  confirmations: number;
}

/** Reads `bytes` as an export and imports it; throws the problem for a file that cannot be read or is too long. */
export async function importUpload(
  s: Services,
  bytes: Uint8Array,
  file: string,
  settings: Settings,
): Promise<ImportAnswer> {
  const now = s.now();
  const siteTags = (await s.tags.all(now, "name")).map((t) => ({ name: t.name, slug: t.slug }));
  const reader = new SubscriberImport({ siteTags });
  reader.push(bytes);
  const { records, report } = reader.end();
  if (report.fileError) {
    throw new HttpProblem(400, {
      title: "Bad Request",
      detail: `line ${report.fileError.line}: ${report.fileError.message}; nothing was imported`,
      errors: [
        {
          field: "file",
          message: `cannot be imported: line ${report.fileError.line}: ${report.fileError.message}; nothing was imported`,
        },
      ],
    });
  }
  if (report.rows > IMPORT_ROWS) {
    throw new HttpProblem(413, {
      title: "Content Too Large",
      detail: `the file has ${report.rows} rows; a request takes at most ${IMPORT_ROWS}: send it in parts of ${IMPORT_ROWS} rows, each with the header row, or import it whole with npm run import:subscribers -- FILE --remote. Nothing was imported`,
      errors: [
        {
          field: "file",
          message: `has ${report.rows} rows; a request takes at most ${IMPORT_ROWS}: send it in parts, or import it whole with npm run import:subscribers; nothing was imported`,
        },
      ],
    });
  }
  const digest = s.digest;
  const options = {
    mode: settings.mode,
    service: serviceName(report.source),
    file,
    preferences: { frequency: settings.frequency, timeZone: digest.timeZone, sendHour: digest.sendHour },
    replaceTags: settings.replaceTags,
  };
  const written = await s.imports.applyAll(records, options);
  let confirmations = 0;
  if (settings.mode === "confirm" && written.added > 0) {
    const owed = await s.imports.unsentConfirmations(written.added);
    await queueMessages(
      s.deliveryQueue(),
      owed.map(({ subscriber, nonce }) => ({ type: "confirm" as const, subscriber, nonce })),
    );
    confirmations = owed.length;
  }
  return { report, written, confirmations };
}
