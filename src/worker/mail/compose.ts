// What every adapter adds to a message before it leaves: From (MAIL_FROM), a Message-ID on the
// site's domain derived from the idempotency key, Date, and checked extra headers. Every header
// value leaves on one line: Subject and From folded (oneLine), the rest refused when not.

import type { MailConfig } from "../../core/config.js";
import { checkHeader, type Mailbox, messageIdentity, parseMailbox, rfc5322Date } from "../../core/mime.js";
import { MailError, type MailMessage, type SendOptions } from "./mailer.js";

/** What an adapter is built from: tests build adapters from these directly. */
export interface MailerSetup {
  config: MailConfig;
  /** SITE_URL: its host names the Message-ID's domain and the List-Id. */
  siteUrl: string;
  now: () => number;
  /** Bound on one send (SMTP: each step of the session; HTTP: the whole request). */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
/** Headers the adapter writes itself: a caller's copy would duplicate or contradict them. */
const RESERVED = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);
const MAX_HEADERS = 20;
/** Characters of each part: far above any digest, well under providers' message limits. */
const MAX_PART = 1_000_000;

export interface Composed {
  from: Mailbox;
  /** MAIL_FROM as the From header's text, on one line. */
  fromText: string;
  /** The message's subject on one line. */
  subject: string;
  to: string;
  messageId: string;
  boundary: string;
  date: string;
  /** The caller's extra headers, checked, in order. */
  headers: [string, string][];
}

// Line breaks of any kind (CR, LF, NEL, U+2028, U+2029) and every other control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const BREAKS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/**
 * A header value on one line: each run of line breaks and control characters is one space. The
 * last defence against header injection (a title "Headline\r\nBcc: ..." as the Subject): the
 * log mailer prints values as they are and the HTTP APIs take them as JSON strings. The subject
 * and the sender's name are text (titles, SITE_TITLE, MAIL_FROM): folded rather than refused,
 * since a title stored before titles were checked would otherwise fail every digest that lists
 * it, for every subscriber, with no retry to mend it; on one line it says the same thing.
 */
export function oneLine(value: string): string {
  return value.replace(BREAKS, " ");
}

export async function compose(message: MailMessage, options: SendOptions, setup: MailerSetup): Promise<Composed> {
  const headers: [string, string][] = [];
  try {
    checkHeader("To", message.to);
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(message.to)) throw new TypeError("the recipient is not one address");
    const extra = Object.entries(message.headers ?? {});
    if (extra.length > MAX_HEADERS) throw new TypeError(`more than ${MAX_HEADERS} extra headers`);
    if (message.text.length > MAX_PART || message.html.length > MAX_PART || message.subject.length > 998) {
      throw new TypeError("the message is too large");
    }
    for (const [name, value] of extra) {
      if (RESERVED.has(name.toLowerCase())) throw new TypeError(`the header ${name} is written by the mailer`);
      // Built by code (List-*), never from content: a line break here is a bug, so refused.
      checkHeader(name, value);
      headers.push([name, value]);
    }
    if (options.idempotencyKey === "" || options.idempotencyKey.length > 256) {
      throw new TypeError("the idempotency key must be 1 to 256 characters");
    }
  } catch (error) {
    // A malformed message will not get better by retrying it.
    throw new MailError("permanent", `cannot send: ${(error as Error).message}`);
  }
  const identity = await messageIdentity(options.idempotencyKey, new URL(setup.siteUrl).hostname);
  const fromText = oneLine(setup.config.from);
  return {
    from: parseMailbox(fromText),
    fromText,
    subject: oneLine(message.subject),
    to: message.to,
    messageId: identity.messageId,
    boundary: identity.boundary,
    date: rfc5322Date(setup.now()),
    headers,
  };
}

/** An HTTP status as a MailError: 429 and 5xx are worth retrying, other 4xx are not. */
export function httpError(provider: string, status: number, detail: string): MailError {
  const kind = status === 429 || status >= 500 ? "transient" : "permanent";
  return new MailError(kind, `${provider} answered ${status}${detail ? `: ${detail.slice(0, 200)}` : ""}`, status);
}

/** A failed fetch (network, DNS, our timeout): transient. */
export function networkError(provider: string, error: unknown): MailError {
  const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
  return new MailError("transient", `${provider} could not be reached: ${timedOut ? "timed out" : "network error"}`);
}
