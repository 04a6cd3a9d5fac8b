// Bytes of an uploaded file to text, chunk by chunk, deciding the encoding once per file: UTF-8
// (with or without a BOM) unless the first non-ASCII bytes are not UTF-8, in which case the file is
// read as Windows-1252, which is what spreadsheets on Windows save as "CSV" and which covers
// Latin-1. Until the first non-ASCII byte both readings agree, so nothing needs to wait for it.

export type Encoding = "utf-8" | "windows-1252";

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
      this.choose(verdict === "valid" ? "utf-8" : "windows-1252");
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
