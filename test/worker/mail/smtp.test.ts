// The SMTP mailer against the local SMTP server (test/global-setup.ts): each message is read back
// as the server received it (parsed by mailparser); failures come back typed, transient or
// permanent, and a misbehaving server never hangs a send.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SmtpMailer } from "../../../src/worker/mail/smtp.js";
import { address, mailbox, mailSetup } from "../mailbox.js";
import { FROM, failureOf, fixed, headerLine, letter, SUBJECT, TIMEOUT, UNSUBSCRIBE } from "./letters.js";

describe("the SMTP mailer", TIMEOUT, () => {
  const smtp = (overrides: Record<string, string> = {}, timeoutMs?: number) =>
    new SmtpMailer(
      mailSetup("smtp", { MAIL_FROM: FROM, ...overrides }, { ...fixed, ...(timeoutMs ? { timeoutMs } : {}) }),
    );

  it("delivers a multipart/alternative message with encoded Cyrillic, its ids and list headers", async () => {
    const to = address();
    const sent = await smtp().send(letter(to), { idempotencyKey: "digest:1:2026-11-28" });
    const message = await mailbox.smtp(to);

    expect(message.envelopeFrom).toBe("digest@example.com");
    expect(message.from).toEqual([{ name: "Степной вестник", address: "digest@example.com" }]);
    expect(headerLine(message, "To")).toBe(`To: ${to}`);
    expect(message.subject).toBe(SUBJECT);
    // On the wire the subject and the name are RFC 2047 encoded-words: the message is ASCII.
    expect(headerLine(message, "Subject")).toMatch(/^Subject: =\?UTF-8\?B\?/);
    expect(headerLine(message, "From")).toMatch(/^From: =\?UTF-8\?B\?.*\?= <digest@example\.com>$/s);
    expect(message.raw).toMatch(/^[\t\r\n -~]*$/);
    expect(message.messageId).toBe(sent.id);
    expect(message.messageId).toMatch(/^<[0-9a-f]{32}@news\.example\.com>$/);
    expect(message.date).toBe("2026-11-28T07:00:00.000Z");
    expect(headerLine(message, "Date")).toBe("Date: Sat, 28 Nov 2026 07:00:00 +0000");
    expect(headerLine(message, "List-Id")).toBe("List-Id: <digest.news.example.com>");
    expect(headerLine(message, "List-Unsubscribe")).toBe(`List-Unsubscribe: <${UNSUBSCRIBE}>`);
    expect(headerLine(message, "List-Unsubscribe-Post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(message.contentType).toBe("multipart/alternative");
    expect(message.text).toBe(`Здравствуйте!\n\nОтписаться: ${UNSUBSCRIBE}\n.\nА строка выше начинается с точки.`);
    expect(message.html).toBe(`<p>Здравствуйте! <a href="${UNSUBSCRIBE}">Отписаться</a></p>`);
  });

  it("gives the same logical email the same Message-ID", async () => {
    const [first, second] = [address(), address()];
    const a = await smtp().send(letter(first), { idempotencyKey: "digest:7:2026-W48" });
    const b = await smtp().send(letter(second), { idempotencyKey: "digest:7:2026-W48" });
    const c = await smtp().send(letter(second), { idempotencyKey: "digest:8:2026-W48" });
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });

  it("sends a batch over one connection; a refused recipient fails alone", async () => {
    const [one, refused, three] = [address(), `reject-550-${crypto.randomUUID()}@example.net`, address()];
    const outcomes = await smtp().sendAll(
      [one, refused, three].map((to, i) => ({ message: letter(to), options: { idempotencyKey: `batch:${to}:${i}` } })),
    );
    expect(outcomes.map((o) => (o.ok ? "sent" : `${o.error.kind} ${o.error.code}`))).toEqual([
      "sent",
      "permanent 550",
      "sent",
    ]);
    expect((await mailbox.smtp(one)).subject).toBe(SUBJECT);
    expect((await mailbox.smtp(three)).subject).toBe(SUBJECT);
  });

  it.each([
    ["550", "permanent"],
    ["451", "transient"],
  ])("types a %s reply to RCPT as %s", async (code, kind) => {
    const to = `${code === "550" ? "reject" : "defer"}-${code}-${crypto.randomUUID()}@example.net`;
    const error = await failureOf(smtp().send(letter(to), { idempotencyKey: `refused:${to}` }));
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(Number(code));
    expect(await mailbox.messages(to)).toEqual([]);
  });

  it("refused credentials are permanent and the password is never in the error", async () => {
    const error = await failureOf(
      smtp({ SMTP_PASS: "wrong-secret-password" }).send(letter(address()), { idempotencyKey: "auth" }),
    );
    expect(error.kind).toBe("permanent");
    expect(error.code).toBe(535);
    expect(error.message).not.toContain("wrong-secret-password");
  });

  it("no credentials for a server that requires them is permanent: a retry cannot succeed", async () => {
    const error = await failureOf(
      smtp({ SMTP_USER: "", SMTP_PASS: "" }).send(letter(address()), { idempotencyKey: "no-auth" }),
    );
    expect(error.kind).toBe("permanent");
    expect(error.message).toMatch(/SMTP_USER and SMTP_PASS/);
  });

  it("a server that hangs up mid-session is a transient error, not a hang", async () => {
    const error = await failureOf(
      smtp({ SMTP_PORT: env.MAIL_TEST_HANG_UP_PORT }).send(letter(address()), { idempotencyKey: "hang-up" }),
    );
    expect(error.kind).toBe("transient");
    expect(error.message).toMatch(/closed the connection/);
  });

  it("a server that hangs up before its greeting is a transient error, not a hang", async () => {
    const error = await failureOf(
      smtp({ SMTP_PORT: env.MAIL_TEST_DROP_PORT }).send(letter(address()), { idempotencyKey: "dropped" }),
    );
    expect(error.kind).toBe("transient");
    expect(error.message).toMatch(/closed the connection/);
  });

  it("a batch after a hang-up fails every item as transient", async () => {
    const outcomes = await smtp({ SMTP_PORT: env.MAIL_TEST_HANG_UP_PORT }).sendAll([
      { message: letter(address()), options: { idempotencyKey: "h1" } },
      { message: letter(address()), options: { idempotencyKey: "h2" } },
    ]);
    expect(outcomes.map((o) => (o.ok ? "sent" : o.error.kind))).toEqual(["transient", "transient"]);
  });

  it("a server that never answers is a transient error after our own timeout", async () => {
    const mailer = smtp({ SMTP_PORT: env.MAIL_TEST_SILENT_PORT }, 300);
    const error = await failureOf(mailer.send(letter(address()), { idempotencyKey: "silent" }));
    expect(error.kind).toBe("transient");
    expect(error.message).toMatch(/did not answer/);
  });

  it("a port nobody listens on is a transient error", async () => {
    const error = await failureOf(
      smtp({ SMTP_PORT: env.MAIL_TEST_CLOSED_PORT }).send(letter(address()), { idempotencyKey: "closed" }),
    );
    expect(error.kind).toBe("transient");
  });

  it.each([
    [{ "List-Id": "<a>\r\nBcc: victim@example.net" }],
    [{ Bcc: "victim@example.net" }],
    [{ "message-id": "<forged@example.net>" }],
  ])("refuses the extra headers %j before anything is sent", async (headers) => {
    const to = address();
    const error = await failureOf(smtp().send(letter(to, { headers }), { idempotencyKey: `bad:${to}` }));
    expect(error.kind).toBe("permanent");
    expect(await mailbox.messages(to)).toEqual([]);
  });
});
