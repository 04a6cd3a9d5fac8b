// Helpers for tests in workerd: what the local mail servers (test/global-setup.ts) received for
// an address, and a way to make a provider's next answer for an address fail. Tests use their own
// addresses, so files running in parallel never read or clear each other's mail.

import { env } from "cloudflare:test";
import { type MailConfig, parseMailConfig } from "../../src/core/config.js";
import type { MailerSetup } from "../../src/worker/mail/compose.js";
import type { Bindings } from "../../src/worker/services.js";
import type { Arrived, SmtpMessage } from "../mail-types.js";
import { SITE } from "./helpers.js";

export type Provider = "resend" | "postmark";

let counter = 0;

/** A fresh recipient address for one test: `<label>-<n>-<random>@example.net`. */
export function address(label = "reader"): string {
  counter++;
  return `${label}-${counter}-${crypto.randomUUID().slice(0, 8)}@example.net`;
}

export const mailbox = {
  /** Everything that arrived for `to` by any mailer, oldest first. */
  async messages(to: string): Promise<Arrived[]> {
    const response = await fetch(`${env.MAIL_TEST_HTTP}/control/messages?to=${encodeURIComponent(to)}`);
    return (await response.json()) as Arrived[];
  },

  /** The one SMTP message for `to` (fails the test when there is not exactly one). */
  async smtp(to: string): Promise<SmtpMessage> {
    const all = (await mailbox.messages(to)).filter((m) => m.via === "smtp");
    if (all.length !== 1 || !all[0]?.smtp) throw new Error(`expected one SMTP message for ${to}, got ${all.length}`);
    return all[0].smtp;
  },

  async clear(to: string): Promise<void> {
    await fetch(`${env.MAIL_TEST_HTTP}/control/messages?to=${encodeURIComponent(to)}`, { method: "DELETE" });
  },

  /**
   * The provider's next `times` requests involving `to` answer `status` with `body`. In a Postmark
   * batch, a 200 whose body has an ErrorCode is that message's result and the others go through.
   */
  async failNext(provider: Provider, to: string, status: number, body: unknown, times = 1): Promise<void> {
    await fetch(`${env.MAIL_TEST_HTTP}/control/fail`, {
      method: "POST",
      body: JSON.stringify({ provider, to, status, body, times }),
    });
  },

  /**
   * The SMTP server answers the next `times` RCPT TO (or DATA, with `at: "data"`) for `to` with
   * `code` and `text`, then accepts it again.
   */
  async failSmtpNext(to: string, code: number, text: string, options: { at?: "rcpt" | "data"; times?: number } = {}) {
    await fetch(`${env.MAIL_TEST_HTTP}/control/fail`, {
      method: "POST",
      body: JSON.stringify({
        provider: "smtp",
        to,
        status: code,
        body: text,
        times: options.times ?? 1,
        at: options.at,
      }),
    });
  },

  /** Requests the provider's server has received so far from every test file (single sends, batch calls). */
  async requests(provider: Provider): Promise<{ single: number; batch: number }> {
    const response = await fetch(`${env.MAIL_TEST_HTTP}/control/requests?provider=${provider}`);
    return (await response.json()) as { single: number; batch: number };
  },
};

/** The test env's settings with MAILER (and any overrides) changed, pointed at the local servers. */
export function mailVars(mailer: MailConfig["mailer"], overrides: Record<string, string> = {}): Bindings {
  const base =
    mailer === "resend"
      ? `${env.MAIL_TEST_HTTP}/resend`
      : mailer === "postmark"
        ? `${env.MAIL_TEST_HTTP}/postmark`
        : "";
  return { ...env, MAILER: mailer, ...(base ? { EMAIL_API_BASE: base } : {}), ...overrides };
}

/** An adapter's setup, as Services builds it, for a chosen mailer. */
export function mailSetup(
  mailer: MailConfig["mailer"],
  overrides: Record<string, string> = {},
  extra: Partial<MailerSetup> = {},
): MailerSetup {
  return { config: parseMailConfig(mailVars(mailer, overrides)), siteUrl: SITE, now: () => Date.now(), ...extra };
}
