// The queue consumer's confirmation emails (src/worker/jobs/confirm.ts), one batch at a time
// through consume() with the real D1 and the local SMTP server: what is sent, skipped, retried,
// refused or given up, what the log says, and how a confirmation shares MAIL_RATE with digests.
// The whole way through the real queue, per mailer, is test/journeys/delivery/each-mailer/confirmation.test.ts.

import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConfirmMessage } from "../../../src/core/delivery.js";
import { renderGroup } from "../../../src/worker/jobs/fanout.js";
import { consume, DEAD_LETTER_QUEUE } from "../../../src/worker/jobs/queue.js";
import { Services } from "../../../src/worker/services.js";
import { admin, fixture } from "../helpers.js";
import { address, mailbox, mailVars } from "../mailbox.js";

const QUEUE = "edge-feeds-deliveries";
const services = new Services(env);

/** A pending sign-up, as POST /subscribe records it; its confirm message. */
async function signUp(email = address("confirm")): Promise<{ email: string; message: ConfirmMessage }> {
  const outcome = await services.subscribers.request({
    email,
    preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
    source: "/subscribe",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a confirmation to send");
  return { email, message: { type: "confirm", subscriber: outcome.subscriberId, nonce: outcome.nonce } };
}

/** Runs one batch of these bodies (attempt `attempts`) through consume(); what it acked and retried. */
async function run(
  bodies: unknown[],
  options: {
    s?: Services;
    attempts?: number;
    queue?: string;
    windowMs?: number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const batch = createMessageBatch(
    options.queue ?? QUEUE,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  await consume(batch, options.s ?? services, {
    ...(options.windowMs ? { windowMs: options.windowMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  return getQueueResult(batch, createExecutionContext());
}

const row = (id: number) =>
  env.DB.prepare("SELECT * FROM subscribers WHERE id = ?1").bind(id).first<Record<string, unknown>>();

/** Every line logged to console.error and console.warn while `work` runs. */
async function logged(work: () => Promise<unknown>): Promise<string[]> {
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    await work();
    return [...error.mock.calls, ...warn.mock.calls].map((call) => call.map(String).join(" "));
  } finally {
    error.mockRestore();
    warn.mockRestore();
  }
}

beforeAll(async () => {
  const res = await admin(
    "POST",
    "/api/articles",
    fixture({ slug: "confirm-pace", date: "2021-03-15T10:00:00+06:00" }),
  );
  expect(res.status).toBe(201);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a confirm message", { timeout: 30_000 }, () => {
  it("sends the confirmation once, acked, and leaves the rows the sign-up wrote as they were", async () => {
    const { email, message } = await signUp();
    const before = await row(message.subscriber);
    const result = await run([message]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    const sent = await mailbox.smtp(email);
    expect(sent.subject).toBe("Confirm your subscription to The Steppe Ledger");
    // The ten-minute cooldown and the nonce are the sign-up's: sending changes neither.
    expect(await row(message.subscriber)).toEqual(before);
  });

  it("sends nothing when a newer request, a confirmation, a suppression or an erasure came since", async () => {
    const overtaken = await signUp();
    // A newer request ten minutes on carries a nonce of its own: the old message is moot.
    vi.useFakeTimers({ now: Date.now() + 600_000, toFake: ["Date"] });
    const newer = await signUp(overtaken.email);
    vi.useRealTimers();
    expect(newer.message.nonce).not.toBe(overtaken.message.nonce);
    const confirmed = await signUp();
    await services.subscribers.confirm(confirmed.message.subscriber, confirmed.message.nonce);
    const suppressed = await signUp();
    await services.suppressions.suppress(suppressed.email, "complaint");
    const erased = await signUp();
    await services.subscribers.erase(erased.message.subscriber);

    const result = await run([overtaken.message, confirmed.message, suppressed.message, erased.message]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2", "m3"]);
    expect(result.retryMessages).toEqual([]);
    for (const { email } of [overtaken, confirmed, suppressed, erased])
      expect(await mailbox.messages(email)).toEqual([]);
  });

  it("is retried with the sends' backoff when the mailer fails for a passing reason, logged without the address", async () => {
    const { email, message } = await signUp();
    const closed = new Services(mailVars("smtp", { SMTP_PORT: env.MAIL_TEST_CLOSED_PORT }));
    let first: Awaited<ReturnType<typeof run>> | undefined;
    let third: Awaited<ReturnType<typeof run>> | undefined;
    const lines = await logged(async () => {
      first = await run([message], { s: closed });
      third = await run([message], { s: closed, attempts: 3 });
    });
    expect(first?.retryMessages).toEqual([{ msgId: "m0" }]);
    expect(third?.retryMessages).toEqual([{ msgId: "m0" }]);
    expect(first?.explicitAcks).toEqual([]);
    // MAIL_RETRY_DELAY is 1 in the tests: 1 second before the first retry, 4 before the third.
    const retry = (attempt: number, seconds: number) => ({
      event: "confirm.retry",
      subscriber: message.subscriber,
      attempt,
      error: expect.stringMatching(/^transient mail error: SMTP: could not talk to the server/),
      retryInSeconds: seconds,
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([retry(1, 1), retry(3, 4)]);
    expect(lines.join("\n")).not.toContain(email);
    expect(await mailbox.messages(email)).toEqual([]);
  });

  it("is logged with the reason and acked when the server refuses the address for good", async () => {
    const { email, message } = await signUp();
    await mailbox.failSmtpNext(email, 550, `5.1.1 <${email.toUpperCase()}> mailbox unavailable`);
    let result: Awaited<ReturnType<typeof run>> | undefined;
    const lines = await logged(async () => {
      result = await run([message]);
    });
    expect(result?.explicitAcks).toEqual(["m0"]);
    expect(result?.retryMessages).toEqual([]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        event: "confirm.refused",
        subscriber: message.subscriber,
        attempt: 1,
        error: "permanent mail error 550: SMTP server refused: 550 5.1.1 <<address>> mailbox unavailable",
      },
    ]);
    expect(await mailbox.messages(email)).toEqual([]);
  });

  it("that ran out of retries is logged by the dead-letter consumer, with the subscriber and no address", async () => {
    const { email, message } = await signUp();
    let result: Awaited<ReturnType<typeof run>> | undefined;
    const lines = await logged(async () => {
      result = await run([message], { queue: DEAD_LETTER_QUEUE });
    });
    expect(result?.explicitAcks).toEqual(["m0"]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { event: "confirm.gave-up", subscriber: message.subscriber },
    ]);
    expect(lines.join("\n")).not.toContain(email);
    expect(await mailbox.messages(email)).toEqual([]);
  });
});

describe("a confirmation and MAIL_RATE", { timeout: 30_000 }, () => {
  it("goes first in its batch without waiting, and counts: a digest it leaves no room for is queued again", async () => {
    const edition = "daily/2021-03-15";
    const reader = address("paced-digest");
    const outcome = await services.subscribers.request({
      email: reader,
      preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
      source: "/subscribe",
      ip: null,
    });
    if (outcome.kind !== "send") throw new Error("expected a new subscriber");
    await services.subscribers.confirm(outcome.subscriberId, outcome.nonce);
    await services.editions.put([await renderGroup(services, edition, "[]")]);
    const ids = await services.deliveries.enqueue(edition, [{ subscriberId: outcome.subscriberId, tagsKey: "[]" }]);
    const { email, message } = await signUp();

    // One email a second, and an invocation that may send for one second: room for one email.
    const paced = new Services({ ...env, MAIL_RATE: "1" });
    const waits: number[] = [];
    const result = await run([{ type: "send", ids }, message], {
      s: paced,
      windowMs: 1000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1"]);
    expect(result.retryMessages).toEqual([]);
    expect(waits).toEqual([]);
    expect(await mailbox.smtp(email)).toMatchObject({ subject: "Confirm your subscription to The Steppe Ledger" });
    // The digest did not go in this invocation: it is back on the queue, not failed.
    expect(await mailbox.messages(reader)).toEqual([]);
    expect(await services.deliveries.counts(edition)).toMatchObject({ queued: 1, sent: 0 });
  });
});
