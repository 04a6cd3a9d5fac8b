// The default mailer: prints each email to the console instead of sending it, so `npm run dev`
// needs no credentials and a developer can open the confirmation link from the terminal. It also
// keeps each one, as its .eml, in the outbox the console lists.

import { emlOf } from "../../core/eml.js";
import type { OutboxEntry } from "../store/outbox.js";
import { type Composed, compose, type MailerSetup } from "./compose.js";
import type { Mailer, MailMessage, SendOptions, SentMessage } from "./mailer.js";

/**
 * Every http(s) link a reader can follow, once each, in order of appearance: URLs in the text,
 * and the HTML's href values (not namespace URIs such as its xmlns).
 */
export function linksOf(message: Pick<MailMessage, "text" | "html">): string[] {
  const links = new Set<string>();
  for (const match of message.text.matchAll(/https?:\/\/[^\s"'<>]+/g)) links.add(match[0]);
  for (const match of message.html.matchAll(/\bhref="(https?:\/\/[^"\s<>]+)"/g)) {
    links.add((match[1] ?? "").replaceAll("&amp;", "&"));
  }
  return [...links];
}

/** Where the log mailer keeps what it "sends" (the OutboxStore). */
export interface Outbox {
  keep(entry: OutboxEntry): Promise<unknown>;
}

export class LogMailer implements Mailer {
  constructor(
    private readonly setup: MailerSetup & { outbox?: Outbox },
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {}

  async send(message: MailMessage, options: SendOptions): Promise<SentMessage> {
    const composed = await compose(message, options, this.setup);
    const lines = [
      `--- email (MAILER=log: not sent) ---`,
      `From: ${composed.fromText}`,
      `To: ${composed.to}`,
      `Subject: ${composed.subject}`,
      `Date: ${composed.date}`,
      `Message-ID: ${composed.messageId}`,
      ...composed.headers.map(([name, value]) => `${name}: ${value}`),
      "",
      message.text,
      "",
      "Links:",
      ...linksOf(message),
      "--- end of email ---",
    ];
    this.print(lines.join("\n"));
    await this.keep(message, composed);
    return { id: composed.messageId };
  }

  /** Into the outbox; a failure to keep (D1 down, a message too large) is logged, never the send's. */
  private async keep(message: MailMessage, composed: Composed): Promise<void> {
    const outbox = this.setup.outbox;
    if (!outbox) return;
    try {
      const { eml, size } = emlOf({ ...composed, text: message.text, html: message.html });
      await outbox.keep({
        kind: message.kind,
        from: composed.fromText,
        to: composed.to,
        subject: composed.subject,
        messageId: composed.messageId,
        eml,
        size,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(JSON.stringify({ event: "outbox.not_kept", messageId: composed.messageId, error: reason }));
    }
  }
}
