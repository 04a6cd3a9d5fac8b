// The hourly run's housekeeping, through the scheduled handler with the real D1: ledger rows and
// stored renders older than 14 days are deleted, younger ones kept.

import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker/index.js";
import type { Bindings } from "../../src/worker/services.js";
import { DeliveryStore } from "../../src/worker/store/deliveries.js";
import { EditionStore } from "../../src/worker/store/editions.js";

const DAY = 86_400_000;

describe("the hourly run", () => {
  it("deletes ledger rows and renders older than 14 days", async () => {
    const now = Date.now();
    const render = { articles: 0, subject: "", html: "", text: "", recipientMark: "" };
    for (const [age, edition] of [
      [15 * DAY, "daily/2000-01-01"],
      [13 * DAY, "daily/2000-01-03"],
    ] as const) {
      await new DeliveryStore(env.DB, () => now - age).enqueue(edition, [{ subscriberId: 1, tagsKey: "[]" }]);
      await new EditionStore(env.DB, () => now - age).put([{ ...render, edition, tagsKey: "[]" }]);
    }
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "0 * * * *" }), env as Bindings, ctx);
    await waitOnExecutionContext(ctx);
    const deliveries = new DeliveryStore(env.DB, () => now);
    const editions = new EditionStore(env.DB, () => now);
    expect((await deliveries.counts("daily/2000-01-01")).queued).toBe(0);
    expect((await deliveries.counts("daily/2000-01-03")).queued).toBe(1);
    expect(await editions.count("daily/2000-01-01")).toBe(0);
    expect(await editions.count("daily/2000-01-03")).toBe(1);
    // The cut-off is the run's own "now" less 14 days.
    const cutoff = await deliveries.prunedBefore();
    expect(cutoff).toBeGreaterThanOrEqual(now - 14 * DAY);
    expect(cutoff).toBeLessThanOrEqual(Date.now() - 14 * DAY);
  });
});
