// Scheduled delivery end to end, in workerd with the real D1, the real queues and the scheduled
// handler, against the mailer this project names (MAILER: the local SMTP server, or the local
// Resend or Postmark server; see vitest.config.ts). Every count below is of what the mail
// servers received.

import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Preferences } from "../../src/core/subscription.js";
import worker from "../../src/worker/index.js";
import { renderGroup } from "../../src/worker/jobs/fanout.js";
import { consume } from "../../src/worker/jobs/queue.js";
import { type Bindings, Services } from "../../src/worker/services.js";
import type { Arrived } from "../mail-types.js";
import { admin, fixture, request } from "../worker/helpers.js";
import { address, mailbox } from "../worker/mailbox.js";

const mailer = env.MAILER as "smtp" | "resend" | "postmark";
const services = new Services(env as unknown as Bindings);

/** Runs the Cron Trigger's handler as the runtime would at `iso`. */
async function cron(iso: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: Date.parse(iso), cron: "0 * * * *" }),
    env as unknown as Bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

/** An active subscriber, through the store's own request and confirmation. */
async function subscriber(label: string, preferences: Partial<Preferences>): Promise<{ id: number; email: string }> {
  const email = address(label);
  const outcome = await services.subscribers.request({
    email,
    preferences: { frequency: "daily", tags: [], timeZone: "Asia/Tokyo", sendHour: 7, ...preferences },
    source: "/subscribe",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a new subscriber");
  const confirmed = await services.subscribers.confirm(outcome.subscriberId, outcome.nonce);
  if (confirmed?.status !== "active") throw new Error("expected an active subscriber");
  return { id: outcome.subscriberId, email };
}

async function publish(overrides: Record<string, unknown>): Promise<void> {
  const res = await admin("POST", "/api/articles", fixture(overrides));
  expect(res.status).toBe(201);
}

/** Polls until `check` passes (the queue works in the background), for at most 30 seconds. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function digests(to: string): Promise<Arrived[]> {
  return (await mailbox.messages(to)).filter((m) => m.via === mailer);
}

async function counts(edition: string): Promise<Record<string, number>> {
  return services.deliveries.counts(edition);
}

/** The header a reader's client sees, whatever carried the message. */
function header(message: Arrived, name: string): string | undefined {
  return message.headers[name.toLowerCase()];
}

describe(`scheduled digests through ${mailer}`, () => {
  it("gives each confirmed subscriber exactly one digest at their own hour, with both parts and every header", async () => {
    await publish({ title: "Tram line 4 opens", date: "2022-02-01T09:00:00+06:00", tags: ["Transit"] });
    await publish({ title: "Market prices settle", date: "2022-02-01T15:00:00+06:00", tags: ["Economy"] });
    await publish({ title: "Snow expected", date: "2022-01-20T10:00:00+06:00", tags: ["Weather"] });
    const tokyo = await subscriber("tokyo", { timeZone: "Asia/Tokyo", sendHour: 7 });
    const newYork = await subscriber("new-york", { timeZone: "America/New_York", sendHour: 7, tags: ["transit"] });
    const tokyoTransit = await subscriber("tokyo-transit", { timeZone: "Asia/Tokyo", sendHour: 7, tags: ["transit"] });
    const weather = await subscriber("weather", { timeZone: "Asia/Tokyo", sendHour: 7, tags: ["weather"] });
    const gone = await subscriber("gone", { timeZone: "Asia/Tokyo", sendHour: 7 });
    await services.subscribers.unsubscribe(gone.id);
    const bounced = await subscriber("bounced", { timeZone: "Asia/Tokyo", sendHour: 7 });
    await services.subscribers.suppress(bounced.email, "bounce");
    const edition = "daily/2022-02-01";

    // 07:00 in Tokyo on 2 February is 22:00 UTC on 1 February: the publisher's (Almaty) 1 February
    // is the newest complete day. New York's 07:00 is not due yet.
    await cron("2022-02-01T22:00:00Z");
    await eventually(async () => expect((await counts(edition)).sent).toBe(2));
    await eventually(async () => {
      expect(await digests(tokyo.email)).toHaveLength(1);
      expect(await digests(tokyoTransit.email)).toHaveLength(1);
    });
    expect(await digests(newYork.email)).toHaveLength(0);

    const [all] = await digests(tokyo.email);
    const [transit] = await digests(tokyoTransit.email);
    if (!all || !transit) throw new Error("expected the digests");
    expect(all.subject).toMatch(/daily digest/);
    for (const message of [all, transit]) {
      expect(message.html).toContain("Tram line 4 opens");
      expect(message.text).toContain("Tram line 4 opens");
      expect(message.from).toContain("digest@example.com");
      const unsubscribe = header(message, "List-Unsubscribe") ?? "";
      expect(unsubscribe).toMatch(/^<https:\/\/news\.example\.com\/unsubscribe\?token=[\w.%-]+>$/);
      expect(header(message, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(header(message, "List-Id")).toBe("<digest.news.example.com>");
      // The same signed link in the header, the HTML and the text, and the preferences link.
      const link = unsubscribe.slice(1, -1);
      expect(message.html).toContain(link);
      expect(message.text).toContain(link);
      expect(message.text).toContain(link.replace("/unsubscribe?", "/preferences?"));
      expect(message.html).toContain("https://news.example.com/digests/daily/2022-02-01");
    }
    // Each group gets its own edition: the transit reader's has no market prices.
    expect(all.html).toContain("Market prices settle");
    expect(transit.html).not.toContain("Market prices settle");
    expect(transit.html).toContain("https://news.example.com/digests/daily/2022-02-01?tags=transit");
    // Tokens are the subscriber's own.
    expect(header(all, "List-Unsubscribe")).not.toBe(header(transit, "List-Unsubscribe"));
    if (mailer === "smtp") {
      const smtp = all.smtp;
      expect(smtp?.contentType).toBe("multipart/alternative");
      expect(smtp?.messageId).toMatch(/@news\.example\.com>$/);
      expect(smtp?.date).not.toBeNull();
    }
    // Nothing for the tag nobody wrote about that day, the unsubscribed or the suppressed.
    for (const nobody of [weather, gone, bounced]) expect(await digests(nobody.email)).toEqual([]);
    // One render per tag group that got mail, and one for the group that was skipped.
    expect(await services.editions.count(edition)).toBe(3);

    // The one-click unsubscribe in the header works as a mail client sends it.
    const oneClick = await request((header(transit, "List-Unsubscribe") ?? "").slice(1, -1), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect((await services.subscribers.get(tokyoTransit.id))?.status).toBe("unsubscribed");

    // The same hour again (a repeated run): nobody gets a second digest. A subscriber confirmed
    // in between is due in that run too, so their digest shows the run has been through.
    const late = await subscriber("late", { timeZone: "Asia/Tokyo", sendHour: 7 });
    await cron("2022-02-01T22:00:00Z");
    await eventually(async () => expect(await digests(late.email)).toHaveLength(1));
    expect(await digests(tokyo.email)).toHaveLength(1);
    expect(await counts(edition)).toMatchObject({ sent: 3, queued: 0, sending: 0, failed: 0, dead: 0 });

    // New York's 07:00 (12:00 UTC): the same edition, transit only.
    await cron("2022-02-02T12:00:00Z");
    await eventually(async () => expect(await digests(newYork.email)).toHaveLength(1));
    const [ny] = await digests(newYork.email);
    expect(ny?.html).toContain("Tram line 4 opens");
    expect(ny?.html).not.toContain("Market prices settle");
    expect(await counts(edition)).toMatchObject({ sent: 4, queued: 0, sending: 0 });
    expect(await digests(tokyo.email)).toHaveLength(1);
    expect(await digests(weather.email)).toEqual([]);
    expect(await services.editions.count(edition)).toBe(3);
  });
});
