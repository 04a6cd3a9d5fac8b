// Header values leave on one line, whatever the mailer: compose() folds Subject and From.

import { describe, expect, it } from "vitest";
import { LogMailer } from "../../../src/worker/mail/log.js";
import { sendAll } from "../../../src/worker/mail/mailer.js";
import { Services } from "../../../src/worker/services.js";
import { address, mailbox, mailSetup, mailVars } from "../mailbox.js";
import { failureOf, fixed, headerLine, letter, NOW, TIMEOUT } from "./letters.js";

describe("a line break in a header value", TIMEOUT, () => {
  // A title stored before titles were checked, as a digest's subject; the same in MAIL_FROM's name.
  const INJECTED = "Headline\r\nBcc: x@evil.example";
  const ONE_LINE = "Headline Bcc: x@evil.example";
  const HOSTILE_FROM = { MAIL_FROM: "Ledger\u2028Bcc: z@evil.example <digest@example.com>" };
  const FOLDED_FROM = "Ledger Bcc: z@evil.example <digest@example.com>";

  it.each(["smtp", "resend", "postmark"] as const)(
    "in the subject or From reaches %s on one line, no Bcc",
    async (mailer) => {
      const to = address();
      const services = new Services(mailVars(mailer, HOSTILE_FROM), () => NOW);
      await services.mailer().send(letter(to, { subject: INJECTED }), { idempotencyKey: `inject:${to}` });
      const [message, ...more] = await mailbox.messages(to);
      expect(more).toEqual([]);
      expect(message?.subject).toBe(ONE_LINE);
      expect(Object.keys(message?.headers ?? {})).not.toContain("bcc");
      if (mailer === "smtp") {
        const smtp = await mailbox.smtp(to);
        expect(smtp.headerLines.map((h) => h.key)).not.toContain("bcc");
        expect(headerLine(smtp, "Subject")).toBe(`Subject: ${ONE_LINE}`);
        expect(smtp.from).toEqual([{ name: "Ledger Bcc: z@evil.example", address: "digest@example.com" }]);
      } else {
        const body = message?.request?.body ?? {};
        expect(body[mailer === "resend" ? "from" : "From"]).toBe(FOLDED_FROM);
        expect(body[mailer === "resend" ? "subject" : "Subject"]).toBe(ONE_LINE);
      }
    },
  );

  it.each(["resend", "postmark"] as const)("in the subject reaches %s on one line in a batch too", async (mailer) => {
    const to = address();
    const services = new Services(mailVars(mailer), () => NOW);
    const [outcome] = await sendAll(services.mailer(), [
      { message: letter(to, { subject: INJECTED }), options: { idempotencyKey: `inject-batch:${to}` } },
    ]);
    expect(outcome?.ok).toBe(true);
    const [message] = await mailbox.messages(to);
    expect(message?.subject).toBe(ONE_LINE);
    expect(Object.keys(message?.headers ?? {})).not.toContain("bcc");
  });

  it("in the subject or From is printed by the log mailer on one line, with no Bcc line", async () => {
    const lines: string[] = [];
    const mailer = new LogMailer(mailSetup("log", HOSTILE_FROM, fixed), (line) => lines.push(line));
    await mailer.send(letter("reader@example.net", { subject: INJECTED }), { idempotencyKey: "inject:log" });
    const printed = lines.join("\n").split("\n");
    expect(printed).toContain(`Subject: ${ONE_LINE}`);
    expect(printed).toContain(`From: ${FOLDED_FROM}`);
    expect(printed.filter((line) => /^bcc:/i.test(line))).toEqual([]);
  });

  it.each(["log", "resend", "postmark"] as const)(
    "in an extra header (built by code, so a bug) is refused by %s as permanent, nothing sent",
    async (mailer) => {
      const to = address();
      const lines: string[] = [];
      const headers = { "List-Id": "<a>\nBcc: victim@example.net" };
      const services = new Services(mailVars(mailer), () => NOW);
      const sender =
        mailer === "log" ? new LogMailer(mailSetup("log", {}, fixed), (l) => lines.push(l)) : services.mailer();
      const error = await failureOf(sender.send(letter(to, { headers }), { idempotencyKey: `bad-extra:${to}` }));
      expect(error.kind).toBe("permanent");
      expect(lines).toEqual([]);
      expect(await mailbox.messages(to)).toEqual([]);
    },
  );
});
