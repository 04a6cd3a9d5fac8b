// Bytes of an uploaded file to text, chunk by chunk, deciding the encoding once per file: UTF-8
// (with or without a BOM) unless the first non-ASCII bytes are not UTF-8. Then the file is what a
// spreadsheet on Windows saves as "CSV": Windows-1251 when the bytes from there on read as
// Cyrillic words (a Russian or Kazakh Windows), else Windows-1252, which covers Latin-1. Until
// the first non-ASCII byte every reading agrees, so nothing needs to wait for it.

export type Encoding = "utf-8" | "windows-1252" | "windows-1251";

/** Bytes from the first one that is not UTF-8 on that decide between the two Windows code pages. */
const SNIFF_BYTES = 1024;

// ASCII reads the same in both encodings, and TextDecoder is native: far faster than a loop here.
const ascii = new TextDecoder("utf-8");

export class FileDecoder {
  encoding: Encoding | null = null;
  /** Set when the file cannot be read as text at all (UTF-16); nothing more is decoded. */
  error: string | null = null;
  private decoder: TextDecoder | null = null;
  private held: Uint8Array = new Uint8Array(0);
  private atStart = true;

  /** The text of `bytes`; a few bytes may be held back until the next call decides what they are. */
  push(bytes: Uint8Array): string {
    return this.decode(bytes, false);
  }

  /** The text of whatever was held back. */
  end(): string {
    return this.decode(new Uint8Array(0), true);
  }

  private decode(input: Uint8Array, final: boolean): string {
    if (this.error !== null) return "";
    let bytes = input;
    if (this.held.length > 0) {
      bytes = new Uint8Array(this.held.length + input.length);
      bytes.set(this.held);
      bytes.set(input, this.held.length);
      this.held = new Uint8Array(0);
    }
    if (this.atStart) {
      // A byte order mark is only one at the very start of the file: wait for its three bytes.
      if (bytes.length < 3 && !final) {
        this.held = bytes;
        return "";
      }
      this.atStart = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        this.error = 'the file is UTF-16 text; save it as "CSV UTF-8" instead';
        return "";
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.choose("utf-8");
        bytes = bytes.subarray(3);
      }
    }
    if (this.encoding === null) {
      let i = 0;
      while (i < bytes.length && (bytes[i] as number) < 0x80) i++;
      const prefix = ascii.decode(bytes.subarray(0, i));
      if (i === bytes.length) return prefix;
      const verdict = utf8SequenceAt(bytes, i);
      if (verdict === "short" && !final) {
        this.held = bytes.slice(i);
        return prefix;
      }
      if (verdict === "valid") this.choose("utf-8");
      else {
        // The same window whatever the chunks: wait for it unless the file ends first.
        if (bytes.length - i < SNIFF_BYTES && !final) {
          this.held = bytes.slice(i);
          return prefix;
        }
        this.choose(cyrillicWords(bytes.subarray(i, i + SNIFF_BYTES)) ? "windows-1251" : "windows-1252");
      }
      return prefix + this.decodeChosen(bytes.subarray(i), final);
    }
    return this.decodeChosen(bytes, final);
  }

  private choose(encoding: Encoding): void {
    this.encoding = encoding;
    // In UTF-8, bytes that are not UTF-8 after the choice become U+FFFD, which the importer
    // reports per row. Windows-1252 (the WHATWG decoder behind the "latin1" label) reads any byte.
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  }

  private decodeChosen(bytes: Uint8Array, final: boolean): string {
    return (this.decoder as TextDecoder).decode(bytes, { stream: !final });
  }
}

/**
 * Whether most non-ASCII bytes come in runs of three or more: words in Windows-1251, where every
 * Cyrillic letter is one such byte ("Иванов" is six in a row). In Windows-1252 they are accented
 * letters among ASCII ones: "Müller", "été", at most two together ("ção").
 */
function cyrillicWords(bytes: Uint8Array): boolean {
  let high = 0;
  let inRuns = 0;
  let run = 0;
  for (let k = 0; k <= bytes.length; k++) {
    const byte = bytes[k];
    if (byte !== undefined && byte >= 0x80) {
      high++;
      run++;
      continue;
    }
    if (run >= 3) inRuns += run;
    run = 0;
  }
  return high > 0 && inRuns * 2 > high;
}

/** Whether a well-formed UTF-8 sequence (RFC 3629 section 4) starts at `at`, or the bytes end first. */
function utf8SequenceAt(bytes: Uint8Array, at: number): "valid" | "invalid" | "short" {
  const lead = bytes[at] as number;
  let length: number;
  let min = 0x80;
  let max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) min = 0xa0;
    if (lead === 0xed) max = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) min = 0x90;
    if (lead === 0xf4) max = 0x8f;
  } else return "invalid";
  for (let k = 1; k < length; k++) {
    const byte = bytes[at + k];
    if (byte === undefined) return "short";
    const lo = k === 1 ? min : 0x80;
    const hi = k === 1 ? max : 0xbf;
    if (byte < lo || byte > hi) return "invalid";
  }
  return "valid";
}
