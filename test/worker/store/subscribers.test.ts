import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/core/config.js";
import { addressKey, type Preferences } from "../../../src/core/subscription.js";
import { Services } from "../../../src/worker/services.js";
import { DeliveryStore } from "../../../src/worker/store/deliveries.js";
import { SubscriberStore } from "../../../src/worker/store/subscribers.js";
import { SuppressionStore } from "../../../src/worker/store/suppressions.js";

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const DAILY: Preferences = { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 };
const WEEKLY: Preferences = {
  frequency: "weekly",
  tags: ["transit", "culture"],
  timeZone: "Europe/Moscow",
  sendHour: 18,
};

let clock = T0;
let store: SubscriberStore;
let suppressions: SuppressionStore;
let n = 0;

beforeEach(() => {
  clock = T0;
  store = new SubscriberStore(env.DB, () => clock);
  suppressions = new SuppressionStore(env.DB, () => clock);
});

/** A fresh address per test: the database is shared by the tests of this file. */
function address(): string {
  n++;
  return `reader${n}@example.com`;
}

function ask(email: string, preferences = DAILY, ip: string | null = "203.0.113.9") {
  return store.request({ email, preferences, source: "/articles/some-article", ip });
}

async function sent(email: string, preferences = DAILY): Promise<{ subscriberId: number; nonce: string }> {
  const outcome = await ask(email, preferences);
  if (outcome.kind !== "send") throw new Error(`expected "send", got ${outcome.kind}`);
  return outcome;
}

async function rawRow(email: string): Promise<Record<string, unknown> | null> {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email = ?1").bind(email).first();
}

describe("request", () => {
  it("stores a new address as pending with its consent record and no IP address in the clear", async () => {
    const email = address();
    const outcome = await ask(email);
    if (outcome.kind !== "send") throw new Error("expected a send");
    const { subscriberId, nonce, status } = outcome;
    expect(status).toBe("pending");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await store.get(subscriberId)).toEqual({
      id: subscriberId,
      email,
      status: "pending",
      preferences: DAILY,
      requestedAt: T0,
      confirmedAt: null,
      source: "/articles/some-article",
      unsubscribedAt: null,
    });
    const row = await rawRow(email);
    expect(row?.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain("203.0.113.9");
  });

  it("keeps the first 200 characters of the source page", async () => {
    const long = `/${"p".repeat(300)}`;
    const outcome = await store.request({ email: address(), preferences: DAILY, source: long, ip: null });
    if (outcome.kind !== "send") throw new Error("expected a send");
    expect((await store.get(outcome.subscriberId))?.source).toBe(long.slice(0, 200));
    const exact = `/${"q".repeat(199)}`;
    const second = await store.request({ email: address(), preferences: DAILY, source: exact, ip: null });
    if (second.kind !== "send") throw new Error("expected a send");
    expect((await store.get(second.subscriberId))?.source).toBe(exact);
  });

  it("sends again 600 000 ms after the last confirmation, not 599 999 ms after", async () => {
    const email = address();
    const first = await sent(email);
    const before = await rawRow(email);
    clock = T0 + 599_999;
    expect(await ask(email, WEEKLY)).toEqual({ kind: "quiet" });
    expect(await rawRow(email)).toEqual(before);
    clock = T0 + 600_000;
    const second = await ask(email, WEEKLY);
    expect(second).toMatchObject({ kind: "send", subscriberId: first.subscriberId });
    if (second.kind === "send") expect(second.nonce).not.toBe(first.nonce);
  });

  it("gives exactly one of two concurrent requests for the same address a send", async () => {
    const email = address();
    const outcomes = await Promise.all([ask(email), ask(email, WEEKLY)]);
    expect(outcomes.filter((o) => o.kind === "send")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "quiet")).toHaveLength(1);
  });

  it("never sends to a suppressed address, known or erased, and changes nothing", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    await suppressions.suppress(email, "hard bounce");
    const before = await rawRow(email);
    clock = T0 + 24 * 3600_000;
    expect(await ask(email)).toEqual({ kind: "quiet" });
    expect(await rawRow(email)).toEqual(before);
    expect(await store.erase(subscriberId)).toBe(true);
    clock += 24 * 3600_000;
    expect(await ask(email)).toEqual({ kind: "quiet" });
    expect(await rawRow(email)).toBeNull();
  });

  it("matches the address without case: a bounce for John@ suppresses john@, and JOHN@ stays quiet", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    await suppressions.suppress(
      email.replace(/^./, (c) => c.toUpperCase()),
      "hard bounce",
    );
    expect((await store.get(subscriberId))?.status).toBe("suppressed");
    clock += 3_600_000;
    expect(await ask(email.toUpperCase().replace("EXAMPLE.COM", "example.com"))).toEqual({ kind: "quiet" });
  });

  it("is one subscriber per mailbox: Victim@, VICTIM@ and victim@ get one email, and the address stays as first given", async () => {
    n++;
    const [first, upper, lower] = [`Victim${n}@example.com`, `VICTIM${n}@example.com`, `victim${n}@example.com`];
    const { subscriberId } = await sent(first);
    clock = T0 + 1_000;
    expect(await ask(upper, WEEKLY)).toEqual({ kind: "quiet" });
    expect(await ask(lower, WEEKLY)).toEqual({ kind: "quiet" });
    // Past the cooldown, another case is the same subscriber asking again.
    clock = T0 + 600_000;
    expect(await ask(lower, WEEKLY)).toMatchObject({ kind: "send", subscriberId });
    const { results } = await env.DB.prepare("SELECT id, email FROM subscribers WHERE lower(email) = ?1")
      .bind(lower)
      .all();
    expect(results).toEqual([{ id: subscriberId, email: first }]);
    for (const spelling of [first, upper, lower]) {
      expect((await store.findByEmail(spelling))?.id, spelling).toBe(subscriberId);
    }
  });

  it("stays quiet for a row whose status is suppressed even without its suppression entry", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    await env.DB.prepare(
      "UPDATE subscribers SET status = 'suppressed', pending_json = NULL, confirm_nonce = NULL WHERE id = ?1",
    )
      .bind(subscriberId)
      .run();
    const before = await rawRow(email);
    clock = T0 + 24 * 3600_000;
    expect(await ask(email)).toEqual({ kind: "quiet" });
    expect(await ask(email.toUpperCase(), WEEKLY)).toEqual({ kind: "quiet" });
    expect(await rawRow(email)).toEqual(before);
    expect((await store.get(subscriberId))?.status).toBe("suppressed");
  });

  it("keys lookups exactly as D1 derives email_key, A-Z folded and nothing else", async () => {
    for (const text of ["Victim@Example.COM", "ÄÖ.Ü@X.ЯЗ", "ǅ@x", "İ@x", "ẞ@x", "a@b"]) {
      const key = await env.DB.prepare("SELECT lower(?1) AS key").bind(text).first<string>("key");
      expect(addressKey(text), text).toBe(key);
    }
  });

  it("suppresses an address never seen before, matched after normalisation", async () => {
    const email = address();
    await suppressions.suppress(`  ${email.replace("example.com", "EXAMPLE.com")} `, "complaint");
    expect(await ask(email)).toEqual({ kind: "quiet" });
    expect(await rawRow(email)).toBeNull();
  });
});

describe("confirm", () => {
  it("activates a pending subscriber once: the nonce cannot be used again", async () => {
    const email = address();
    const { subscriberId, nonce } = await sent(email);
    clock = T0 + 5_000;
    const confirmed = await store.confirm(subscriberId, nonce);
    expect(confirmed).toMatchObject({
      id: subscriberId,
      status: "active",
      confirmedAt: T0 + 5_000,
      preferences: DAILY,
    });
    clock = T0 + 6_000;
    expect(await store.confirm(subscriberId, nonce)).toBeNull();
    expect((await store.get(subscriberId))?.confirmedAt).toBe(T0 + 5_000);
  });

  it("refuses a wrong nonce, an old nonce and an unknown id", async () => {
    const email = address();
    const first = await sent(email);
    clock = T0 + 600_000;
    const second = await sent(email);
    expect(await store.confirm(first.subscriberId, "not-the-nonce")).toBeNull();
    expect(await store.confirm(first.subscriberId, first.nonce)).toBeNull();
    expect(await store.confirm(999_999, second.nonce)).toBeNull();
    expect((await store.get(first.subscriberId))?.status).toBe("pending");
    expect(await store.confirm(second.subscriberId, second.nonce)).toMatchObject({ status: "active" });
  });

  it("keeps an active subscriber's preferences until the new link is confirmed, then applies them", async () => {
    const email = address();
    const first = await sent(email);
    await store.confirm(first.subscriberId, first.nonce);
    clock = T0 + 3600_000;
    const again = await store.request({ email, preferences: WEEKLY, source: "/tags/transit", ip: null });
    if (again.kind !== "send") throw new Error("expected a send");
    expect(again.status).toBe("active");
    expect(await store.get(first.subscriberId)).toMatchObject({
      status: "active",
      preferences: DAILY,
      source: "/articles/some-article",
    });
    clock = T0 + 7200_000;
    expect(await store.confirm(again.subscriberId, again.nonce)).toEqual({
      id: first.subscriberId,
      email,
      status: "active",
      preferences: WEEKLY,
      requestedAt: T0 + 3600_000,
      confirmedAt: T0 + 7200_000,
      source: "/tags/transit",
      unsubscribedAt: null,
    });
  });

  it("re-subscribes an unsubscribed address only when its link is confirmed", async () => {
    const email = address();
    const first = await sent(email);
    await store.confirm(first.subscriberId, first.nonce);
    await store.unsubscribe(first.subscriberId);
    clock = T0 + 3600_000;
    const again = await sent(email);
    expect((await store.get(first.subscriberId))?.status).toBe("unsubscribed");
    expect(await store.confirm(again.subscriberId, again.nonce)).toMatchObject({
      status: "active",
      unsubscribedAt: null,
    });
  });

  it("never activates a suppressed subscriber, even with the right nonce", async () => {
    const email = address();
    const { subscriberId, nonce } = await sent(email);
    await suppressions.suppress(email, "hard bounce");
    expect(await store.confirm(subscriberId, nonce)).toBeNull();
    expect((await store.get(subscriberId))?.status).toBe("suppressed");
  });
});

describe("preferences, unsubscribe and erase", () => {
  it("saves new preferences without changing the status", async () => {
    const { subscriberId, nonce } = await sent(address());
    await store.confirm(subscriberId, nonce);
    expect(await store.updatePreferences(subscriberId, WEEKLY)).toMatchObject({
      status: "active",
      preferences: WEEKLY,
    });
    expect((await store.get(subscriberId))?.preferences).toEqual(WEEKLY);
    expect(await store.updatePreferences(999_999, WEEKLY)).toBeNull();
  });

  it("unsubscribes idempotently, keeping the first time", async () => {
    const { subscriberId, nonce } = await sent(address());
    await store.confirm(subscriberId, nonce);
    clock = T0 + 1_000;
    expect(await store.unsubscribe(subscriberId)).toMatchObject({ status: "unsubscribed", unsubscribedAt: T0 + 1_000 });
    clock = T0 + 2_000;
    expect(await store.unsubscribe(subscriberId)).toMatchObject({ status: "unsubscribed", unsubscribedAt: T0 + 1_000 });
    expect(await store.unsubscribe(999_999)).toBeNull();
  });

  it("leaves a suppressed subscriber suppressed when they unsubscribe or change preferences", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    await suppressions.suppress(email, "complaint");
    expect(await store.unsubscribe(subscriberId)).toMatchObject({ status: "suppressed", unsubscribedAt: null });
    expect(await store.updatePreferences(subscriberId, WEEKLY)).toBeNull();
    expect((await store.get(subscriberId))?.preferences).toEqual(DAILY);
  });

  it("erases the row, and never gives its id to anyone else", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    expect(await store.erase(subscriberId)).toBe(true);
    expect(await store.get(subscriberId)).toBeNull();
    expect(await store.erase(subscriberId)).toBe(false);
    const other = await sent(address());
    expect(other.subscriberId).toBeGreaterThan(subscriberId);
    // The erased address may subscribe again, as a new subscriber.
    const back = await sent(email);
    expect(back.subscriberId).toBeGreaterThan(other.subscriberId);
  });

  it("keeps no trace of an erased address but the suppression's salted hash", async () => {
    const email = address();
    const { subscriberId } = await sent(email);
    await suppressions.suppress(email, "hard bounce");
    await store.erase(subscriberId);
    const dump = JSON.stringify(await env.DB.prepare("SELECT * FROM suppressions").all());
    expect(dump).not.toContain(email);
    expect(dump).toContain("hard bounce");
  });

  it("deletes their unsent deliveries so nothing is mailed, and keeps each edition's sent history", async () => {
    const LEASE = 60_000;
    const deliveries = new DeliveryStore(env.DB, () => clock);
    const { subscriberId: id } = await sent(address());
    const past = "daily/2026-12-01";
    const sentIds = await deliveries.enqueue(past, [{ subscriberId: id, tagsKey: "all" }]);
    await deliveries.claim(sentIds, LEASE);
    await deliveries.settle({ sent: [{ id: sentIds[0] ?? 0, providerId: "msg-1" }], failed: [], released: [] });
    const key = "daily/2026-12-02";
    const [queued] = await deliveries.enqueue(key, [
      { subscriberId: id, tagsKey: "all" },
      { subscriberId: id + 1000, tagsKey: "all" },
    ]);
    if (queued === undefined) throw new Error("expected a row");
    const sendingKey = "daily/2026-12-03";
    const sending = await deliveries.enqueue(sendingKey, [{ subscriberId: id, tagsKey: "all" }]);
    await deliveries.claim(sending, LEASE);

    expect(await store.erase(id)).toBe(true);

    expect(await deliveries.claim([queued], LEASE)).toEqual([]);
    clock = T0 + 3600_000;
    expect(await deliveries.claim(sending, LEASE)).toEqual([]);
    expect(await deliveries.counts(key)).toEqual({ queued: 1, sending: 0, sent: 0, failed: 0, dead: 0 });
    expect(await deliveries.counts(sendingKey)).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, dead: 0 });
    expect(await deliveries.counts(past)).toEqual({ queued: 0, sending: 0, sent: 1, failed: 0, dead: 0 });
  });
});

describe("signing secret", () => {
  it("is a configuration error naming SIGNING_SECRET when missing or shorter than 32 characters", () => {
    const at = (secret: string | undefined) => new Services({ ...env, SIGNING_SECRET: secret });
    expect(() => at(undefined).signingSecret()).toThrow(ConfigError);
    expect(() => at(undefined).signingSecret()).toThrow(/^SIGNING_SECRET /);
    expect(() => at("x".repeat(31)).signingSecret()).toThrow("SIGNING_SECRET is shorter than 32 characters");
    expect(at("x".repeat(32)).signingSecret()).toBe("x".repeat(32));
  });
});
