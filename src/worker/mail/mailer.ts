// The one interface every email goes through, whatever delivers it (log, SMTP, Resend, Postmark),
// and the typed error a delivery fails with, so callers can retry or give up.

/** One email to one recipient. The adapter adds From, Message-ID and Date. */
export interface MailMessage {
  /** One normalised address. */
  to: string;
  subject: string;
  html: string;
  /** The plain-text alternative, written from the data (not stripped HTML). */
  text: string;
  /** Extra headers, e.g. List-Id, List-Unsubscribe, List-Unsubscribe-Post. Values are ASCII. */
  headers?: Record<string, string>;
  /** Transactional (a confirmation) or broadcast (a digest): Postmark sends them on different streams. */
  kind: "transactional" | "broadcast";
}

export interface SendOptions {
  /** The same key for the same logical email: a provider that honours it never sends it twice. */
  idempotencyKey: string;
}

export interface SentMessage {
  /** The provider's id for the message (for SMTP and log, the Message-ID). */
  id: string;
}

export interface Mailer {
  send(message: MailMessage, options: SendOptions): Promise<SentMessage>;
}

/** Transient: try again later (network, 429, 5xx). Permanent: do not retry (other 4xx, a refused address). */
export type MailErrorKind = "transient" | "permanent";

export class MailError extends Error {
  readonly kind: MailErrorKind;
  /** HTTP status or SMTP reply code, when there was one. */
  readonly code?: number;

  constructor(kind: MailErrorKind, message: string, code?: number) {
    super(message);
    this.name = "MailError";
    this.kind = kind;
    if (code !== undefined) this.code = code;
  }
}
