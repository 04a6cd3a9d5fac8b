// Bytes of an uploaded file to text, chunk by chunk, deciding the encoding once per file: UTF-8
// (with or without a BOM) unless the first non-ASCII bytes are not UTF-8, in which case the file is
// read as Windows-1252, which is what spreadsheets on Windows save as "CSV" and which covers
// Latin-1. Until the first non-ASCII byte both readings agree, so nothing needs to wait for it.

export type Encoding = "utf-8" | "windows-1252";

/** Windows-1252's 0x80-0x9F (WHATWG Encoding, index-windows-1252); other bytes are their Latin-1 code point. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const BLOCK = 8192;

export class FileDecoder {
  encoding: Encoding | null = null;
  /** Set when the file cannot be read as text at all (UTF-16); nothing more is decoded. */
  error: string | null = null;
  private utf8: TextDecoder | null = null;
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
      // A byte order mark is only one at the very start of the file.
      if (bytes.length < 3 && !final && isPrefix(bytes, [0xef, 0xbb, 0xbf])) {
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
      const ascii = latin1(bytes.subarray(0, i));
      if (i === bytes.length) return ascii;
      const verdict = utf8SequenceAt(bytes, i);
      if (verdict === "short" && !final) {
        this.held = bytes.slice(i);
        return ascii;
      }
      this.choose(verdict === "valid" ? "utf-8" : "windows-1252");
      return ascii + this.decodeChosen(bytes.subarray(i), final);
    }
    return this.decodeChosen(bytes, final);
  }

  private choose(encoding: Encoding): void {
    this.encoding = encoding;
    // Bytes that are not UTF-8 after the choice become U+FFFD, which the importer reports per row.
    if (encoding === "utf-8") this.utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  }

  private decodeChosen(bytes: Uint8Array, final: boolean): string {
    if (this.utf8 !== null) return this.utf8.decode(bytes, { stream: !final });
    return windows1252(bytes);
  }
}

function isPrefix(bytes: Uint8Array, of: readonly number[]): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== of[i]) return false;
  return true;
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

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += BLOCK) {
    text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + BLOCK)));
  }
  return text;
}

function windows1252(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += BLOCK) {
    const codes = Array.from(bytes.subarray(i, i + BLOCK), (b) =>
      b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b,
    );
    text += String.fromCharCode.apply(null, codes);
  }
  return text;
}
