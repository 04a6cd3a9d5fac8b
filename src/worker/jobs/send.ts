// The send step: claims a message's ledger rows (so no other consumer sends them), fills each
// recipient's links into their group's stored render, sends through the Mailer in provider-sized
// chunks at the pace MAIL_RATE allows, and settles every row in one D1 batch. The idempotency key
// of a message is `<edition>/<subscriber>`; rows claimed together are sent together, so after a
// crash the same batch (and batch key) goes out again.

import type { Pacer } from "../../core/delivery.js";
import { type Mailer, type SendItem, sendAll } from "../mail/mailer.js";
import type { Services } from "../services.js";
import type { ClaimedDelivery, Settlement } from "../store/deliveries.js";
import type { EditionRender } from "../store/editions.js";
import { digestKey, digestMessage } from "./message.js";

/** A claim outlives the longest send of a message (a consumer runs at most 15 minutes). */
export const LEASE_MS = 15 * 60_000;
/** Messages per provider call at most (Resend's batch takes 100). */
const PROVIDER_BATCH = 100;

export interface SendDeps {
  services: Services;
  /** Built on first use, so a mailer setting's error releases the claimed rows. */
  mailer: () => Mailer;
  pacer: Pacer;
  sleep: (ms: number) => Promise<void>;
  /** How long a claim holds its rows (LEASE_MS unless a test shortens it). */
  leaseMs?: number;
}

export interface SendResult {
  sent: number;
  failed: number;
  /** Rows that failed for a passing reason and are queued again: the message is retried. */
  released: number;
  /** The last transient error, for the log. */
  error: string | null;
}

export async function sendRows(deps: SendDeps, ids: readonly number[]): Promise<SendResult> {
  const s = deps.services;
  const result: SendResult = { sent: 0, failed: 0, released: 0, error: null };
  const claimed = await s.deliveries.claim(ids, deps.leaseMs ?? LEASE_MS);
  if (claimed.length === 0) return result;
  let sending = false;
  try {
    return await sendClaimed(deps, claimed, result, () => {
      sending = true;
    });
  } catch (error) {
    // Nothing reached the provider: the rows go back to queued now, not when the lease runs out.
    if (!sending) {
      const message = error instanceof Error ? error.message : String(error);
      await s.deliveries.settle({
        sent: [],
        failed: [],
        released: claimed.map((row) => ({ id: row.id, error: message })),
      });
    }
    throw error;
  }
}

async function sendClaimed(
  deps: SendDeps,
  claimed: ClaimedDelivery[],
  result: SendResult,
  onSend: () => void,
): Promise<SendResult> {
  const s = deps.services;
  const settlement: Settlement = { sent: [], failed: [], released: [] };
  const [recipients, renders] = await Promise.all([
    s.audience.recipients(claimed.map((row) => row.subscriberId)),
    rendersOf(s, claimed),
  ]);

  const items: { row: ClaimedDelivery; item: SendItem }[] = [];
  const secret = s.signingSecret();
  const siteUrl = s.site.siteUrl;
  const mailer = deps.mailer();
  for (const row of claimed) {
    const recipient = recipients.get(row.subscriberId);
    const render = renders.get(`${row.edition}\n${row.tagsKey}`);
    // Unsubscribed, suppressed or erased since the run: never mailed.
    if (recipient?.status !== "active") {
      settlement.failed.push({ id: row.id, error: `not sent: the subscriber is ${recipient?.status ?? "erased"}` });
      continue;
    }
    if (!render || render.articles === 0) {
      settlement.failed.push({ id: row.id, error: "not sent: the edition has no render for this group" });
      continue;
    }
    items.push({
      row,
      item: {
        message: await digestMessage(render, { id: row.subscriberId, email: recipient.email }, secret, siteUrl),
        options: { idempotencyKey: digestKey(row.edition, row.subscriberId) },
      },
    });
  }

  const size = deps.pacer.chunkSize(PROVIDER_BATCH);
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size);
    const wait = deps.pacer.take(chunk.length, s.now());
    if (wait > 0) await deps.sleep(wait);
    onSend();
    const outcomes = await sendAll(
      mailer,
      chunk.map((c) => c.item),
    );
    chunk.forEach(({ row }, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) settlement.sent.push({ id: row.id, providerId: outcome.sent.id });
      else if (outcome && outcome.error.kind === "permanent") {
        settlement.failed.push({ id: row.id, error: outcome.error.message });
      } else {
        const error = outcome?.error.message ?? "the mailer gave no outcome";
        settlement.released.push({ id: row.id, error });
        result.error = error;
      }
    });
  }
  await s.deliveries.settle(settlement);
  result.sent = settlement.sent.length;
  result.failed = settlement.failed.length;
  result.released = settlement.released.length;
  return result;
}

/** The stored renders the claimed rows need, keyed "<edition>\n<tags key>". */
async function rendersOf(s: Services, rows: readonly ClaimedDelivery[]): Promise<Map<string, EditionRender>> {
  const byEdition = new Map<string, Set<string>>();
  for (const row of rows) {
    const keys = byEdition.get(row.edition) ?? new Set<string>();
    keys.add(row.tagsKey);
    byEdition.set(row.edition, keys);
  }
  const found = new Map<string, EditionRender>();
  for (const [edition, keys] of byEdition) {
    for (const [key, render] of await s.editions.get(edition, [...keys])) found.set(`${edition}\n${key}`, render);
  }
  return found;
}
