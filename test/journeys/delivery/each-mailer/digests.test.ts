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
import { Pacer } from "../../../../src/core/delivery.js";
import type { Preferences } from "../../../../src/core/subscription.js";
import worker from "../../../../src/worker/index.js";
import { renderGroup } from "../../../../src/worker/jobs/fanout.js";
import { consume } from "../../../../src/worker/jobs/queue.js";
import { sendRows } from "../../../../src/worker/jobs/send.js";
import { type Mailer, sendAll } from "../../../../src/worker/mail/mailer.js";
import { Services } from "../../../../src/worker/services.js";
import type { Arrived } from "../../../mail-types.js";
import { admin, eventually, fixture, request } from "../../../worker/helpers.js";
import { address, mailbox, type Provider } from "../../../worker/mailbox.js";

const mailer = env.MAILER as "smtp" | "resend" | "postmark";
const services = new Services(env);
/** The HTTP provider, in the tests that only run against one. */
const provider = mailer as Provider;

/** Runs the Cron Trigger's handler as the runtime would at `iso`. */
async function cron(iso: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.parse(iso), cron: "0 * * * *" }), env, ctx);
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
    await services.suppressions.suppress(bounced.email, "bounce");
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
    // The lead headline (the newest) and how many more: no site name, no date.
    expect(all.subject).toBe("Market prices settle (+1 more)");
    expect(transit.subject).toBe("Tram line 4 opens");
    expect(all.text.split("\n")[0]).toBe("Daily digest, Tuesday, February 1, 2022");
    // Whoever the email is forwarded to is invited to the sign-up, which records the edition.
    const signUp = "https://news.example.com/subscribe?source=%2Fdigests%2Fdaily%2F2022-02-01";
    expect(all.html).toContain(`Forwarded this email? <a href="${signUp}">Subscribe</a>`);
    expect(all.text).toContain(`Forwarded this email? Subscribe: ${signUp}`);
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

describe.skipIf(mailer === "smtp")(`failures through ${mailer}`, () => {
  it("loses and duplicates nobody: provider errors are retried, a consumer that died is recovered", async () => {
    await publish({ title: "Ice road closes", date: "2022-03-01T10:00:00+06:00", tags: ["Transit"] });
    const prefs = { timeZone: "Europe/Berlin", sendHour: 9 };
    const failing500 = await subscriber("fail-500", prefs);
    const failing429 = await subscriber("fail-429", prefs);
    const fine = await subscriber("fine", prefs);
    const crashed = [await subscriber("crash-a", prefs), await subscriber("crash-b", prefs)];
    const edition = "daily/2022-03-01";
    // A consumer that claimed these rows and died before sending: the rows are "sending" under a
    // lease that runs out in 3 seconds.
    const crashedRows = await services.deliveries.enqueue(
      edition,
      crashed.map((s) => ({ subscriberId: s.id, tagsKey: "[]" })),
    );
    const claimed = await services.deliveries.claim(crashedRows, 3000);
    expect(claimed).toHaveLength(2);
    const leaseOver = Date.now() + 3000;
    // The provider refuses the first attempt with a 500 and the first two with a 429 (either fails
    // the whole batch call it is in): the third attempt goes through.
    await mailbox.failNext(provider, failing500.email, 500, {
      message: "internal server error",
      name: "internal_server_error",
    });
    await mailbox.failNext(
      provider,
      failing429.email,
      429,
      {
        message: "too many requests",
        name: "rate_limit_exceeded",
      },
      2,
    );

    // 09:00 in Berlin on 2 March is 08:00 UTC.
    await cron("2022-03-02T08:00:00Z");
    await eventually(async () => expect((await counts(edition)).sent).toBe(3));
    expect(await counts(edition)).toMatchObject({ sent: 3, sending: 2, queued: 0, failed: 0, dead: 0 });
    const retried = (await services.deliveries.list(edition, "sent", null, 10)).rows.find(
      (row) => row.subscriberId === fine.id,
    );
    expect(retried?.attempts).toBe(3);
    for (const s of crashed) expect(await digests(s.email)).toEqual([]);

    // The next hourly run, once the lease is over, sends the rows the dead consumer held.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseOver - Date.now()) + 50));
    await cron("2022-03-02T09:00:00Z");
    await eventually(async () => expect((await counts(edition)).sent).toBe(5));
    for (const s of [failing500, failing429, fine, ...crashed]) {
      const received = await digests(s.email);
      expect(received, s.email).toHaveLength(1);
      expect(received[0]?.html).toContain("Ice road closes");
    }
    expect(await counts(edition)).toEqual({ queued: 0, sending: 0, sent: 5, failed: 0, dead: 0 });
  });

  it("marks a send dead when its retries run out, and the operator's retry delivers it once", async () => {
    await publish({ title: "Bridge repairs", date: "2022-04-01T10:00:00+06:00", tags: ["Transit"] });
    const unlucky = await subscriber("dead", { timeZone: "Europe/London", sendHour: 10 });
    const edition = "daily/2022-04-01";
    // One attempt and three retries (the test configuration's max_retries), all refused.
    await mailbox.failNext(provider, unlucky.email, 503, { message: "unavailable", name: "application_error" }, 4);

    // 10:00 in London on 2 April (BST) is 09:00 UTC.
    await cron("2022-04-02T09:00:00Z");
    await eventually(async () => expect((await counts(edition)).dead).toBe(1));
    expect(await digests(unlucky.email)).toEqual([]);
    const dead = await admin("GET", `/api/deliveries?edition=${edition}&status=dead`);
    const listed = (await dead.json()) as { items: { subscriber_id: number; attempts: number; last_error: string }[] };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]?.attempts).toBe(4);
    expect(listed.items[0]?.last_error).toMatch(/^retries ran out \(last error: .*503/);

    const retry = await admin("POST", "/api/deliveries/retry", { edition });
    expect(await retry.json()).toEqual({ requeued: 1 });
    await eventually(async () => expect((await counts(edition)).sent).toBe(1));
    expect(await digests(unlucky.email)).toHaveLength(1);
  });
});

describe("MAIL_RATE", () => {
  it("bounds what one consumer invocation sends; the rest is queued again and sent later, once", async () => {
    await publish({ title: "Harbour lights", date: "2022-05-01T10:00:00+06:00", tags: ["Transit"] });
    const edition = "daily/2022-05-01";
    const readers = [];
    for (let i = 0; i < 12; i++)
      readers.push(await subscriber(`paced-${i}`, { timeZone: "Pacific/Auckland", sendHour: 3 }));
    await services.editions.put([await renderGroup(services, edition, "[]")]);
    const ids = await services.deliveries.enqueue(
      edition,
      readers.map((r) => ({ subscriberId: r.id, tagsKey: "[]" })),
    );
    const batch = createMessageBatch("edge-feeds-deliveries", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: { type: "send", ids: ids.slice(0, 4) } },
      { id: "m2", timestamp: new Date(), attempts: 1, body: { type: "send", ids: ids.slice(4, 8) } },
      { id: "m3", timestamp: new Date(), attempts: 1, body: { type: "send", ids: ids.slice(8) } },
    ]);
    // 4 messages a second, and an invocation that may send for one second: one message's worth.
    const paced = new Services({ ...env, MAIL_RATE: "4" });
    const ctx = createExecutionContext();
    await consume(batch, paced, { windowMs: 1000 });
    const result = await getQueueResult(batch, ctx);
    // Every message is settled: sent, or handed back to the queue (not retried: waiting is no failure).
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2", "m3"]);
    expect(result.retryMessages).toEqual([]);
    expect(await counts(edition)).toMatchObject({ sent: 4, queued: 8 });
    let received = 0;
    for (const r of readers) received += (await digests(r.email)).length;
    expect(received).toBe(4);

    // The queue brings the rest back (to a consumer at the test configuration's rate).
    await eventually(async () => expect((await counts(edition)).sent).toBe(12));
    for (const r of readers) expect(await digests(r.email)).toHaveLength(1);
    const sent = await services.deliveries.list(edition, "sent", null, 20);
    expect(sent.rows.every((row) => row.attempts === 1)).toBe(true);
  });
});

describe(`a consumer that dies after ${mailer} accepted the batch`, () => {
  const exactlyOnce = mailer === "resend";
  it(
    exactlyOnce
      ? "is recovered without a second email: the same rows go again under the same batch key"
      : "is recovered by sending again under the same Message-ID (at-least-once, as docs/delivery.md says)",
    async () => {
      await publish({ title: "Ferry timetable", date: "2022-06-01T10:00:00+06:00", tags: ["Transit"] });
      const edition = "daily/2022-06-01";
      const readers = [
        await subscriber("after-send-a", { timeZone: "Pacific/Auckland", sendHour: 4 }),
        await subscriber("after-send-b", { timeZone: "Pacific/Auckland", sendHour: 4 }),
      ];
      await services.editions.put([await renderGroup(services, edition, "[]")]);
      const ids = await services.deliveries.enqueue(
        edition,
        readers.map((r) => ({ subscriberId: r.id, tagsKey: "[]" })),
      );
      const real = services.mailer();
      const dying: Mailer = {
        send: (message, options) => real.send(message, options),
        async sendAll(items) {
          await sendAll(real, items);
          throw new Error("the consumer died before writing down what it sent");
        },
      };
      const leaseOver = Date.now() + 2000;
      await expect(
        sendRows(
          {
            services,
            mailer: () => dying,
            pacer: new Pacer(1000, 30_000, Date.now()),
            sleep: async () => {},
            leaseMs: 2000,
          },
          ids,
        ),
      ).rejects.toThrow(/died/);
      for (const r of readers) expect(await digests(r.email)).toHaveLength(1);
      expect(await counts(edition)).toMatchObject({ sending: 2, sent: 0 });

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseOver - Date.now()) + 50));
      await cron("2022-06-01T23:00:00Z");
      await eventually(async () => expect((await counts(edition)).sent).toBe(2));
      for (const r of readers) {
        const received = await digests(r.email);
        if (exactlyOnce) {
          expect(received).toHaveLength(1);
        } else {
          expect(received).toHaveLength(2);
          const ids = received.map((m) => m.smtp?.messageId ?? m.headers["message-id"]);
          expect(ids[0]).toMatch(/@news\.example\.com>$/);
          expect(ids[1]).toBe(ids[0]);
        }
      }
    },
  );
});
