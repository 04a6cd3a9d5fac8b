// A subscriber export file, fed in chunks as it arrives, to one normalised record per mailbox and a
// report: each row's address (the site's address rule and key), name, tags and original opt-in
// time, and whether it subscribes or becomes a suppression; rows that cannot come across are
// problems with their line and a reason a publisher can act on.

import { sortKey } from "../names.js";
import { addressKey, normaliseAddress } from "../subscription.js";
import { type CsvLimits, CsvReader, type CsvRecord, DEFAULT_CSV_LIMITS } from "./csv.js";
import type { Encoding } from "./decode.js";
import { serviceName } from "./service-names.js";
import { detectLayout, type ExportKind, type Layout, type Outcome, type Source } from "./sources.js";

export interface SiteTag {
  name: string;
  slug: string;
}

export interface ImportRecord {
  /** The line the address first appears on. */
  line: number;
  /** As normaliseAddress returns it, spelled as on its first line. */
  address: string;
  /** addressKey(address): what the store looks the subscriber and any suppression up by. */
  key: string;
  name: string | null;
  /** Tag names as the file writes them, one per tag (case- and accent-blind). */
  tags: string[];
  /** The slugs of those of `tags` this site has. */
  tagSlugs: string[];
  /** The earliest opt-in time the file gives, in epoch milliseconds. */
  optedInAt: number | null;
  outcome: Outcome;
  /** Later lines with the same mailbox, merged into this record (a suppression wins). */
  mergedLines: number[];
}

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportReport {
  source: Source | null;
  /** Mailchimp's section (subscribed, unsubscribed or cleaned); null for the other sources. */
  kind: ExportKind | null;
  /** "utf-8" for a file that is all ASCII. */
  encoding: Encoding;
  /** Data rows read (not the header, not blank lines). */
  rows: number;
  /** Per record, after merging duplicates; `problems` counts every refused row; `merged` rows folded into another. */
  counts: {
    subscribe: number;
    unsubscribed: number;
    cleaned: number;
    bounced: number;
    complained: number;
    problems: number;
    merged: number;
  };
  /** The first 100 problems, in file order. */
  problems: ImportProblem[];
  /** Set when the file cannot be read at all (empty, not a known export, UTF-16); nothing in it is imported. */
  fileError: ImportProblem | null;
  /** Header cells this import does not read, as written. */
  unknownColumns: string[];
  /** Tag names in the file this site does not have (the first 100). */
  unknownTags: string[];
}

export interface ImportResult {
  /** One per mailbox, in the order they first appear. */
  records: ImportRecord[];
  report: ImportReport;
}

export const MAX_REPORTED = 100;
// A name is at most 200 characters, as an author's is (src/core/schema.ts).
const NAME_MAX_LENGTH = 200;
const MAX_ROW_TAGS = 100;
const QUOTED_MAX = 60;
const SUBSTACK_DELETED = "@deletion-request.substack.com";
// C0 and C1 controls and DEL; tab and line breaks are allowed in columns that are not read.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const CONTROL_OR_BREAK = /\p{Cc}/u;
const REPLACEMENT = "\ufffd";
/** Who writes a file's times, in a message: the service, or "this file" for a plain list. */
const writer = (source: Source) => (source === "plain" ? "this file" : serviceName(source));

/**
 * Matches tag names to a site's tags by name, case- and accent-blind ("Élections" is the tag
 * "elections"), or by slug ("city-hall" is the tag "City Hall"). Built once per import; each call
 * answers for one row's names.
 */
export function tagMatcher(siteTags: readonly SiteTag[]): (names: readonly string[]) => {
  slugs: string[];
  unknown: string[];
} {
  const byKey = new Map<string, string>();
  for (const tag of siteTags) if (!byKey.has(sortKey(tag.name))) byKey.set(sortKey(tag.name), tag.slug);
  // A slug too (this project's own export writes slugs), where no tag has it as a name.
  for (const tag of siteTags) if (!byKey.has(sortKey(tag.slug))) byKey.set(sortKey(tag.slug), tag.slug);
  const key = memoKey();
  return (names) => {
    const slugs = new Set<string>();
    const unknown: string[] = [];
    for (const name of names) {
      const slug = byKey.get(key(name));
      if (slug === undefined) unknown.push(name);
      else slugs.add(slug);
    }
    return { slugs: [...slugs], unknown };
  };
}

const MEMO_SIZE = 4096;

/** sortKey, remembered: a list repeats a few tag names on every row, and sortKey normalises Unicode. */
function memoKey(): (name: string) => string {
  const memo = new Map<string, string>();
  return (name) => {
    let key = memo.get(name);
    if (key === undefined) {
      if (memo.size >= MEMO_SIZE) memo.clear();
      key = sortKey(name);
      memo.set(name, key);
    }
    return key;
  };
}

export interface ImportOptions {
  /** The site's tags, which the file's tag names are matched to. */
  siteTags: readonly SiteTag[];
  limits?: CsvLimits;
}

/** Push the file's bytes as they arrive, then `end()` for the records and the report. */
export class SubscriberImport {
  private readonly reader: CsvReader;
  private readonly matchTags: ReturnType<typeof tagMatcher>;
  private layout: Layout | null = null;
  private readRow: RowReader | null = null;
  private readonly key = memoKey();
  private sawRow = false;
  private fileError: ImportProblem | null = null;
  private rows = 0;
  private problemCount = 0;
  private merged = 0;
  private readonly problems: ImportProblem[] = [];
  private readonly records = new Map<string, ImportRecord>();
  private readonly unknownTags = new Map<string, string>();

  constructor(options: ImportOptions) {
    this.reader = new CsvReader(options.limits ?? DEFAULT_CSV_LIMITS);
    this.matchTags = tagMatcher(options.siteTags);
  }

  push(bytes: Uint8Array): void {
    for (const record of this.reader.push(bytes)) this.take(record);
  }

  end(): ImportResult {
    for (const record of this.reader.end()) this.take(record);
    if (!this.sawRow && this.fileError === null) this.fileError = { line: 1, message: "the file is empty" };
    const records = this.fileError === null ? [...this.records.values()] : [];
    const counts = { subscribe: 0, unsubscribed: 0, cleaned: 0, bounced: 0, complained: 0 };
    for (const record of records) {
      if (record.outcome.action === "subscribe") counts.subscribe++;
      else counts[record.outcome.reason]++;
    }
    return {
      records,
      report: {
        source: this.layout?.source ?? null,
        kind: this.layout?.kind ?? null,
        encoding: this.reader.encoding ?? "utf-8",
        rows: this.rows,
        counts: { ...counts, problems: this.problemCount, merged: this.merged },
        problems: this.problems,
        fileError: this.fileError,
        unknownColumns: this.layout?.unknownColumns ?? [],
        unknownTags: [...this.unknownTags.values()],
      },
    };
  }

  private take(record: CsvRecord): void {
    if (this.fileError !== null) return;
    if (!this.sawRow) {
      this.sawRow = true;
      if ("error" in record) {
        this.fileError = { line: record.line, message: record.error };
        return;
      }
      this.layout = detectLayout(record.fields, (value) => normaliseAddress(value) !== null);
      if (this.layout === null) {
        this.fileError = {
          line: record.line,
          message:
            'the first row names no column of email addresses ("email", "Email Address" …) and is not an address itself',
        };
        return;
      }
      this.readRow = rowReader(this.layout, this.key);
      if (this.layout.header) return;
    }
    this.rows++;
    if ("error" in record) {
      this.problem({ line: record.line, message: record.error });
      return;
    }
    const row = (this.readRow as RowReader)(record.fields, record.line);
    if ("message" in row) {
      this.problem(row);
      return;
    }
    this.add(row);
  }

  private add(row: ImportRecord): void {
    const { slugs, unknown } = this.matchTags(row.tags);
    row.tagSlugs = slugs;
    for (const name of unknown) {
      if (this.unknownTags.size < MAX_REPORTED && !this.unknownTags.has(this.key(name))) {
        this.unknownTags.set(this.key(name), name.slice(0, NAME_MAX_LENGTH));
      }
    }
    const existing = this.records.get(row.key);
    if (existing === undefined) {
      this.records.set(row.key, row);
      return;
    }
    this.merged++;
    existing.mergedLines.push(row.line);
    if (existing.outcome.action === "subscribe" && row.outcome.action === "suppress") existing.outcome = row.outcome;
    existing.name ??= row.name;
    existing.tags = unionByKey(existing.tags, row.tags, this.key);
    existing.tagSlugs = [...new Set([...existing.tagSlugs, ...row.tagSlugs])];
    if (row.optedInAt !== null && (existing.optedInAt === null || row.optedInAt < existing.optedInAt)) {
      existing.optedInAt = row.optedInAt;
    }
  }

  private problem(problem: ImportProblem): void {
    this.problemCount++;
    if (this.problems.length < MAX_REPORTED) this.problems.push({ line: problem.line, message: problem.message });
  }
}

type RowReader = (fields: readonly string[], line: number) => ImportRecord | ImportProblem;

/** Reads one data row of a file in `layout` as a record, or the problem that keeps it out. */
function rowReader(layout: Layout, key: (name: string) => string): RowReader {
  const columnName = (i: number) => layout.columnNames[i] || `column ${i + 1}`;
  const read = new Set<number>([layout.email, ...layout.name, ...layout.optIn]);
  if (layout.tags !== null) read.add(layout.tags);
  return (fields, line) => {
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i] as string;
      const control = (read.has(i) ? CONTROL_OR_BREAK : CONTROL).exec(value);
      if (control) {
        const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
        return { line, message: `the ${columnName(i)} column has a control character (U+${code})` };
      }
      if (value.includes(REPLACEMENT)) {
        return { line, message: `the ${columnName(i)} column has bytes that are not UTF-8 text` };
      }
    }
    const cell = (i: number | null) => (i === null ? "" : (fields[i] ?? "").trim());

    const raw = cell(layout.email);
    if (raw === "") return { line, message: "there is no email address" };
    const address = normaliseAddress(raw);
    if (address === null) return { line, message: `"${raw.slice(0, QUOTED_MAX)}" is not a valid email address` };
    const mailbox = addressKey(address);
    if (mailbox.endsWith(SUBSTACK_DELETED)) {
      return { line, message: `${address} stands for a reader who asked Substack to delete their data` };
    }

    const outcome = layout.outcome(cell(layout.status));
    if ("problem" in outcome) return { line, message: outcome.problem };

    let optedInAt: number | null = null;
    const timeColumn = layout.optIn.find((i) => cell(i) !== "");
    if (timeColumn !== undefined) {
      optedInAt = layout.parseTime(cell(timeColumn));
      if (optedInAt === null) {
        return {
          line,
          message: `${columnName(timeColumn)} "${cell(timeColumn).slice(0, QUOTED_MAX)}" is not a date and time as ${writer(layout.source)} writes it (like "${layout.timeExample}")`,
        };
      }
    }

    const name = layout.name
      .map(cell)
      .filter((part) => part !== "")
      .join(" ");
    if (name.length > NAME_MAX_LENGTH) {
      return { line, message: `the name is longer than ${NAME_MAX_LENGTH} characters` };
    }

    const tags = layout.tags === null ? [] : unionByKey([], layout.splitTags(cell(layout.tags)), key);
    if (tags.length > MAX_ROW_TAGS) return { line, message: `the row has more than ${MAX_ROW_TAGS} tags` };
    return { line, address, key: mailbox, name: name || null, tags, tagSlugs: [], optedInAt, outcome, mergedLines: [] };
  };
}

/** `names` added to `into`, trimmed, without empty ones or a second spelling of one already there. */
function unionByKey(into: readonly string[], names: readonly string[], key: (name: string) => string): string[] {
  const seen = new Set(into.map(key));
  const out = [...into];
  for (const raw of names) {
    const name = raw.trim();
    const k = key(name);
    if (k === "" || seen.has(k)) continue;
    seen.add(k);
    out.push(name);
  }
  return out;
}
