// What the mailer tests share: one letter with Cyrillic text, a dot-led line and list headers,
// a fixed clock, and readers for a failure and a received header line.

import { listHeaders } from "../../../src/worker/mail/headers.js";
import { MailError, type MailMessage } from "../../../src/worker/mail/mailer.js";
import { SITE } from "../helpers.js";

export const FROM = "Степной вестник <digest@example.com>";
export const SUBJECT = "Дайджест: новости степи";
export const NOW = Date.UTC(2026, 10, 28, 7, 0, 0);
export const UNSUBSCRIBE = `${SITE}/unsubscribe?token=tok-123`;
export const TIMEOUT = { timeout: 30_000 };

export function letter(to: string, overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    to,
    subject: SUBJECT,
    html: `<p>Здравствуйте! <a href="${UNSUBSCRIBE}">Отписаться</a></p>`,
    text: `Здравствуйте!\n\nОтписаться: ${UNSUBSCRIBE}\n.\nА строка выше начинается с точки.`,
    headers: listHeaders({ siteUrl: SITE, unsubscribeUrl: UNSUBSCRIBE }),
    kind: "broadcast",
    ...overrides,
  };
}

export const fixed = { now: () => NOW };

/** The failure a promise rejects with, as a MailError. */
export async function failureOf(promise: Promise<unknown>): Promise<MailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MailError) return error;
    throw error;
  }
  throw new Error("expected the send to fail");
}

export function headerLine(message: { headerLines: { key: string; line: string }[] }, key: string): string | undefined {
  return message.headerLines.find((h) => h.key === key.toLowerCase())?.line;
}
