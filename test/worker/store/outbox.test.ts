// The log mailer's outbox (src/worker/store/outbox.ts) on the real local D1: what a kept message
// reads back as, the newest 200 and no more, ids never reused, pages of at most 50, newest first.

import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { Services } from "../../../src/worker/services.js";
import type { OutboxEntry } from "../../../src/worker/store/outbox.js";

const T = Date.UTC(2026, 10, 28, 7, 0, 0);
let clock = T;
const outbox = new Services(env, () => clock).outbox;

function entry(n: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  const eml = `Subject: Message ${n}\r\n\r\nBody ${n}\r\n`;
  return {
    kind: "broadcast",
    from: "The Steppe Ledger <digest@example.com>",
    to: `reader-${n}@example.net`,
    subject: `Message ${n}`,
    messageId: `<m${n}@news.example.com>`,
    eml,
    size: eml.length,
    ...overrides,
  };
}

/** Keeps messages from..to (inclusive) one after another, a millisecond apart; their ids. */
async function keepRange(from: number, to: number): Promise<number[]> {
  const ids: number[] = [];
  for (let n = from; n <= to; n++) {
    clock = T + n;
    ids.push(await outbox.keep(entry(n)));
  }
  return ids;
}

const rows = async () => (await env.DB.prepare("SELECT count(*) AS n FROM outbox").first<number>("n")) ?? 0;

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
});

describe("the outbox", () => {
  it("gives back a kept message with every field, and null for an id never kept", async () => {
    clock = T;
    const id = await outbox.keep(entry(1, { kind: "transactional", subject: "Подтвердите подписку" }));
    expect(await outbox.get(id)).toEqual({
      id,
      createdAt: T,
      kind: "transactional",
      from: "The Steppe Ledger <digest@example.com>",
      to: "reader-1@example.net",
      subject: "Подтвердите подписку",
      size: 30,
      messageId: "<m1@news.example.com>",
      eml: "Subject: Message 1\r\n\r\nBody 1\r\n",
    });
    expect(await outbox.get(id + 1)).toBeNull();
    expect(await outbox.count()).toBe(1);
  });

  it("keeps the newest 200: the 201st message drops the oldest", async () => {
    const ids = await keepRange(1, 200);
    expect(await outbox.count()).toBe(200);
    expect(await outbox.get(ids[0] ?? 0)).not.toBeNull();

    const [newest] = await keepRange(201, 201);
    expect(await rows()).toBe(200);
    expect(await outbox.count()).toBe(200);
    expect(await outbox.get(ids[0] ?? 0)).toBeNull();
    expect((await outbox.get(ids[1] ?? 0))?.subject).toBe("Message 2");
    expect((await outbox.get(newest ?? 0))?.subject).toBe("Message 201");
  });

  it("never holds more than 200, sends racing each other included", async () => {
    await keepRange(1, 195);
    await Promise.all(Array.from({ length: 20 }, (_, i) => outbox.keep(entry(1000 + i))));
    expect(await rows()).toBe(200);
    expect(await outbox.count()).toBe(200);
  });

  it("never reuses an id: not after a trim, not after the newest row is gone", async () => {
    const ids = await keepRange(1, 201);
    const last = ids.at(-1) ?? 0;
    await env.DB.prepare("DELETE FROM outbox WHERE id = ?1").bind(last).run();
    const [next] = await keepRange(202, 202);
    expect(next).toBe(last + 1);
    expect(await outbox.get(last)).toBeNull();
    expect(new Set([...ids, next]).size).toBe(202);
  });

  it("lists newest first in pages of at most 50, each page going on where the last stopped", async () => {
    const ids = await keepRange(1, 120);
    const first = await outbox.list(null, 50);
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toEqual({
      id: ids[119],
      createdAt: T + 120,
      kind: "broadcast",
      from: "The Steppe Ledger <digest@example.com>",
      to: "reader-120@example.net",
      subject: "Message 120",
      size: 34,
    });
    const second = await outbox.list(first.next, 50);
    const third = await outbox.list(second.next, 50);
    expect(third.items).toHaveLength(20);
    expect(third.next).toBeNull();
    const seen = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(seen).toEqual([...ids].reverse());
    // Exactly a page's worth left: no next page pointing at nothing.
    const tail = await outbox.list(ids[20] ?? 0, 20);
    expect(tail.items.map((item) => item.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `Message ${20 - i}`));
    expect(tail.next).toBeNull();
  });

  it("refuses a page of 0 or 51", async () => {
    await expect(outbox.list(null, 0)).rejects.toThrow(RangeError);
    await expect(outbox.list(null, 51)).rejects.toThrow(RangeError);
    await expect(outbox.list(null, 1)).resolves.toEqual({ items: [], next: null });
  });

  it("keeps a message of 1 000 000 bytes and refuses one of 1 000 001", async () => {
    const big = "x".repeat(1_000_000);
    const id = await outbox.keep(entry(1, { eml: big, size: 1_000_000 }));
    expect((await outbox.get(id))?.eml).toHaveLength(1_000_000);
    await expect(outbox.keep(entry(2, { eml: `${big}x`, size: 1_000_001 }))).rejects.toThrow(RangeError);
    expect(await outbox.count()).toBe(1);
  });
});
