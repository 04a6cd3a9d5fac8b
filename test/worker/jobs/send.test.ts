// The send step (src/worker/jobs/send.ts) on the real local D1 and the local SMTP server, with a
// fixed clock: who is mailed when a subscriber leaves between the fan-out and the send, and how
// long a claim keeps its rows from a second consumer while they are in flight.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Pacer } from "../../../src/core/delivery.js";
import { renderGroup } from "../../../src/worker/jobs/fanout.js";
import { type SendDeps, sendRows } from "../../../src/worker/jobs/send.js";
import { type Mailer, sendAll } from "../../../src/worker/mail/mailer.js";
import { Services } from "../../../src/worker/services.js";
import { admin, fixture } from "../helpers.js";
import { address, mailbox, mailVars } from "../mailbox.js";

const T = Date.UTC(2026, 2, 2, 7, 0, 0);
let clock = T;
const services = new Services(mailVars("smtp"), () => clock);

/** The deps a queue consumer gives sendRows, on the fixed clock, with the default lease. */
function deps(mailer: () => Mailer = () => services.mailer()): SendDeps {
  return { services, mailer, pacer: new Pacer(1000, 30_000, clock), sleep: async () => {} };
}

/** An active subscriber, through the store's own request and confirmation. */
async function subscriber(label: string): Promise<{ id: number; email: string }> {
  const email = address(label);
  const outcome = await services.subscribers.request({
    email,
    preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
    source: "/subscribe",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a new subscriber");
  if ((await services.subscribers.confirm(outcome.subscriberId, outcome.nonce))?.status !== "active") {
    throw new Error("expected an active subscriber");
  }
  return { id: outcome.subscriberId, email };
}

/**
 * An edition with one article (or one per title, the first the newest), rendered by `by` (the
 * site's settings) and fanned out to `readers`: the ids of their rows.
 */
async function fannedOut(
  day: string,
  readers: { id: number }[],
  titles: string[] = [],
  by = services,
): Promise<number[]> {
  const given = titles.length > 0 ? titles : [undefined];
  for (const [i, title] of given.entries()) {
    const hour = String(20 - i).padStart(2, "0");
    const res = await admin(
      "POST",
      "/api/articles",
      fixture({ date: `${day}T${hour}:00:00+06:00`, ...(title ? { title } : {}) }),
    );
    expect(res.status).toBe(201);
  }
  const edition = `daily/${day}`;
  await by.editions.put([await renderGroup(by, edition, "[]")]);
  return services.deliveries.enqueue(
    edition,
    readers.map((r) => ({ subscriberId: r.id, tagsKey: "[]" })),
  );
}

const digests = async (to: string) => (await mailbox.messages(to)).filter((m) => m.via === "smtp");

async function statusOf(id: number): Promise<{ status: string; last_error: string | null } | null> {
  return env.DB.prepare("SELECT status, last_error FROM deliveries WHERE id = ?1")
    .bind(id)
    .first<{ status: string; last_error: string | null }>();
}

describe("sendRows", () => {
  it("does not mail a reader who unsubscribed after the fan-out, and mails the one who stayed", async () => {
    clock = T;
    const stayed = await subscriber("send-stayed");
    const left = await subscriber("send-left");
    const [stayedRow, leftRow] = await fannedOut("2022-03-01", [stayed, left]);
    await services.subscribers.unsubscribe(left.id);

    const result = await sendRows(deps(), [stayedRow ?? 0, leftRow ?? 0]);

    expect(result).toMatchObject({ sent: 1, failed: 1, released: 0 });
    expect(await digests(stayed.email)).toHaveLength(1);
    expect(await digests(left.email)).toEqual([]);
    expect(await statusOf(leftRow ?? 0)).toEqual({
      status: "failed",
      last_error: "not sent: the subscriber is unsubscribed",
    });
  });

  it("holds a claim in flight for 15 minutes: not claimed again at 14:59.999, claimed at 15:00", async () => {
    clock = T;
    const reader = await subscriber("send-lease");
    const ids = await fannedOut("2022-03-02", [reader]);
    // A consumer that dies after the provider took the message, before it wrote that down: the
    // row stays in flight under its lease.
    const dying = (): Mailer => {
      const real = services.mailer();
      return {
        send: (message, options) => real.send(message, options),
        async sendAll(items) {
          await sendAll(real, items);
          throw new Error("the consumer died before settling");
        },
      };
    };
    await expect(sendRows(deps(dying), ids)).rejects.toThrow(/died/);
    expect(await digests(reader.email)).toHaveLength(1);

    clock = T + 899_999;
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 0, failed: 0, released: 0 });
    expect(await digests(reader.email)).toHaveLength(1);
    expect((await statusOf(ids[0] ?? 0))?.status).toBe("sending");

    clock = T + 900_000;
    expect(await sendRows(deps(), ids)).toMatchObject({ sent: 1 });
    expect(await digests(reader.email)).toHaveLength(2);
    expect((await statusOf(ids[0] ?? 0))?.status).toBe("sent");
  });

  it("sends a subject of the lead headline and the count: 78 characters whole, 79 cut at a word", async () => {
    clock = T;
    const fits = await subscriber("send-subject-78");
    const cut = await subscriber("send-subject-79");
    const headline78 = "City council approves the new tram line budget after a long debate over bridge";
    const headline79 = "City council approves the new tram line budget after a long debate over bridges";
    expect([headline78.length, headline79.length]).toEqual([78, 79]);
    expect(await sendRows(deps(), await fannedOut("2022-03-03", [fits], [headline78]))).toMatchObject({ sent: 1 });
    expect(await sendRows(deps(), await fannedOut("2022-03-04", [cut], [headline79]))).toMatchObject({ sent: 1 });
    const [whole] = await digests(fits.email);
    const [shortened] = await digests(cut.email);
    expect(whole?.subject).toBe(headline78);
    expect(shortened?.subject).toBe("City council approves the new tram line budget after a long debate over…");
    expect(shortened?.text.split("\n")[0]).toBe("Daily digest, Friday, March 4, 2022");
  });

  it("writes the subject and the footer's invitation in Russian and Kazakh", async () => {
    clock = T;
    const cases = [
      {
        language: "ru",
        day: "2022-03-05",
        titles: ["Трамвай пошёл", "Мост открыт", "Снег"],
        subject: "Трамвай пошёл (и ещё 2 статьи)",
        heading: "Ежедневный дайджест, суббота, 5 марта 2022 г.",
        invitation: "Вам переслали это письмо? Подпишитесь",
      },
      {
        language: "kk",
        day: "2022-03-06",
        titles: ["Трамвай жүрді", "Көпір ашылды"],
        subject: "Трамвай жүрді (тағы 1 мақала)",
        heading: "Күнделікті дайджест, 2022 ж. 6 наурыз, жексенбі",
        invitation: "Бұл хат сізге басқа біреуден келді ме? Жазылыңыз",
      },
    ];
    for (const c of cases) {
      const site = new Services(mailVars("smtp", { SITE_LANGUAGE: c.language }), () => clock);
      const reader = await subscriber(`send-subject-${c.language}`);
      expect(await sendRows(deps(), await fannedOut(c.day, [reader], c.titles, site))).toMatchObject({ sent: 1 });
      const [received] = await digests(reader.email);
      expect(received?.subject).toBe(c.subject);
      expect(received?.text.split("\n")[0]).toBe(c.heading);
      expect(received?.text).toContain(
        `${c.invitation}: https://news.example.com/subscribe?source=%2Fdigests%2Fdaily%2F${c.day}`,
      );
    }
  });
});
