// What every adapter adds to a message before it leaves: From (MAIL_FROM), a Message-ID on the
// site's domain derived from the idempotency key, Date, and checked extra headers.

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
  to: string;
  messageId: string;
  boundary: string;
  date: string;
  /** The caller's extra headers, checked, in order. */
  headers: [string, string][];
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
  return {
    from: parseMailbox(setup.config.from),
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
