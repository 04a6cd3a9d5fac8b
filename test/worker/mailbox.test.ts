// The test mailbox (test/worker/mailbox.ts) reads what each mailer sent in one shape.

import { describe, expect, it } from "vitest";
import { Services } from "../../src/worker/services.js";
import { FROM, letter, NOW, SUBJECT, TIMEOUT, UNSUBSCRIBE } from "./mail/letters.js";
import { address, mailbox, mailVars } from "./mailbox.js";

describe("the test mailbox", TIMEOUT, () => {
  it.each(["smtp", "resend", "postmark"] as const)("reads a message sent by %s in one shape", async (mailer) => {
    const to = address();
    const services = new Services(mailVars(mailer, { MAIL_FROM: FROM }), () => NOW);
    await services.mailer().send(letter(to), { idempotencyKey: `shape:${to}` });
    const [message] = await mailbox.messages(to);
    expect(message).toMatchObject({
      via: mailer,
      from: mailer === "smtp" ? '"Степной вестник" <digest@example.com>' : FROM,
      subject: SUBJECT,
      text: letter(to).text,
      html: letter(to).html,
    });
    expect(message?.headers["list-unsubscribe"]).toBe(`<${UNSUBSCRIBE}>`);
    await mailbox.clear(to);
    expect(await mailbox.messages(to)).toEqual([]);
  });
});
