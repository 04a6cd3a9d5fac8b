// Which mailer MAILER picks (createMailer, through Services.mailer()).

import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../src/core/config.js";
import { sendAll } from "../../../src/worker/mail/mailer.js";
import { Services } from "../../../src/worker/services.js";
import { SITE } from "../helpers.js";
import { address, mailbox, mailVars } from "../mailbox.js";
import { letter, NOW, TIMEOUT } from "./letters.js";

describe("Services.mailer()", TIMEOUT, () => {
  it("is the log mailer with wrangler.toml's MAILER = log, printing to the console", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      // This project's own MAILER is smtp (its queue consumer sends confirmations).
      await new Services(mailVars("log")).mailer().send(letter("someone@example.net", { text: `Go: ${SITE}/x` }), {
        idempotencyKey: "default",
      });
      const printed = log.mock.calls.map((call) => String(call[0])).join("\n");
      expect(printed.split("\n")).toContain(`${SITE}/x`);
    } finally {
      log.mockRestore();
    }
  });

  it("sends through the mailer MAILER names", async () => {
    const to = address();
    const services = new Services(mailVars("smtp"), () => NOW);
    await services.mailer().send(letter(to), { idempotencyKey: `services:${to}` });
    const message = await mailbox.smtp(to);
    expect(message.from).toEqual([{ name: "The Steppe Ledger", address: "digest@example.com" }]);
    expect(message.date).toBe("2026-11-28T07:00:00.000Z");
  });

  it("sends a batch through sendAll", async () => {
    const [a, b] = [address(), address()];
    const services = new Services(mailVars("resend"));
    const outcomes = await sendAll(services.mailer(), [
      { message: letter(a), options: { idempotencyKey: `all:${a}` } },
      { message: letter(b), options: { idempotencyKey: `all:${b}` } },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(await mailbox.messages(b)).toHaveLength(1);
  });

  it.each([
    ["resend", { RESEND_API_KEY: "" }, "RESEND_API_KEY"],
    ["postmark", { POSTMARK_TOKEN: "" }, "POSTMARK_TOKEN"],
    ["smtp", { SMTP_PORT: "65536" }, "SMTP_PORT"],
    ["resend", { EMAIL_API_BASE: "ftp://mail.example.com" }, "EMAIL_API_BASE"],
  ] as const)("names the bad setting for MAILER=%s (%j)", (mailer, overrides, setting) => {
    const services = new Services(mailVars(mailer, overrides));
    try {
      services.mailer();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe(setting);
      return;
    }
    throw new Error("expected a ConfigError");
  });
});
