// An email as a .eml file and back: the log mailer's outbox keeps each message as the RFC 5322
// text SMTP would carry (written by mime.ts, the one encoder), and the console shows a kept
// message's parts as a reader would see them, read back from that text by readEml.

import { type MimeInput, mimeMessage } from "./mime.js";

const encoder = new TextEncoder();

/** The message's .eml (CRLF line ends, every line at most 998 characters) and its size in bytes. */
export function emlOf(input: MimeInput): { eml: string; size: number } {
  const eml = mimeMessage(input);
  return { eml, size: encoder.encode(eml).length };
}

export interface EmlParts {
  /** Every header field in order, unfolded, RFC 2047 encoded-words decoded. */
  headers: [string, string][];
  /** The first text/plain part, decoded, with "\n" line ends; null when there is none. */
  text: string | null;
  /** The first text/html part, decoded; null when there is none. */
  html: string | null;
}

/**
 * The headers and the text and HTML parts of a message: multipart (nested too) or single-part,
 * quoted-printable, base64, 7bit or 8bit, in any charset TextDecoder knows (else UTF-8).
 */
export function readEml(eml: string): EmlParts {
  const { headers, body } = splitEntity(eml.replace(/\r\n?/g, "\n"));
  const found: { text: string | null; html: string | null } = { text: null, html: null };
  collectParts(headers, body, found, 0);
  return { headers: headers.map(([name, value]) => [name, decodeWords(value)]), ...found };
}

/** The value of the first header named `name` (any case), or null. */
export function headerOf(headers: readonly (readonly [string, string])[], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
}

/** Multipart nesting followed at most this deep: ours is one level; a deeper one is not ours. */
const MAX_DEPTH = 8;

function collectParts(
  headers: [string, string][],
  body: string,
  found: { text: string | null; html: string | null },
  depth: number,
): void {
  const type = parseContentType(headerOf(headers, "Content-Type") ?? "text/plain");
  if (type.media.startsWith("multipart/")) {
    if (depth >= MAX_DEPTH || !type.boundary) return;
    for (const part of splitMultipart(body, type.boundary)) {
      const entity = splitEntity(part);
      collectParts(entity.headers, entity.body, found, depth + 1);
    }
    return;
  }
  if (/^attachment\b/i.test(headerOf(headers, "Content-Disposition") ?? "")) return;
  const slot = type.media === "text/plain" ? "text" : type.media === "text/html" ? "html" : null;
  if (!slot || found[slot] !== null) return;
  const encoding = (headerOf(headers, "Content-Transfer-Encoding") ?? "7bit").trim().toLowerCase();
  found[slot] = decodeText(bodyBytes(body, encoding), type.charset);
}

/** Header lines (unfolded) and the body of an entity whose line ends are "\n". */
function splitEntity(entity: string): { headers: [string, string][]; body: string } {
  const end = entity.startsWith("\n") ? 0 : entity.indexOf("\n\n");
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? "" : entity.slice(end + (end === 0 ? 1 : 2));
  const headers: [string, string][] = [];
  // RFC 5322 section 2.2.3: unfolding removes each line break followed by white space.
  for (const line of head.replace(/\n(?=[ \t])/g, "").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers, body };
}

function parseContentType(value: string): { media: string; charset: string; boundary: string } {
  const param = (name: string) =>
    new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^\\s;]+))`, "i")
      .exec(value)
      ?.slice(1)
      .find((v) => v) ?? "";
  return {
    media: (value.split(";", 1)[0] ?? "").trim().toLowerCase(),
    charset: param("charset") || "utf-8",
    boundary: param("boundary"),
  };
}

/** The body parts between the boundary's delimiter lines (RFC 2046 section 5.1.1). */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split("\n")) {
    const bare = line.trimEnd();
    if (bare === delimiter || bare === `${delimiter}--`) {
      if (current) parts.push(current.join("\n"));
      if (bare !== delimiter) break;
      current = [];
    } else {
      current?.push(line);
    }
  }
  return parts;
}

function bodyBytes(body: string, encoding: string): Uint8Array {
  if (encoding === "base64") return fromBase64(body.replace(/[^A-Za-z0-9+/=]/g, ""));
  if (encoding === "quoted-printable") return fromQuotedPrintable(body, false);
  return encoder.encode(body);
}

/**
 * RFC 2045 section 6.7 (or RFC 2047 "Q" with `q`: "_" is a space); "\n" line ends are kept.
 * One pass, each run of characters between escapes encoded at once: a per-character encoder
 * call made a digest's page cost tens of milliseconds (docs/benchmarks.md).
 */
function fromQuotedPrintable(text: string, q: boolean): Uint8Array {
  // Trailing white space was added in transport; "=" at a line's end is a soft break.
  const joined = q ? text : text.split("\n").map(trimBlanks).join("\n").replaceAll("=\n", "");
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const out = new Uint8Array(joined.length * 3);
  let n = 0;
  let nextEquals = -1;
  let nextUnderscore = -1;
  for (let i = 0; i < joined.length; ) {
    const code = joined.charCodeAt(i);
    if (code === EQUALS) {
      const hex = joined.slice(i + 1, i + 3);
      const escaped = /^[0-9A-Fa-f]{2}$/.test(hex);
      out[n++] = escaped ? Number.parseInt(hex, 16) : EQUALS;
      i += escaped ? 3 : 1;
    } else if (q && code === UNDERSCORE) {
      out[n++] = SPACE;
      i++;
    } else {
      // The next "=" (and "_") found once, not once per run: a run never splits a surrogate pair.
      if (nextEquals < i) nextEquals = indexOrEnd(joined, "=", i);
      if (q && nextUnderscore < i) nextUnderscore = indexOrEnd(joined, "_", i);
      const end = q ? Math.min(nextEquals, nextUnderscore) : nextEquals;
      n += encoder.encodeInto(joined.slice(i, end), out.subarray(n)).written;
      i = end;
    }
  }
  return out.slice(0, n);
}

const EQUALS = 0x3d;
const UNDERSCORE = 0x5f;
const SPACE = 0x20;

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

/** The line without its trailing spaces and tabs (a loop: /[ \t]+$/ is quadratic in a long run of blanks). */
function trimBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  return line.slice(0, end);
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

function decodeText(bytes: Uint8Array, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder();
  }
  return decoder.decode(bytes);
}

// An encoded-word, and the white space after it when another one follows (RFC 2047 section 6.2:
// that white space is not shown).
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=(?:[ \t]+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=))?/g;

function decodeWords(value: string): string {
  return value.replace(ENCODED_WORD, (_, charset: string, encoding: string, text: string) => {
    const bytes = encoding.toUpperCase() === "B" ? fromBase64(text) : fromQuotedPrintable(text, true);
    // RFC 2231 section 5 allows a language after the charset ("UTF-8*ru").
    return decodeText(bytes, charset.split("*", 1)[0] ?? "utf-8");
  });
}
