// The Resend mailer: POST {EMAIL_API_BASE}/emails (https://resend.com/docs/api-reference/emails/send-email).
// The idempotency key goes in Resend's Idempotency-Key header: a retry within 24 hours is not sent twice.

import { compose, DEFAULT_TIMEOUT_MS, httpError, type MailerSetup, networkError } from "./compose.js";
import { MailError, type Mailer, type MailMessage, type SendOptions, type SentMessage } from "./mailer.js";

const DEFAULT_BASE = "https://api.resend.com";

export class ResendMailer implements Mailer {
  private readonly endpoint: string;
  private readonly apiKey: string;

  constructor(private readonly setup: MailerSetup) {
    if (!setup.config.apiKey) throw new TypeError("ResendMailer needs RESEND_API_KEY");
    this.apiKey = setup.config.apiKey;
    this.endpoint = `${setup.config.apiBase ?? DEFAULT_BASE}/emails`;
  }

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const composed = await compose(message, options, this.setup);
    const body = {
      // Resend writes the MIME itself, encoding non-ASCII names and subjects (RFC 2047).
      from: this.setup.config.from,
      to: [composed.to],
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: Object.fromEntries([["Message-ID", composed.messageId], ...composed.headers]),
    };
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": options.idempotencyKey,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.setup.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkError("Resend", error);
    }
    const answer = await readJson(response);
    if (!response.ok) {
      const name = typeof answer?.name === "string" ? answer.name : "";
      const detail = typeof answer?.message === "string" ? answer.message : name;
      // 409 "concurrent_idempotent_requests": the first request with this key is still running.
      if (response.status === 409 && name === "concurrent_idempotent_requests") {
        throw new MailError("transient", `Resend answered 409: ${detail.slice(0, 200)}`, 409);
      }
      throw httpError("Resend", response.status, detail);
    }
    const id = answer?.id;
    if (typeof id !== "string")
      throw new MailError("transient", "Resend answered without an email id", response.status);
    return { id };
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse((await response.text()).slice(0, 100_000));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
