// The HTTP mailers' batch calls against the local Resend and Postmark servers
// (test/global-setup.ts): what each recipient receives, the request it came in, one outcome per
// message in order, Resend's whole-request key and replay, and failures of a whole request or of
// one message. Each test uses its own addresses and keys, so files running in parallel never meet.

import { describe, expect, it } from "vitest";
import { listHeaders } from "../../../src/worker/mail/headers.js";
import type { MailMessage, SendItem, SendOutcome } from "../../../src/worker/mail/mailer.js";
import { PostmarkMailer } from "../../../src/worker/mail/postmark.js";
import { ResendMailer } from "../../../src/worker/mail/resend.js";
import type { Arrived } from "../../mail-types.js";
import { SITE } from "../helpers.js";
import { address, mailbox, mailSetup } from "../mailbox.js";

const FROM = "The Steppe Ledger <digest@example.com>";
const NOW = Date.UTC(2022, 0, 10, 7, 0, 0);
const TIMEOUT = { timeout: 60_000 };

function digest(to: string): MailMessage {
  const unsubscribe = `${SITE}/unsubscribe?token=${encodeURIComponent(to)}`;
  return {
    to,
    subject: `Daily digest for ${to}`,
    html: `<p>News for ${to}. <a href="${unsubscribe}">Unsubscribe</a></p>`,
    text: `News for ${to}.\n\nUnsubscribe: ${unsubscribe}`,
    headers: listHeaders({ siteUrl: SITE, unsubscribeUrl: unsubscribe }),
    kind: "broadcast",
  };
}

/** One digest per address, keyed as the queue consumer keys them: `<edition>/<subscriber>`. */
function items(addresses: readonly string[]): SendItem[] {
  const edition = `daily/2022-01-10/${crypto.randomUUID().slice(0, 8)}`;
  return addresses.map((to, i) => ({ message: digest(to), options: { idempotencyKey: `${edition}/${i + 1}` } }));
}

function addresses(n: number, label = "batch"): string[] {
  return Array.from({ length: n }, () => address(label));
}

function summary(outcomes: SendOutcome[]): string[] {
  return outcomes.map((o) => (o.ok ? "sent" : `${o.error.kind} ${o.error.code ?? "-"}`));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Everything that arrived for each address, in the addresses' order. */
function arrivals(to: readonly string[]): Promise<Arrived[][]> {
  return Promise.all(to.map((a) => mailbox.messages(a)));
}

describe("the Resend mailer's batch call", TIMEOUT, () => {
  const resend = () => new ResendMailer(mailSetup("resend", { MAIL_FROM: FROM }, { now: () => NOW }));

  it("sends three digests in one request keyed by their keys, each to its own reader with its headers", async () => {
    const to = addresses(3);
    const batch = items(to);
    const outcomes = await resend().sendAll(batch);
    expect(summary(outcomes)).toEqual(["sent", "sent", "sent"]);

    const key = `batch/${await sha256Hex(batch.map((item) => item.options.idempotencyKey).join("\n"))}`;
    const received = await arrivals(to);
    for (const [i, messages] of received.entries()) {
      const address = to[i] ?? "";
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message?.via).toBe("resend");
      // The outcome at position i is the id the server gave the message for the reader at position i.
      expect(outcomes[i]).toEqual({ ok: true, sent: { id: message?.id } });
      expect(message?.request?.headers["idempotency-key"]).toBe(key);
      expect(message?.request?.headers.authorization).toBe("Bearer re_test_key_0123456789");
      expect(message?.request?.body).toEqual({
        from: FROM,
        to: [address],
        subject: `Daily digest for ${address}`,
        html: digest(address).html,
        text: digest(address).text,
        headers: {
          "Message-ID": expect.stringMatching(/^<[0-9a-f]{32}@news\.example\.com>$/),
          "List-Id": "<digest.news.example.com>",
          "List-Unsubscribe": `<${SITE}/unsubscribe?token=${encodeURIComponent(address)}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
    }
    const ids = received.map((messages) => messages[0]?.headers["message-id"]);
    expect(new Set(ids).size).toBe(3);
  });

  it("replays the first answer when exactly the same digests are sent again, sending nothing twice", async () => {
    const to = addresses(3);
    const batch = items(to);
    const first = await resend().sendAll(batch);
    const again = await resend().sendAll(batch);
    expect(summary(again)).toEqual(["sent", "sent", "sent"]);
    expect(again).toEqual(first);
    for (const messages of await arrivals(to)) expect(messages).toHaveLength(1);
  });

  it("splits 250 digests into requests of 100, 100 and 50, in order", async () => {
    const to = addresses(250, "chunk");
    const batch = items(to);
    const outcomes = await resend().sendAll(batch);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(250);

    const received = await arrivals(to);
    expect(received.map((messages) => messages.length)).toEqual(to.map(() => 1));
    const keys = received.map((messages) => messages[0]?.request?.headers["idempotency-key"] ?? "");
    const runs: { key: string; size: number }[] = [];
    for (const key of keys) {
      const last = runs.at(-1);
      if (last?.key === key) last.size++;
      else runs.push({ key, size: 1 });
    }
    expect(runs.map((run) => run.size)).toEqual([100, 100, 50]);
    expect(new Set(runs.map((run) => run.key)).size).toBe(3);
    const firstKeys = batch.slice(0, 100).map((item) => item.options.idempotencyKey);
    expect(runs[0]?.key).toBe(`batch/${await sha256Hex(firstKeys.join("\n"))}`);
    received.forEach((messages, i) => {
      expect(outcomes[i]).toEqual({ ok: true, sent: { id: messages[0]?.id } });
    });
  });

  it("leaves a message it cannot send out of the request and sends the others", async () => {
    const to = addresses(3);
    const batch = items(to);
    const refused = batch[1];
    if (!refused) throw new Error("no second item");
    refused.message = { ...refused.message, to: "two addresses@example.net, another@example.net" };
    const outcomes = await resend().sendAll(batch);
    expect(summary(outcomes)).toEqual(["sent", "permanent -", "sent"]);
    expect(outcomes[1]?.ok === false && outcomes[1].error.message).toMatch(/^cannot send: /);

    const [one, , three] = await arrivals(to);
    const sentKeys = [batch[0], batch[2]].map((item) => item?.options.idempotencyKey).join("\n");
    expect(one?.[0]?.request?.headers["idempotency-key"]).toBe(`batch/${await sha256Hex(sentKeys)}`);
    expect(three?.[0]?.request?.headers["idempotency-key"]).toBe(`batch/${await sha256Hex(sentKeys)}`);
    expect(await mailbox.messages(to[1] ?? "")).toEqual([]);
  });

  it("fails every message of the request alike on a 500, sends none, and a retry of the same digests goes through", async () => {
    const to = addresses(3);
    const batch = items(to);
    await mailbox.failNext("resend", to[1] ?? "", 500, {
      statusCode: 500,
      name: "internal_server_error",
      message: "Oops",
    });
    expect(summary(await resend().sendAll(batch))).toEqual(["transient 500", "transient 500", "transient 500"]);
    for (const messages of await arrivals(to)) expect(messages).toEqual([]);

    expect(summary(await resend().sendAll(batch))).toEqual(["sent", "sent", "sent"]);
    for (const messages of await arrivals(to)) expect(messages).toHaveLength(1);
  });

  it("keeps failing while the server does (failNext twice), then sends once", async () => {
    const to = addresses(2);
    const batch = items(to);
    await mailbox.failNext(
      "resend",
      to[0] ?? "",
      429,
      { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" },
      2,
    );
    expect(summary(await resend().sendAll(batch))).toEqual(["transient 429", "transient 429"]);
    expect(summary(await resend().sendAll(batch))).toEqual(["transient 429", "transient 429"]);
    expect(summary(await resend().sendAll(batch))).toEqual(["sent", "sent"]);
    for (const messages of await arrivals(to)) expect(messages).toHaveLength(1);
  });

  it.each([
    [422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field" }, "permanent 422"],
    [403, { statusCode: 403, name: "validation_error", message: "Domain not verified" }, "permanent 403"],
    [409, { statusCode: 409, name: "concurrent_idempotent_requests", message: "In progress" }, "transient 409"],
    [200, { data: [{ id: "only-one" }] }, "transient 200"],
  ])("types a %i answer (%j) as %s for every message", async (status, body, typed) => {
    const to = addresses(3);
    await mailbox.failNext("resend", to[2] ?? "", status, body);
    const outcomes = await resend().sendAll(items(to));
    expect(summary(outcomes)).toEqual([typed, typed, typed]);
    for (const messages of await arrivals(to)) expect(messages).toEqual([]);
  });

  it("refuses the same digests changed under the same key (Resend's 409), sending nothing again", async () => {
    const to = addresses(2);
    const batch = items(to);
    await resend().sendAll(batch);
    const changed = batch.map((item) => ({ ...item, message: { ...item.message, subject: "Edited" } }));
    const outcomes = await resend().sendAll(changed);
    expect(summary(outcomes)).toEqual(["permanent 409", "permanent 409"]);
    for (const messages of await arrivals(to)) expect(messages.map((m) => m.subject)).toEqual([expect.any(String)]);
  });

  it("makes no request for an empty batch", async () => {
    expect(await resend().sendAll([])).toEqual([]);
  });
});

describe("the Postmark mailer's batch call", TIMEOUT, () => {
  const postmark = () =>
    new PostmarkMailer(mailSetup("postmark", { MAIL_FROM: FROM, POSTMARK_STREAM: "broadcast" }, { now: () => NOW }));

  it("sends the digests on the broadcast stream; an inactive recipient fails alone", async () => {
    const to = addresses(3);
    await mailbox.failNext("postmark", to[1] ?? "", 200, {
      ErrorCode: 406,
      Message: "You tried to send to a recipient that has been marked as inactive.",
    });
    const outcomes = await postmark().sendAll(items(to));
    expect(summary(outcomes)).toEqual(["sent", "permanent 406", "sent"]);

    const [one, two, three] = await arrivals(to);
    expect(two).toEqual([]);
    for (const [i, messages] of [one, three].entries()) {
      const address = to[i * 2] ?? "";
      expect(messages).toHaveLength(1);
      const message = messages?.[0];
      expect(outcomes[i * 2]).toEqual({ ok: true, sent: { id: message?.id } });
      expect(message?.request?.headers["x-postmark-server-token"]).toBe("test-postmark-token-0123456789");
      expect(message?.request?.body).toMatchObject({
        From: FROM,
        To: address,
        Subject: `Daily digest for ${address}`,
        HtmlBody: digest(address).html,
        TextBody: digest(address).text,
        MessageStream: "broadcast",
      });
      expect(message?.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(message?.headers["message-id"]).toMatch(/^<[0-9a-f]{32}@news\.example\.com>$/);
    }
  });

  it("types any other refusal of one message as permanent with its ErrorCode", async () => {
    const to = addresses(2);
    await mailbox.failNext("postmark", to[0] ?? "", 200, { ErrorCode: 300, Message: "Invalid 'To' address" });
    const outcomes = await postmark().sendAll(items(to));
    expect(summary(outcomes)).toEqual(["permanent 300", "sent"]);
    expect(outcomes[0]?.ok === false && outcomes[0].error.message).toContain("Invalid 'To' address");
    expect(await mailbox.messages(to[0] ?? "")).toEqual([]);
    expect(await mailbox.messages(to[1] ?? "")).toHaveLength(1);
  });

  it.each([
    [500, { ErrorCode: 100, Message: "Maintenance" }, "transient 500"],
    [429, { ErrorCode: 429, Message: "Rate limit exceeded" }, "transient 429"],
    [401, { ErrorCode: 10, Message: "Bad token" }, "permanent 401"],
    [422, { ErrorCode: 300, Message: "Invalid email request" }, "permanent 422"],
  ])("fails every message alike on a %i answer (%j): %s", async (status, body, typed) => {
    const to = addresses(3);
    await mailbox.failNext("postmark", to[0] ?? "", status, body);
    const outcomes = await postmark().sendAll(items(to));
    expect(summary(outcomes)).toEqual([typed, typed, typed]);
    for (const messages of await arrivals(to)) expect(messages).toEqual([]);
  });
});
