// The Resend mailer: POST {EMAIL_API_BASE}/emails (https://resend.com/docs/api-reference/emails/send-email)
// and, for several messages, POST {EMAIL_API_BASE}/emails/batch (up to 100 per request,
// https://resend.com/docs/api-reference/emails/send-batch-emails).
// The idempotency key goes in Resend's Idempotency-Key header: a retry within 24 hours is not sent twice.
// A batch has one key for the whole request, derived from its items' keys, so retrying exactly the
// same messages replays the first answer; a different set of messages is a different request.

import { type Prepared, sendInChunks, sha256Hex } from "./batch.js";
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

const DEFAULT_BASE = "https://api.resend.com";
/** Resend's limit of emails in one batch request. */
const BATCH_SIZE = 100;
/** Characters of an answer read: a batch answer is about 50 per email. */
const MAX_ANSWER = 100_000;

interface ResendEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export class ResendMailer implements Mailer {
  private readonly base: string;
  private readonly apiKey: string;

  constructor(private readonly setup: MailerSetup) {
    if (!setup.config.apiKey) throw new TypeError("ResendMailer needs RESEND_API_KEY");
    this.apiKey = setup.config.apiKey;
    this.base = setup.config.apiBase ?? DEFAULT_BASE;
  }

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const email = await this.email({ message, options });
    const answer = await this.post("/emails", options.idempotencyKey, email);
    const id = answer?.id;
    if (typeof id !== "string") throw new MailError("transient", "Resend answered without an email id", 200);
    return { id };
  }

  /** Chunks of 100 through /emails/batch; Resend takes or refuses each chunk as a whole. */
  sendAll(items: readonly SendItem[]): Promise<SendOutcome[]> {
    return sendInChunks(
      "Resend",
      items,
      BATCH_SIZE,
      (item) => this.email(item),
      (chunk) => this.postBatch(chunk),
    );
  }

  private async postBatch(chunk: readonly Prepared<ResendEmail>[]): Promise<SendOutcome[]> {
    const key = `batch/${(await sha256Hex(chunk.map(({ item }) => item.options.idempotencyKey).join("\n"))).slice(0, 64)}`;
    const answer = await this.post(
      "/emails/batch",
      key,
      chunk.map(({ payload }) => payload),
    );
    const data = Array.isArray(answer?.data) ? (answer.data as unknown[]) : null;
    if (!data || data.length !== chunk.length) {
      throw new MailError("transient", `Resend answered ${data?.length ?? "no"} ids for ${chunk.length} emails`, 200);
    }
    return data.map((entry): SendOutcome => {
      const id = entry && typeof entry === "object" ? (entry as Record<string, unknown>).id : undefined;
      return typeof id === "string"
        ? { ok: true, sent: { id } }
        : { ok: false, error: new MailError("transient", "Resend answered without an email id", 200) };
    });
  }

  private async email({ message, options }: SendItem): Promise<ResendEmail> {
    const composed = await compose(message, options, this.setup);
    return {
      // Resend writes the MIME itself, encoding non-ASCII names and subjects (RFC 2047).
      from: composed.fromText,
      to: [composed.to],
      subject: composed.subject,
      html: message.html,
      text: message.text,
      headers: Object.fromEntries([["Message-ID", composed.messageId], ...composed.headers]),
    };
  }

  /** One request; its answer's JSON object when it succeeded, else a typed MailError. */
  private async post(path: string, idempotencyKey: string, body: unknown): Promise<Record<string, unknown> | null> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
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
    return answer;
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse((await response.text()).slice(0, MAX_ANSWER));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
