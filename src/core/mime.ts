// The RFC 5322 / MIME text of one email: a multipart/alternative of a text and an HTML part,
// quoted-printable bodies, RFC 2047 encoded-words for non-ASCII subjects and display names, and
// a Message-ID derived from the idempotency key, so a retried email keeps its id.

export interface Mailbox {
  /** The display name, or "" for a bare address. */
  name: string;
  address: string;
}

export interface MimeInput {
  from: Mailbox;
  to: string;
  subject: string;
  /** Already a RFC 5322 date (see rfc5322Date). */
  date: string;
  /** With its angle brackets. */
  messageId: string;
  /** Extra header lines in order; names are tokens and values single-line ASCII (checked here). */
  headers: readonly (readonly [string, string])[];
  text: string;
  html: string;
  /** A boundary no quoted-printable body can contain (see messageIdentity). */
  boundary: string;
}

const CRLF = "\r\n";
/** RFC 5322 section 2.1.1: a line is at most 998 characters. */
const MAX_LINE = 998;
const encoder = new TextEncoder();

/**
 * "Name <address>" or a bare address; MAIL_FROM has been checked by the configuration. Read by
 * slicing, not by a regular expression: one pass whatever the spaces, and any character but the
 * angle brackets (a line separator too) is part of the name.
 */
export function parseMailbox(value: string): Mailbox {
  const trimmed = value.trim();
  const open = trimmed.lastIndexOf("<");
  const address = open < 0 ? "" : trimmed.slice(open + 1, -1);
  if (!trimmed.endsWith(">") || !/^[^<>\s]+$/.test(address)) return { name: "", address: trimmed };
  let name = trimmed.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  return { name, address };
}

/** A mailbox for a header: non-ASCII names as encoded-words, names with specials quoted. */
export function formatMailbox(mailbox: Mailbox): string {
  if (mailbox.name === "") return mailbox.address;
  if (!isPrintableAscii(mailbox.name)) return `${encodeWords(mailbox.name)} <${mailbox.address}>`;
  // RFC 5322 atext and spaces pass bare; anything else (a comma, a dot, a quote) is quoted.
  if (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/.test(mailbox.name)) return `${mailbox.name} <${mailbox.address}>`;
  return `"${mailbox.name.replace(/(["\\])/g, "\\$1")}" <${mailbox.address}>`;
}

/**
 * RFC 2047 "B" encoded-words, each at most 75 characters and never splitting a character,
 * folded onto continuation lines. Printable ASCII of at most `room` characters is returned as it
 * is; longer ASCII is encoded too, as it would otherwise make a header line over 998 characters.
 */
export function encodeWords(text: string, room = MAX_LINE): string {
  if (isPrintableAscii(text) && text.length <= room) return text;
  const words: string[] = [];
  let chunk = "";
  let chunkBytes = 0;
  for (const char of text) {
    const bytes = encoder.encode(char).length;
    // 45 bytes are 60 base64 characters: with "=?UTF-8?B?" and "?=", 72 of the allowed 75.
    if (chunkBytes + bytes > 45) {
      words.push(chunk);
      chunk = "";
      chunkBytes = 0;
    }
    chunk += char;
    chunkBytes += bytes;
  }
  if (chunk !== "") words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64(encoder.encode(word))}?=`).join(`${CRLF} `);
}

/** Quoted-printable (RFC 2045 section 6.7) with CRLF line breaks and lines of at most 76 characters. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const bytes = encoder.encode(line);
    let encoded = "";
    let width = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] ?? 0;
      const last = i === bytes.length - 1;
      const whitespace = byte === 0x20 || byte === 0x09;
      const plain = (byte >= 0x21 && byte <= 0x7e && byte !== 0x3d) || (whitespace && !last);
      let piece = plain ? String.fromCharCode(byte) : hexOctet(byte);
      if (width + piece.length > 75) {
        encoded += `=${CRLF}`;
        width = 0;
      }
      // A "." opening a line, after a soft break too, is encoded, so no line of the body can end
      // an SMTP DATA section.
      if (byte === 0x2e && width === 0) piece = hexOctet(byte);
      encoded += piece;
      width += piece.length;
    }
    out.push(encoded);
  }
  return out.join(CRLF);
}

/** The date as RFC 5322 wants it, in UTC: "Sat, 28 Nov 2026 06:41:34 +0000". */
export function rfc5322Date(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/ GMT$/, " +0000");
}

/**
 * The Message-ID and MIME boundary of a logical email, from its idempotency key: the same key
 * gives the same id, so a retry is recognisably the same message.
 */
export async function messageIdentity(
  idempotencyKey: string,
  host: string,
): Promise<{ messageId: string; boundary: string }> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(idempotencyKey)));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  // "=_" never occurs in a quoted-printable body ("=" is always followed by hex digits or a line end).
  return { messageId: `<${hex}@${host}>`, boundary: `=_alt_${hex}` };
}

/** Header names are RFC 5322 field names; values one line of printable ASCII. Throws a TypeError otherwise. */
export function checkHeader(name: string, value: string): void {
  if (!/^[!-9;-~]{1,76}$/.test(name)) throw new TypeError(`the header name "${name.slice(0, 40)}" is not a field name`);
  if (!/^[ -~]*$/.test(value) || name.length + 2 + value.length > MAX_LINE) {
    throw new TypeError(`the header ${name} is not one line of ASCII of at most ${MAX_LINE} characters`);
  }
}

/** The whole message, CRLF line ends, ready for SMTP DATA (before dot-stuffing). */
export function mimeMessage(input: MimeInput): string {
  const headers: [string, string][] = [
    ["From", formatMailbox(input.from)],
    ["To", input.to],
    ["Subject", encodeWords(input.subject, MAX_LINE - "Subject: ".length)],
    ["Date", input.date],
    ["Message-ID", input.messageId],
    ["MIME-Version", "1.0"],
  ];
  for (const [name, value] of input.headers) {
    checkHeader(name, value);
    headers.push([name, value]);
  }
  headers.push(["Content-Type", `multipart/alternative; boundary="${input.boundary}"`]);
  const part = (type: string, body: string) =>
    [
      `--${input.boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      "Content-Transfer-Encoding: quoted-printable",
      "",
      quotedPrintable(body),
    ].join(CRLF);
  return [
    ...headers.map(([name, value]) => `${name}: ${value}`),
    "",
    part("text/plain", input.text),
    part("text/html", input.html),
    `--${input.boundary}--`,
    "",
  ].join(CRLF);
}

function hexOctet(byte: number): string {
  return `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

function isPrintableAscii(text: string): boolean {
  return /^[ -~]*$/.test(text);
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
