// The digest email one subscriber gets: their group's render with their own signed token in every
// link, and the list headers. The send step builds each message with it, and the console's
// preview and test send too, so what the publisher sees is what is sent.

import { subscriberLinks } from "../../core/subscription.js";
import { signToken } from "../../core/token.js";
import { listHeaders } from "../mail/headers.js";
import type { MailMessage } from "../mail/mailer.js";
import type { EditionRender } from "../store/editions.js";

export interface DigestRecipient {
  /** The subscriber's id: their token names it. */
  id: number;
  email: string;
}

/** The message for `recipient` from a render with articles (see EditionStore). */
export async function digestMessage(
  render: EditionRender,
  recipient: DigestRecipient,
  secret: string,
  siteUrl: string,
): Promise<MailMessage> {
  const token = encodeURIComponent(await signToken(secret, { purpose: "manage", subscriber: recipient.id }));
  const fill = (part: string) => part.split(render.recipientMark).join(token);
  return {
    to: recipient.email,
    subject: render.subject,
    html: fill(render.html),
    text: fill(render.text),
    headers: listHeaders({ siteUrl, unsubscribeUrl: subscriberLinks(siteUrl, token).unsubscribe }),
    kind: "broadcast",
  };
}

/** The provider's idempotency key of an edition's message to a subscriber (and the Message-ID's source). */
export const digestKey = (edition: string, subscriberId: number): string => `${edition}/${subscriberId}`;
