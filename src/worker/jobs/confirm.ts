// Confirmation emails: a sign-up puts a confirm message on the delivery queue after its answer,
// and the queue consumer sends it here, with the queue's retries for a passing failure (SMTP 4xx,
// HTTP 429 or 5xx, the network). The address is read from D1 when the email goes, so the queue
// never carries it, and a request that a newer one (or a confirmation) has overtaken sends nothing.

import type { ConfirmMessage } from "../../core/delivery.js";
import { renderConfirmation } from "../../core/subscription-email.js";
import { CONFIRM_TOKEN_TTL_MS, signToken } from "../../core/token.js";
import { templates } from "../../generated/templates.js";
import { MailError } from "../mail/mailer.js";
import type { Services } from "../services.js";

/** Queues the confirmation of this subscriber's request whose link carries `nonce`. */
export async function queueConfirmation(s: Services, subscriber: number, nonce: string): Promise<void> {
  const message: ConfirmMessage = { type: "confirm", subscriber, nonce };
  await s.deliveryQueue().send(message);
}

/**
 * How a confirmation went: sent; moot (the request was overtaken, confirmed, or the subscriber is
 * suppressed or erased); worth retrying; or refused for good. `error` never contains the address.
 */
export type ConfirmOutcome =
  | { kind: "sent" }
  | { kind: "moot" }
  | { kind: "retry"; error: string }
  | { kind: "refused"; error: string };

/** Sends one confirmation; `beforeSend` runs only when an email will go (the consumer's pacing). */
export async function sendConfirmation(
  s: Services,
  message: ConfirmMessage,
  beforeSend: () => Promise<void>,
): Promise<ConfirmOutcome> {
  const { subscriber: id, nonce } = message;
  const awaiting = await s.subscribers.awaitingConfirmation(id, nonce);
  if (!awaiting) return { kind: "moot" };
  const { email, status } = awaiting.subscriber;
  const secret = s.signingSecret();
  const mailer = s.mailer();
  const token = await signToken(secret, {
    purpose: "confirm",
    subscriber: id,
    nonce,
    expires: s.now() + CONFIRM_TOKEN_TTL_MS,
  });
  const { siteUrl, siteTitle, siteLanguage } = s.site;
  const rendered = renderConfirmation(
    {
      site: { title: siteTitle, url: siteUrl, language: siteLanguage },
      confirmUrl: `${siteUrl}/subscribe/confirm?token=${token}`,
      // An active subscriber stays active until the link is used: the email asks to confirm new preferences.
      existing: status === "active",
    },
    templates.confirm,
  );
  await beforeSend();
  try {
    await mailer.send(
      { to: email, subject: rendered.subject, html: rendered.html, text: rendered.text, kind: "transactional" },
      // The same key on every retry: a provider that honours it never sends the email twice.
      { idempotencyKey: `confirm/${id}/${nonce}` },
    );
    return { kind: "sent" };
  } catch (error) {
    const mailError = error instanceof MailError ? error : null;
    const text = error instanceof Error ? error.message : String(error);
    const code = mailError?.code === undefined ? "" : ` ${mailError.code}`;
    const reason = `${mailError?.kind ?? "unexpected"} mail error${code}: ${withoutAddress(text, email)}`;
    return { kind: mailError?.kind === "permanent" ? "refused" : "retry", error: reason };
  }
}

/** `text` with every spelling of `address` (servers echo it in any case) written "<address>". */
function withoutAddress(text: string, address: string): string {
  const pattern = new RegExp(address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
  return text.replace(pattern, "<address>").slice(0, 500);
}
