// The default mailer: prints each email to the console instead of sending it, so `npm run dev`
// needs no credentials and a developer can open the confirmation link from the terminal.

import { compose, type MailerSetup } from "./compose.js";
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

export class LogMailer implements Mailer {
  constructor(
    private readonly setup: MailerSetup,
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
    return { id: composed.messageId };
  }
}
