import { describe, expect, it } from "vitest";
import { PostmarkMailer } from "../../../src/worker/mail/postmark.js";
import { address, mailbox, mailSetup } from "../mailbox.js";
import { FROM, failureOf, fixed, letter, SUBJECT, TIMEOUT, UNSUBSCRIBE } from "./letters.js";

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
