// Picks the mailer MAILER names, built from the checked mail settings.

import type { MailConfig } from "../../core/config.js";
import type { MailerSetup } from "./compose.js";
import { LogMailer, type Outbox } from "./log.js";
import type { Mailer } from "./mailer.js";
import { PostmarkMailer } from "./postmark.js";
import { ResendMailer } from "./resend.js";
import { SmtpMailer } from "./smtp.js";

/** `outbox` is where MAILER=log keeps what it prints; the mailers that really send keep nothing. */
export function createMailer(setup: MailerSetup & { config: MailConfig; outbox?: Outbox }): Mailer {
  switch (setup.config.mailer) {
    case "log":
      return new LogMailer(setup);
    case "smtp":
      return new SmtpMailer(setup);
    case "resend":
      return new ResendMailer(setup);
    case "postmark":
      return new PostmarkMailer(setup);
  }
}
