// The SMTP mailer: `worker-mailer` (pinned at 1.2.1) over cloudflare:sockets for the session
// (greeting, EHLO, STARTTLS, AUTH, MAIL/RCPT/DATA), our own MIME for the message, and guards
// around the library's known faults:
// - on a hang-up its read loop spins forever (it skips `done` reads): every reader it uses is
//   wrapped so the end of the stream is an error;
// - its response timeout is ignored and its one-shot send leaks the socket: one connection per
//   batch, every step bounded by our own timer, the socket closed in `finally`;
// - its message is multipart/mixed around multipart/alternative: we hand it our own message text.
// The members reached here are private in its typings; they are pinned by the version and by
// test/worker/mail/smtp.test.ts.

import { type Credentials, LogLevel, WorkerMailer, type WorkerMailerOptions } from "worker-mailer";
import { mimeMessage } from "../../core/mime.js";
import { compose, DEFAULT_TIMEOUT_MS, type MailerSetup } from "./compose.js";
import {
  asMailError,
  MailError,
  type Mailer,
  type MailMessage,
  type SendItem,
  type SendOptions,
  type SendOutcome,
  type SentMessage,
} from "./mailer.js";

/** What worker-mailer's session reads from the message it sends (its `Email` class's shape). */
interface Envelope {
  from: { email: string };
  to: { email: string }[];
  getEmailData(): string;
}

interface Reader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  releaseLock(): void;
}

/** The parts of a worker-mailer 1.2.1 session this adapter drives. */
interface Session {
  reader: Reader;
  socket: { closed: Promise<void>; close(): Promise<void> };
  emailSending: Envelope | null;
  initializeSmtpSession(): Promise<void>;
  mail(): Promise<void>;
  rcpt(): Promise<void>;
  data(): Promise<void>;
  body(): Promise<void>;
  rset(): Promise<void>;
  close(error?: Error): Promise<void>;
}

/** The connection is gone or in an unknown state: nothing more can be sent over it. */
class Broken extends Error {}

export class SmtpMailer implements Mailer {
  private readonly timeoutMs: number;

  constructor(private readonly setup: MailerSetup) {
    if (!setup.config.smtp) throw new TypeError("SmtpMailer needs the SMTP settings");
    this.timeoutMs = setup.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const [outcome] = await this.sendAll([{ message, options }]);
    if (!outcome) throw new MailError("transient", "SMTP: nothing was sent");
    if (!outcome.ok) throw outcome.error;
    return outcome.sent;
  }

  /** Every item over one connection; a refused recipient does not stop the others. */
  async sendAll(items: readonly SendItem[]): Promise<SendOutcome[]> {
    if (items.length === 0) return [];
    let session: Session;
    try {
      session = await this.open();
    } catch (error) {
      const failure = classify(error);
      return items.map(() => ({ ok: false, error: failure }));
    }
    const outcomes: SendOutcome[] = [];
    let broken: MailError | null = null;
    try {
      for (const { message, options } of items) {
        if (broken) {
          outcomes.push({ ok: false, error: broken });
          continue;
        }
        let envelope: Envelope;
        let messageId: string;
        try {
          const composed = await compose(message, options, this.setup);
          const text = mimeMessage({ ...composed, text: message.text, html: message.html });
          envelope = envelopeOf(composed.from.address, composed.to, text);
          messageId = composed.messageId;
        } catch (error) {
          outcomes.push({ ok: false, error: asMailError(error) });
          continue;
        }
        session.emailSending = envelope;
        try {
          await this.step(session.mail());
          await this.step(session.rcpt());
          await this.step(session.data());
          await this.step(session.body());
          outcomes.push({ ok: true, sent: { id: messageId } });
        } catch (error) {
          const failure = classify(error);
          outcomes.push({ ok: false, error: failure });
          if (failure.code === undefined) {
            broken = new MailError("transient", "SMTP: the connection was lost earlier in this batch");
          } else {
            // A refused command: reset the transaction and go on with the next message.
            try {
              await this.step(session.rset());
            } catch {
              broken = new MailError("transient", "SMTP: the connection was lost earlier in this batch");
            }
          }
        } finally {
          session.emailSending = null;
        }
      }
    } finally {
      await this.shut(session);
    }
    return outcomes;
  }

  private async open(): Promise<Session> {
    const smtp = this.setup.config.smtp;
    if (!smtp) throw new TypeError("no SMTP settings");
    const options: WorkerMailerOptions = {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      startTls: true,
      ...(smtp.credentials ? { credentials: smtp.credentials satisfies Credentials } : {}),
      authType: ["plain", "login", "cram-md5"],
      // Its logs would include the session; our errors say what failed.
      logLevel: LogLevel.NONE,
      // Used for the connection and (despite its name) every reply.
      socketTimeoutMs: this.timeoutMs,
    };
    // `connect()` would start the session before the reader can be guarded: build it, guard it, start it.
    const session = new (WorkerMailer as unknown as new (options: WorkerMailerOptions) => Session)(options);
    session.socket.closed.catch(() => {});
    guardReaders(session);
    try {
      await this.step(session.initializeSmtpSession());
    } catch (error) {
      await this.shut(session);
      throw error;
    }
    return session;
  }

  /** QUIT when the server still listens, and the socket closed whatever happened. */
  private async shut(session: Session): Promise<void> {
    try {
      await this.step(session.close());
    } catch {
      // the socket is closed below either way
    }
    await session.socket.close().catch(() => {});
  }

  /** One SMTP exchange, bounded by our own timer (the library's is not applied). */
  private async step<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Broken("the SMTP server did not answer in time")), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }
}

function envelopeOf(from: string, to: string, text: string): Envelope {
  return {
    from: { email: from },
    to: [{ email: to }],
    // SMTP DATA: a line starting with "." gets another (RFC 5321 section 4.5.2), then the end mark.
    getEmailData: () => `${text.replace(/\r\n\./g, "\r\n..")}.\r\n`,
  };
}

/** Every reader the session takes (also after STARTTLS) ends with an error instead of spinning. */
function guardReaders(session: Session): void {
  let current = guard(session.reader);
  Object.defineProperty(session, "reader", {
    configurable: true,
    get: () => current,
    set: (reader: Reader) => {
      current = guard(reader);
    },
  });
}

function guard(reader: Reader): Reader {
  return {
    async read() {
      const result = await reader.read();
      if (result.done) throw new Broken("the SMTP server closed the connection");
      return result;
    },
    releaseLock: () => reader.releaseLock(),
  };
}

/**
 * An SMTP failure as a MailError. A reply code in the library's message decides: 4xx transient,
 * 5xx permanent. No code (a network error, a hang-up, a timeout) is transient.
 */
function classify(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const reply = /(?:^|[\s:>])([45]\d\d)[ -](.*)/m.exec(text);
  if (reply && !(error instanceof Broken)) {
    const code = Number(reply[1]);
    return new MailError(
      code >= 500 ? "permanent" : "transient",
      `SMTP server refused: ${code} ${(reply[2] ?? "").trim().slice(0, 200)}`,
      code,
    );
  }
  if (error instanceof Broken) return new MailError("transient", `SMTP: ${text}`);
  // worker-mailer's words when the server wants AUTH and we have no credentials or no method it
  // offers: a setting to fix, which no retry mends.
  if (/requires authentication|no supported auth method/i.test(text)) {
    return new MailError(
      "permanent",
      "SMTP: the server requires authentication that the settings do not give; set SMTP_USER and SMTP_PASS",
    );
  }
  return new MailError("transient", `SMTP: could not talk to the server (${text.split("\n")[0]?.slice(0, 200)})`);
}
