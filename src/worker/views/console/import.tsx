// The console's subscriber import: the upload form (the file, the mode, the frequency, whether
// tags replace those of subscribers already here) with each error next to its field, and the
// report of an import.

import type { SiteConfig } from "../../../core/config.js";
import type { FieldError } from "../../../core/errors.js";
import type { ImportReport } from "../../../core/import/index.js";
import { serviceName } from "../../../core/import/service-names.js";
import type { ImportBatchResult } from "../../store/imports.js";
import { ConsoleLayout, number } from "./layout.js";
import { fieldError } from "./subscribers.js";

const ENCODINGS: Record<string, string> = {
  "utf-8": "UTF-8",
  "windows-1252": "Windows-1252",
  "windows-1251": "Windows-1251",
};

export interface ImportFormValues {
  mode: string;
  frequency: string;
  replaceTags: boolean;
}

export interface ImportProps {
  site: SiteConfig;
  values: ImportFormValues;
  errors: readonly FieldError[];
  /** Rows and bytes one upload takes. */
  maxRows: number;
  /** After an import: what it read and what it wrote. */
  result?: { file: string; report: ImportReport; written: ImportBatchResult; confirmations: number };
}

export function ImportPage(props: ImportProps) {
  const { values, errors } = props;
  const file = fieldError(errors, "file");
  const mode = fieldError(errors, "mode");
  const frequency = fieldError(errors, "frequency");
  const body = fieldError(errors, "body");
  return (
    <ConsoleLayout site={props.site} title="Import subscribers" signedIn={true}>
      <p>
        <a href="/admin/subscribers">All subscribers</a>
      </p>
      <h1>Import subscribers</h1>
      {props.result ? <Report {...props.result} /> : null}
      <p>
        The export file from Substack, Mailchimp (each of its three files), Buttondown, Ghost or listmonk as it comes,
        or a plain list of addresses (<code>email,name,tags</code>). Nobody already here is changed, nobody suppressed
        here comes back, and the same file twice changes nothing. Up to {number(props.maxRows)} rows an upload: a longer
        list goes in parts, or whole with <code>npm run import:subscribers</code> (see the docs, "Importing
        subscribers").
      </p>
      <form method="post" action="/admin/subscribers/import" enctype="multipart/form-data">
        {body.element}
        <div class="field">
          <label for="file">Export file (CSV)</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv,text/plain" required {...file.attributes} />
          {file.element}
        </div>
        <fieldset class="field" {...mode.attributes}>
          <legend>They opted in</legend>
          <label class="choice">
            <input type="radio" name="mode" value="confirmed" checked={values.mode === "confirmed"} required /> at the
            other service: subscribe them now, without an email
          </label>
          <label class="choice">
            <input type="radio" name="mode" value="confirm" checked={values.mode === "confirm"} /> not here yet: send
            each this site's confirmation email
          </label>
          {mode.element}
        </fieldset>
        <div class="field">
          <label for="frequency">New subscribers get</label>
          <select id="frequency" name="frequency" {...frequency.attributes}>
            <option value="daily" selected={values.frequency !== "weekly"}>
              the daily digest
            </option>
            <option value="weekly" selected={values.frequency === "weekly"}>
              the weekly digest
            </option>
          </select>
          {frequency.element}
        </div>
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="replace_tags" value="true" checked={values.replaceTags} /> Give subscribers
            already here the tags the file names for them
          </label>
        </div>
        <button type="submit">Import</button>
      </form>
    </ConsoleLayout>
  );
}

function Report(props: NonNullable<ImportProps["result"]>) {
  const { report, written } = props;
  const rows: [string, string, number][] = [
    ["added", "Added", written.added],
    ["kept", "Already here, left as they were", written.kept],
    ["updated", "Given the file's tags", written.updated],
    ["blocked", "Suppressed here, not added", written.blocked],
    ["suppressed", "Suppressions added", written.suppressed],
    ["already-suppressed", "Already suppressed", written.alreadySuppressed],
    ["merged", "Duplicate rows merged", report.counts.merged],
    ["problems", "Rows with a problem", report.counts.problems],
  ];
  return (
    <section aria-labelledby="report" class="report">
      <h2 id="report">
        Imported <code>{props.file}</code>
      </h2>
      <p role="status">
        {serviceName(report.source)}
        {report.kind ? ` (${report.kind} export)` : ""}, {ENCODINGS[report.encoding] ?? report.encoding},{" "}
        {number(report.rows)} rows.
        {props.confirmations > 0 ? ` ${number(props.confirmations)} confirmation emails are on their way.` : ""}
      </p>
      <div class="table">
        <table class="data">
          <tbody>
            {rows.map(([key, label, n]) => (
              <tr data-count={key}>
                <th scope="row">{label}</th>
                <td>{number(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.unknownColumns.length > 0 ? <p>Columns not imported: {report.unknownColumns.join(", ")}.</p> : null}
      {report.unknownTags.length > 0 ? <p>Tags this site does not have: {report.unknownTags.join(", ")}.</p> : null}
      {report.problems.length > 0 ? (
        <div class="table">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p) => (
                <tr data-problem-line={String(p.line)}>
                  <td>{p.line}</td>
                  <td class="wrap">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
