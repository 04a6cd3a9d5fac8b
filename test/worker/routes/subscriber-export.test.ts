// GET /api/subscribers/export through the Worker with the real D1: every column against the rows
// as stored, CSV read back strictly, suppressions as hashes only, the keyset pages at their
// boundaries, and 100 000 subscribers inside the Free plan's 50 D1 queries an invocation
// (https://developers.cloudflare.com/d1/platform/limits/), for this export and the console's.

import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Row } from "../../../src/worker/store/subscribers.js";
import { SuppressionStore } from "../../../src/worker/store/suppressions.js";
import { consoleSession } from "../console.js";
import { parseCsv } from "../csv.js";
import { isolate, request, TOKEN } from "../helpers.js";

const T0 = Date.UTC(2022, 0, 10, 7, 0, 0);

const exportOf = (query = "", headers: Record<string, string> = {}) =>
  request(`/api/subscribers/export${query}`, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } });

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await res.json()) as { status: number; detail: string; errors?: { field: string }[] };
}

type StoredRow = Omit<Row, "id"> & { ip_hash: string | null };

/** The subscribers as D1 holds them, in id order. */
async function storedRows(): Promise<StoredRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at, source,
       unsubscribed_at, ip_hash FROM subscribers ORDER BY id`,
  ).all<StoredRow>();
  return results;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `count` subscribers <prefix>-<i>@example.com, in one statement. */
async function addMany(prefix: string, count: number): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, source, updated_at)
     SELECT printf('%s-%06d@example.com', ?1, i), 'active', 'daily', '[]', 'UTC', 7, ?3, '/', ?3 FROM n`,
  )
    .bind(prefix, count, T0)
    .run();
}

/** `count` suppressions with made-up hashes, in one statement. */
async function suppressMany(count: number): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO suppressions (email_hash, reason, created_at) SELECT printf('%064d', i), 'bounce', ?2 FROM n`,
  )
    .bind(count, T0)
    .run();
}

beforeEach(async () => {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM subscribers"),
    env.DB.prepare("DELETE FROM suppressions"),
    env.DB.prepare("DELETE FROM subscriber_merges"),
  ]);
});

describe("the subscriber export needs the admin token", () => {
  it("is 401 problem+json without a token", async () => {
    const res = await request("/api/subscribers/export");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="admin"');
    expect((await problem(res)).status).toBe(401);
  });

  it("is 401 problem+json with a wrong token, and says nothing of the list", async () => {
    await addMany("secret", 1);
    const res = await request("/api/subscribers/export?format=json", {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="admin", error="invalid_token"');
    const body = await problem(res);
    expect(body.status).toBe(401);
    expect(JSON.stringify(body)).not.toContain("secret-");
  });

  it("refuses an unknown parameter or format with a 400 naming it", async () => {
    for (const [query, field] of [
      ["?format=xml", "format"],
      ["?list=addresses", "list"],
      ["?page=2", "page"],
    ] as const) {
      const res = await exportOf(query);
      expect(res.status).toBe(400);
      expect((await problem(res)).errors?.map((e) => e.field)).toEqual([field]);
    }
  });
});

describe("GET /api/subscribers/export", () => {
  /** Three subscribers through the real sign-up and store paths, and two suppressed addresses. */
  async function seed(): Promise<void> {
    const insert = env.DB.prepare(
      `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at,
         source, ip_hash, unsubscribed_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?7)`,
    );
    await env.DB.batch([
      insert.bind(
        "Ann.Lee@Example.com",
        "active",
        "weekly",
        '["transit","city-hall"]',
        "Asia/Almaty",
        0,
        T0,
        T0 + 60_000,
        '=HYPERLINK("https://evil.example")',
        "a1b2c3",
        null,
      ),
      insert.bind(
        "bob@example.org",
        "unsubscribed",
        "daily",
        "[]",
        "Europe/Berlin",
        23,
        T0 + 1,
        T0 + 2,
        '/subscribe?a="b",c\nnext line',
        null,
        T0 + 3,
      ),
      insert.bind("cy@example.net", "pending", "daily", '["parks"]', "UTC", 7, T0 + 5, null, "/", "ffee", null),
    ]);
    const suppressions = new SuppressionStore(env.DB, () => T0 + 9);
    await suppressions.suppress("gone@example.com", "bounce");
    await suppressions.suppress("Left@Example.com", "complaint");
  }

  it("writes every subscriber's columns as CSV, exactly as stored, formulas defused", async () => {
    await seed();
    const res = await exportOf();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="subscribers.csv"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual([
      "email",
      "status",
      "frequency",
      "tags",
      "time_zone",
      "send_hour",
      "requested_at",
      "confirmed_at",
      "source",
      "unsubscribed_at",
      "ip_hash",
    ]);
    const stored = await storedRows();
    expect(stored).toHaveLength(3);
    // Each cell against D1's row; a source that starts like a formula is written with an apostrophe.
    expect(rows).toEqual(
      stored.map((r) => [
        r.email,
        r.status,
        r.frequency,
        (JSON.parse(r.tags_json) as string[]).join(","),
        r.time_zone,
        String(r.send_hour),
        iso(r.requested_at),
        iso(r.confirmed_at) ?? "",
        r.source.startsWith("=") ? `'${r.source}` : r.source,
        iso(r.unsubscribed_at) ?? "",
        r.ip_hash ?? "",
      ]),
    );
    expect(rows[0]?.[8]).toBe(`'=HYPERLINK("https://evil.example")`);
    expect(rows[1]?.[8]).toBe('/subscribe?a="b",c\nnext line');
  });

  it("writes every column as JSON, both lists in one object", async () => {
    await seed();
    for (const res of [await exportOf("?format=json"), await exportOf("", { accept: "application/json" })]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const body = (await res.json()) as { subscribers: unknown[]; suppressions: unknown[] };
      expect(Object.keys(body)).toEqual(["subscribers", "suppressions"]);
      expect(body.subscribers).toEqual(
        (await storedRows()).map((r) => ({
          email: r.email,
          status: r.status,
          frequency: r.frequency,
          tags: JSON.parse(r.tags_json),
          time_zone: r.time_zone,
          send_hour: r.send_hour,
          requested_at: iso(r.requested_at),
          confirmed_at: iso(r.confirmed_at),
          source: r.source,
          unsubscribed_at: iso(r.unsubscribed_at),
          ip_hash: r.ip_hash,
        })),
      );
      expect(body.suppressions).toHaveLength(2);
    }
  });

  it("gives the suppressions as their stored hashes only: no address anywhere", async () => {
    await seed();
    const { results } = await env.DB.prepare(
      "SELECT email_hash, reason, created_at FROM suppressions ORDER BY email_hash",
    ).all<{ email_hash: string; reason: string; created_at: number }>();
    expect(results).toHaveLength(2);

    const csv = await exportOf("?list=suppressions", { accept: "text/csv" });
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="suppressions.csv"');
    const csvText = await csv.text();
    expect(parseCsv(csvText)).toEqual([
      ["email_hash", "reason", "created_at"],
      ...results.map((r) => [r.email_hash, r.reason, iso(r.created_at)]),
    ]);
    const json = await (await exportOf("?format=json")).text();
    expect((JSON.parse(json) as { suppressions: unknown }).suppressions).toEqual(
      results.map((r) => ({ email_hash: r.email_hash, reason: r.reason, created_at: iso(r.created_at) })),
    );
    for (const body of [csvText, json, await (await exportOf()).text()]) {
      expect(body.toLowerCase()).not.toContain("gone@");
      expect(body.toLowerCase()).not.toContain("left@");
    }
  });

  it("writes an empty list as a header alone, and empty JSON lists", async () => {
    expect(await (await exportOf()).text()).toBe(
      `"email","status","frequency","tags","time_zone","send_hour","requested_at","confirmed_at","source","unsubscribed_at","ip_hash"\r\n`,
    );
    expect(await (await exportOf("?format=json")).text()).toBe('{"subscribers": [],\n"suppressions": []}\n');
  });

  it("prefers the format the Accept header ranks higher, CSV when it names neither", async () => {
    const type = async (accept: string) => (await exportOf("", { accept })).headers.get("content-type");
    expect(await type("text/csv;q=0.5, application/json")).toBe("application/json; charset=utf-8");
    expect(await type("application/json;q=0.4, text/csv;q=0.9")).toBe("text/csv; charset=utf-8; header=present");
    expect(await type("text/html, */*")).toBe("text/csv; charset=utf-8; header=present");
    // ?format wins over Accept.
    const res = await exportOf("?format=csv", { accept: "application/json" });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
  });
});

describe("keyset pages of 5 000 rows", () => {
  /** The export's rows and how many page reads of each table it made. */
  async function run(query: string) {
    const worker = isolate();
    const res = await worker.fetch(`/api/subscribers/export${query}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const reads = (table: string) => worker.prepared().filter((p) => p.sql.includes(`FROM ${table} WHERE`)).length;
    return { text, subscriberReads: reads("subscribers"), suppressionReads: reads("suppressions"), worker };
  }

  it("reads 5 000 subscribers in one page and 5 001 in two, none lost or repeated", async () => {
    await addMany("p", 5000);
    const one = await run("");
    expect(one.subscriberReads).toBe(1);
    expect(parseCsv(one.text)).toHaveLength(1 + 5000);

    await addMany("q", 1);
    const two = await run("");
    expect(two.subscriberReads).toBe(2);
    const rows = parseCsv(two.text).slice(1);
    expect(rows).toHaveLength(5001);
    expect(new Set(rows.map((r) => r[0])).size).toBe(5001);
    expect(rows[4999]?.[0]).toBe("p-005000@example.com");
    expect(rows[5000]?.[0]).toBe("q-000001@example.com");
  });

  it("reads 5 000 suppressions in one page and 5 001 in two", async () => {
    await suppressMany(5000);
    const one = await run("?format=json&list=suppressions");
    expect(one.suppressionReads).toBe(1);
    expect((JSON.parse(one.text) as { suppressions: unknown[] }).suppressions).toHaveLength(5000);

    await env.DB.prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES ('f', 'bounce', 0)").run();
    const two = await run("?format=json&list=suppressions");
    expect(two.suppressionReads).toBe(2);
    const hashes = (JSON.parse(two.text) as { suppressions: { email_hash: string }[] }).suppressions.map(
      (s) => s.email_hash,
    );
    expect(hashes).toHaveLength(5001);
    expect(new Set(hashes).size).toBe(5001);
    expect(hashes.at(-1)).toBe("f");
  });
});

describe("100 000 subscribers", () => {
  it("come out in one invocation within the Free plan's 50 D1 queries, here and in the console", async () => {
    await addMany("big", 100_000);
    await suppressMany(1000);
    const worker = isolate();
    const all = await worker.fetch("/api/subscribers/export?format=json", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const body = (await all.json()) as { subscribers: { email: string }[]; suppressions: unknown[] };
    expect(body.subscribers).toHaveLength(100_000);
    expect(body.subscribers.at(-1)?.email).toBe("big-100000@example.com");
    expect(body.suppressions).toHaveLength(1000);
    // 20 pages of subscribers and one of suppressions.
    expect(worker.statements()).toBeLessThanOrEqual(50);
    expect(worker.prepared().filter((p) => p.sql.includes("FROM subscribers WHERE")).length).toBe(20);

    // The console's CSV, unfiltered (one query a page) and filtered on a column no index serves
    // (two a page, each walking at most 10 000 rows).
    const cookie = await consoleSession();
    for (const query of ["", "?frequency=daily"]) {
      const shell = isolate();
      const res = await shell.fetch(`/admin/subscribers.csv${query}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.split("\r\n")).toHaveLength(1 + 100_000 + 1);
      expect(shell.statements()).toBeLessThanOrEqual(50);
    }
  });
});

describe("the export in pages (limit)", () => {
  it("gives 2 500 subscribers in pages of 1 000, each linking the next, the same rows as the whole export", async () => {
    await addMany("page", 2500);
    const whole = parseCsv(await (await exportOf()).text()).slice(1);
    const rows: string[][] = [];
    const sizes: number[] = [];
    let next: string | null = "/api/subscribers/export?limit=1000";
    while (next !== null) {
      const res = await exportOf(next.slice(next.indexOf("?")));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
      const [header, ...page] = parseCsv(await res.text());
      expect(header?.[0]).toBe("email");
      sizes.push(page.length);
      rows.push(...page);
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(rows).toEqual(whole);
  });

  it("gives a list's page as JSON with where the next starts, null after the last", async () => {
    await suppressMany(3);
    const first = (await (await exportOf("?format=json&list=suppressions&limit=2")).json()) as {
      suppressions: { email_hash: string }[];
      next: string | null;
    };
    expect(first.suppressions.map((s) => s.email_hash)).toEqual([`${"0".repeat(63)}1`, `${"0".repeat(63)}2`]);
    expect(first.next).toBe(
      `https://news.example.com/api/subscribers/export?format=json&list=suppressions&limit=2&after=${"0".repeat(63)}2`,
    );
    const second = (await (await exportOf(new URL(first.next ?? "").search)).json()) as typeof first;
    expect(second.suppressions.map((s) => s.email_hash)).toEqual([`${"0".repeat(63)}3`]);
    expect(second.next).toBeNull();
  });

  it("refuses a page it cannot give, naming the parameter", async () => {
    const cases: [string, string][] = [
      ["?after=10", "after"],
      ["?limit=1000&after=abc", "after"],
      ["?list=suppressions&limit=10&after=12", "after"],
      ["?limit=5001", "limit"],
      ["?limit=0", "limit"],
    ];
    for (const [query, field] of cases) {
      const res = await exportOf(query);
      expect(res.status, query).toBe(400);
      expect(
        (await problem(res)).errors?.map((e) => e.field),
        query,
      ).toEqual([field]);
    }
    expect((await exportOf("?limit=5000")).status).toBe(200);
  });
});
