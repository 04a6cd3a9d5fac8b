// Operator routes through the Worker with the real D1: delivery counts and dead rows, retry,
// the subscriber export and erasure, each behind the admin token.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DeliveryStore } from "../../../src/worker/store/deliveries.js";
import { admin, request, SITE } from "../helpers.js";

const T0 = Date.UTC(2022, 0, 10, 7, 0, 0);
const deliveries = new DeliveryStore(env.DB, () => T0);

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await res.json()) as { status: number; detail: string };
}

/** `count` subscribers named <prefix>1@example.com… in `status`, in one statement; their ids in order. */
async function addSubscribers(prefix: string, count: number, status: string): Promise<number[]> {
  const { results } = await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at,
       confirmed_at, source, updated_at)
     SELECT ?1 || i || '@example.com', ?3, 'daily', '["rust"]', 'Asia/Tokyo', 7, ?4, ?4, '/subscribe', ?4 FROM n
     RETURNING id`,
  )
    .bind(prefix, count, status, T0)
    .all<{ id: number }>();
  return results.map((r) => r.id).sort((a, b) => a - b);
}

/** Sets rows to a status directly: the ledger's own moves are tested in test/node/deliveries-store.test.ts. */
async function setStatus(ids: number[], status: string, error: string | null = null): Promise<void> {
  await env.DB.prepare(
    "UPDATE deliveries SET status = ?2, last_error = ?3, attempts = 3 WHERE id IN (SELECT value FROM json_each(?1))",
  )
    .bind(JSON.stringify(ids), status, error)
    .run();
}

describe("operator routes need the admin token", () => {
  for (const [method, path] of [
    ["GET", "/api/deliveries?edition=daily/2022-01-10"],
    ["POST", "/api/deliveries/retry"],
    ["POST", "/api/deliveries/run"],
    ["GET", "/api/subscribers"],
    ["DELETE", "/api/subscribers/a@example.com"],
  ] as const) {
    it(`${method} ${path} is 401 without it`, async () => {
      const res = await request(path, { method });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="admin"');
      expect((await problem(res)).status).toBe(401);
    });
  }

  it("leaves the public API open", async () => {
    expect((await request("/api/articles")).status).toBe(200);
  });
});

describe("GET /api/deliveries", () => {
  const EDITION = "daily/2022-01-10";
  let dead: number[] = [];

  beforeAll(async () => {
    const subs = await addSubscribers("d", 6, "active");
    const ids = await deliveries.enqueue(
      EDITION,
      subs.map((id) => ({ subscriberId: id, tagsKey: "all" })),
    );
    ids.sort((a, b) => a - b);
    dead = ids.slice(0, 3);
    await setStatus(dead, "dead", "SMTP 451 try later");
    await setStatus(ids.slice(3, 4), "sent");
    await setStatus(ids.slice(4, 5), "failed", "550 no such user");
  });

  it("counts the edition's rows by status", async () => {
    const res = await admin("GET", `/api/deliveries?edition=${EDITION}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      edition: EDITION,
      counts: { queued: 1, sending: 0, sent: 1, failed: 1, dead: 3 },
    });
  });

  it("lists the dead rows with their errors, paged", async () => {
    const res = await admin("GET", `/api/deliveries?edition=${EDITION}&status=dead&limit=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; next: string | null; counts: unknown };
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toEqual({
      subscriber_id: expect.any(Number),
      status: "dead",
      attempts: 3,
      last_error: "SMTP 451 try later",
      updated_at: "2022-01-10T07:00:00.000Z",
    });
    expect(body.next).toMatch(
      new RegExp(`^${SITE}/api/deliveries\\?edition=daily%2F2022-01-10&status=dead&limit=2&cursor=\\d+$`),
    );
    const rest = (await (await admin("GET", (body.next as string).slice(SITE.length))).json()) as typeof body;
    expect(rest.items).toHaveLength(1);
    expect(rest.next).toBeNull();
  });

  it("is empty for an edition nobody was sent", async () => {
    const body = await (await admin("GET", "/api/deliveries?edition=weekly/2022-W02&status=dead")).json();
    expect(body).toEqual({
      edition: "weekly/2022-W02",
      counts: { queued: 0, sending: 0, sent: 0, failed: 0, dead: 0 },
      items: [],
      next: null,
    });
  });

  for (const [query, field] of [
    ["?edition=", "edition"],
    ["?edition=2022-01-10", "edition"],
    ["?edition=daily/2022-13-40", "edition"],
    ["?edition=daily/2022-02-29", "edition"],
    ["?edition=weekly/2021-W53", "edition"],
    ["?edition=daily/2022-01-10&status=lost", "status"],
    ["?edition=daily/2022-01-10&status=dead&cursor=abc", "cursor"],
    ["?edition=daily/2022-01-10&status=dead&limit=0", "limit"],
    ["?edition=daily/2022-01-10&status=dead&limit=501", "limit"],
    ["?edition=daily/2022-01-10&colour=red", "colour"],
  ] as const) {
    it(`is 400 naming ${field} for "${query}"`, async () => {
      const res = await admin("GET", `/api/deliveries${query}`);
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toContain(field);
    });
  }
});

describe("GET /api/deliveries without an edition", () => {
  beforeAll(async () => {
    const subs = await addSubscribers("list", 3, "active");
    const rows = subs.map((id) => ({ subscriberId: id, tagsKey: "all" }));
    // Later than every other edition of this file, written out of order.
    for (const edition of ["daily/2030-01-07", "daily/2030-01-06", "weekly/2030-W02", "daily/2030-01-08"]) {
      const ids = await deliveries.enqueue(edition, rows);
      if (edition === "daily/2030-01-08") {
        ids.sort((a, b) => a - b);
        await setStatus(ids.slice(0, 1), "sent");
        await setStatus(ids.slice(1, 2), "dead", "gave up");
      }
    }
  });

  it("lists the editions newest first with their counts, paged by an absolute next link", async () => {
    const res = await admin("GET", "/api/deliveries?limit=2");
    expect(res.status).toBe(200);
    const first = (await res.json()) as { items: unknown[]; next: string | null };
    expect(first).toEqual({
      items: [
        { edition: "daily/2030-01-08", counts: { queued: 1, sending: 0, sent: 1, failed: 0, dead: 1 } },
        // Week 2 of 2030 starts on Monday 7 January: before that day, after the day before.
        { edition: "weekly/2030-W02", counts: { queued: 3, sending: 0, sent: 0, failed: 0, dead: 0 } },
      ],
      next: `${SITE}/api/deliveries?limit=2&cursor=weekly%2F2030-W02`,
    });
    const second = (await (await admin("GET", (first.next as string).slice(SITE.length))).json()) as typeof first;
    expect(second.items).toEqual([
      { edition: "daily/2030-01-07", counts: { queued: 3, sending: 0, sent: 0, failed: 0, dead: 0 } },
      { edition: "daily/2030-01-06", counts: { queued: 3, sending: 0, sent: 0, failed: 0, dead: 0 } },
    ]);
    expect(second.next).toBe(`${SITE}/api/deliveries?cursor=daily%2F2030-01-06&limit=2`);
  });

  it("keeps the counts as rows move and go, and drops an edition with no rows left", async () => {
    await env.DB.prepare("UPDATE deliveries SET status = 'sending' WHERE edition = 'daily/2030-01-07'").run();
    await env.DB.prepare("DELETE FROM deliveries WHERE edition = 'daily/2030-01-06'").run();
    const body = (await (await admin("GET", "/api/deliveries?limit=4")).json()) as { items: unknown[] };
    expect(body.items.slice(2)).toEqual([
      { edition: "daily/2030-01-07", counts: { queued: 0, sending: 3, sent: 0, failed: 0, dead: 0 } },
      { edition: "daily/2022-01-10", counts: { queued: 1, sending: 0, sent: 1, failed: 1, dead: 3 } },
    ]);
  });

  for (const [query, field] of [
    ["?status=dead", "edition"],
    ["?cursor=12", "cursor"],
    ["?cursor=daily/2022-02-30", "cursor"],
    ["?limit=0", "limit"],
    ["?limit=501", "limit"],
  ] as const) {
    it(`is 400 naming ${field} for "${query}"`, async () => {
      const res = await admin("GET", `/api/deliveries${query}`);
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toMatch(new RegExp(`^${field}: `));
    });
  }
});

describe("POST /api/deliveries/retry", () => {
  it("re-queues only the dead rows of that edition, keeping attempts and errors", async () => {
    const subs = await addSubscribers("r", 3, "active");
    const [a, b] = [
      await deliveries.enqueue(
        "daily/2022-02-01",
        subs.map((id) => ({ subscriberId: id, tagsKey: "all" })),
      ),
      await deliveries.enqueue(
        "daily/2022-02-02",
        subs.map((id) => ({ subscriberId: id, tagsKey: "all" })),
      ),
    ];
    await setStatus(a.slice(0, 2), "dead", "timed out");
    await setStatus(a.slice(2), "failed", "550 no such user");
    await setStatus(b, "dead", "timed out");

    const res = await admin("POST", "/api/deliveries/retry", { edition: "daily/2022-02-01" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requeued: 2 });

    const counts = async (edition: string) =>
      ((await (await admin("GET", `/api/deliveries?edition=${edition}`)).json()) as { counts: unknown }).counts;
    // Queued again, and on the queue: the consumer takes them (this edition was never rendered, so
    // it gives up on them: what matters here is that they left "dead").
    const after = (await counts("daily/2022-02-01")) as Record<string, number>;
    expect(after.dead).toBe(0);
    expect((after.queued ?? 0) + (after.sending ?? 0) + (after.failed ?? 0)).toBe(3);
    expect(await counts("daily/2022-02-02")).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, dead: 3 });
    const queued = (await (await admin("GET", "/api/deliveries?edition=daily/2022-02-01&status=queued")).json()) as {
      items: { attempts: number; last_error: string }[];
    };
    for (const item of queued.items) expect([item.attempts, item.last_error]).toEqual([3, "timed out"]);

    expect(await (await admin("POST", "/api/deliveries/retry", { edition: "daily/2022-02-01" })).json()).toEqual({
      requeued: 0,
    });
  });

  for (const body of ["{}", '{"edition":"yesterday"}', '{"edition":7}', "not json"]) {
    it(`is 400 for ${body}`, async () => {
      const res = await admin("POST", "/api/deliveries/retry", body);
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toMatch(/edition|JSON/);
    });
  }
});

describe("GET /api/subscribers", () => {
  let pending: number[] = [];

  beforeAll(async () => {
    pending = await addSubscribers("p", 501, "pending");
  });

  it("pages 500 at a time by id, then the last one", async () => {
    const res = await admin("GET", "/api/subscribers?status=pending&limit=500");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { email: string }[]; next: string | null };
    expect(body.items).toHaveLength(500);
    expect(body.items[0]).toEqual({
      email: "p1@example.com",
      status: "pending",
      frequency: "daily",
      tags: ["rust"],
      time_zone: "Asia/Tokyo",
      send_hour: 7,
      requested_at: "2022-01-10T07:00:00.000Z",
      confirmed_at: "2022-01-10T07:00:00.000Z",
      source: "/subscribe",
    });
    expect(body.next).toBe(`${SITE}/api/subscribers?status=pending&limit=500&cursor=${pending[499]}`);
    const rest = (await (await admin("GET", (body.next as string).slice(SITE.length))).json()) as typeof body;
    expect(rest.items.map((i) => i.email)).toEqual(["p501@example.com"]);
    expect(rest.next).toBeNull();
  });

  it("filters by status", async () => {
    await addSubscribers("u", 2, "unsubscribed");
    const body = (await (await admin("GET", "/api/subscribers?status=unsubscribed")).json()) as {
      items: { email: string }[];
    };
    expect(body.items.map((i) => i.email)).toEqual(["u1@example.com", "u2@example.com"]);
  });

  for (const [query, field] of [
    ["?limit=501", "limit"],
    ["?limit=0", "limit"],
    ["?status=gone", "status"],
    ["?cursor=-1", "cursor"],
    ["?page=2", "page"],
  ] as const) {
    it(`is 400 naming ${field} for "${query}"`, async () => {
      const res = await admin("GET", `/api/subscribers${query}`);
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toContain(field);
    });
  }
});

describe("DELETE /api/subscribers/:email", () => {
  it("erases the subscriber, found by the normalised address, and their queued rows", async () => {
    const [id] = await addSubscribers("e", 1, "active");
    await deliveries.enqueue("daily/2022-03-01", [{ subscriberId: id as number, tagsKey: "all" }]);
    const res = await admin("DELETE", `/api/subscribers/${encodeURIComponent(" e1@EXAMPLE.com ")}`);
    expect(res.status).toBe(204);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE id = ?1")
      .bind(id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    const counts = (await (await admin("GET", "/api/deliveries?edition=daily/2022-03-01")).json()) as {
      counts: { queued: number };
    };
    expect(counts.counts.queued).toBe(0);
    expect((await admin("DELETE", "/api/subscribers/e1@example.com")).status).toBe(404);
  });

  it("finds the subscriber in any letter case of the local part too", async () => {
    const [id] = await addSubscribers("Mixed.Case", 1, "active");
    expect((await admin("DELETE", "/api/subscribers/MIXED.CASE1@example.com")).status).toBe(204);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE id = ?1")
      .bind(id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("is 404 for an unknown address and 400 for something that is not one", async () => {
    expect((await admin("DELETE", "/api/subscribers/nobody@example.com")).status).toBe(404);
    const res = await admin("DELETE", "/api/subscribers/not-an-address");
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toContain("email");
  });
});
