// The delivery ledger's store (src/worker/store/deliveries.ts) on a real D1 in Node (test/node/d1.ts),
// so that `npm run mutate` runs it too: each move of a row, its boundaries (leases, limits,
// lengths) at literal numbers, and the counts migration 0013's triggers keep per edition.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_STATUSES, type DeliveryInput, DeliveryStore } from "../../src/worker/store/deliveries.js";
import { openTestD1, type TestD1 } from "./d1.js";

const T0 = Date.UTC(2026, 10, 28, 7, 0, 0);
const LEASE = 60_000;
const NONE = { queued: 0, sending: 0, sent: 0, failed: 0, dead: 0 };

let d1: TestD1;
let clock = T0;
let store: DeliveryStore;

// One row's outcome through settle(), the path the queue consumer takes: true if the row changed.
const markSent = async (id: number, providerId: string | null) =>
  (await store.settle({ sent: [{ id, providerId }], failed: [], released: [] })) > 0;
const markFailed = async (id: number, error: string) =>
  (await store.settle({ sent: [], failed: [{ id, error }], released: [] })) > 0;
const release = async (id: number, error: string) =>
  (await store.settle({ sent: [], failed: [], released: [{ id, error }] })) > 0;

beforeAll(async () => {
  d1 = await openTestD1();
});
afterAll(async () => {
  await d1.dispose();
});
beforeEach(async () => {
  await d1.clear();
  clock = T0;
  store = new DeliveryStore(d1.db, () => clock);
});

function recipients(from: number, count: number, tagsKey = "[]"): DeliveryInput[] {
  return Array.from({ length: count }, (_, i) => ({ subscriberId: from + i, tagsKey }));
}

/** Enqueues `count` rows of daily/2026-11-01 and claims them: their ids, in order. */
async function claimed(count: number, edition = "daily/2026-11-01"): Promise<number[]> {
  const ids = await store.enqueue(edition, recipients(1, count));
  await store.claim(ids, LEASE);
  return ids;
}

async function row(id: number, edition = "daily/2026-11-01") {
  for (const status of ["queued", "sending", "sent", "failed", "dead"] as const) {
    const found = (await store.list(edition, status, null, 500)).rows.find((r) => r.id === id);
    if (found) return found;
  }
  return null;
}

describe("enqueue", () => {
  it("writes one queued row per recipient, with its group and the time, and nothing the second time", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(7, 3, '["culture"]'));
    expect(ids).toHaveLength(3);
    expect(await store.enqueue("daily/2026-11-01", recipients(7, 3))).toEqual([]);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 3 });
    const { rows } = await store.list("daily/2026-11-01", "queued", null, 10);
    expect(rows).toEqual(
      ids.map((id, i) => ({
        id,
        edition: "daily/2026-11-01",
        subscriberId: 7 + i,
        tagsKey: '["culture"]',
        status: "queued",
        attempts: 0,
        providerId: null,
        lastError: null,
        createdAt: T0,
        updatedAt: T0,
        sentAt: null,
      })),
    );
  });

  it("adds only the recipients new to the edition, and keeps editions apart", async () => {
    const first = await store.enqueue("daily/2026-11-01", recipients(1, 2));
    const second = await store.enqueue("daily/2026-11-01", recipients(1, 3));
    expect(second).toHaveLength(1);
    expect(first).not.toContain(second[0]);
    expect(await store.enqueue("daily/2026-11-02", recipients(1, 1))).toHaveLength(1);
  });

  it("writes 10000 rows in one call (several statements) and refuses 10001, writing nothing", async () => {
    await expect(store.enqueue("daily/2026-11-01", recipients(1, 10_001))).rejects.toThrow(
      "enqueue: at most 10000 rows per call",
    );
    expect(await store.counts("daily/2026-11-01")).toEqual(NONE);
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 10_000));
    expect(new Set(ids).size).toBe(10_000);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 10_000 });
  });

  it("writes 501 rows, one more than a statement takes", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 501));
    expect(new Set(ids).size).toBe(501);
    const last = await store.list("daily/2026-11-01", "queued", ids[499] ?? 0, 10);
    expect(last.rows.map((r) => r.subscriberId)).toEqual([501]);
  });

  it("takes keys of 1 to 200 characters and refuses 0 or 201, naming the field", async () => {
    const long = `daily/${"x".repeat(194)}`;
    expect(long).toHaveLength(200);
    expect(await store.enqueue(long, [{ subscriberId: 1, tagsKey: "t".repeat(200) }])).toHaveLength(1);
    expect(await store.enqueue("d", [{ subscriberId: 1, tagsKey: "t" }])).toHaveLength(1);
    await expect(store.enqueue(`${long}x`, recipients(1, 1))).rejects.toThrow("edition must be 1 to 200 characters");
    await expect(store.enqueue("", recipients(1, 1))).rejects.toThrow("edition must be 1 to 200 characters");
    await expect(store.enqueue("daily/2026-11-01", [{ subscriberId: 1, tagsKey: "t".repeat(201) }])).rejects.toThrow(
      "tagsKey must be 1 to 200 characters",
    );
    await expect(store.enqueue("daily/2026-11-01", [{ subscriberId: 1, tagsKey: "" }])).rejects.toThrow(
      "tagsKey must be 1 to 200 characters",
    );
    await expect(store.enqueue("daily/2026-11-01", [{ subscriberId: 1.5, tagsKey: "[]" }])).rejects.toThrow(
      "enqueue: subscriberId must be an integer",
    );
    expect(await store.counts("daily/2026-11-01")).toEqual(NONE);
  });

  it("writes nothing for no recipients", async () => {
    expect(await store.enqueue("daily/2026-11-01", [])).toEqual([]);
    expect((await store.editions(null, 10)).items).toEqual([]);
  });
});

describe("claim", () => {
  it("takes queued rows once, under one claim, one attempt more, until now + the lease", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(5, 3, '["a"]'));
    const other = await store.enqueue("daily/2026-11-01", recipients(100, 1));
    clock = T0 + 7;
    const rows = await store.claim([...ids].reverse(), LEASE);
    expect(rows.map((r) => r.id)).toEqual(ids);
    const claim = rows[0]?.claim;
    expect(claim).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows).toEqual(
      ids.map((id, i) => ({
        id,
        claim,
        edition: "daily/2026-11-01",
        subscriberId: 5 + i,
        tagsKey: '["a"]',
        attempts: 1,
        leaseUntil: T0 + 7 + 60_000,
      })),
    );
    expect(await store.claim(ids, LEASE)).toEqual([]);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 1, sending: 3 });
    expect((await row(ids[0] ?? 0))?.updatedAt).toBe(T0 + 7);
    // Another claim is another claim id.
    expect((await store.claim(other, LEASE))[0]?.claim).not.toBe(claim);
  });

  it("gives concurrent claims disjoint sets that cover every row", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(100, 60));
    const claims = await Promise.all([store.claim(ids, LEASE), store.claim(ids, LEASE), store.claim(ids, LEASE)]);
    const taken = claims.flatMap((rows) => rows.map((r) => r.id));
    expect(taken).toHaveLength(60);
    expect(new Set(taken)).toEqual(new Set(ids));
  });

  it("takes a sending row again exactly when its lease runs out: not at 59.999 s, at 60 s", async () => {
    const ids = await claimed(1);
    clock = T0 + 59_999;
    expect(await store.claim(ids, LEASE)).toEqual([]);
    clock = T0 + 60_000;
    const again = await store.claim(ids, LEASE);
    expect(again).toMatchObject([{ id: ids[0], attempts: 2, leaseUntil: T0 + 120_000 }]);
  });

  it("never takes a sent, failed or dead row, however old", async () => {
    const [sent, failed, dead] = (await claimed(3)) as [number, number, number];
    expect(await markSent(sent, "msg-1")).toBe(true);
    expect(await markFailed(failed, "550 no such user")).toBe(true);
    expect(await store.markDead([dead], "retries exhausted")).toBe(1);
    clock = T0 + 365 * 24 * 3600_000;
    expect(await store.claim([sent, failed, dead], LEASE)).toEqual([]);
  });

  it("takes a released row again, counting the attempt", async () => {
    const [id] = (await claimed(1)) as [number];
    expect(await release(id, "429 Too Many Requests")).toBe(true);
    expect(await store.claim([id], LEASE)).toMatchObject([{ id, attempts: 2 }]);
  });

  it("takes a lease of 1 ms and refuses 0, a negative or a fractional one", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 1));
    for (const lease of [0, -1, 1.5]) {
      await expect(store.claim(ids, lease)).rejects.toThrow("claim: leaseMs must be a positive integer");
    }
    expect(await store.claim(ids, 1)).toMatchObject([{ leaseUntil: T0 + 1 }]);
  });

  it("claims 1000 ids in one call and refuses 1001 or a fractional id, changing nothing", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 1001));
    await expect(store.claim(ids, LEASE)).rejects.toThrow("at most 1000 ids per call");
    await expect(store.claim([ids[0] ?? 0, 1.5], LEASE)).rejects.toThrow("ids must be integers");
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 1001 });
    expect(await store.claim(ids.slice(0, 1000), LEASE)).toHaveLength(1000);
    expect(await store.claim([], LEASE)).toEqual([]);
  });
});

describe("settling", () => {
  it("a sent row records the provider's id and the time, and settles once", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 1));
    const [id] = ids as [number];
    expect(await markSent(id, "not-claimed")).toBe(false);
    await store.claim(ids, LEASE);
    clock = T0 + 5_000;
    expect(await markSent(id, "msg-42")).toBe(true);
    expect(await markSent(id, "msg-43")).toBe(false);
    expect(await release(id, "late")).toBe(false);
    expect(await markFailed(id, "late")).toBe(false);
    expect(await row(id)).toMatchObject({
      status: "sent",
      providerId: "msg-42",
      sentAt: T0 + 5_000,
      updatedAt: T0 + 5_000,
      attempts: 1,
      lastError: null,
    });
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, sent: 1 });
  });

  it("settle writes sent (with ids), failed and released (with errors) and counts only rows it moved", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 5));
    const [a, b, c, d, e] = ids as [number, number, number, number, number];
    await store.claim([a, b, c, d], LEASE);
    clock = T0 + 5_000;
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
    const sent = await store.list("daily/2026-11-01", "sent", null, 10);
    expect(sent.rows.map((r) => [r.id, r.providerId, r.sentAt, r.updatedAt])).toEqual([
      [a, "id-a", T0 + 5_000, T0 + 5_000],
      [b, null, T0 + 5_000, T0 + 5_000],
    ]);
    const failed = await store.list("daily/2026-11-01", "failed", null, 10);
    expect(failed.rows.map((r) => [r.id, r.lastError, r.sentAt, r.updatedAt])).toEqual([
      [c, "550 no such user", null, T0 + 5_000],
    ]);
    const queued = await store.list("daily/2026-11-01", "queued", null, 10);
    expect(queued.rows.map((r) => [r.id, r.lastError, r.updatedAt])).toEqual([
      [d, "Resend answered 429", T0 + 5_000],
      [e, null, T0],
    ]);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 2, sent: 2, failed: 1 });
    expect(await store.settle({ sent: [{ id: c, providerId: "late" }], failed: [], released: [] })).toBe(0);
    expect(await store.settle({ sent: [], failed: [], released: [] })).toBe(0);
  });

  it("settle counts each kind on its own", async () => {
    const [a, b, c] = (await claimed(3)) as [number, number, number];
    expect(await store.settle({ sent: [], failed: [{ id: a, error: "x" }], released: [] })).toBe(1);
    expect(await store.settle({ sent: [], failed: [], released: [{ id: b, error: "y" }] })).toBe(1);
    expect(await store.settle({ sent: [{ id: c, providerId: "p" }], failed: [], released: [] })).toBe(1);
  });

  it("refuses more than 1000 rows of one kind", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: i + 1, error: "e" }));
    await expect(store.settle({ sent: [], failed: many, released: [] })).rejects.toThrow("at most 1000 ids per call");
    await expect(store.settle({ sent: [], failed: [], released: many })).rejects.toThrow("at most 1000 ids per call");
    const sent = many.map(({ id }) => ({ id, providerId: null }));
    await expect(store.settle({ sent, failed: [], released: [] })).rejects.toThrow("at most 1000 ids per call");
  });

  it("keeps 500 characters of an error (the 500th an ellipsis when cut) and 200 of a provider id", async () => {
    const [a, b, c] = (await claimed(3)) as [number, number, number];
    await markFailed(a, "x".repeat(500));
    await release(b, `${"y".repeat(499)}zz`);
    await markSent(c, "p".repeat(201));
    expect((await row(a))?.lastError).toBe("x".repeat(500));
    expect((await row(b))?.lastError).toBe(`${"y".repeat(499)}…`);
    expect((await row(c))?.providerId).toBe("p".repeat(200));
  });
});

describe("markDead", () => {
  it("marks dead only rows not yet sent or failed, and says how many", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 4));
    const [sent, failed, sending] = ids as [number, number, number, number];
    await store.claim([sent, failed, sending], LEASE);
    await markSent(sent, "msg-1");
    await markFailed(failed, "550");
    clock = T0 + 1_000;
    expect(await store.markDead(ids, "retries exhausted")).toBe(2);
    expect(await store.markDead(ids, "again")).toBe(0);
    expect(await store.markDead([], "nothing")).toBe(0);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, sent: 1, failed: 1, dead: 2 });
    const { rows } = await store.list("daily/2026-11-01", "dead", null, 10);
    expect(rows.map((r) => [r.lastError, r.updatedAt])).toEqual([
      ["retries exhausted", T0 + 1_000],
      ["retries exhausted", T0 + 1_000],
    ]);
  });

  it("keeps the row's last error after the reason, all in 500 characters", async () => {
    const [a, b] = (await claimed(2)) as [number, number];
    await release(a, "Resend answered 503");
    await release(b, "e".repeat(500));
    expect(await store.markDead([a, b], "retries ran out")).toBe(2);
    expect((await row(a))?.lastError).toBe("retries ran out (last error: Resend answered 503)");
    const cut = (await row(b))?.lastError ?? "";
    expect(cut).toHaveLength(500);
    expect(cut.startsWith("retries ran out (last error: eee")).toBe(true);
  });

  it("refuses 1001 ids", async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => i + 1);
    await expect(store.markDead(ids, "x")).rejects.toThrow("at most 1000 ids per call");
  });
});

describe("expiredClaims", () => {
  it("lists sending rows whose lease has run out, at the boundary, oldest first, grouped by claim", async () => {
    const early = await store.enqueue("daily/2026-11-01", recipients(1, 3));
    await store.claim(early, LEASE);
    // Claimed in the same millisecond by another claim: a group of its own.
    const twin = await store.enqueue("daily/2026-11-01", recipients(20, 2));
    await store.claim(twin, LEASE);
    clock = T0 + 10_000;
    const late = await store.enqueue("daily/2026-11-01", recipients(50, 1));
    await store.claim(late, LEASE);
    clock = T0 + 59_999;
    expect(await store.expiredClaims(100)).toEqual([]);
    clock = T0 + 60_000;
    const groups = await store.expiredClaims(100);
    expect(groups.map((g) => [...g].sort((x, y) => x - y)).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0))).toEqual([
      early,
      twin,
    ]);
    clock = T0 + 70_000;
    const all = await store.expiredClaims(100);
    expect(all).toHaveLength(3);
    expect(all[2]).toEqual(late);
  });

  it("leaves a claim the limit cuts for the next call, unless it is the only one", async () => {
    const first = await store.enqueue("daily/2026-11-01", recipients(1, 3));
    await store.claim(first, LEASE);
    clock = T0 + 1;
    const second = await store.enqueue("daily/2026-11-01", recipients(10, 3));
    await store.claim(second, LEASE);
    clock = T0 + 60_001;
    expect(await store.expiredClaims(6)).toEqual([first, second]);
    expect(await store.expiredClaims(5)).toEqual([first]);
    expect(await store.expiredClaims(4)).toEqual([first]);
    expect(await store.expiredClaims(3)).toEqual([first]);
    expect(await store.expiredClaims(2)).toEqual([first.slice(0, 2)]);
    await expect(store.expiredClaims(0)).rejects.toThrow("limit must be a positive integer");
  });

  it("stops at the limit after whole claims when the next row is another claim's", async () => {
    const groups: number[][] = [];
    for (const [i, size] of [3, 3, 1].entries()) {
      clock = T0 + i;
      const ids = await store.enqueue("daily/2026-11-01", recipients(10 * (i + 1), size));
      await store.claim(ids, LEASE);
      groups.push(ids);
    }
    clock = T0 + 60_002;
    expect(await store.expiredClaims(6)).toEqual(groups.slice(0, 2));
    expect(await store.expiredClaims(7)).toEqual(groups);
  });

  it("lists at most 500 rows however many are asked for", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 501));
    await store.claim(ids, LEASE);
    clock = T0 + 60_000;
    expect((await store.expiredClaims(10_000)).flat()).toEqual(ids.slice(0, 500));
  });
});

describe("staleQueued", () => {
  it("lists queued rows untouched since the given time, at the boundary, oldest first", async () => {
    const old = await store.enqueue("daily/2026-11-01", recipients(1, 2));
    clock = T0 + 1_000;
    const newer = await store.enqueue("daily/2026-11-01", recipients(10, 1));
    expect(await store.staleQueued(T0 - 1, 100)).toEqual([]);
    expect(await store.staleQueued(T0, 100)).toEqual(old);
    expect(await store.staleQueued(T0 + 1_000, 100)).toEqual([...old, ...newer]);
    expect(await store.staleQueued(T0 + 1_000, 1)).toEqual(old.slice(0, 1));
    await store.claim(old, LEASE);
    expect(await store.staleQueued(T0 + 1_000, 100)).toEqual(newer);
    await expect(store.staleQueued(T0, 0)).rejects.toThrow("limit must be a positive integer");
  });
});

describe("requeueDead", () => {
  it("puts an edition's dead rows back to queued, keeping attempts and the last error", async () => {
    const ids = await claimed(3);
    const [dead1, dead2, sent] = ids as [number, number, number];
    const other = await claimed(1, "daily/2026-11-02");
    await markSent(sent, "msg");
    await release(dead1, "503");
    await store.markDead([dead2, dead1, ...other], "retries ran out");
    clock = T0 + 9_000;
    expect(await store.requeueDead("daily/2026-11-01")).toEqual([dead1, dead2]);
    expect(await store.requeueDead("daily/2026-11-01")).toEqual([]);
    expect(await store.counts("daily/2026-11-01")).toEqual({ ...NONE, queued: 2, sent: 1 });
    expect(await store.counts("daily/2026-11-02")).toEqual({ ...NONE, dead: 1 });
    expect(await row(dead1)).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "retries ran out (last error: 503)",
      updatedAt: T0 + 9_000,
    });
    // Queued again, it is claimed like any queued row.
    expect(await store.claim([dead1], LEASE)).toMatchObject([{ id: dead1, attempts: 2 }]);
    await expect(store.requeueDead("")).rejects.toThrow("edition must be 1 to 200 characters");
  });
});

describe("prune", () => {
  it("deletes rows written before the cut-off, oldest first, up to the limit, and remembers the cut-off", async () => {
    const base = T0 - 400 * 24 * 3600_000;
    clock = base;
    const old = await store.enqueue("daily/2025-01-01", recipients(1, 3));
    clock = base + 1_000;
    const newer = await store.enqueue("daily/2025-01-01", recipients(10, 1));
    clock = T0;
    expect(await store.prunedBefore()).toBe(0);
    expect(await store.prune(base, 10)).toBe(0);
    expect(await store.prunedBefore()).toBe(0);
    expect(await store.prune(base + 1, 2)).toBe(2);
    expect(await store.prunedBefore()).toBe(base + 1);
    expect(await store.prune(base + 1, 10)).toBe(1);
    const left = await store.list("daily/2025-01-01", "queued", null, 10);
    expect(left.rows.map((r) => r.id)).toEqual(newer);
    expect(old.some((id) => left.rows.some((r) => r.id === id))).toBe(false);
    expect(await store.counts("daily/2025-01-01")).toEqual({ ...NONE, queued: 1 });
    // An earlier cut-off never moves the recorded one back.
    expect(await store.prune(base + 1_001, 10)).toBe(1);
    expect(await store.prunedBefore()).toBe(base + 1_001);
    expect((await store.editions(null, 10)).items).toEqual([]);
    clock = base;
    await store.enqueue("daily/2025-01-02", recipients(30, 1));
    expect(await store.prune(base + 1, 10)).toBe(1);
    expect(await store.prunedBefore()).toBe(base + 1_001);
    await expect(store.prune(base, 0)).rejects.toThrow("limit must be a positive integer");
    await store.enqueue("daily/2025-01-03", recipients(40, 2));
    expect(await store.prune(base + 1, 1)).toBe(1);
  });
});

describe("counts and editions", () => {
  it("counts the statuses the operator can list, in that order", async () => {
    expect(DELIVERY_STATUSES).toEqual(["queued", "sending", "sent", "failed", "dead"]);
    expect(Object.keys(await store.counts("daily/2026-11-01"))).toEqual(DELIVERY_STATUSES);
  });

  it("counts every status of an edition, 0 for one not in the ledger", async () => {
    expect(await store.counts("daily/2030-01-01")).toEqual(NONE);
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 5));
    const [a, b, c, d] = ids as [number, number, number, number, number];
    await store.claim([a, b, c, d], LEASE);
    await markSent(a, "p");
    await markFailed(b, "550");
    await store.markDead([c], "gone");
    expect(await store.counts("daily/2026-11-01")).toEqual({ queued: 1, sending: 1, sent: 1, failed: 1, dead: 1 });
  });

  it("lists editions newest first by their first day, a week before a day starting on its Monday, with counts", async () => {
    // 2022-W02 starts on Monday 2022-01-10; 2021-W52 on Monday 2021-12-27.
    for (const edition of [
      "daily/2022-01-09",
      "weekly/2021-W52",
      "daily/2022-01-10",
      "weekly/2022-W02",
      "daily/2022-01-11",
      "manual-1",
    ]) {
      await store.enqueue(edition, recipients(1, 1));
    }
    const [sent] = await store.enqueue("weekly/2022-W02", recipients(2, 1));
    await store.claim([sent ?? 0], LEASE);
    await markSent(sent ?? 0, "p");
    const order = [
      "daily/2022-01-11",
      "weekly/2022-W02",
      "daily/2022-01-10",
      "daily/2022-01-09",
      "weekly/2021-W52",
      "manual-1",
    ];
    const all = await store.editions(null, 10);
    expect(all.items.map((i) => i.edition)).toEqual(order);
    expect(all.next).toBeNull();
    expect(all.items[1]?.counts).toEqual({ ...NONE, queued: 1, sent: 1 });
    expect(all.items[0]?.counts).toEqual({ ...NONE, queued: 1 });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await store.editions(cursor, 2);
      pages.push(page.items.map((i) => i.edition));
      cursor = page.next;
    } while (cursor !== null);
    expect(pages).toEqual([order.slice(0, 2), order.slice(2, 4), order.slice(4, 6)]);
    expect((await store.editions("weekly/2022-W02", 10)).items.map((i) => i.edition)).toEqual(order.slice(2));
    expect((await store.editions("daily/2022-01-09", 1)).items[0]?.counts).toEqual({ ...NONE, queued: 1 });
    await expect(store.editions(null, 0)).rejects.toThrow("limit must be a positive integer");
  });

  it("pages editions at most 500 at a time", async () => {
    // 501 editions of one row each, in one statement (the triggers count them as enqueue would).
    await d1.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
         INSERT INTO deliveries (edition, subscriber_id, tags_key, status, created_at, updated_at)
         SELECT printf('manual-%03d', i), 1, '[]', 'queued', ?1, ?1 FROM n`,
      )
      .bind(T0)
      .run();
    const page = await store.editions(null, 10_000);
    expect(page.items).toHaveLength(500);
    expect(page.next).toBe("manual-001");
  });
});

describe("list", () => {
  it("pages through an edition's rows of one status by id", async () => {
    const ids = await store.enqueue("daily/2026-11-01", recipients(1, 5));
    await store.enqueue("daily/2026-11-02", recipients(1, 1));
    await store.claim([ids[4] ?? 0], LEASE);
    const first = await store.list("daily/2026-11-01", "queued", null, 2);
    expect(first.rows.map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(first.next).toBe(ids[1]);
    const second = await store.list("daily/2026-11-01", "queued", first.next, 2);
    expect(second.rows.map((r) => r.id)).toEqual(ids.slice(2, 4));
    expect(second.next).toBeNull();
    expect((await store.list("daily/2026-11-01", "sending", null, 2)).rows.map((r) => r.id)).toEqual([ids[4]]);
    await expect(store.list("daily/2026-11-01", "queued", null, 0)).rejects.toThrow("limit must be a positive integer");
  });

  it("pages at most 500 rows however many are asked for", async () => {
    await store.enqueue("daily/2026-11-01", recipients(1, 501));
    const page = await store.list("daily/2026-11-01", "queued", null, 10_000);
    expect(page.rows).toHaveLength(500);
    expect((await store.list("daily/2026-11-01", "queued", page.next, 10_000)).rows).toHaveLength(1);
  });
});
