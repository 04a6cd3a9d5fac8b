import { describe, expect, it } from "vitest";
import { LogMailer } from "../../../src/worker/mail/log.js";
import { SITE } from "../helpers.js";
import { mailSetup } from "../mailbox.js";
import { FROM, fixed, letter, SUBJECT } from "./letters.js";

describe("the log mailer", () => {
  it("prints the headers, the text and every link on a line of its own", async () => {
    const lines: string[] = [];
    const mailer = new LogMailer(mailSetup("log", { MAIL_FROM: FROM }, fixed), (line) => lines.push(line));
    const confirm = `${SITE}/subscribe/confirm?token=abc.def`;
    await mailer.send(
      letter("reader@example.net", {
        kind: "transactional",
        text: `Confirm: ${confirm}`,
        html: `<html xmlns="http://www.w3.org/1999/xhtml"><a href="${confirm}">Confirm</a> <a href="${SITE}/preferences?token=x&amp;y=1">Prefs</a></html>`,
      }),
      { idempotencyKey: "confirm:1" },
    );
    const printed = lines.join("\n").split("\n");
    expect(printed).toContain(`From: ${FROM}`);
    expect(printed).toContain("To: reader@example.net");
    expect(printed).toContain(`Subject: ${SUBJECT}`);
    expect(printed).toContain(`Confirm: ${confirm}`);
    expect(printed).toContain(confirm);
    expect(printed).toContain(`${SITE}/preferences?token=x&y=1`);
    // A namespace URI is not a link anyone can follow.
    expect(printed).not.toContain("http://www.w3.org/1999/xhtml");
    expect(printed).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });
});
