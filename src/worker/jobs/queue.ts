// The delivery queue's consumer and its dead-letter queue's. Messages are handled one after
// another, confirmation emails first (a reader is waiting for each), then fan-out pages and sends,
// all paced together by MAIL_RATE. A send whose rows failed for a passing
// reason is retried with exponential backoff; one that runs out of retries lands in the
// dead-letter queue, whose consumer marks its unsent rows dead. Sends beyond this invocation's
// share of MAIL_RATE are queued again for later, not retried: waiting is not a failure. WebSub
// pings and confirmations are retried the same way when the hub or the mailer fails for a
// passing reason (429, 5xx, SMTP 4xx, network); a confirmation refused for good is logged.

import { type DeliveryMessage, Pacer, parseDeliveryMessage, retryDelaySeconds } from "../../core/delivery.js";
import type { Services } from "../services.js";
import { sendConfirmation } from "./confirm.js";
import { fanOut } from "./fanout.js";
import { sendRows } from "./send.js";
import { sendPing } from "./websub.js";

export const DEAD_LETTER_QUEUE = "edge-feeds-deliveries-dead";
/** One invocation sends for at most this long; the rest waits for the next. */
export const SEND_WINDOW_MS = 30_000;

export interface QueueOptions {
  /** How long one invocation may send for (tests shorten it). */
  windowMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function consume(batch: MessageBatch<unknown>, s: Services, options: QueueOptions = {}): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return consumeDead(batch, s);
  const { rate, retryDelaySeconds: base } = s.delivery;
  const windowMs = options.windowMs ?? SEND_WINDOW_MS;
  const pacer = new Pacer(rate, windowMs, s.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // The ids one send message carries: what one invocation may send in its window, at most 100.
  const idsPerMessage = Math.max(1, Math.floor((rate * windowMs) / 1000));
  let started = false;
  const parsed = batch.messages.map((message) => ({ message, body: parseDeliveryMessage(message.body) }));
  // Confirmations go before the batch's digests, so none waits behind a window of sends.
  const ordered = [
    ...parsed.filter(({ body }) => body?.type === "confirm"),
    ...parsed.filter(({ body }) => body?.type !== "confirm"),
  ];
  for (const { message, body } of ordered) {
    if (!body) {
      console.error(JSON.stringify({ event: "delivery.bad-message", id: message.id }));
      message.ack();
      continue;
    }
    try {
      if (body.type === "confirm") {
        // One email: it takes the next slot of this invocation's pace, past the window if need be
        // (a second's wait at most), rather than going back to the queue for a later invocation.
        const outcome = await sendConfirmation(s, body, async () => {
          started = true;
          const wait = pacer.take(1, s.now());
          if (wait > 0) await sleep(wait);
        });
        const log = { event: `confirm.${outcome.kind}`, subscriber: body.subscriber, attempt: message.attempts };
        if (outcome.kind === "retry") {
          const delaySeconds = retryDelaySeconds(message.attempts, base);
          console.warn(JSON.stringify({ ...log, error: outcome.error, retryInSeconds: delaySeconds }));
          message.retry({ delaySeconds });
        } else {
          if (outcome.kind === "refused") console.error(JSON.stringify({ ...log, error: outcome.error }));
          else console.log(JSON.stringify(log));
          message.ack();
        }
        continue;
      }
      if (body.type === "websub") {
        const outcome = await sendPing(s, body.topics);
        const log = { event: `websub.${outcome.kind}`, attempt: message.attempts, topics: body.topics.length };
        if (outcome.kind === "retry") {
          console.warn(JSON.stringify({ ...log, error: outcome.error }));
          message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
        } else {
          if (outcome.kind === "refused") console.error(JSON.stringify({ ...log, error: outcome.error, body }));
          else console.log(JSON.stringify(log));
          message.ack();
        }
        continue;
      }
      if (body.type === "fanout") {
        const result = await fanOut(s, body, idsPerMessage);
        console.log(JSON.stringify({ event: "delivery.fanout", ...body, ...result }));
        message.ack();
        continue;
      }
      if (started && !pacer.fits(body.ids.length)) {
        await s.deliveryQueue().send(body, { delaySeconds: Math.ceil(windowMs / 1000) });
        message.ack();
        continue;
      }
      started = true;
      const result = await sendRows({ services: s, mailer: () => s.mailer(), pacer, sleep }, body.ids);
      console.log(JSON.stringify({ event: "delivery.send", attempt: message.attempts, ...result }));
      if (result.released > 0) message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
      else message.ack();
    } catch (error) {
      console.error(
        JSON.stringify({
          event: "delivery.error",
          type: body.type,
          attempt: message.attempts,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, base) });
    }
  }
}

/** Messages whose retries ran out: their rows that were never sent become dead, with the reason. */
async function consumeDead(batch: MessageBatch<unknown>, s: Services): Promise<void> {
  for (const message of batch.messages) {
    const body: DeliveryMessage | null = parseDeliveryMessage(message.body);
    if (body?.type === "send") {
      const dead = await s.deliveries.markDead(body.ids, "retries ran out");
      console.error(JSON.stringify({ event: "delivery.dead", rows: dead }));
    } else if (body?.type === "confirm") {
      // The reader never got the link; they can ask again once the ten-minute cooldown is over.
      console.error(JSON.stringify({ event: "confirm.gave-up", subscriber: body.subscriber }));
    } else if (body?.type === "websub") {
      // The hub never took these: readers of these feeds learn of the change at their next poll.
      console.error(JSON.stringify({ event: "websub.gave-up", topics: body.topics }));
    } else {
      console.error(JSON.stringify({ event: "delivery.dead-message", body: message.body }));
    }
    message.ack();
  }
}
