// The Postmark mailer: POST {EMAIL_API_BASE}/email (https://postmarkapp.com/developer/api/email-api)
// and, for several messages, POST {EMAIL_API_BASE}/email/batch (up to 500 per request), which
// answers one result per message, so one refused recipient fails alone.
// Confirmations go on the "outbound" (transactional) stream, digests on POSTMARK_STREAM (broadcast).
// Postmark has no idempotency key: a retried message keeps its Message-ID.

import { type Prepared, sendInChunks } from "./batch.js";
import { compose, DEFAULT_TIMEOUT_MS, httpError, type MailerSetup, networkError } from "./compose.js";
import {
  MailError,
  type Mailer,
  type MailMessage,
  type SendItem,
  type SendOptions,
  type SendOutcome,
  type SentMessage,
} from "./mailer.js";

const DEFAULT_BASE = "https://api.postmarkapp.com";
/** Postmark's ErrorCode for a recipient marked inactive (a hard bounce, a complaint). */
const INACTIVE_RECIPIENT = 406;
/** Postmark's limit of messages in one batch request. */
const BATCH_SIZE = 500;
/** Characters of an answer read: a batch answer is about 200 per message. */
const MAX_ANSWER = 1_000_000;

interface PostmarkEmail {
  From: string;
  To: string;
  Subject: string;
  HtmlBody: string;
  TextBody: string;
  Headers: { Name: string; Value: string }[];
  MessageStream: string;
}

export class PostmarkMailer implements Mailer {
  private readonly base: string;
  private readonly token: string;

  constructor(private readonly setup: MailerSetup) {
    if (!setup.config.apiKey) throw new TypeError("PostmarkMailer needs POSTMARK_TOKEN");
    this.token = setup.config.apiKey;
    this.base = setup.config.apiBase ?? DEFAULT_BASE;
  }

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const outcome = result(await this.post("/email", await this.email({ message, options })));
    if (!outcome.ok) throw outcome.error;
    return outcome.sent;
  }

  /** Chunks of 500 through /email/batch; each message has its own result. */
  sendAll(items: readonly SendItem[]): Promise<SendOutcome[]> {
    return sendInChunks(
      "Postmark",
      items,
      BATCH_SIZE,
      (item) => this.email(item),
      (chunk) => this.postBatch(chunk),
    );
  }

  private async postBatch(chunk: readonly Prepared<PostmarkEmail>[]): Promise<SendOutcome[]> {
    const answer = await this.post(
      "/email/batch",
      chunk.map(({ payload }) => payload),
    );
    if (!Array.isArray(answer)) throw new MailError("transient", "Postmark answered a batch without results", 200);
    return answer.map(result);
  }

  private async email({ message, options }: SendItem): Promise<PostmarkEmail> {
    const composed = await compose(message, options, this.setup);
    return {
      From: composed.fromText,
      To: composed.to,
      Subject: composed.subject,
      HtmlBody: message.html,
      TextBody: message.text,
      Headers: [["Message-ID", composed.messageId] as const, ...composed.headers].map(([Name, Value]) => ({
        Name,
        Value,
      })),
      MessageStream: message.kind === "broadcast" ? this.setup.config.postmarkStream : "outbound",
    };
  }

  /** One request; its parsed answer when the status is 2xx, else a typed MailError. */
  private async post(path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
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
    let answer: unknown = null;
    try {
      answer = JSON.parse((await response.text()).slice(0, MAX_ANSWER));
    } catch {
      // a body that is not JSON: the status decides
    }
    if (!response.ok) {
      const fields = answer && typeof answer === "object" ? (answer as Record<string, unknown>) : {};
      const errorCode = typeof fields.ErrorCode === "number" ? fields.ErrorCode : null;
      const detail = typeof fields.Message === "string" ? fields.Message : "";
      if (errorCode === INACTIVE_RECIPIENT) throw inactive(detail);
      throw httpError("Postmark", response.status, errorCode === null ? detail : `ErrorCode ${errorCode}: ${detail}`);
    }
    return answer;
  }
}

/** One message's result (the single answer, or one element of a batch answer) as an outcome. */
function result(value: unknown): SendOutcome {
  const fields = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  const errorCode = fields.ErrorCode;
  const detail = typeof fields.Message === "string" ? fields.Message : "";
  if ((errorCode === 0 || errorCode === undefined) && typeof fields.MessageID === "string")
    return { ok: true, sent: { id: fields.MessageID } };
  if (errorCode === INACTIVE_RECIPIENT) return { ok: false, error: inactive(detail) };
  if (typeof errorCode === "number" && errorCode !== 0) {
    // Within a 200 answer: the request was fine, this message was refused (bad address, stream, ...).
    return {
      ok: false,
      error: new MailError(
        "permanent",
        `Postmark refused the message: ErrorCode ${errorCode}: ${detail.slice(0, 200)}`,
        errorCode,
      ),
    };
  }
  return { ok: false, error: new MailError("transient", "Postmark answered without a MessageID", 200) };
}

function inactive(detail: string): MailError {
  return new MailError("permanent", `Postmark: inactive recipient (ErrorCode 406): ${detail.slice(0, 200)}`, 406);
}
