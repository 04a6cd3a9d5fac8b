// WebSub pings: put on the delivery queue after a write (so the publisher never waits for the
// hub), sent by the queue consumer with its retries, and the hourly run's pings for scheduled
// articles that came out since the previous run.

import type { WebSubPingMessage } from "../../core/delivery.js";
import { feedTopics, pingBody, pingGroups } from "../../core/websub.js";
import type { Services } from "../services.js";
import { queueMessages } from "./enqueue.js";

/** Scheduled articles one hourly run pings for at most; the rest wait for the next run. */
const CAME_OUT_LIMIT = 500;
/** How far back the hourly run looks at most (the first run, or after WebSub was off). */
const LOOKBACK_MS = 86_400_000;
/** The first run looks back one cron interval. */
const FIRST_LOOKBACK_MS = 3_600_000;
/** A hub that has not answered by then is tried again later. */
const PING_TIMEOUT_MS = 10_000;

/** Queues pings for these topics; nothing when WebSub is off or there are none. */
export async function queuePings(s: Services, topics: readonly string[]): Promise<number> {
  if (topics.length === 0 || !s.websubHub) return 0;
  const messages: WebSubPingMessage[] = pingGroups(topics).map((group) => ({ type: "websub", topics: group }));
  await queueMessages(s.deliveryQueue(), messages);
  return messages.length;
}

/** How a ping went: accepted, worth retrying (429, 5xx, network), or refused for good (other 4xx). */
export type PingOutcome = { kind: "accepted" } | { kind: "retry" | "refused"; error: string };

export async function sendPing(s: Services, topics: readonly string[]): Promise<PingOutcome> {
  const hub = s.websubHub;
  if (!hub) return { kind: "refused", error: "WEBSUB_HUB is no longer set" };
  let response: Response;
  try {
    response = await fetch(hub, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: pingBody(topics),
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
  } catch (error) {
    return { kind: "retry", error: error instanceof Error ? error.message : String(error) };
  }
  // The body is not used; read it so the connection is freed.
  const text = (await response.text().catch(() => "")).slice(0, 200);
  if (response.ok) return { kind: "accepted" };
  const error = `the hub answered ${response.status}${text ? `: ${text}` : ""}`;
  return { kind: response.status === 429 || response.status >= 500 ? "retry" : "refused", error };
}

export interface WebSubRunResult {
  /** Articles that came out since the previous run. */
  articles: number;
  /** Ping messages queued. */
  pings: number;
}

/**
 * Pings for scheduled articles that became public since the previous run: no write happens at
 * their time, so no write pinged. The cut-off lives in D1; the read walks the published_at index.
 */
export async function runWebSubSchedule(s: Services, now: number): Promise<WebSubRunResult> {
  if (!s.websubHub) return { articles: 0, pings: 0 };
  const cutoff = s.websubCutoff;
  const stored = await cutoff.get();
  const from = Math.max(stored ?? now - FIRST_LOOKBACK_MS, now - LOOKBACK_MS);
  if (from >= now) return { articles: 0, pings: 0 };
  const came = await s.articles.cameOut(from, now, CAME_OUT_LIMIT);
  const last = came.at(-1);
  // A full page leaves the rest for the next run, from the last publish time read.
  const until = came.length === CAME_OUT_LIMIT && last ? last.publishedAt : now;
  const pings = came.length > 0 ? await queuePings(s, feedTopics(s.site, came)) : 0;
  await cutoff.set(until);
  return { articles: came.length, pings };
}
