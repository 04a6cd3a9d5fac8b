// The scale bench (bench/scale-entry.ts) writes its 100 000 subscribers as rows in their final
// state, batched, instead of one store call per step: these tests hold those rows to what the
// stores themselves leave for the same lives, so the console is timed on the data it will read.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type SeedSubscriber, seedSubscribers, seedSuppressions } from "../../../bench/scale-entry.js";
import { addressKey } from "../../../src/core/subscription.js";
import type { Bindings } from "../../../src/worker/services.js";
import { AddressHash } from "../../../src/worker/store/address-hash.js";
import { SubscriberStore } from "../../../src/worker/store/subscribers.js";
import { SuppressionStore } from "../../../src/worker/store/suppressions.js";

const T0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const MINUTE = 60_000;

/** One of each life the bench generates, for addresses starting with `who`. */
function lives(who: string): SeedSubscriber[] {
  const base = { source: "/subscribe", unsubscribedAt: null, suppressed: null };
  const daily = { frequency: "daily" as const, tags: [], timeZone: "Asia/Almaty", sendHour: 7 };
  const weekly = { frequency: "weekly" as const, tags: ["energy-almaty", "sport"], timeZone: "UTC", sendHour: 18 };
  return [
    {
      ...base,
      email: `${who}.pending@Example.org`,
      preferences: weekly,
      ip: "203.0.113.7",
      requestedAt: T0,
      confirmedAt: null,
    },
    {
      ...base,
      email: `${who}.active@example.org`,
      preferences: daily,
      ip: null,
      requestedAt: T0,
      confirmedAt: T0 + MINUTE,
    },
    {
      ...base,
      email: `${who}.Left@example.org`,
      preferences: weekly,
      ip: "2001:db8::1",
      source: "/articles/story-9",
      requestedAt: T0 + 2 * MINUTE,
      confirmedAt: T0 + 3 * MINUTE,
      unsubscribedAt: T0 + 90 * MINUTE,
    },
    {
      ...base,
      email: `${who}.bounced@example.org`,
      preferences: daily,
      ip: "203.0.113.8",
      requestedAt: T0 + 4 * MINUTE,
      confirmedAt: T0 + 5 * MINUTE,
      suppressed: { reason: "bounce", at: T0 + 600 * MINUTE },
    },
  ];
}

/** Each life through the stores, a step at a time at its own time, as the Worker would write it. */
async function throughStores(people: SeedSubscriber[]): Promise<void> {
  let at = 0;
  const subscribers = new SubscriberStore(env.DB, () => at);
  const suppressions = new SuppressionStore(env.DB, () => at);
  for (const p of people) {
    at = p.requestedAt;
    const outcome = await subscribers.request({
      email: p.email,
      preferences: p.preferences,
      source: p.source,
      ip: p.ip,
    });
    if (outcome.kind !== "send") throw new Error(`not signed up: ${p.email}`);
    if (p.confirmedAt !== null) {
      at = p.confirmedAt;
      await subscribers.confirm(outcome.subscriberId, outcome.nonce);
    }
    if (p.unsubscribedAt !== null) {
      at = p.unsubscribedAt;
      await subscribers.unsubscribe(outcome.subscriberId);
    }
    if (p.suppressed) {
      at = p.suppressed.at;
      await suppressions.suppress(p.email, p.suppressed.reason);
    }
  }
}

/** Every column of these addresses' rows but the id and the nonce's value, the address without its first word. */
async function rows(who: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare(
    `SELECT substr(email, length(?1) + 1) AS address, status, frequency, tags_json, time_zone, send_hour,
       requested_at, confirmed_at, source, ip_hash, pending_json, confirm_nonce IS NOT NULL AS nonce,
       confirm_sent_at, unsubscribed_at, updated_at
     FROM subscribers WHERE email_key LIKE ?2 ORDER BY id`,
  )
    .bind(who, `${who}.%`)
    .all();
  return results;
}

async function counts(): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT status, frequency, n FROM subscriber_counts").all<{
    status: string;
    frequency: string;
    n: number;
  }>();
  return Object.fromEntries(results.map((r) => [`${r.status} ${r.frequency}`, r.n]));
}

async function suppressed(email: string): Promise<{ reason: string; created_at: number } | null> {
  const hash = await new AddressHash(env.DB).of(addressKey(email));
  return env.DB.prepare("SELECT reason, created_at FROM suppressions WHERE email_hash = ?1")
    .bind(hash)
    .first<{ reason: string; created_at: number }>();
}

const difference = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );

describe("the scale bench's subscribers", () => {
  it("are the rows the stores leave for the same lives, counted by the same triggers", async () => {
    const start = await counts();
    await throughStores(lives("store"));
    const afterStores = await counts();
    const ids = await seedSubscribers(env as unknown as Bindings, lives("bench"));
    const afterBench = await counts();

    expect(await rows("bench")).toEqual(await rows("store"));
    expect(await rows("bench")).toHaveLength(4);
    expect(difference(afterBench, afterStores)).toEqual(difference(afterStores, start));
    expect(difference(afterBench, afterStores)).toEqual({
      "pending weekly": 1,
      "active daily": 1,
      "unsubscribed weekly": 1,
      "suppressed daily": 1,
    });
    const { results } = await env.DB.prepare(
      "SELECT id FROM subscribers WHERE email_key LIKE 'bench.%' ORDER BY id",
    ).all<{
      id: number;
    }>();
    expect(ids).toEqual(results.map((r) => r.id));
    expect(await suppressed("bench.bounced@example.org")).toEqual(await suppressed("store.bounced@example.org"));
    expect(await suppressed("bench.bounced@example.org")).toEqual({ reason: "bounce", created_at: T0 + 600 * MINUTE });
  });

  it("suppresses an erased address as SuppressionStore does: its hash, reason and time", async () => {
    await seedSuppressions(env as unknown as Bindings, [
      { email: "Gone.Reader@Example.NET", reason: "complaint", at: T0 },
    ]);
    await new SuppressionStore(env.DB, () => T0).suppress("gone.other@example.net", "complaint");
    expect(await suppressed("gone.reader@example.net")).toEqual(await suppressed("gone.other@example.net"));
    expect(await suppressed("gone.reader@example.net")).toEqual({ reason: "complaint", created_at: T0 });
  });
});
