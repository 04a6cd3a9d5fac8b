// The hourly run's housekeeping, through the scheduled handler with the real D1: ledger rows and
// stored renders older than 14 days are deleted, younger ones kept; sign-ups never confirmed are
// deleted a day after their link expired.

import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../../src/worker/index.js";
import { runSchedule } from "../../../src/worker/jobs/schedule.js";
import { type Bindings, Services } from "../../../src/worker/services.js";
import { DeliveryStore } from "../../../src/worker/store/deliveries.js";
import { EditionStore } from "../../../src/worker/store/editions.js";
import { SubscriberStore } from "../../../src/worker/store/subscribers.js";

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

  it("deletes a sign-up never confirmed 72 h + 1 ms after its last email, not at 72 h, and never an active one", async () => {
    const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
    const preferences = { frequency: "daily" as const, tags: [], timeZone: "UTC", sendHour: 7 };
    const at = (time: number) => new SubscriberStore(env.DB, () => time);
    const ask = async (email: string, time: number) => {
      const outcome = await at(time).request({ email, preferences, source: "/", ip: null });
      if (outcome.kind !== "send") throw new Error(`expected a send for ${email}`);
      return outcome;
    };
    const kept = await ask("kept@example.com", NOW - 259_200_000);
    const gone = await ask("gone@example.com", NOW - 259_200_001);
    // Asked again later: the latest email counts, not the first request.
    const again = await ask("again@example.com", NOW - 30 * DAY);
    await ask("AGAIN@example.com", NOW - 259_200_000);
    // Active, with new preferences waiting for a link sent long ago: a subscriber, kept.
    const active = await ask("active@example.com", NOW - 40 * DAY);
    await at(NOW - 40 * DAY).confirm(active.subscriberId, active.nonce);
    await ask("active@example.com", NOW - 30 * DAY);
    const waiting = await env.DB.prepare("SELECT status, pending_json FROM subscribers WHERE id = ?1")
      .bind(active.subscriberId)
      .first<{ status: string; pending_json: string | null }>();
    expect(waiting?.status).toBe("active");
    expect(waiting?.pending_json).not.toBeNull();

    const result = await runSchedule(new Services(env as Bindings, () => NOW), NOW);
    expect(result.unconfirmed).toBe(1);
    const store = at(NOW);
    expect(await store.get(gone.subscriberId)).toBeNull();
    expect((await store.get(kept.subscriberId))?.status).toBe("pending");
    expect((await store.get(again.subscriberId))?.status).toBe("pending");
    expect((await store.get(active.subscriberId))?.status).toBe("active");
  });
});
