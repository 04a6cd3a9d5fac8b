import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Preferences } from "../../../src/core/subscription.js";
import { type DeliveryInput, DeliveryStore } from "../../../src/worker/store/deliveries.js";
import { SubscriberStore } from "../../../src/worker/store/subscribers.js";

const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);
const LEASE = 60_000;
const DAILY: Preferences = { frequency: "daily", tags: [], timeZone: "Asia/Tokyo", sendHour: 7 };

let clock = T0;
let store: DeliveryStore;
let n = 0;

beforeEach(() => {
  clock = T0;
  store = new DeliveryStore(env.DB, () => clock);
});

/** A fresh edition key per test: the database is shared by the tests of this file. */
function edition(): string {
  n++;
  return `daily/2026-11-${String(n).padStart(2, "0")}`;
}

function recipients(from: number, count: number, tagsKey = "all"): DeliveryInput[] {
  return Array.from({ length: count }, (_, i) => ({ subscriberId: from + i, tagsKey }));
}

async function statusOf(id: number): Promise<string | null> {
  const row = await env.DB.prepare("SELECT status FROM deliveries WHERE id = ?1").bind(id).first<{ status: string }>();
  return row?.status ?? null;
}

// One row's outcome through settle(), the path the queue consumer takes: true if the row changed.
const markSent = async (id: number, providerId: string | null) =>
  (await store.settle({ sent: [{ id, providerId }], failed: [], released: [] })) > 0;
const markFailed = async (id: number, error: string) =>
  (await store.settle({ sent: [], failed: [{ id, error }], released: [] })) > 0;
const release = async (id: number, error: string) =>
  (await store.settle({ sent: [], failed: [], released: [{ id, error }] })) > 0;

describe("enqueue", () => {
  it("writes one queued row per recipient and nothing the second time", async () => {
    const key = edition();
    const first = await store.enqueue(key, recipients(1, 3));
    expect(first).toHaveLength(3);
    expect(await store.enqueue(key, recipients(1, 3))).toEqual([]);
    expect(await store.counts(key)).toEqual({ queued: 3, sending: 0, sent: 0, failed: 0, dead: 0 });
  });

  it("adds only the recipients that are new to the edition", async () => {
    const key = edition();
    const first = await store.enqueue(key, recipients(1, 2));
    const second = await store.enqueue(key, recipients(1, 3));
    expect(second).toHaveLength(1);
    expect(first).not.toContain(second[0]);
  });

  it("keeps a subscriber's rows of different editions apart", async () => {
    expect(await store.enqueue(edition(), recipients(1, 1))).toHaveLength(1);
    expect(await store.enqueue(edition(), recipients(1, 1))).toHaveLength(1);
  });

  it("writes 1000 rows in one call", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(10_000, 1000));
    expect(new Set(ids).size).toBe(1000);
    expect((await store.counts(key)).queued).toBe(1000);
    expect(await store.enqueue(key, recipients(10_000, 1000))).toEqual([]);
  });

  it("refuses an empty edition key and changes nothing", async () => {
    await expect(store.enqueue("", recipients(1, 1))).rejects.toThrow(/edition/);
    expect(await store.counts("")).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, dead: 0 });
  });
});

describe("claim", () => {
  it("takes queued rows once: a second claim gets nothing", async () => {
    const ids = await store.enqueue(edition(), recipients(1, 3));
    const claimed = await store.claim(ids, LEASE);
    expect(claimed.map((row) => row.id)).toEqual([...ids].sort((a, b) => a - b));
    expect(claimed.every((row) => row.attempts === 1 && row.leaseUntil === T0 + 60_000)).toBe(true);
    expect(await store.claim(ids, LEASE)).toEqual([]);
  });

  it("gives two concurrent claims disjoint sets that cover every row", async () => {
    const ids = await store.enqueue(edition(), recipients(100, 200));
    const claims = await Promise.all([store.claim(ids, LEASE), store.claim(ids, LEASE), store.claim(ids, LEASE)]);
    const taken = claims.flatMap((rows) => rows.map((row) => row.id));
    expect(taken).toHaveLength(200);
    expect(new Set(taken)).toEqual(new Set(ids));
  });

  it("takes a sending row again exactly when its lease has run out", async () => {
    const ids = await store.enqueue(edition(), recipients(1, 1));
    await store.claim(ids, LEASE);
    clock = T0 + 59_999;
    expect(await store.claim(ids, LEASE)).toEqual([]);
    clock = T0 + 60_000;
    const again = await store.claim(ids, LEASE);
    expect(again).toHaveLength(1);
    expect(again[0]?.attempts).toBe(2);
    expect(again[0]?.leaseUntil).toBe(T0 + 120_000);
  });

  it("never takes a sent, failed or dead row, however old", async () => {
    const [sent, failed, dead] = await store.enqueue(edition(), recipients(1, 3));
    if (sent === undefined || failed === undefined || dead === undefined) throw new Error("expected three rows");
    await store.claim([sent, failed], LEASE);
    expect(await markSent(sent, "msg-1")).toBe(true);
    expect(await markFailed(failed, "550 no such user")).toBe(true);
    expect(await store.markDead([dead], "retries exhausted")).toBe(1);
    clock = T0 + 365 * 24 * 3600_000;
    expect(await store.claim([sent, failed, dead], LEASE)).toEqual([]);
  });

  it("takes a released row again, counting the attempt", async () => {
    const ids = await store.enqueue(edition(), recipients(1, 1));
    const [id] = ids;
    if (id === undefined) throw new Error("expected a row");
    await store.claim(ids, LEASE);
    expect(await release(id, "429 Too Many Requests")).toBe(true);
    expect(await statusOf(id)).toBe("queued");
    const again = await store.claim(ids, LEASE);
    expect(again[0]?.attempts).toBe(2);
  });
});

describe("bounds", () => {
  it("claims 1000 ids in one call and refuses 1001, changing nothing", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(20_000, 1001));
    await expect(store.claim(ids, LEASE)).rejects.toThrow(/ids/);
    expect((await store.counts(key)).queued).toBe(1001);
    expect(await store.claim(ids.slice(0, 1000), LEASE)).toHaveLength(1000);
  });

  it("pages at most 500 rows however many are asked for", async () => {
    const key = edition();
    await store.enqueue(key, recipients(30_000, 501));
    const page = await store.list(key, "queued", null, 10_000);
    expect(page.rows).toHaveLength(500);
    expect((await store.list(key, "queued", page.next, 10_000)).rows).toHaveLength(1);
  });
});

describe("settling a row", () => {
  it("records the provider's id and the time it was sent; a second markSent does nothing", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 1));
    const [id] = ids;
    if (id === undefined) throw new Error("expected a row");
    expect(await markSent(id, "not-claimed")).toBe(false);
    await store.claim(ids, LEASE);
    clock = T0 + 5_000;
    expect(await markSent(id, "msg-42")).toBe(true);
    expect(await markSent(id, "msg-43")).toBe(false);
    expect(await release(id, "late")).toBe(false);
    expect(await markFailed(id, "late")).toBe(false);
    const page = await store.list(key, "sent", null, 10);
    expect(page.rows).toMatchObject([{ id, status: "sent", providerId: "msg-42", sentAt: T0 + 5_000, attempts: 1 }]);
  });

  it("keeps only the first 500 characters of an error", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 2));
    await store.claim(ids, LEASE);
    const [a, b] = ids;
    if (a === undefined || b === undefined) throw new Error("expected two rows");
    await markFailed(a, "x".repeat(500));
    await markFailed(b, "y".repeat(501));
    const { rows } = await store.list(key, "failed", null, 10);
    expect(rows.find((row) => row.id === a)?.lastError).toBe("x".repeat(500));
    expect(rows.find((row) => row.id === b)?.lastError).toHaveLength(500);
  });

  it("marks dead only rows not yet sent", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 3));
    const [sent] = ids;
    if (sent === undefined) throw new Error("expected a row");
    await store.claim([sent], LEASE);
    await markSent(sent, "msg-1");
    expect(await store.markDead(ids, "retries exhausted")).toBe(2);
    expect(await store.counts(key)).toEqual({ queued: 0, sending: 0, sent: 1, failed: 0, dead: 2 });
    const { rows } = await store.list(key, "dead", null, 10);
    expect(rows.map((row) => row.lastError)).toEqual(["retries exhausted", "retries exhausted"]);
  });

  it("keeps the row's last error after the reason", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 1));
    await store.claim(ids, LEASE);
    await release(ids[0] ?? 0, "Resend answered 503");
    expect(await store.markDead(ids, "retries ran out")).toBe(1);
    const { rows } = await store.list(key, "dead", null, 10);
    expect(rows[0]?.lastError).toBe("retries ran out (last error: Resend answered 503)");
  });
});

describe("expiredClaims", () => {
  it("lists sending rows whose lease has run out, at the boundary, grouped by the claim that took them", async () => {
    // A day before the other tests' claims, so that only this test's leases can have run out.
    const base = T0 - 24 * 3600_000;
    clock = base;
    const key = edition();
    const early = await store.enqueue(key, recipients(1, 3));
    await store.claim(early, LEASE);
    // Claimed in the same millisecond as `early`, by another claim: a group of its own.
    const twin = await store.enqueue(key, recipients(20, 2));
    await store.claim(twin, LEASE);
    clock = base + 10_000;
    const late = await store.enqueue(key, recipients(50, 1));
    await store.claim(late, LEASE);
    clock = base + 59_999;
    expect(await store.expiredClaims(100)).toEqual([]);
    clock = base + 60_000;
    const groups = await store.expiredClaims(100);
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      early,
      twin,
    ]);
    clock = base + 70_000;
    const all = await store.expiredClaims(100);
    expect(all).toHaveLength(3);
    expect(all[2]).toEqual(late);
  });

  it("leaves a claim the limit cuts for the next call, unless it is the only one", async () => {
    const base = T0 - 48 * 3600_000;
    clock = base;
    const key = edition();
    const first = await store.enqueue(key, recipients(1, 3));
    await store.claim(first, LEASE);
    clock = base + 1;
    const second = await store.enqueue(key, recipients(10, 3));
    await store.claim(second, LEASE);
    clock = base + 60_001;
    expect(await store.expiredClaims(4)).toEqual([first]);
    expect(await store.expiredClaims(2)).toEqual([first.slice(0, 2)]);
  });
});

describe("staleQueued", () => {
  it("lists queued rows untouched since the given time, at the boundary, oldest first", async () => {
    const base = T0 - 72 * 3600_000;
    clock = base;
    const key = edition();
    const old = await store.enqueue(key, recipients(1, 2));
    clock = base + 1000;
    const newer = await store.enqueue(key, recipients(10, 1));
    expect(await store.staleQueued(base - 1, 100)).toEqual([]);
    expect(await store.staleQueued(base, 100)).toEqual(old);
    expect(await store.staleQueued(base + 1000, 100)).toEqual([...old, ...newer]);
    expect(await store.staleQueued(base + 1000, 1)).toEqual(old.slice(0, 1));
    await store.claim(old, LEASE);
    expect(await store.staleQueued(base + 1000, 100)).toEqual(newer);
  });
});

describe("settle", () => {
  it("writes a claim's outcomes in one batch: sent with provider ids, failed and released with errors", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 5));
    const [a, b, c, d, e] = ids as [number, number, number, number, number];
    await store.claim([a, b, c, d], LEASE);
    clock = T0 + 5000;
    const changed = await store.settle({
      sent: [
        { id: a, providerId: "id-a" },
        { id: b, providerId: null },
        { id: e, providerId: "never claimed" },
      ],
      failed: [{ id: c, error: "550 no such user" }],
      released: [{ id: d, error: "Resend answered 429" }],
    });
    expect(changed).toBe(4);
    const sent = await store.list(key, "sent", null, 10);
    expect(sent.rows.map((r) => [r.id, r.providerId, r.sentAt])).toEqual([
      [a, "id-a", T0 + 5000],
      [b, null, T0 + 5000],
    ]);
    expect((await store.list(key, "failed", null, 10)).rows.map((r) => [r.id, r.lastError])).toEqual([
      [c, "550 no such user"],
    ]);
    expect((await store.list(key, "queued", null, 10)).rows.map((r) => [r.id, r.lastError])).toEqual([
      [d, "Resend answered 429"],
      [e, null],
    ]);
    // Settled rows are not settled again.
    expect(await store.settle({ sent: [{ id: c, providerId: "late" }], failed: [], released: [] })).toBe(0);
    expect(await store.settle({ sent: [], failed: [], released: [] })).toBe(0);
  });
});

describe("list", () => {
  it("pages through an edition's rows of one status", async () => {
    const key = edition();
    const ids = await store.enqueue(key, recipients(1, 5));
    const first = await store.list(key, "queued", null, 2);
    expect(first.rows.map((row) => row.id)).toEqual(ids.slice(0, 2));
    const second = await store.list(key, "queued", first.next, 2);
    const third = await store.list(key, "queued", second.next, 2);
    expect(third.rows.map((row) => row.id)).toEqual(ids.slice(4));
    expect(third.next).toBeNull();
    expect(await store.list(key, "queued", null, 5)).toMatchObject({ next: null });
  });
});

describe("erasing a subscriber", () => {
  it("deletes their unsent rows so nothing is mailed, and keeps the edition's sent history", async () => {
    const subscribers = new SubscriberStore(env.DB, () => clock);
    const outcome = await subscribers.request({
      email: "erased@example.com",
      preferences: DAILY,
      source: "/",
      ip: null,
    });
    if (outcome.kind !== "send") throw new Error("expected a new subscriber");
    const id = outcome.subscriberId;
    const past = edition();
    const sentIds = await store.enqueue(past, [{ subscriberId: id, tagsKey: "all" }]);
    await store.claim(sentIds, LEASE);
    await markSent(sentIds[0] ?? 0, "msg-1");
    const key = edition();
    const [queued] = await store.enqueue(key, [
      { subscriberId: id, tagsKey: "all" },
      { subscriberId: id + 1000, tagsKey: "all" },
    ]);
    if (queued === undefined) throw new Error("expected a row");
    const sendingKey = edition();
    const sending = await store.enqueue(sendingKey, [{ subscriberId: id, tagsKey: "all" }]);
    await store.claim(sending, LEASE);

    expect(await subscribers.erase(id)).toBe(true);

    expect(await store.claim([queued], LEASE)).toEqual([]);
    clock = T0 + 3600_000;
    expect(await store.claim(sending, LEASE)).toEqual([]);
    expect(await store.counts(key)).toEqual({ queued: 1, sending: 0, sent: 0, failed: 0, dead: 0 });
    expect(await store.counts(sendingKey)).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, dead: 0 });
    expect(await store.counts(past)).toEqual({ queued: 0, sending: 0, sent: 1, failed: 0, dead: 0 });
  });
});

describe("prune", () => {
  it("deletes rows written before the cut-off, oldest first, up to the limit, and remembers the cut-off", async () => {
    // Long before every other test's rows (they are written at T0 or later, less a few days).
    const base = T0 - 400 * 24 * 3600_000;
    const key = edition();
    clock = base;
    const old = await store.enqueue(key, recipients(1, 3));
    clock = base + 1000;
    const newer = await store.enqueue(key, recipients(10, 1));
    clock = T0;
    expect(await store.prune(base, 10)).toBe(0);
    // Nothing deleted: no cut-off recorded.
    expect(await store.prunedBefore()).toBe(0);
    expect(await store.prune(base + 1, 2)).toBe(2);
    expect(await store.prunedBefore()).toBe(base + 1);
    expect(await store.prune(base + 1, 10)).toBe(1);
    const left = await store.list(key, "queued", null, 10);
    expect(left.rows.map((row) => row.id)).toEqual(newer);
    expect(old.every((id) => !left.rows.some((row) => row.id === id))).toBe(true);
    // An earlier cut-off never moves the recorded one back.
    clock = base + 1000;
    await store.enqueue(edition(), recipients(20, 1));
    expect(await store.prune(base + 1001, 10)).toBe(2);
    expect(await store.prunedBefore()).toBe(base + 1001);
    clock = base;
    await store.enqueue(edition(), recipients(30, 1));
    expect(await store.prune(base + 1, 10)).toBe(1);
    expect(await store.prunedBefore()).toBe(base + 1001);
  });
});
