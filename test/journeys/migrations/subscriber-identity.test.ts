// Migration 0012 on a database made as it was before it: the case variants of an address merge
// into one subscriber, the ledger follows the survivor, and links carrying a merged id still work.
// A database of its own (MIGRATION_TEST_DB) gets migrations 0001-0011, the rows, then 0012, as
// `wrangler d1 migrations apply` would after a deploy.

import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SubscriberStore } from "../../../src/worker/store/subscribers.js";

const db = env.MIGRATION_TEST_DB;
const ids = new Map<string, number>();

interface Variant {
  email: string;
  status: "pending" | "active" | "unsubscribed" | "suppressed";
  requested: number;
  confirmed?: number;
  unsubscribed?: number;
  confirmSent?: number;
  frequency?: "daily" | "weekly";
}

async function insert(v: Variant): Promise<void> {
  const row = await db
    .prepare(
      `INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, confirmed_at, source,
         ip_hash, confirm_sent_at, unsubscribed_at, updated_at)
       VALUES (?1, ?2, ?3, 'UTC', 7, ?4, ?5, ?6, ?7, ?8, ?9, ?4) RETURNING id`,
    )
    .bind(
      v.email,
      v.status,
      v.frequency ?? "daily",
      v.requested,
      v.confirmed ?? null,
      `/from-${v.email}`,
      `ip-of-${v.email}`,
      v.confirmSent ?? v.requested,
      v.unsubscribed ?? null,
    )
    .first<{ id: number }>("id");
  ids.set(v.email, Number(row));
}

async function deliver(edition: string, email: string, status: string): Promise<void> {
  await db
    .prepare(
      "INSERT INTO deliveries (edition, subscriber_id, tags_key, status, created_at, updated_at) VALUES (?1, ?2, '[]', ?3, 1, 1)",
    )
    .bind(edition, ids.get(email), status)
    .run();
}

const rows = async (key: string) =>
  (
    await db
      .prepare(
        "SELECT id, email, status, frequency, requested_at, confirmed_at, source, ip_hash, confirm_sent_at FROM subscribers WHERE lower(email) = ?1",
      )
      .bind(key)
      .all()
  ).results;

const ledger = async (email: string) =>
  (
    await db
      .prepare("SELECT edition, status FROM deliveries WHERE subscriber_id = ?1 ORDER BY edition")
      .bind(ids.get(email))
      .all()
  ).results;

beforeAll(async () => {
  const before = env.TEST_MIGRATIONS.filter((m) => m.name < "0012");
  expect(before.map((m) => m.name).at(-1)).toBe("0011_sitemaps.sql");
  await applyD1Migrations(db, before);
  // One mailbox in three spellings: two pending, one active.
  await insert({ email: "Victim@example.com", status: "pending", requested: 300 });
  await insert({ email: "VICTIM@example.com", status: "active", requested: 200, confirmed: 250, frequency: "weekly" });
  await insert({ email: "victim@example.com", status: "pending", requested: 100, confirmSent: 400 });
  await deliver("daily/2022-01-01", "Victim@example.com", "sent");
  await deliver("daily/2022-01-01", "VICTIM@example.com", "queued");
  await deliver("daily/2022-01-02", "VICTIM@example.com", "sent");
  await deliver("daily/2022-01-03", "victim@example.com", "queued");
  // Suppressed beats active, even when the active one is newer.
  await insert({ email: "Blocked@example.com", status: "suppressed", requested: 100 });
  await insert({ email: "blocked@example.com", status: "active", requested: 200, confirmed: 300 });
  // Between active and unsubscribed, the later decision: unsubscribed after confirming...
  await insert({ email: "Left@example.com", status: "active", requested: 100, confirmed: 200 });
  await insert({
    email: "left@example.com",
    status: "unsubscribed",
    requested: 150,
    confirmed: 160,
    unsubscribed: 500,
  });
  // ...and confirmed again after unsubscribing.
  await insert({
    email: "Back@example.com",
    status: "unsubscribed",
    requested: 100,
    confirmed: 110,
    unsubscribed: 200,
  });
  await insert({ email: "back@example.com", status: "active", requested: 300, confirmed: 400 });
  await insert({ email: "Alone@example.com", status: "active", requested: 100, confirmed: 200 });
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
});

describe("migration 0012", () => {
  it("merges the spellings of one mailbox: active wins, the earliest consent and the latest email are kept", async () => {
    expect(await rows("victim@example.com")).toEqual([
      {
        id: ids.get("VICTIM@example.com"),
        email: "VICTIM@example.com",
        status: "active",
        frequency: "weekly",
        requested_at: 100,
        confirmed_at: 250,
        source: "/from-victim@example.com",
        ip_hash: "ip-of-victim@example.com",
        confirm_sent_at: 400,
      },
    ]);
  });

  it("moves the ledger to the survivor, one row per edition, the one already sent", async () => {
    expect(await ledger("VICTIM@example.com")).toEqual([
      { edition: "daily/2022-01-01", status: "sent" },
      { edition: "daily/2022-01-02", status: "sent" },
      { edition: "daily/2022-01-03", status: "queued" },
    ]);
    const { results } = await db.prepare("SELECT count(*) AS n FROM deliveries").all();
    expect(results).toEqual([{ n: 3 }]);
  });

  it("keeps a suppressed spelling suppressed, and follows the later of unsubscribing and confirming", async () => {
    expect((await rows("blocked@example.com")).map((r) => [r.email, r.status])).toEqual([
      ["Blocked@example.com", "suppressed"],
    ]);
    expect((await rows("left@example.com")).map((r) => [r.email, r.status])).toEqual([
      ["left@example.com", "unsubscribed"],
    ]);
    expect((await rows("back@example.com")).map((r) => [r.email, r.status])).toEqual([["back@example.com", "active"]]);
    expect((await rows("alone@example.com")).map((r) => [r.email, r.status])).toEqual([
      ["Alone@example.com", "active"],
    ]);
  });

  it("leads a merged spelling's links to the survivor: its unsubscribe link still unsubscribes", async () => {
    const store = new SubscriberStore(db, () => 1_000);
    const merged = ids.get("Back@example.com") ?? 0;
    expect((await store.get(merged))?.email).toBe("back@example.com");
    expect((await store.unsubscribe(merged))?.status).toBe("unsubscribed");
    expect((await rows("back@example.com")).map((r) => r.status)).toEqual(["unsubscribed"]);
    expect(await store.erase(merged)).toBe(true);
    expect(await rows("back@example.com")).toEqual([]);
  });

  it("refuses a second spelling from then on", async () => {
    await expect(
      db
        .prepare(
          `INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, source, updated_at)
           VALUES ('ALONE@example.com', 'pending', 'daily', 'UTC', 7, 1, '/', 1)`,
        )
        .run(),
    ).rejects.toThrow(/UNIQUE/);
  });
});
