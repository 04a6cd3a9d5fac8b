// POST /api/deliveries/run through the Worker with the real D1: the hourly delivery as of a past
// hour. A file of its own: the run deletes old ledger rows, which other files' tests write.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DeliveryStore } from "../../../src/worker/store/deliveries.js";
import { admin } from "../helpers.js";

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await res.json()) as { status: number; detail: string };
}

/** Active subscribers in Tokyo at 07:00, written now. */
async function addSubscribers(count: number): Promise<void> {
  const now = Date.now();
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at,
       confirmed_at, source, updated_at)
     SELECT 'run' || i || '@example.com', 'active', 'daily', '[]', 'Asia/Tokyo', 7, ?2, ?2, '/subscribe', ?2 FROM n`,
  )
    .bind(count, now)
    .run();
}

describe("POST /api/deliveries/run", () => {
  it("runs the hourly delivery as of a past hour and says what it queued", async () => {
    await addSubscribers(2);
    // 07:00 in Tokyo on 12 January 2022: the Tokyo subscribers' daily digest is due.
    const res = await admin("POST", "/api/deliveries/run", { at: "2022-01-11T22:41:07+00:00" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      run_hour: "2022-01-11T22:00:00.000Z",
      fanouts: 1,
      requeued: 0,
      confirmations: 0,
    });
    // An hour when nobody is due.
    const quiet = await admin("POST", "/api/deliveries/run", { at: "2022-01-11T23:00:00.000Z" });
    expect(await quiet.json()).toEqual({
      run_hour: "2022-01-11T23:00:00.000Z",
      fanouts: 0,
      requeued: 0,
      confirmations: 0,
    });
  });

  for (const body of [
    "{}",
    '{"at":"yesterday"}',
    '{"at":"2022-01-12"}',
    '{"at":"2022-01-12T01:00:00"}',
    '{"at":"2022-01-12T01:00Z"}',
    '{"at":1641949200000}',
    '{"at":"1999-12-31T23:59:59Z"}',
    '{"at":"2100-01-01T00:00:00Z"}',
    "not json",
  ]) {
    it(`is 400 for ${body}`, async () => {
      const res = await admin("POST", "/api/deliveries/run", body);
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toMatch(/^at: |JSON/);
    });
  }

  // Days and times that do not exist: Date.parse would roll each over to a real one and run it.
  for (const at of [
    "2022-02-30T01:00:00Z",
    "2023-02-29T01:00:00Z",
    "2022-04-31T01:00:00Z",
    "2022-13-01T01:00:00Z",
    "2022-01-00T01:00:00Z",
    "2022-01-12T24:00:00Z",
    "2022-01-12T01:60:00Z",
    "2022-01-12T01:00:60Z",
    "2022-01-12T01:00:00+24:00",
  ]) {
    it(`is 400 naming at for ${at}, which does not exist`, async () => {
      const res = await admin("POST", "/api/deliveries/run", { at });
      expect(res.status).toBe(400);
      const body = (await problem(res)) as { detail: string; errors?: { field: string }[] };
      expect(body.detail).toMatch(/^at: must be a time that exists/);
      expect(body.errors?.[0]?.field).toBe("at");
    });
  }

  // The last day of a month, a leap day and the last second of a day are real.
  for (const [at, hour] of [
    ["2024-02-29T01:00:00Z", "2024-02-29T01:00:00.000Z"],
    ["2022-04-30T01:00:00Z", "2022-04-30T01:00:00.000Z"],
    ["2022-01-12T23:59:59Z", "2022-01-12T23:00:00.000Z"],
    ["2022-01-31T01:00:00+06:00", "2022-01-30T19:00:00.000Z"],
  ]) {
    it(`runs ${at}, the hour ${hour}`, async () => {
      const res = await admin("POST", "/api/deliveries/run", { at });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { run_hour: string }).run_hour).toBe(hour);
    });
  }

  it("accepts the first instant of 2000", async () => {
    const res = await admin("POST", "/api/deliveries/run", { at: "2000-01-01T00:00:00Z" });
    expect(res.status).toBe(200);
  });
  it("refuses an hour whose delivery records may have been deleted", async () => {
    const store = new DeliveryStore(env.DB, () => Date.UTC(2000, 0, 1, 0, 0, 0));
    await store.enqueue("daily/1999-12-31", [{ subscriberId: 1, tagsKey: "[]" }]);
    expect(await store.prune(Date.UTC(2000, 0, 1, 0, 0, 1), 10)).toBe(1);
    const refused = await admin("POST", "/api/deliveries/run", { at: "2000-01-01T00:00:00Z" });
    expect(refused.status).toBe(400);
    expect((await problem(refused)).detail).toBe(
      "at: must be after 2000-01-01T00:00:01.000Z: older delivery records have been deleted",
    );
    const allowed = await admin("POST", "/api/deliveries/run", { at: "2000-01-01T00:00:01Z" });
    expect(allowed.status).toBe(200);
  });
});
