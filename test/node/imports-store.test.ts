// The import store (src/worker/store/imports.ts) on a real D1 in Node (test/node/d1.ts): what a
// batch of imported records does to the list, that the same batch twice changes nothing the second
// time, that nobody suppressed or already here is brought back, and the "confirm" mode's pending
// subscribers and their confirmations.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addressKey } from "../../src/core/subscription.js";
import { DashboardStore } from "../../src/worker/store/dashboard.js";
import { type ImportBatchOptions, type ImportEntry, ImportStore } from "../../src/worker/store/imports.js";
import { SubscriberStore } from "../../src/worker/store/subscribers.js";
import { SuppressionStore } from "../../src/worker/store/suppressions.js";
import { openTestD1, type TestD1 } from "./d1.js";

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const OPTED_IN = Date.UTC(2021, 4, 3, 12, 30, 0);

let d1: TestD1;
let clock = T0;
let store: ImportStore;

const CONFIRMED: ImportBatchOptions = {
  mode: "confirmed",
  service: "Substack",
  file: "email_list.csv",
  preferences: { frequency: "daily", timeZone: "Asia/Almaty", sendHour: 7 },
  replaceTags: false,
};

function entry(address: string, more: Partial<ImportEntry> = {}): ImportEntry {
  return {
    address,
    key: addressKey(address),
    tagSlugs: [],
    optedInAt: null,
    outcome: { action: "subscribe" },
    ...more,
  };
}

const suppressRow = (address: string, reason: string) => entry(address, { outcome: { action: "suppress", reason } });

async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (
    await d1.db
      .prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

const subscriberRows = () =>
  rows(
    `SELECT email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at, source,
       pending_json IS NOT NULL AS pending, confirm_nonce IS NOT NULL AS nonce, confirm_sent_at, updated_at, imported_json
     FROM subscribers ORDER BY id`,
  );

beforeAll(async () => {
  d1 = await openTestD1();
});
afterAll(async () => {
  await d1.dispose();
});
beforeEach(async () => {
  await d1.clear();
  clock = T0;
  store = new ImportStore(d1.db, () => clock);
});

describe("an import in mode confirmed", () => {
  it("adds each new mailbox as active, with the consent record of the import, and suppresses the rest", async () => {
    const result = await store.apply(
      [
        entry("Ann@Example.org", { tagSlugs: ["transit", "culture"], optedInAt: OPTED_IN }),
        entry("bob@example.org"),
        suppressRow("gone@example.org", "unsubscribed"),
        suppressRow("bounced@example.org", "bounced"),
      ],
      CONFIRMED,
    );
    expect(result).toEqual({ added: 2, kept: 0, updated: 0, blocked: 0, suppressed: 2, alreadySuppressed: 0 });
    const imported = JSON.stringify({ service: "Substack", file: "email_list.csv", importedAt: T0, mode: "confirmed" });
    expect(await subscriberRows()).toEqual([
      {
        email: "Ann@Example.org",
        status: "active",
        frequency: "daily",
        tags_json: '["transit","culture"]',
        time_zone: "Asia/Almaty",
        send_hour: 7,
        requested_at: OPTED_IN,
        confirmed_at: OPTED_IN,
        source: "import: Substack",
        pending: 0,
        nonce: 0,
        confirm_sent_at: null,
        updated_at: T0,
        imported_json: imported,
      },
      {
        email: "bob@example.org",
        status: "active",
        frequency: "daily",
        tags_json: "[]",
        time_zone: "Asia/Almaty",
        send_hour: 7,
        requested_at: T0,
        confirmed_at: T0,
        source: "import: Substack",
        pending: 0,
        nonce: 0,
        confirm_sent_at: null,
        updated_at: T0,
        imported_json: imported,
      },
    ]);
    const suppressions = await rows<{ email_hash: string; reason: string }>(
      "SELECT email_hash, reason FROM suppressions ORDER BY reason",
    );
    expect(suppressions.map((s) => s.reason)).toEqual(["import:bounced", "import:unsubscribed"]);
    // Hashes only: no address is kept in the clear for a suppression.
    for (const s of suppressions) expect(s.email_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes nothing the second time the same records come in", async () => {
    const batch = [entry("ann@example.org", { tagSlugs: ["transit"] }), suppressRow("gone@example.org", "cleaned")];
    await store.apply(batch, CONFIRMED);
    const before = { subscribers: await subscriberRows(), suppressions: await rows("SELECT * FROM suppressions") };
    clock = T0 + 3_600_000;
    expect(await store.apply(batch, CONFIRMED)).toEqual({
      added: 0,
      kept: 1,
      updated: 0,
      blocked: 0,
      suppressed: 0,
      alreadySuppressed: 1,
    });
    expect({ subscribers: await subscriberRows(), suppressions: await rows("SELECT * FROM suppressions") }).toEqual(
      before,
    );
  });

  it("never brings back an address suppressed here, nor changes anyone already on the list", async () => {
    await new SuppressionStore(d1.db, () => T0).suppress("complained@example.org", "complaint");
    const subscribers = new SubscriberStore(d1.db, () => T0 - 86_400_000);
    const left = await subscribers.request({
      email: "left@example.org",
      preferences: { frequency: "weekly", tags: [], timeZone: "UTC", sendHour: 9 },
      source: "/",
      ip: null,
    });
    if (left.kind !== "send") throw new Error("expected a new subscriber");
    await subscribers.confirm(left.subscriberId, left.nonce);
    await subscribers.unsubscribe(left.subscriberId);
    const before = await subscriberRows();

    const result = await store.apply(
      [entry("COMPLAINED@example.org"), entry("Left@Example.org", { tagSlugs: ["transit"] })],
      CONFIRMED,
    );
    expect(result).toEqual({ added: 0, kept: 1, updated: 0, blocked: 1, suppressed: 0, alreadySuppressed: 0 });
    expect(await subscriberRows()).toEqual(before);
  });

  it("suppresses a subscriber here whom the file lists as unsubscribed", async () => {
    await store.apply([entry("ann@example.org")], CONFIRMED);
    const result = await store.apply([suppressRow("ANN@example.org", "unsubscribed")], CONFIRMED);
    expect(result.suppressed).toBe(1);
    expect((await subscriberRows()).map((r) => r.status)).toEqual(["suppressed"]);
    const before = await subscriberRows();
    clock = T0 + 60_000;
    expect((await store.apply([suppressRow("ann@example.org", "unsubscribed")], CONFIRMED)).alreadySuppressed).toBe(1);
    expect(await subscriberRows()).toEqual(before);
  });

  it("gives active subscribers the file's tags only when asked", async () => {
    await store.apply([entry("ann@example.org", { tagSlugs: ["culture"] })], CONFIRMED);
    const retagged = [entry("ann@example.org", { tagSlugs: ["transit"] })];
    expect((await store.apply(retagged, CONFIRMED)).kept).toBe(1);
    expect((await subscriberRows())[0]?.tags_json).toBe('["culture"]');
    clock = T0 + 60_000;
    expect(await store.apply(retagged, { ...CONFIRMED, replaceTags: true })).toEqual({
      added: 0,
      kept: 0,
      updated: 1,
      blocked: 0,
      suppressed: 0,
      alreadySuppressed: 0,
    });
    expect((await subscriberRows())[0]).toMatchObject({ tags_json: '["transit"]', updated_at: T0 + 60_000 });
  });

  it("takes 500 records a batch, not 501", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => entry(`reader${i}@example.org`));
    await expect(store.apply(many(501), CONFIRMED)).rejects.toThrow(RangeError);
    expect((await store.apply(many(500), CONFIRMED)).added).toBe(500);
  });

  it("leaves the dashboard's bounces and complaints of the last 30 days to those that happened here", async () => {
    await store.apply([suppressRow("a@example.org", "bounced"), suppressRow("b@example.org", "complained")], CONFIRMED);
    expect((await new DashboardStore(d1.db).figures(T0)).suppressed30).toEqual({ bounce: 0, complaint: 0 });
  });
});

describe("an import in mode confirm", () => {
  const CONFIRM: ImportBatchOptions = { ...CONFIRMED, mode: "confirm" };

  it("adds pending subscribers whose confirmation is owed, each handed out once", async () => {
    const result = await store.apply(
      [
        entry("ann@example.org", { tagSlugs: ["transit"], optedInAt: OPTED_IN }),
        entry("bob@example.org"),
        entry("cid@example.org"),
      ],
      CONFIRM,
    );
    expect(result.added).toBe(3);
    expect(
      (await subscriberRows()).map((r) => [r.status, r.pending, r.nonce, r.confirm_sent_at, r.confirmed_at]),
    ).toEqual([
      ["pending", 1, 1, null, null],
      ["pending", 1, 1, null, null],
      ["pending", 1, 1, null, null],
    ]);
    clock = T0 + 1000;
    const first = await store.unsentConfirmations(2);
    expect(first.length).toBe(2);
    const rest = await store.unsentConfirmations(2);
    expect(rest.length).toBe(1);
    expect(await store.unsentConfirmations(2)).toEqual([]);
    expect((await subscriberRows()).map((r) => r.confirm_sent_at)).toEqual([T0 + 1000, T0 + 1000, T0 + 1000]);

    // The link the confirmation carries applies the file's tags and the original opt-in time.
    const [ann] = first;
    const confirmed = await new SubscriberStore(d1.db, () => T0 + 5000).confirm(ann?.subscriber ?? 0, ann?.nonce ?? "");
    expect(confirmed).toMatchObject({
      status: "active",
      preferences: { frequency: "daily", tags: ["transit"], timeZone: "Asia/Almaty", sendHour: 7 },
      requestedAt: OPTED_IN,
      confirmedAt: T0 + 5000,
      source: "import: Substack",
    });
  });

  it("owes nothing to a mailbox already here", async () => {
    await store.apply([entry("ann@example.org")], CONFIRMED);
    expect((await store.apply([entry("ann@example.org")], CONFIRM)).kept).toBe(1);
    expect(await store.unsentConfirmations(10)).toEqual([]);
  });
});
