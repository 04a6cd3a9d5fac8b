// The Resend mailer against the local HTTP server (test/global-setup.ts): the request as the
// server received it, and failures typed transient or permanent.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ResendMailer } from "../../../src/worker/mail/resend.js";
import { address, mailbox, mailSetup } from "../mailbox.js";
import { FROM, failureOf, fixed, letter, SUBJECT, TIMEOUT, UNSUBSCRIBE } from "./letters.js";

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
