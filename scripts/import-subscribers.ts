// `npm run import:subscribers -- FILE --mode confirmed|confirm [--frequency daily|weekly]
// [--replace-tags] [--remote] [--persist-to DIR]`: reads a subscriber export (Substack, Mailchimp,
// Buttondown, Ghost, listmonk or a plain email[,name][,tags] file: src/core/import/) and writes it
// into the local D1 of `npm run dev`, or with --remote the deployed one, through the Worker's own
// import store, IMPORT_BATCH records per D1 batch, with progress. Prints the report: what was
// recognised, counts per outcome, the first problems with their line numbers. Running it again
// with the same file changes nothing.
//
// --mode confirmed: the readers opted in elsewhere and become active now, the consent record
// naming the import. --mode confirm: each is asked again by our confirmation email, which the
// Worker's hourly run queues and its queue consumer sends, paced by MAIL_RATE.

import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { parseDigestConfig } from "../src/core/config.js";
import { type ImportReport, SubscriberImport } from "../src/core/import/index.js";
import { serviceName } from "../src/core/import/service-names.js";
import { IMPORT_BATCH, type ImportMode, ImportStore } from "../src/worker/store/imports.js";
import { NameIndex, TAGS } from "../src/worker/store/names.js";
import { openD1 } from "./local-d1.js";
import { runMain } from "./main.js";

const USAGE =
  "usage: npm run import:subscribers -- FILE --mode confirmed|confirm [--frequency daily|weekly] [--replace-tags] [--remote]";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: "string" },
    frequency: { type: "string", default: "daily" },
    "replace-tags": { type: "boolean", default: false },
    remote: { type: "boolean", default: false },
    config: { type: "string", default: "wrangler.toml" },
    "persist-to": { type: "string" },
  },
});

/** 100000 -> "100 000": thousands apart, whatever the machine's locale. */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, " ");

function fail(message: string): never {
  console.error(`import:subscribers: ${message}\n${USAGE}`);
  process.exit(2);
}

function printReport(file: string, report: ImportReport): void {
  const source = serviceName(report.source);
  const section = report.kind ? ` (${report.kind} export)` : "";
  console.log(`${file}: ${source}${section}, ${report.encoding}, ${count(report.rows)} row(s)`);
  const c = report.counts;
  console.log(
    `  to subscribe ${count(c.subscribe)}; to suppress: unsubscribed ${count(c.unsubscribed)}, cleaned ${count(c.cleaned)}, bounced ${count(c.bounced)}, complained ${count(c.complained)}; duplicates merged ${count(c.merged)}; problems ${count(c.problems)}`,
  );
  if (report.unknownColumns.length > 0) console.log(`  columns not imported: ${report.unknownColumns.join(", ")}`);
  if (report.unknownTags.length > 0) console.log(`  tags this site does not have: ${report.unknownTags.join(", ")}`);
  for (const problem of report.problems) console.log(`  line ${problem.line}: ${problem.message}`);
  if (c.problems > report.problems.length) console.log(`  ... and ${c.problems - report.problems.length} more`);
}

async function main(): Promise<number> {
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) fail("name one file");
  const mode = args.mode;
  if (mode !== "confirmed" && mode !== "confirm") fail('--mode must be "confirmed" or "confirm"');
  const frequency = args.frequency;
  if (frequency !== "daily" && frequency !== "weekly") fail('--frequency must be "daily" or "weekly"');
  const started = performance.now();
  const d1 = await openD1({ remote: args.remote, config: args.config, persistTo: args["persist-to"] });
  try {
    const now = Date.now();
    const siteTags = (await new NameIndex(d1.db, TAGS).all(now, "name")).map((t) => ({ name: t.name, slug: t.slug }));
    const reader = new SubscriberImport({ siteTags });
    for await (const chunk of createReadStream(file)) reader.push(chunk as Buffer);
    const { records, report } = reader.end();
    printReport(file, report);
    if (report.fileError) {
      console.error(
        `import:subscribers: line ${report.fileError.line}: ${report.fileError.message}; nothing was imported`,
      );
      return 1;
    }
    const digest = parseDigestConfig(d1.env);
    const store = new ImportStore(d1.db, Date.now);
    const options = {
      mode: mode as ImportMode,
      service: serviceName(report.source),
      file: basename(file),
      preferences: { frequency, timeZone: digest.timeZone, sendHour: digest.sendHour },
      replaceTags: args["replace-tags"],
    } as const;
    let shown = 0;
    const totals = await store.applyAll(records, options, (done) => {
      // About ten progress lines however long the file.
      if (records.length <= IMPORT_BATCH) return;
      if (Math.floor((done * 10) / records.length) > shown || done === records.length) {
        shown = Math.floor((done * 10) / records.length);
        console.log(`  ${count(done)} / ${count(records.length)} written`);
      }
    });
    const where = args.remote ? "remote D1" : "local D1";
    const added = mode === "confirmed" ? "added as active" : "added, each to confirm by email";
    console.log(
      `import:subscribers (${where}): ${count(totals.added)} ${added}; ${count(totals.kept)} already on the list, left as they were; ${count(totals.updated)} given the file's tags; ${count(totals.blocked)} suppressed here, not added; ${count(totals.suppressed)} suppressions added, ${count(totals.alreadySuppressed)} already there (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (mode === "confirm" && totals.added > 0) {
      console.log(
        "  The confirmation emails go out from the Worker: its next hourly run queues them, paced by MAIL_RATE (locally, `curl http://127.0.0.1:8787/__scheduled?cron=0+*+*+*+*` runs it now).",
      );
    }
    return 0;
  } finally {
    await d1.dispose();
  }
}

runMain("import:subscribers", main);
