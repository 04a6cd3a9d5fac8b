// The delivery queue's messages and the arithmetic of sending them: their shape (checked, since a
// queue hands back whatever was put on it), the retry backoff, and the pacing that keeps one
// consumer under MAIL_RATE. Pure: clocks are arguments.

import type { Frequency } from "./subscription.js";
import { TOPICS_PER_PING } from "./websub.js";

/** Ledger rows one send message names at most: Resend's batch call takes 100. */
export const SEND_MESSAGE_MAX = 100;
/** The longest wait before a retry (Cloudflare Queues allow 12 hours; an hour is plenty). */
export const MAX_RETRY_DELAY_SECONDS = 3600;

/** Send these ledger rows. */
export interface SendMessage {
  type: "send";
  ids: number[];
}

/** Write the ledger rows of one page of due subscribers (one zone and send hour) and queue them. */
export interface FanOutMessage {
  type: "fanout";
  /** The edition key, "daily/2022-01-10" or "weekly/2022-W02". */
  edition: string;
  frequency: Frequency;
  timeZone: string;
  sendHour: number;
  /** Subscribers after this id: 0 for the first page. */
  after: number;
}

/** Tell the WebSub hub these feed URLs changed (see core/websub.ts). */
export interface WebSubPingMessage {
  type: "websub";
  /** Absolute feed URLs, 1 to 100 (TOPICS_PER_PING). */
  topics: string[];
}

/**
 * Send the confirmation email of one sign-up: the subscriber's request whose link carries `nonce`.
 * The address is read when it is sent, so none travels through the queue.
 */
export interface ConfirmMessage {
  type: "confirm";
  subscriber: number;
  nonce: string;
}

export type DeliveryMessage = SendMessage | FanOutMessage | WebSubPingMessage | ConfirmMessage;

/** A message body as it came off the queue, or null when it is not one of ours. */
export function parseDeliveryMessage(body: unknown): DeliveryMessage | null {
  if (!body || typeof body !== "object") return null;
  const m = body as Record<string, unknown>;
  if (m.type === "send") {
    const ids = m.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > SEND_MESSAGE_MAX) return null;
    if (!ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) return null;
    return { type: "send", ids: ids as number[] };
  }
  if (m.type === "fanout") {
    const { edition, frequency, timeZone, sendHour, after } = m;
    if (typeof edition !== "string" || !/^(?:daily\/\d{4}-\d{2}-\d{2}|weekly\/\d{4}-W\d{2})$/.test(edition))
      return null;
    if (frequency !== "daily" && frequency !== "weekly") return null;
    if (!edition.startsWith(`${frequency}/`)) return null;
    if (typeof timeZone !== "string" || timeZone.length === 0 || timeZone.length > 64) return null;
    if (typeof sendHour !== "number" || !Number.isInteger(sendHour) || sendHour < 0 || sendHour > 23) return null;
    if (typeof after !== "number" || !Number.isSafeInteger(after) || after < 0) return null;
    return { type: "fanout", edition, frequency, timeZone, sendHour, after };
  }
  if (m.type === "websub") {
    const topics = m.topics;
    if (!Array.isArray(topics) || topics.length === 0 || topics.length > TOPICS_PER_PING) return null;
    if (!topics.every((t) => typeof t === "string" && t.length <= 2000 && /^https?:\/\//.test(t))) return null;
    return { type: "websub", topics: topics as string[] };
  }
  if (m.type === "confirm") {
    const { subscriber, nonce } = m;
    if (typeof subscriber !== "number" || !Number.isSafeInteger(subscriber) || subscriber <= 0) return null;
    if (typeof nonce !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)) return null;
    return { type: "confirm", subscriber, nonce };
  }
  return null;
}

/** Send messages of at most `size` ids each, in order. */
export function sendMessages(ids: readonly number[], size = SEND_MESSAGE_MAX): SendMessage[] {
  const messages: SendMessage[] = [];
  for (let start = 0; start < ids.length; start += size) {
    messages.push({ type: "send", ids: ids.slice(start, start + size) });
  }
  return messages;
}

/**
 * Seconds before retry number `attempt` (1 for the first retry): base, 2 × base, 4 × base, …,
 * at most an hour.
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 20);
  return Math.min(baseSeconds * 2 ** exponent, MAX_RETRY_DELAY_SECONDS);
}

/**
 * Paces one consumer invocation at `rate` messages a second: message n may go in second
 * floor(n / rate) of the invocation, so no second carries more than `rate`. An invocation sends
 * for at most `windowMs`; what would start later is left for a later invocation.
 */
export class Pacer {
  private sent = 0;

  constructor(
    private readonly rate: number,
    private readonly windowMs: number,
    private readonly start: number,
  ) {}

  /** Messages one provider call may carry at this rate: a second's worth, at most `max`. */
  chunkSize(max: number): number {
    return Math.max(1, Math.min(max, Math.floor(this.rate)));
  }

  /** Whether `count` more messages can start within this invocation's window. */
  fits(count: number): boolean {
    return this.slot(this.sent + count - 1) < this.start + this.windowMs;
  }

  /** Takes `count` messages' slots; returns how long to wait (ms, from `now`) before sending them. */
  take(count: number, now: number): number {
    const last = this.slot(this.sent + count - 1);
    this.sent += count;
    return Math.max(0, last - now);
  }

  /** When message number n (0-based) of this invocation may go. */
  private slot(n: number): number {
    return this.start + Math.floor(n / this.rate) * 1000;
  }
}
