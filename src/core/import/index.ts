// Subscriber import, the pure part: reading an export file from Substack, Mailchimp (subscribed,
// unsubscribed and cleaned), Buttondown, Ghost, listmonk or a plain email[,name][,tags] file into
// one record per mailbox and a report. No I/O: the caller feeds bytes as they arrive and writes the
// records.
//
//   const run = new SubscriberImport({ siteTags });   // the site's {name, slug} tags
//   for await (const chunk of body) run.push(chunk);  // Uint8Array chunks, any size
//   const { records, report } = run.end();
//
// - `records`: one per mailbox (addresses compared by addressKey), in file order, each with the
//   normalised address and key, name, tag names and the matching site tag slugs, the earliest
//   opt-in time (epoch ms) and an outcome: subscribe, or suppress with a reason (unsubscribed,
//   cleaned, bounced, complained). Empty when `report.fileError` is set.
// - `report`: source, Mailchimp section, encoding (UTF-8, or Windows-1252 when the bytes are not
//   UTF-8; the separator, comma, semicolon or tab, is taken from the first line), rows read, counts per outcome, the first 100 problems (line and message), the columns
//   and tag names that do not come across, and `fileError` when the file cannot be read at all.
//
// Memory: one row at a time in the reader, bounded by DEFAULT_CSV_LIMITS (a longer field or row is
// a problem, not an allocation); the records map grows with the number of distinct mailboxes.
// `CsvReader` is the reader on its own (rows with their starting line, the encoding and the
// separator), and `tagMatcher` the tag rule, for callers that need only those.

export { type CsvLimits, CsvReader, type CsvRecord, DEFAULT_CSV_LIMITS, type Separator } from "./csv.js";
export type { Encoding } from "./decode.js";
export type { ExportKind, Outcome, Source, SuppressReason } from "./sources.js";
export {
  type ImportOptions,
  type ImportProblem,
  type ImportRecord,
  type ImportReport,
  type ImportResult,
  MAX_REPORTED,
  type SiteTag,
  SubscriberImport,
  tagMatcher,
} from "./subscribers.js";
