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

export interface SendItem {
  message: MailMessage;
  options: SendOptions;
}

/** One item's result in a batch: a failure of one message does not fail the others. */
export type SendOutcome = { ok: true; sent: SentMessage } | { ok: false; error: MailError };

export interface Mailer {
  send(message: MailMessage, options: SendOptions): Promise<SentMessage>;
  /** Several messages in one go (SMTP: over one connection), one outcome per item, in order. */
  sendAll?(items: readonly SendItem[]): Promise<SendOutcome[]>;
}

/** Every item through `sendAll` when the adapter has it, else one `send` after another. */
export async function sendAll(mailer: Mailer, items: readonly SendItem[]): Promise<SendOutcome[]> {
  if (mailer.sendAll) return mailer.sendAll(items);
  const outcomes: SendOutcome[] = [];
  for (const { message, options } of items) {
    try {
      outcomes.push({ ok: true, sent: await mailer.send(message, options) });
    } catch (error) {
      outcomes.push({ ok: false, error: asMailError(error) });
    }
  }
  return outcomes;
}

/** Anything thrown while sending, as a MailError: an unknown failure is worth one more try. */
export function asMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  return new MailError("transient", error instanceof Error ? error.message : String(error));
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
