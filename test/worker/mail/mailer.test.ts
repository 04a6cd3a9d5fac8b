// The mailers against real local servers (test/global-setup.ts): each message is read back as the
// server received it (SMTP: parsed by mailparser) and its headers and both parts checked; failures
// come back typed, transient or permanent, and a misbehaving server never hangs a send.

import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../src/core/config.js";
import { listHeaders } from "../../../src/worker/mail/headers.js";
import { LogMailer } from "../../../src/worker/mail/log.js";
import { MailError, type MailMessage, sendAll } from "../../../src/worker/mail/mailer.js";
import { PostmarkMailer } from "../../../src/worker/mail/postmark.js";
import { ResendMailer } from "../../../src/worker/mail/resend.js";
import { SmtpMailer } from "../../../src/worker/mail/smtp.js";
import { Services } from "../../../src/worker/services.js";
import { SITE } from "../helpers.js";
import { address, mailbox, mailSetup, mailVars } from "../mailbox.js";

const FROM = "Степной вестник <digest@example.com>";
const SUBJECT = "Дайджест: новости степи";
const NOW = Date.UTC(2026, 10, 28, 7, 0, 0);
const UNSUBSCRIBE = `${SITE}/unsubscribe?token=tok-123`;
const TIMEOUT = { timeout: 30_000 };

function letter(to: string, overrides: Partial<MailMessage> = {}): MailMessage {
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

const fixed = { now: () => NOW };

/** The failure a promise rejects with, as a MailError. */
async function failureOf(promise: Promise<unknown>): Promise<MailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MailError) return error;
    throw error;
  }
  throw new Error("expected the send to fail");
}

function headerLine(message: { headerLines: { key: string; line: string }[] }, key: string): string | undefined {
  return message.headerLines.find((h) => h.key === key.toLowerCase())?.line;
}

describe("list headers", () => {
  it("name the list by the site's host and unsubscribe with one click", () => {
    expect(listHeaders({ siteUrl: SITE, unsubscribeUrl: UNSUBSCRIBE })).toEqual({
      "List-Id": "<digest.news.example.com>",
      "List-Unsubscribe": "<https://news.example.com/unsubscribe?token=tok-123>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});

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

describe("the Resend mailer", TIMEOUT, () => {
  const resend = (overrides: Record<string, string> = {}) =>
    new ResendMailer(mailSetup("resend", { MAIL_FROM: FROM, ...overrides }, fixed));

  it("posts the message with the idempotency key, its Message-ID and list headers", async () => {
    const to = address();
    const sent = await resend().send(letter(to), { idempotencyKey: "digest:42:2026-11-28" });
    const [arrived, ...more] = await mailbox.messages(to);
    expect(more).toEqual([]);
    expect(arrived?.via).toBe("resend");
    expect(arrived?.request?.headers["idempotency-key"]).toBe("digest:42:2026-11-28");
    expect(arrived?.request?.headers.authorization).toBe("Bearer re_test_key_0123456789");
    const body = arrived?.request?.body ?? {};
    expect(body.from).toBe(FROM);
    expect(body.to).toEqual([to]);
    expect(body.subject).toBe(SUBJECT);
    expect(body.html).toBe(letter(to).html);
    expect(body.text).toBe(letter(to).text);
    expect(body.headers).toEqual({
      "Message-ID": expect.stringMatching(/^<[0-9a-f]{32}@news\.example\.com>$/),
      "List-Id": "<digest.news.example.com>",
      "List-Unsubscribe": `<${UNSUBSCRIBE}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a retry with the same idempotency key is answered without a second email", async () => {
    const to = address();
    const first = await resend().send(letter(to), { idempotencyKey: `retry:${to}` });
    const again = await resend().send(letter(to), { idempotencyKey: `retry:${to}` });
    expect(again.id).toBe(first.id);
    expect(await mailbox.messages(to)).toHaveLength(1);
  });

  it.each([
    [429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" }, "transient"],
    [503, { statusCode: 503, name: "application_error", message: "Unavailable" }, "transient"],
    [500, { statusCode: 500, name: "internal_server_error", message: "Oops" }, "transient"],
    [422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field" }, "permanent"],
    [403, { statusCode: 403, name: "validation_error", message: "Domain not verified" }, "permanent"],
    [409, { statusCode: 409, name: "concurrent_idempotent_requests", message: "In progress" }, "transient"],
    [409, { statusCode: 409, name: "invalid_idempotent_request", message: "Different payload" }, "permanent"],
  ])("types a %i answer (%j) as %s", async (status, answer, kind) => {
    const to = address();
    await mailbox.failNext("resend", to, status, answer);
    const error = await failureOf(resend().send(letter(to), { idempotencyKey: `fail:${to}` }));
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(status);
    expect(error.message).not.toContain("re_test_key");
    expect(await mailbox.messages(to)).toEqual([]);
  });

  it("an unreachable API is transient", async () => {
    const base = `http://127.0.0.1:${env.MAIL_TEST_CLOSED_PORT}`;
    const error = await failureOf(resend({ EMAIL_API_BASE: base }).send(letter(address()), { idempotencyKey: "x" }));
    expect(error.kind).toBe("transient");
  });

  it("a wrong API key is permanent, and the key is not in the error", async () => {
    const error = await failureOf(
      resend({ RESEND_API_KEY: "re_wrong_secret_key" }).send(letter(address()), { idempotencyKey: "k" }),
    );
    expect(error.kind).toBe("permanent");
    expect(error.code).toBe(401);
    expect(error.message).not.toContain("re_wrong_secret_key");
  });
});

describe("the Postmark mailer", TIMEOUT, () => {
  const postmark = (overrides: Record<string, string> = {}) =>
    new PostmarkMailer(mailSetup("postmark", { MAIL_FROM: FROM, ...overrides }, fixed));

  it("posts a digest on the broadcast stream with its Message-ID and list headers", async () => {
    const to = address();
    await postmark().send(letter(to), { idempotencyKey: "digest:9:2026-11-28" });
    const [arrived] = await mailbox.messages(to);
    expect(arrived?.via).toBe("postmark");
    expect(arrived?.request?.headers["x-postmark-server-token"]).toBe("test-postmark-token-0123456789");
    const body = arrived?.request?.body ?? {};
    expect(body).toMatchObject({
      From: FROM,
      To: to,
      Subject: SUBJECT,
      HtmlBody: letter(to).html,
      TextBody: letter(to).text,
      MessageStream: "broadcast",
    });
    expect(body.Headers).toEqual([
      { Name: "Message-ID", Value: expect.stringMatching(/^<[0-9a-f]{32}@news\.example\.com>$/) },
      { Name: "List-Id", Value: "<digest.news.example.com>" },
      { Name: "List-Unsubscribe", Value: `<${UNSUBSCRIBE}>` },
      { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
    ]);
  });

  it("sends a confirmation on the transactional stream, a digest on POSTMARK_STREAM", async () => {
    const [confirm, digest] = [address(), address()];
    const mailer = postmark({ POSTMARK_STREAM: "weekly-digest" });
    await mailer.send(letter(confirm, { kind: "transactional", headers: {} }), { idempotencyKey: `c:${confirm}` });
    await mailer.send(letter(digest), { idempotencyKey: `d:${digest}` });
    expect((await mailbox.messages(confirm))[0]?.request?.body.MessageStream).toBe("outbound");
    expect((await mailbox.messages(digest))[0]?.request?.body.MessageStream).toBe("weekly-digest");
  });

  it.each([
    [
      422,
      { ErrorCode: 406, Message: "You tried to send to a recipient that has been marked as inactive." },
      "permanent",
    ],
    [422, { ErrorCode: 300, Message: "Invalid email request" }, "permanent"],
    [429, { ErrorCode: 429, Message: "Rate limit exceeded" }, "transient"],
    [503, { ErrorCode: 100, Message: "Maintenance" }, "transient"],
  ])("types a %i answer (%j) as %s", async (status, answer, kind) => {
    const to = address();
    await mailbox.failNext("postmark", to, status, answer);
    const error = await failureOf(postmark().send(letter(to), { idempotencyKey: `fail:${to}` }));
    expect(error.kind).toBe(kind);
    expect(await mailbox.messages(to)).toEqual([]);
  });
});

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

describe("the test mailbox", TIMEOUT, () => {
  it.each(["smtp", "resend", "postmark"] as const)("reads a message sent by %s in one shape", async (mailer) => {
    const to = address();
    const services = new Services(mailVars(mailer, { MAIL_FROM: FROM }) as unknown as typeof env, () => NOW);
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

describe("Services.mailer()", TIMEOUT, () => {
  it("is the log mailer with wrangler.toml's MAILER = log, printing to the console", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      // This project's own MAILER is smtp (its queue consumer sends confirmations).
      await new Services(mailVars("log") as unknown as typeof env)
        .mailer()
        .send(letter("someone@example.net", { text: `Go: ${SITE}/x` }), {
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
    const services = new Services(mailVars("smtp") as unknown as typeof env, () => NOW);
    await services.mailer().send(letter(to), { idempotencyKey: `services:${to}` });
    const message = await mailbox.smtp(to);
    expect(message.from).toEqual([{ name: "The Steppe Ledger", address: "digest@example.com" }]);
    expect(message.date).toBe("2026-11-28T07:00:00.000Z");
  });

  it("sends a batch through sendAll", async () => {
    const [a, b] = [address(), address()];
    const services = new Services(mailVars("resend") as unknown as typeof env);
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
    const services = new Services(mailVars(mailer, overrides) as unknown as typeof env);
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
      const services = new Services(mailVars(mailer, HOSTILE_FROM) as unknown as typeof env, () => NOW);
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
    const services = new Services(mailVars(mailer) as unknown as typeof env, () => NOW);
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
      const services = new Services(mailVars(mailer) as unknown as typeof env, () => NOW);
      const sender =
        mailer === "log" ? new LogMailer(mailSetup("log", {}, fixed), (l) => lines.push(l)) : services.mailer();
      const error = await failureOf(sender.send(letter(to, { headers }), { idempotencyKey: `bad-extra:${to}` }));
      expect(error.kind).toBe("permanent");
      expect(lines).toEqual([]);
      expect(await mailbox.messages(to)).toEqual([]);
    },
  );
});
