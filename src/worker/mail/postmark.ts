// The Postmark mailer: POST {EMAIL_API_BASE}/email (https://postmarkapp.com/developer/api/email-api).
// Confirmations go on the "outbound" (transactional) stream, digests on POSTMARK_STREAM (broadcast).
// Postmark has no idempotency key: a retried message keeps its Message-ID.

import { compose, DEFAULT_TIMEOUT_MS, httpError, type MailerSetup, networkError } from "./compose.js";
import { MailError, type Mailer, type MailMessage, type SendOptions, type SentMessage } from "./mailer.js";

const DEFAULT_BASE = "https://api.postmarkapp.com";
/** Postmark's ErrorCode for a recipient marked inactive (a hard bounce, a complaint). */
const INACTIVE_RECIPIENT = 406;

export class PostmarkMailer implements Mailer {
  private readonly endpoint: string;
  private readonly token: string;

  constructor(private readonly setup: MailerSetup) {
    if (!setup.config.apiKey) throw new TypeError("PostmarkMailer needs POSTMARK_TOKEN");
    this.token = setup.config.apiKey;
    this.endpoint = `${setup.config.apiBase ?? DEFAULT_BASE}/email`;
  }

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const composed = await compose(message, options, this.setup);
    const body = {
      From: this.setup.config.from,
      To: composed.to,
      Subject: message.subject,
      HtmlBody: message.html,
      TextBody: message.text,
      Headers: [["Message-ID", composed.messageId], ...composed.headers].map(([Name, Value]) => ({ Name, Value })),
      MessageStream: message.kind === "broadcast" ? this.setup.config.postmarkStream : "outbound",
    };
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          "x-postmark-server-token": this.token,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.setup.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkError("Postmark", error);
    }
    let answer: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse((await response.text()).slice(0, 100_000));
      if (value && typeof value === "object") answer = value as Record<string, unknown>;
    } catch {
      // a body that is not JSON: the status decides
    }
    const errorCode = typeof answer?.ErrorCode === "number" ? answer.ErrorCode : null;
    const detail = typeof answer?.Message === "string" ? answer.Message : "";
    if (!response.ok) {
      if (errorCode === INACTIVE_RECIPIENT) {
        throw new MailError("permanent", `Postmark: inactive recipient (ErrorCode 406): ${detail.slice(0, 200)}`, 406);
      }
      throw httpError("Postmark", response.status, errorCode === null ? detail : `ErrorCode ${errorCode}: ${detail}`);
    }
    const id = answer?.MessageID;
    if (typeof id !== "string")
      throw new MailError("transient", "Postmark answered without a MessageID", response.status);
    return { id };
  }
}
