// The console's subscriber import: the upload form and its report (../subscriber-import.ts does
// the reading and the writing, as for the API). A bad upload shows the form again with the message
// next to the field, and nothing is written. The console's guard (routes/console.tsx) has already
// checked the session and, on a POST, the origin.

import { type Context, Hono } from "hono";
import type { FieldError } from "../../core/errors.js";
import type { AppEnv } from "../env.js";
import { HttpProblem } from "../errors.js";
import { IMPORT_ROWS, importUpload, readUpload } from "../subscriber-import.js";
import { render } from "../views/components.js";
import { ImportPage, type ImportProps } from "../views/console/import.js";

export const consoleImport = new Hono<AppEnv>();

const EMPTY = { mode: "", frequency: "daily", replaceTags: false };

/** A field's message as a sentence next to it ("is required…" → "The mode is required…"). */
const NAMES: Record<string, string> = {
  mode: "The way they opted in",
  frequency: "The frequency",
  file: "The file",
  body: "The upload",
  "content-type": "The upload",
};
const said = (e: FieldError) => `${NAMES[e.field] ?? `The field ${e.field}`} ${e.message}`;

const page = async (c: Context<AppEnv>, props: Omit<ImportProps, "site" | "maxRows">, status: 200 | 400 | 413 = 200) =>
  c.body(await render(<ImportPage site={c.var.services.site} maxRows={IMPORT_ROWS} {...props} />), status, {
    "content-type": "text/html; charset=utf-8",
  });

consoleImport.get("/admin/subscribers/import", (c) => page(c, { values: EMPTY, errors: [] }));

consoleImport.post("/admin/subscribers/import", async (c) => {
  const s = c.var.services;
  let upload: Awaited<ReturnType<typeof readUpload>> | undefined;
  try {
    upload = await readUpload(c.req.raw, {});
    const { report, written, confirmations } = await importUpload(s, upload.bytes, upload.file, upload.settings);
    const values = {
      mode: upload.settings.mode,
      frequency: upload.settings.frequency,
      replaceTags: upload.settings.replaceTags,
    };
    return page(c, { values, errors: [], result: { file: upload.file, report, written, confirmations } });
  } catch (error) {
    if (!(error instanceof HttpProblem) || (error.status !== 400 && error.status !== 413)) throw error;
    const { errors, detail } = error.fields;
    const shown: FieldError[] = errors?.length
      ? errors.map((e) => ({ ...e, message: said(e) }))
      : [{ field: "body", message: detail ?? "The upload could not be read." }];
    const values = upload
      ? { mode: upload.settings.mode, frequency: upload.settings.frequency, replaceTags: upload.settings.replaceTags }
      : EMPTY;
    return page(c, { values, errors: shown }, error.status);
  }
});
