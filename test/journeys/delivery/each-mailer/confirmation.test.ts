// Confirmation emails the whole way, against the mailer this project names (see
// vitest.config.ts): POST /subscribe through the Worker, the real delivery queue and its
// consumer, the local mail server failing the first try for a passing reason (SMTP 451 at RCPT TO
// or at DATA, HTTP 429 or 503) or for good (SMTP 550, HTTP 422).

import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { consume } from "../../../../src/worker/jobs/queue.js";
import { Services } from "../../../../src/worker/services.js";
import { eventually, request } from "../../../worker/helpers.js";
import { address, mailbox, type Provider } from "../../../worker/mailbox.js";
import { parsePage } from "../../../worker/page.js";

const mailer = env.MAILER as "smtp" | "resend" | "postmark";
const services = new Services(env);
const CONFIRM_LINK = /https:\/\/news\.example\.com\/subscribe\/confirm\?token=[A-Za-z0-9._~-]+/;

let clients = 0;

/** POST /subscribe by JSON through the Worker, from an address of its own. */
function subscribe(email: string): Promise<Response> {
  return request("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `2001:db8:c0::${(++clients).toString(16)}` },
    body: JSON.stringify({ email, frequency: "daily" }),
  });
}

const row = (email: string) =>
  env.DB.prepare("SELECT id, status, confirm_nonce FROM subscribers WHERE email = ?1")
    .bind(email)
    .first<{ id: number; status: string; confirm_nonce: string | null }>();

/** Makes the mail server's next answer for `to` a passing failure of this kind. */
async function failOnce(to: string, kind: "451-rcpt" | "451-data" | 429 | 503): Promise<void> {
  if (mailer === "smtp") {
    const at = kind === "451-data" ? "data" : "rcpt";
    return mailbox.failSmtpNext(to, 451, "4.7.1 Greylisted, please try again later", { at });
  }
  const status = kind === 503 ? 503 : 429;
  await mailbox.failNext(mailer as Provider, to, status, { message: "try again later", name: "rate_limit_exceeded" });
}

/** Follows the emailed link as a reader does: the page, then its one button. */
async function confirmFrom(text: string): Promise<number> {
  const link = CONFIRM_LINK.exec(text)?.[0] ?? "";
  expect(link).not.toBe("");
  const page = parsePage(await (await request(link)).text());
  const form = page.forms.find((f) => f.method === "post" && f.buttons.length === 1);
  const fields = Object.fromEntries((form?.fields ?? []).map((f) => [f.name, f.value]));
  const pressed = await request(new URL(form?.action ?? "", link).href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return pressed.status;
}

const transient = mailer === "smtp" ? (["451-rcpt", "451-data"] as const) : ([429, 503] as const);

describe(`a confirmation through ${mailer}`, { timeout: 60_000 }, () => {
  for (const kind of transient) {
    it(`arrives once after the server answered ${kind} the first time, with a link that confirms`, async () => {
      const email = address(`confirm-${kind}`);
      await failOnce(email, kind);
      const res = await subscribe(email);
      expect(res.status).toBe(202);
      const [message] = await eventually(async () => {
        const all = await mailbox.messages(email);
        expect(all).toHaveLength(1);
        return all;
      });
      expect(message?.subject).toBe("Confirm your subscription to The Steppe Ledger");
      expect(await confirmFrom(message?.text ?? "")).toBe(200);
      expect((await row(email))?.status).toBe("active");
      expect(await mailbox.messages(email)).toHaveLength(1);
    });
  }

  it.runIf(mailer === "resend")("carries the idempotency key confirm/<id>/<nonce> (Resend)", async () => {
    const email = address("confirm-key");
    expect((await subscribe(email)).status).toBe(202);
    const [message] = await eventually(async () => {
      const all = await mailbox.messages(email);
      expect(all).toHaveLength(1);
      return all;
    });
    const subscriber = await row(email);
    expect(message?.request?.headers["idempotency-key"]).toBe(`confirm/${subscriber?.id}/${subscriber?.confirm_nonce}`);
  });

  it("refused for good is logged with the reason, acked and not retried", async () => {
    const email = address("confirm-refused");
    const outcome = await services.subscribers.request({
      email,
      preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
      source: "/subscribe",
      ip: null,
    });
    if (outcome.kind !== "send") throw new Error("expected a confirmation to send");
    if (mailer === "smtp") await mailbox.failSmtpNext(email, 550, "5.1.1 mailbox unavailable");
    else await mailbox.failNext(mailer, email, 422, { message: "invalid recipient", name: "validation_error" });
    const batch = createMessageBatch("edge-feeds-deliveries", [
      {
        id: "c1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "confirm", subscriber: outcome.subscriberId, nonce: outcome.nonce },
      },
    ]);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await consume(batch, services);
      const result = await getQueueResult(batch, createExecutionContext());
      expect(result.explicitAcks).toEqual(["c1"]);
      expect(result.retryMessages).toEqual([]);
      const [line, ...more] = error.mock.calls.map((call) => JSON.parse(String(call[0])));
      expect(more).toEqual([]);
      expect(line).toMatchObject({ event: "confirm.refused", subscriber: outcome.subscriberId, attempt: 1 });
      expect(line.error).toMatch(mailer === "smtp" ? /^permanent mail error 550: / : /^permanent mail error 422: /);
      expect(JSON.stringify(line)).not.toContain(email);
    } finally {
      error.mockRestore();
    }
    expect(await mailbox.messages(email)).toEqual([]);
  });
});
