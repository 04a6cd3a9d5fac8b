// The send step (src/worker/jobs/send.ts) in Node, so that `npm run mutate` runs it too: a real D1
// (test/node/d1.ts) holding subscribers, stored renders and the ledger, and the real Resend adapter
// posting to the local server that speaks Resend's API (test/global-setup.ts, started in this
// process). services.ts cannot load in Node (its mailer factory imports the SMTP adapter, which
// imports cloudflare:sockets), so the test builds the part of Services that send.ts reads from the
// same store classes and config parsers.

import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestProject } from "vitest/node";
import { parseMailConfig, parseSiteConfig } from "../../src/core/config.js";
import { Pacer } from "../../src/core/delivery.js";
import { verifyToken } from "../../src/core/token.js";
import { LEASE_MS, type SendDeps, sendRows } from "../../src/worker/jobs/send.js";
import { type Mailer, sendAll } from "../../src/worker/mail/mailer.js";
import { PostmarkMailer } from "../../src/worker/mail/postmark.js";
import { ResendMailer } from "../../src/worker/mail/resend.js";
import type { Services } from "../../src/worker/services.js";
import { AudienceStore } from "../../src/worker/store/audience.js";
import { DeliveryStore } from "../../src/worker/store/deliveries.js";
import { EditionStore } from "../../src/worker/store/editions.js";
import { SubscriberStore } from "../../src/worker/store/subscribers.js";
import { SuppressionStore } from "../../src/worker/store/suppressions.js";
import startMailServers, { type MailServers, POSTMARK_TOKEN, RESEND_API_KEY } from "../global-setup.js";
import type { Arrived } from "../mail-types.js";
import { openTestD1, type TestD1 } from "./d1.js";

const T = Date.UTC(2026, 2, 2, 7, 0, 0);
const SECRET = "test-signing-secret-0123456789-abcdefghijklmnop";
const MARK = "@@recipient@@";
const EDITION = "daily/2022-03-01";

let d1: TestD1;
let servers: MailServers;
let stopServers: () => Promise<void>;
let clock = T;
let services: Services;
let resend: ResendMailer;
let postmark: PostmarkMailer;
let n = 0;

beforeAll(async () => {
  d1 = await openTestD1();
  stopServers = await startMailServers({
    provide: (_key: string, value: MailServers) => {
      servers = value;
    },
  } as unknown as TestProject);
  const vars = {
    SITE_URL: "https://news.example.com",
    SITE_TITLE: "The Steppe Ledger",
    SITE_DESCRIPTION: "Regional news",
    SITE_LANGUAGE: "en",
    FEED_ITEMS: "20",
    MAIL_FROM: "The Steppe Ledger <digest@example.com>",
    MAILER: "resend",
    RESEND_API_KEY,
    EMAIL_API_BASE: `${servers.httpBase}/resend`,
  };
  const site = parseSiteConfig(vars);
  const now = () => clock;
  // What send.ts reads of Services, from the real stores on the test's D1.
  const part: Pick<
    Services,
    "deliveries" | "subscribers" | "suppressions" | "audience" | "editions" | "signingSecret" | "site" | "now"
  > = {
    deliveries: new DeliveryStore(d1.db, now),
    subscribers: new SubscriberStore(d1.db, now),
    suppressions: new SuppressionStore(d1.db, now),
    audience: new AudienceStore(d1.db),
    editions: new EditionStore(d1.db, now),
    signingSecret: () => SECRET,
    site,
    now,
  };
  services = part as Services;
  resend = new ResendMailer({ config: parseMailConfig(vars), siteUrl: site.siteUrl, now });
  const postmarkVars = { ...vars, MAILER: "postmark", POSTMARK_TOKEN, EMAIL_API_BASE: `${servers.httpBase}/postmark` };
  postmark = new PostmarkMailer({ config: parseMailConfig(postmarkVars), siteUrl: site.siteUrl, now });
});
afterAll(async () => {
  await stopServers();
  await d1.dispose();
});
beforeEach(async () => {
  await d1.clear();
  clock = T;
});

/** The deps a queue consumer gives sendRows: a fast pace, the default lease; `sleeps` records waits. */
function deps(options: { mailer?: () => Mailer; rate?: number; leaseMs?: number; sleeps?: number[] } = {}): SendDeps {
  const sleeps = options.sleeps ?? [];
  return {
    services,
    mailer: options.mailer ?? (() => resend),
    pacer: new Pacer(options.rate ?? 1000, 30_000, clock),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  };
}

/** A subscriber through the store's own request (and confirmation, unless pending): id and address. */
async function subscriber(confirmed = true): Promise<{ id: number; email: string }> {
  n++;
  const email = `send-${n}-${crypto.randomUUID().slice(0, 8)}@example.net`;
  const outcome = await services.subscribers.request({
    email,
    preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
    source: "/subscribe",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a new subscriber");
  if (confirmed && (await services.subscribers.confirm(outcome.subscriberId, outcome.nonce))?.status !== "active") {
    throw new Error("expected an active subscriber");
  }
  return { id: outcome.subscriberId, email };
}

/** Stores the render of (edition, tagsKey): the recipient's token goes where MARK stands. */
async function render(edition: string, tagsKey = "[]", articles = 1): Promise<void> {
  await services.editions.put([
    {
      edition,
      tagsKey,
      articles,
      subject: `Digest ${edition} ${tagsKey}`,
      html: `<p>${edition}</p><a href="https://news.example.com/preferences?token=${MARK}">Preferences</a> ${MARK}`,
      text: `${edition}\nPreferences: https://news.example.com/preferences?token=${MARK}`,
      recipientMark: MARK,
    },
  ]);
}

async function enqueue(readers: { id: number }[], edition = EDITION, tagsKey = "[]"): Promise<number[]> {
  return services.deliveries.enqueue(
    edition,
    readers.map((r) => ({ subscriberId: r.id, tagsKey })),
  );
}

async function messages(to: string): Promise<Arrived[]> {
  const response = await fetch(`${servers.httpBase}/control/messages?to=${encodeURIComponent(to)}`);
  return (await response.json()) as Arrived[];
}

async function failNext(to: string, status: number, body: unknown): Promise<void> {
  await fetch(`${servers.httpBase}/control/fail`, {
    method: "POST",
    body: JSON.stringify({ provider: "resend", to, status, body }),
  });
}

async function requests(): Promise<{ single: number; batch: number }> {
  return (await (await fetch(`${servers.httpBase}/control/requests?provider=resend`)).json()) as {
    single: number;
    batch: number;
  };
}

async function ledger(id: number) {
  return d1.db
    .prepare("SELECT status, attempts, provider_id, last_error, lease_until FROM deliveries WHERE id = ?1")
    .bind(id)
    .first<{
      status: string;
      attempts: number;
      provider_id: string | null;
      last_error: string | null;
      lease_until: number | null;
    }>();
}

/** The idempotency key Resend gets for a batch of messages with these keys, in order. */
function batchKey(keys: string[]): string {
  return `batch/${createHash("sha256").update(keys.join("\n")).digest("hex").slice(0, 64)}`;
}

describe("sendRows", () => {
  it("mails each active recipient their group's render with their own links, and records the provider's id", async () => {
    const a = await subscriber();
    const b = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a, b]);

    expect(await sendRows(deps(), ids)).toEqual({ sent: 2, failed: 0, released: 0, error: null });

    for (const [i, reader] of [a, b].entries()) {
      const [mail, ...more] = await messages(reader.email);
      expect(more).toEqual([]);
      if (!mail) throw new Error("expected a message");
      expect(mail.to).toEqual([reader.email]);
      expect(mail.subject).toBe(`Digest ${EDITION} []`);
      const token = /token=([^"\s]+)/.exec(mail.html)?.[1] ?? "";
      expect(await verifyToken(SECRET, token, "manage", T)).toEqual({ ok: true, subscriber: reader.id });
      expect(mail.html).toBe(
        `<p>${EDITION}</p><a href="https://news.example.com/preferences?token=${token}">Preferences</a> ${token}`,
      );
      expect(mail.text).toBe(`${EDITION}\nPreferences: https://news.example.com/preferences?token=${token}`);
      expect(mail.headers["list-unsubscribe"]).toBe(`<https://news.example.com/unsubscribe?token=${token}>`);
      expect(mail.headers["list-id"]).toBe("<digest.news.example.com>");
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      // One batch request, whose key is made of the messages' keys `<edition>/<subscriber>`.
      expect(mail.request?.headers["idempotency-key"]).toBe(batchKey([`${EDITION}/${a.id}`, `${EDITION}/${b.id}`]));
      expect(await ledger(ids[i] ?? 0)).toEqual({
        status: "sent",
        attempts: 1,
        provider_id: mail.id,
        last_error: null,
        lease_until: null,
      });
    }
  });

  it("gives the provider `<edition>/<subscriber>` as the key of each message", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    // A mailer without batch sends: each message is its own request, with its own key.
    const single = (): Mailer => ({ send: (message, options) => resend.send(message, options) });
    expect(await sendRows(deps({ mailer: single }), ids)).toMatchObject({ sent: 1 });
    const [mail] = await messages(a.email);
    expect(mail?.request?.headers["idempotency-key"]).toBe(`${EDITION}/${a.id}`);
  });

  it("claims a row once: a second send of the same rows mails nobody", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 1 });
    expect(await sendRows(deps(), ids)).toEqual({ sent: 0, failed: 0, released: 0, error: null });
    expect(await messages(a.email)).toHaveLength(1);
  });

  it("never mails a subscriber who is not active, and fails the row saying why", async () => {
    const stayed = await subscriber();
    const left = await subscriber();
    const pending = await subscriber(false);
    const suppressed = await subscriber();
    const erased = await subscriber();
    await render(EDITION);
    const ids = await enqueue([stayed, left, pending, suppressed, erased]);
    await services.subscribers.unsubscribe(left.id);
    await services.suppressions.suppress(suppressed.email, "bounce");
    // A row of an id with no subscriber; erasing a subscriber deletes their unsent rows.
    const [ghost] = await enqueue([{ id: 999_999 }]);
    await services.subscribers.erase(erased.id);

    const result = await sendRows(deps(), [...ids, ghost ?? 0]);

    expect(result).toEqual({ sent: 1, failed: 4, released: 0, error: null });
    expect(await messages(stayed.email)).toHaveLength(1);
    for (const reader of [left, pending, suppressed, erased]) expect(await messages(reader.email)).toEqual([]);
    expect((await ledger(ids[1] ?? 0))?.last_error).toBe("not sent: the subscriber is unsubscribed");
    expect((await ledger(ids[2] ?? 0))?.last_error).toBe("not sent: the subscriber is pending");
    expect((await ledger(ids[3] ?? 0))?.last_error).toBe("not sent: the subscriber is suppressed");
    expect(await ledger(ids[4] ?? 0)).toBeNull();
    expect((await ledger(ghost ?? 0))?.last_error).toBe("not sent: the subscriber is erased");
    expect(await services.deliveries.counts(EDITION)).toEqual({ queued: 0, sending: 0, sent: 1, failed: 4, dead: 0 });
  });

  it("fails a row whose group has no render, or a render with no articles, and mails nobody", async () => {
    const a = await subscriber();
    const b = await subscriber();
    await render(EDITION, '["empty"]', 0);
    const [none] = await enqueue([a], EDITION, '["missing"]');
    const [empty] = await enqueue([b], EDITION, '["empty"]');
    const before = await requests();
    expect(await sendRows(deps(), [none ?? 0, empty ?? 0])).toEqual({ sent: 0, failed: 2, released: 0, error: null });
    for (const id of [none, empty]) {
      expect(await ledger(id ?? 0)).toMatchObject({
        status: "failed",
        last_error: "not sent: the edition has no render for this group",
      });
    }
    expect(await messages(a.email)).toEqual([]);
    expect(await messages(b.email)).toEqual([]);
    expect(await requests()).toEqual(before);
  });

  it("sends each row the render of its own edition and group", async () => {
    const a = await subscriber();
    const b = await subscriber();
    const c = await subscriber();
    await render(EDITION);
    await render(EDITION, '["culture"]');
    await render("daily/2022-03-02");
    const ids = [
      ...(await enqueue([a], EDITION, "[]")),
      ...(await enqueue([b], EDITION, '["culture"]')),
      ...(await enqueue([c], "daily/2022-03-02", "[]")),
    ];
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 3 });
    expect((await messages(a.email))[0]?.subject).toBe(`Digest ${EDITION} []`);
    expect((await messages(b.email))[0]?.subject).toBe(`Digest ${EDITION} ["culture"]`);
    expect((await messages(c.email))[0]?.subject).toBe("Digest daily/2022-03-02 []");
  });

  it("releases rows to queued with the error on a transient answer (429, 503), to be sent again", async () => {
    for (const status of [429, 503]) {
      await d1.clear();
      const a = await subscriber();
      const b = await subscriber();
      await render(EDITION);
      const ids = await enqueue([a, b]);
      await failNext(a.email, status, { name: "busy", message: "try later" });
      const error = `Resend answered ${status}: try later`;

      expect(await sendRows(deps(), ids)).toEqual({ sent: 0, failed: 0, released: 2, error });

      for (const id of ids) {
        expect(await ledger(id)).toEqual({
          status: "queued",
          attempts: 1,
          provider_id: null,
          last_error: error,
          lease_until: null,
        });
      }
      expect(await messages(b.email)).toEqual([]);
      // Released, the rows are claimed again at once, an attempt more.
      expect(await sendRows(deps(), ids)).toEqual({ sent: 2, failed: 0, released: 0, error: null });
      expect((await ledger(ids[0] ?? 0))?.attempts).toBe(2);
    }
  });

  it("fails rows for good on a permanent answer (422)", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    await failNext(a.email, 422, { name: "validation_error", message: "invalid recipient" });

    expect(await sendRows(deps(), ids)).toEqual({ sent: 0, failed: 1, released: 0, error: null });
    expect(await ledger(ids[0] ?? 0)).toEqual({
      status: "failed",
      attempts: 1,
      provider_id: null,
      last_error: "Resend answered 422: invalid recipient",
      lease_until: null,
    });
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 0, failed: 0 });
    expect(await messages(a.email)).toEqual([]);
  });

  it("sends at the pace MAIL_RATE allows: one message per second at 1/s, in requests of one", async () => {
    const readers = [await subscriber(), await subscriber(), await subscriber()];
    await render(EDITION);
    const ids = await enqueue(readers);
    const before = await requests();
    const sleeps: number[] = [];

    expect(await sendRows(deps({ rate: 1, sleeps }), ids)).toMatchObject({ sent: 3 });

    expect(sleeps).toEqual([1_000, 2_000]);
    expect(await requests()).toEqual({ single: before.single, batch: before.batch + 3 });
    for (const reader of readers) {
      const [mail] = await messages(reader.email);
      expect(mail?.request?.headers["idempotency-key"]).toBe(batchKey([`${EDITION}/${reader.id}`]));
    }
  });

  it("sends up to a second's worth per request: 2 requests for 3 messages at 2/s", async () => {
    const readers = [await subscriber(), await subscriber(), await subscriber()];
    await render(EDITION);
    const ids = await enqueue(readers);
    const before = await requests();
    const sleeps: number[] = [];
    expect(await sendRows(deps({ rate: 2, sleeps }), ids)).toMatchObject({ sent: 3 });
    expect(sleeps).toEqual([1_000]);
    expect((await requests()).batch).toBe(before.batch + 2);
  });

  it("puts the rows back to queued at once when the mailer cannot be built, and says why", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    const broken = (): Mailer => {
      throw new TypeError("ResendMailer needs RESEND_API_KEY");
    };
    await expect(sendRows(deps({ mailer: broken }), ids)).rejects.toThrow("ResendMailer needs RESEND_API_KEY");
    expect(await ledger(ids[0] ?? 0)).toEqual({
      status: "queued",
      attempts: 1,
      provider_id: null,
      last_error: "ResendMailer needs RESEND_API_KEY",
      lease_until: null,
    });
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 1 });
  });

  it("keeps rows in flight when it fails after the provider took them: claimed again only when the lease ends", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    // A consumer that dies after the provider took the message, before it wrote that down.
    const dying = (): Mailer => ({
      send: (message, options) => resend.send(message, options),
      async sendAll(items) {
        await sendAll(resend, items);
        throw new Error("the consumer died before settling");
      },
    });
    await expect(sendRows(deps({ mailer: dying }), ids)).rejects.toThrow("the consumer died before settling");
    expect(await ledger(ids[0] ?? 0)).toMatchObject({ status: "sending", last_error: null, lease_until: T + 900_000 });
    expect(LEASE_MS).toBe(900_000);

    clock = T + 899_999;
    expect(await sendRows(deps(), ids)).toEqual({ sent: 0, failed: 0, released: 0, error: null });
    clock = T + 900_000;
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 1 });
    // The same batch and key again: the provider answers as the first time and sends nothing new.
    expect(await messages(a.email)).toHaveLength(1);
    expect((await ledger(ids[0] ?? 0))?.provider_id).toBe((await messages(a.email))[0]?.id);
  });

  it("holds rows for the lease it is given", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    const dying = (): Mailer => ({
      send: () => Promise.reject(new Error("unused")),
      sendAll: () => Promise.reject(new Error("the consumer died")),
    });
    await expect(sendRows(deps({ mailer: dying, leaseMs: 5_000 }), ids)).rejects.toThrow("the consumer died");
    expect((await ledger(ids[0] ?? 0))?.lease_until).toBe(T + 5_000);
  });

  it("releases a row the mailer gave no outcome for", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    const silent = (): Mailer => ({ send: () => Promise.reject(new Error("unused")), sendAll: async () => [] });
    expect(await sendRows(deps({ mailer: silent }), ids)).toEqual({
      sent: 0,
      failed: 0,
      released: 1,
      error: "the mailer gave no outcome",
    });
    expect(await ledger(ids[0] ?? 0)).toMatchObject({ status: "queued", last_error: "the mailer gave no outcome" });
  });

  it("sends digests as broadcast mail: Postmark's broadcast stream", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    expect(await sendRows(deps({ mailer: () => postmark }), ids)).toMatchObject({ sent: 1 });
    const [mail] = await messages(a.email);
    expect(mail?.via).toBe("postmark");
    expect(mail?.request?.body.MessageStream).toBe("broadcast");
    expect((await ledger(ids[0] ?? 0))?.provider_id).toBe(mail?.id);
  });

  it("builds no mailer when there is nothing to claim, so a broken setting does not fail an empty message", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 1 });
    const broken = (): Mailer => {
      throw new TypeError("ResendMailer needs RESEND_API_KEY");
    };
    expect(await sendRows(deps({ mailer: broken }), ids)).toEqual({ sent: 0, failed: 0, released: 0, error: null });
  });

  it("releases the rows with whatever was thrown, written out, when it is not an Error", async () => {
    const a = await subscriber();
    await render(EDITION);
    const ids = await enqueue([a]);
    const broken = (): Mailer => {
      throw "no mailer today";
    };
    await expect(sendRows(deps({ mailer: broken }), ids)).rejects.toBe("no mailer today");
    expect(await ledger(ids[0] ?? 0)).toMatchObject({ status: "queued", last_error: "no mailer today" });
  });
});
