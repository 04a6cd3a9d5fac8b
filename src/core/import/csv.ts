// Reading CSV as spreadsheets and export tools write it (RFC 4180, leniently): quoted fields may
// hold separators, doubled quotes and line breaks; rows end with CRLF, LF or a lone CR; the
// separator is a comma, or the semicolon or tab a spreadsheet in a comma-decimal locale (ru, de,
// fr) saves with, told by the first line or by Excel's "sep=;" line. Incremental: fed text or bytes
// in chunks, it hands back each complete row with the line it starts on, holding at most one row
// (bounded by the limits) in memory, and looking at each character once.

import { type Encoding, FileDecoder } from "./decode.js";

export interface CsvLimits {
  /** Characters in one field. */
  field: number;
  /** Characters in one row, all fields together. */
  row: number;
  /** Fields in one row. */
  fields: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { field: 16_384, row: 65_536, fields: 512 };

/** A row and the line it starts on (1-based, counting line breaks inside quoted fields), or why it was refused. */
export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string };

/** What a field may be separated by: comma, semicolon, tab. */
export type Separator = "," | ";" | "\t";

const QUOTE = 34;
const CR = 13;
const LF = 10;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the end of the field, or the first half of a doubled quote. */
const QUOTE_IN_QUOTED = 3;

export class CsvTokenizer {
  private readonly limits: CsvLimits;
  private readonly separator: number;
  private state = FIELD_START;
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;
  private prevCR = false;
  private rowStarted = false;
  private fields: string[] = [];
  private field = "";
  private rowLength = 0;
  private overflow: string | null = null;
  private out: CsvRecord[] = [];

  constructor(limits: CsvLimits = DEFAULT_CSV_LIMITS, separator: Separator = ",", firstLine = 1) {
    this.limits = limits;
    this.separator = separator.charCodeAt(0);
    this.line = firstLine;
    this.rowLine = firstLine;
  }

  /** The rows completed by `text`. */
  push(text: string): CsvRecord[] {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF && this.prevCR) {
        // The LF of a CRLF: the line and any row already ended at the CR.
        this.prevCR = false;
        if (this.state === QUOTED) this.append("\n");
        i++;
        continue;
      }
      this.prevCR = c === CR;
      this.rowStarted = true;
      if (this.state === QUOTED) {
        // Runs of ordinary characters are taken in one slice.
        let j = i;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === QUOTE || d === CR || d === LF) break;
          j++;
        }
        if (j > i) {
          this.append(text.slice(i, j));
          i = j;
          continue;
        }
        if (c === QUOTE) this.state = QUOTE_IN_QUOTED;
        else {
          this.line++;
          this.append(c === CR ? "\r" : "\n");
        }
        i++;
        continue;
      }
      if (c === this.separator) {
        this.endField();
        this.state = FIELD_START;
      } else if (c === CR || c === LF) {
        this.line++;
        this.endField();
        this.endRow();
      } else if (c === QUOTE && this.state === FIELD_START) {
        this.state = QUOTED;
        this.quoteLine = this.line;
      } else if (c === QUOTE && this.state === QUOTE_IN_QUOTED) {
        this.append('"');
        this.state = QUOTED;
      } else {
        // Text after a closing quote is kept, as spreadsheets do, rather than refusing the row.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === this.separator || d === CR || d === LF || d === QUOTE) break;
          j++;
        }
        this.append(text.slice(i, j));
        this.state = UNQUOTED;
        i = j;
        continue;
      }
      i++;
    }
    return this.take();
  }

  /** The last row, or the problem of a quoted field never closed. */
  end(): CsvRecord[] {
    if (this.state === QUOTED) {
      this.out.push({
        line: this.quoteLine,
        error: `a quoted field opened on line ${this.quoteLine} is never closed (a missing '"')`,
      });
      this.reset();
    } else if (this.rowStarted) {
      this.endField();
      this.endRow();
    }
    return this.take();
  }

  private take(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private append(text: string): void {
    if (this.overflow !== null) return;
    if (this.field.length + text.length > this.limits.field) {
      this.overflow = `a field is longer than ${this.limits.field} characters`;
    } else if (this.rowLength + text.length > this.limits.row) {
      this.overflow = `the row is longer than ${this.limits.row} characters`;
    } else {
      this.field += text;
      this.rowLength += text.length;
    }
  }

  private endField(): void {
    if (this.overflow === null) {
      if (this.fields.length >= this.limits.fields)
        this.overflow = `the row has more than ${this.limits.fields} columns`;
      else this.fields.push(this.field);
    }
    this.field = "";
    this.state = FIELD_START;
  }

  private endRow(): void {
    if (this.overflow !== null) {
      this.out.push({ line: this.rowLine, error: this.overflow });
    } else if (this.fields.some((field) => field !== "")) {
      this.out.push({ line: this.rowLine, fields: this.fields });
      this.fields = [];
    }
    // A blank line, or a row of empty cells a spreadsheet left below the data, is no row.
    this.reset();
  }

  private reset(): void {
    this.fields.length = 0;
    this.field = "";
    this.rowLength = 0;
    this.overflow = null;
    this.state = FIELD_START;
    this.rowStarted = false;
    this.rowLine = this.line;
  }
}

/**
 * CSV from bytes: the encoding is decided once per file (see decode.ts) and the separator from its
 * first line, both reported. The first line is held until it ends (at most a row's limit).
 */
export class CsvReader {
  private readonly decoder = new FileDecoder();
  private readonly limits: CsvLimits;
  private tokenizer: CsvTokenizer | null = null;
  private chosen: Separator = ",";
  /** The text until the first line ends, how far it has been scanned, and whether that is inside quotes. */
  private head = "";
  private scanned = 0;
  private quoted = false;
  private failed = false;

  constructor(limits: CsvLimits = DEFAULT_CSV_LIMITS) {
    this.limits = limits;
  }

  /** The file's encoding, once its first non-ASCII byte has been seen (null while it is all ASCII). */
  get encoding(): Encoding | null {
    return this.decoder.encoding;
  }

  /** The field separator, once the first line has been read. */
  get separator(): Separator | null {
    return this.tokenizer === null ? null : this.chosen;
  }

  push(bytes: Uint8Array): CsvRecord[] {
    return this.read(this.decoder.push(bytes), false);
  }

  end(): CsvRecord[] {
    return this.read(this.decoder.end(), true);
  }

  private read(text: string, final: boolean): CsvRecord[] {
    if (this.failed) return [];
    if (this.decoder.error !== null) {
      this.failed = true;
      return [{ line: 1, error: this.decoder.error }];
    }
    let input = text;
    if (this.tokenizer === null) {
      this.head += text;
      const end = this.firstLineEnd();
      // A CR at the end of what has come may be half a CRLF: the next chunk says.
      const pending = end < 0 || (end === this.head.length - 1 && this.head[end] === "\r");
      if (pending && !final && this.head.length <= this.limits.row) return [];
      input = this.start(end < 0 ? this.head.length : end);
      this.head = "";
    }
    const tokenizer = this.tokenizer as CsvTokenizer;
    const rows = tokenizer.push(input);
    return final ? rows.concat(tokenizer.end()) : rows;
  }

  /** Where the first line ends outside quotes (CR or LF), or -1 while it has not; each character is scanned once. */
  private firstLineEnd(): number {
    const text = this.head;
    for (; this.scanned < text.length; this.scanned++) {
      const c = text.charCodeAt(this.scanned);
      if (c === QUOTE) this.quoted = !this.quoted;
      else if (!this.quoted && (c === CR || c === LF)) return this.scanned;
    }
    return -1;
  }

  /** Chooses the separator from the first line (which ends at `end`) and returns the text to tokenize. */
  private start(end: number): string {
    const first = this.head.slice(0, end);
    const sep = /^sep=([,;\t])$/i.exec(first);
    if (sep) {
      // Excel's own hint, a line of its own: the rows start on the next line.
      this.chosen = sep[1] as Separator;
      const next = this.head[end] === "\r" && this.head[end + 1] === "\n" ? end + 2 : end + 1;
      this.tokenizer = new CsvTokenizer(this.limits, this.chosen, 2);
      return this.head.slice(next);
    }
    this.chosen = guessSeparator(first);
    this.tokenizer = new CsvTokenizer(this.limits, this.chosen);
    return this.head;
  }
}

/** The separator the first line uses most outside quotes; a comma when it has none (one column). */
function guessSeparator(line: string): Separator {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}
