// The console's subscribers pages: the search and filters, keyset paging, bad filters, one
// subscriber's page, its actions (unsubscribe, resend under the cooldown, erase in two steps),
// and the CSV export read back.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../csv.js";
import { eventually, request, SITE, TOKEN, testServices } from "../helpers.js";
import { address, mailbox } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

let cookie = "";

beforeAll(async () => {
  const res = await request("/admin/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": "198.51.100.201",
      origin: SITE,
    },
    body: new URLSearchParams({ token: TOKEN, next: "/admin" }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
});

const get = (path: string, signedIn = true) =>
  request(path, { headers: signedIn ? { cookie } : {}, redirect: "manual" });

const post = (path: string, fields: Record<string, string> = {}, origin = SITE) =>
  request(path, {
    method: "POST",
    headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });

interface Row {
  email: string;
  status?: string;
  frequency?: string;
  tags?: string[];
  source?: string;
  confirmedAt?: number | null;
  ipHash?: string | null;
}

const REQUESTED = Date.parse("2022-01-10T01:00:00Z");
const CONFIRMED = Date.parse("2022-01-10T01:05:00Z");

/** Inserts subscribers as they are stored; returns their ids. */
async function add(...rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  for (const r of rows) {
    const id = await env.DB.prepare(
      `INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour, requested_at, confirmed_at,
         source, ip_hash, updated_at)
       VALUES (?1, ?2, ?3, ?4, 'Asia/Almaty', 7, ?5, ?6, ?7, ?8, ?5) RETURNING id`,
    )
      .bind(
        r.email,
        r.status ?? "active",
        r.frequency ?? "daily",
        JSON.stringify(r.tags ?? []),
        REQUESTED,
        r.confirmedAt === undefined ? CONFIRMED : r.confirmedAt,
        r.source ?? "/",
        r.ipHash ?? null,
      )
      .first<number>("id");
    ids.push(id ?? 0);
  }
  return ids;
}

/** The highest id now: a list `after` it shows only what a test adds next. */
const lastId = async () => (await env.DB.prepare("SELECT max(id) AS n FROM subscribers").first<number>("n")) ?? 0;

/** The addresses in the list's table, in order, and its Next link. */
async function listed(path: string) {
  const res = await get(path);
  const html = await res.text();
  const page = parsePage(html);
  return {
    status: res.status,
    html,
    page,
    emails: page.links.filter((l) => /^\/admin\/subscribers\/\d+$/.test(l)).map((l) => emailOf(html, l)),
    next: page.links.find((l) => l.startsWith("/admin/subscribers?") && l.includes("after=")) ?? null,
  };
}

/** The text of a subscriber page's value named by data-field. */
function field(html: string, name: string): string {
  const m = new RegExp(`<dd data-field="${name}">(.*?)</dd>`, "s").exec(html);
  return (m?.[1] ?? "").replace(/<[^>]*>/g, "").trim();
}

function emailOf(html: string, href: string): string {
  const m = new RegExp(`<a href="${href}">([^<]*)</a>`).exec(html);
  return m?.[1] ?? "";
}

describe("signed out", () => {
  it("sends every subscribers route to the sign-in page (303)", async () => {
    for (const path of ["/admin/subscribers", "/admin/subscribers.csv", "/admin/subscribers/1"]) {
      const res = await get(path, false);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
    for (const action of ["unsubscribe", "resend", "erase"]) {
      const res = await request(`/admin/subscribers/1/${action}`, {
        method: "POST",
        headers: { origin: SITE, "content-type": "application/x-www-form-urlencoded" },
        body: "confirm=erase",
        redirect: "manual",
      });
      expect(res.status, action).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
    }
  });
});

describe("the list", () => {
  it("finds addresses by their beginning in any letter case: ALI finds alice@ and Alina@, not malice@", async () => {
    await add({ email: "alice@example.org" }, { email: "Alina@Example.org" }, { email: "malice@example.org" });
    const { status, html, emails } = await listed("/admin/subscribers?q=ALI");
    expect(status).toBe(200);
    expect(await htmlProblems(html)).toEqual([]);
    expect(emails).toEqual(["alice@example.org", "Alina@Example.org"]);
    // The form shows the search as typed.
    expect((await listed("/admin/subscribers?q=ALI")).page.forms[0]?.fields[0]?.value).toBe("ALI");
    expect((await listed("/admin/subscribers?q=alina%40")).emails).toEqual(["Alina@Example.org"]);
    expect((await listed("/admin/subscribers?q=alix")).emails).toEqual([]);
  });

  it("filters by status, frequency and tag, alone and together", async () => {
    const base = await lastId();
    await add(
      { email: "flt-a@example.org", status: "active", frequency: "daily", tags: ["transit"] },
      { email: "flt-b@example.org", status: "pending", frequency: "weekly", tags: [], confirmedAt: null },
      { email: "flt-c@example.org", status: "active", frequency: "weekly", tags: ["parks", "transit"] },
      { email: "flt-d@example.org", status: "unsubscribed", frequency: "daily", tags: ["parks"] },
    );
    const by = async (query: string) => (await listed(`/admin/subscribers?${query}`)).emails.map((e) => e[4]);
    expect(await by(`after=${base}&status=active`)).toEqual(["a", "c"]);
    expect(await by(`after=${base}&status=unsubscribed`)).toEqual(["d"]);
    expect(await by(`after=${base}&frequency=weekly`)).toEqual(["b", "c"]);
    expect(await by(`after=${base}&tag=parks`)).toEqual(["c", "d"]);
    expect(await by(`after=${base}&status=active&tag=transit`)).toEqual(["a", "c"]);
    expect(await by(`after=${base}&status=active&frequency=daily&tag=transit`)).toEqual(["a"]);
    // With the address search: status, frequency and tag checked on the prefix's range.
    expect(await by("q=flt-&status=pending")).toEqual(["b"]);
    expect(await by("q=FLT-&frequency=daily")).toEqual(["a", "d"]);
    expect(await by("q=flt-&tag=transit&frequency=weekly")).toEqual(["c"]);
    // Empty fields, as the form sends them, filter nothing.
    expect(await by("q=flt-&status=&frequency=&tag=")).toEqual(["a", "b", "c", "d"]);
  });

  it("pages 50 at a time: 51 subscribers are 50, then 1 behind a Next link that keeps the filters", async () => {
    const base = await lastId();
    const rows = Array.from({ length: 51 }, (_, i) => ({ email: `page-${String(i).padStart(2, "0")}@example.org` }));
    const ids = await add(...rows);
    const first = await listed(`/admin/subscribers?status=active&after=${base}`);
    expect(first.emails).toHaveLength(50);
    expect(first.emails[0]).toBe("page-00@example.org");
    expect(first.next).toBe(`/admin/subscribers?status=active&after=${ids[49]}`);
    const second = await listed(first.next ?? "");
    expect(second.emails).toEqual(["page-50@example.org"]);
    expect(second.next).toBeNull();

    // A search pages by address.
    const byAddress = await listed("/admin/subscribers?q=PAGE-");
    expect(byAddress.emails).toHaveLength(50);
    expect(byAddress.next).toBe("/admin/subscribers?q=page-&after=page-49%40example.org");
    expect((await listed(byAddress.next ?? "")).emails).toEqual(["page-50@example.org"]);
  });

  it("searches at most 1,000 subscribers a page for a filter no index serves, and says so", async () => {
    const base = await lastId();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1001)
       INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, source, updated_at)
       SELECT 'win-' || i || '@example.org', 'active', CASE WHEN i = 1001 THEN 'weekly' ELSE 'daily' END, 'UTC', 7, 0, '/', 0
       FROM n`,
    ).run();
    const first = await listed(`/admin/subscribers?frequency=weekly&after=${base}`);
    expect(first.emails).toEqual([]);
    expect(first.page.text).toContain("Searched the next 1,000 subscribers, of whom 0 match");
    expect(first.next).toBe(`/admin/subscribers?frequency=weekly&after=${base + 1000}`);
    const second = await listed(first.next ?? "");
    expect(second.emails).toEqual(["win-1001@example.org"]);
    expect(second.page.text).not.toContain("Searched the next");
    expect(second.next).toBeNull();
  });

  it("answers a bad filter with the form again, 400, the message next to the field", async () => {
    const cases: [string, string, string][] = [
      ["status=gone", "status", "must be one of pending, active, unsubscribed, suppressed"],
      ["frequency=monthly", "frequency", "must be one of daily, weekly"],
      ["tag=Not%20A%20Slug", "tag", 'must be a tag slug (lower-case words joined by "-")'],
      ["q=two%20words", "q", "must be the beginning of an address: up to 254 characters, no spaces"],
      [`q=${"a".repeat(255)}`, "q", "must be the beginning of an address: up to 254 characters, no spaces"],
    ];
    for (const [query, field, message] of cases) {
      const res = await get(`/admin/subscribers?${query}`);
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(await htmlProblems(html)).toEqual([]);
      const input = parsePage(html).forms[0]?.fields.find((f) => f.name === field);
      expect(input?.description, query).toBe(message);
      expect(html).not.toContain("<table");
    }
    expect((await get(`/admin/subscribers?q=${"a".repeat(254)}`)).status).toBe(200);
    const cursor = await get("/admin/subscribers?after=abc");
    expect(cursor.status).toBe(400);
    expect(parsePage(await cursor.text()).textOf("after-error")).toBe(
      "is not a place in this list; follow a Next link",
    );
    const csv = await get("/admin/subscribers.csv?status=gone");
    expect(csv.status).toBe(400);
  });
});

describe("one subscriber", () => {
  it("answers an unknown id with a 404 page", async () => {
    for (const path of ["/admin/subscribers/987654321", "/admin/subscribers/abc"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(await htmlProblems(html)).toEqual([]);
      expect(parsePage(html).headings[0]).toBe("No such subscriber");
    }
    expect((await post("/admin/subscribers/987654321/unsubscribe")).status).toBe(404);
    expect((await post("/admin/subscribers/987654321/erase", { confirm: "erase" })).status).toBe(404);
  });

  it("shows the consent record without the IP hash, the preferences, and the last 50 deliveries newest first", async () => {
    const [id, other] = await add(
      { email: "consent@example.org", tags: ["parks", "transit"], source: "/articles/x", ipHash: "SECRETHASH01" },
      { email: "consent-noip@example.org" },
    );
    const s = testServices();
    // 51 editions, a day apart from 1 November 2021: the page shows the newest 50.
    for (let day = 0; day < 51; day++) {
      const date = new Date(Date.UTC(2021, 10, 1) + day * 86_400_000).toISOString().slice(0, 10);
      await s.deliveries.enqueue(`daily/${date}`, [{ subscriberId: id ?? 0, tagsKey: "all" }]);
    }
    const res = await get(`/admin/subscribers/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).not.toContain("SECRETHASH01");
    const page = parsePage(html);
    expect(page.headings[0]).toBe("consent@example.org");
    expect(field(html, "requested")).toBe("10 Jan 2022, 07:00 GMT+6");
    expect(field(html, "confirmed")).toBe("10 Jan 2022, 07:05 GMT+6");
    expect(field(html, "source")).toBe("/articles/x");
    expect(field(html, "ip")).toBe("a salted hash is kept");
    expect(field(html, "status")).toBe("active");
    expect(field(html, "frequency")).toBe("daily");
    expect(field(html, "tags")).toBe("parks, transit");
    expect(field(html, "zone")).toBe("Asia/Almaty");
    expect(field(html, "hour")).toBe("07:00");
    const editions = [...html.matchAll(/<tr data-edition="([^"]+)"/g)].map((m) => m[1]);
    expect(editions).toHaveLength(50);
    expect(editions[0]).toBe("daily/2021-12-21");
    expect(editions[49]).toBe("daily/2021-11-02");
    expect(editions).not.toContain("daily/2021-11-01");
    const none = await (await get(`/admin/subscribers/${other}`)).text();
    expect(field(none, "ip")).toBe("not kept");
    expect(parsePage(none).text).toContain("No edition has been sent");
  });

  it("unsubscribes with a button, and says so", async () => {
    const [id] = await add({ email: "leaving@example.org" });
    const res = await post(`/admin/subscribers/${id}/unsubscribe`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/subscribers/${id}?done=unsubscribed`);
    const status = await env.DB.prepare("SELECT status FROM subscribers WHERE id = ?1")
      .bind(id)
      .first<string>("status");
    expect(status).toBe("unsubscribed");
    const page = parsePage(await (await get(res.headers.get("location") ?? "")).text());
    expect(page.text).toContain("Unsubscribed: no more email goes to this address.");
    expect(page.forms.map((f) => f.action)).toEqual([`/admin/subscribers/${id}/erase`]);
  });

  it("resends the confirmation of a pending sign-up, but not within 10 minutes of the last", async () => {
    const email = address("resend");
    const s = testServices();
    const first = await s.subscribers.request({
      email,
      preferences: { frequency: "weekly", tags: [], timeZone: "Asia/Almaty", sendHour: 9 },
      source: "/subscribe",
      ip: null,
    });
    if (first.kind !== "send") throw new Error("expected a new subscriber");
    const id = first.subscriberId;
    const sentAgo = (minutes: number) =>
      env.DB.prepare("UPDATE subscribers SET confirm_sent_at = ?2 WHERE id = ?1")
        .bind(id, Date.now() - minutes * 60_000)
        .run();

    await sentAgo(9);
    const refused = await post(`/admin/subscribers/${id}/resend`);
    expect(refused.status).toBe(303);
    expect(refused.headers.get("location")).toBe(`/admin/subscribers/${id}?done=cooldown`);
    const said = parsePage(await (await get(refused.headers.get("location") ?? "")).text()).text;
    expect(said).toMatch(/Not sent: a confirmation email went out at .*, less than 10 minutes ago\./);
    expect(await mailbox.messages(email)).toEqual([]);

    await sentAgo(10);
    const sent = await post(`/admin/subscribers/${id}/resend`);
    expect(sent.headers.get("location")).toBe(`/admin/subscribers/${id}?done=resent`);
    const message = await eventually(() => mailbox.smtp(email));
    expect(message.text).toMatch(/\/subscribe\/confirm\?token=/);
    // The request it confirms is the reader's own, kept: weekly at 09:00 from /subscribe.
    const pending = await env.DB.prepare("SELECT pending_json FROM subscribers WHERE id = ?1")
      .bind(id)
      .first<string>("pending_json");
    expect(JSON.parse(pending ?? "{}")).toMatchObject({ frequency: "weekly", sendHour: 9, source: "/subscribe" });

    const [active] = await add({ email: "already-active@example.org" });
    const moot = await post(`/admin/subscribers/${active}/resend`);
    expect(moot.headers.get("location")).toBe(`/admin/subscribers/${active}?done=not-pending`);
  });

  it("erases after asking, keeping the address's suppression; another site cannot (403)", async () => {
    const [id] = await add({ email: "Erase.Me@example.org" });
    const s = testServices();
    await s.suppressions.suppress("erase.me@example.org", "bounce");
    const suppressed = () => env.DB.prepare("SELECT count(*) AS n FROM suppressions").first<number>("n");
    const before = await suppressed();
    const exists = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM subscribers WHERE id = ?1").bind(id).first<number>("n")) === 1;

    const ask = await post(`/admin/subscribers/${id}/erase`);
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Erase Erase.Me@example.org?");
    expect(page.forms[0]?.fields.map((f) => [f.name, f.value])).toEqual([["confirm", "erase"]]);
    expect(await exists()).toBe(true);

    const forged = await post(`/admin/subscribers/${id}/erase`, { confirm: "erase" }, "https://evil.example");
    expect(forged.status).toBe(403);
    expect(await exists()).toBe(true);

    const done = await post(`/admin/subscribers/${id}/erase`, { confirm: "erase" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/admin/subscribers?erased=${id}`);
    expect(await exists()).toBe(false);
    expect(await suppressed()).toBe(before);
    expect(parsePage(await (await get(done.headers.get("location") ?? "")).text()).text).toContain(
      `Subscriber ${id} was erased.`,
    );
    expect((await get(`/admin/subscribers/${id}`)).status).toBe(404);
  });
});

describe("the CSV export", () => {
  it("is the filtered list as RFC 4180 CSV, formulas defused", async () => {
    await add(
      { email: "csv-1@example.org", tags: ["parks", "transit"], source: '=HYPERLINK("https://evil.example")' },
      { email: "csv-2@example.org", status: "pending", confirmedAt: null, source: "@SUM(A1)" },
      { email: "csv-3@example.org", frequency: "weekly", source: "/a,b" },
    );
    const res = await get("/admin/subscribers.csv?q=csv-");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="subscribers.csv"');
    const rows = parseCsv(await res.text());
    expect(rows).toEqual([
      ["email", "status", "frequency", "tags", "time_zone", "send_hour", "requested_at", "confirmed_at", "source"],
      [
        "csv-1@example.org",
        "active",
        "daily",
        "parks,transit",
        "Asia/Almaty",
        "7",
        "2022-01-10T01:00:00.000Z",
        "2022-01-10T01:05:00.000Z",
        `'=HYPERLINK("https://evil.example")`,
      ],
      ["csv-2@example.org", "pending", "daily", "", "Asia/Almaty", "7", "2022-01-10T01:00:00.000Z", "", "'@SUM(A1)"],
      [
        "csv-3@example.org",
        "active",
        "weekly",
        "",
        "Asia/Almaty",
        "7",
        "2022-01-10T01:00:00.000Z",
        "2022-01-10T01:05:00.000Z",
        "/a,b",
      ],
    ]);
    const pending = parseCsv(await (await get("/admin/subscribers.csv?q=csv-&status=pending")).text());
    expect(pending.map((r) => r[0])).toEqual(["email", "csv-2@example.org"]);
  });

  it("streams every page of a long list: 1,201 rows across three of its pages", async () => {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1201)
       INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, source, updated_at)
       SELECT printf('long-%04d@example.org', i), 'active', 'daily', 'UTC', 7, 0, '/', 0 FROM n`,
    ).run();
    const rows = parseCsv(await (await get("/admin/subscribers.csv?q=long-")).text());
    expect(rows).toHaveLength(1 + 1201);
    expect(rows[1]?.[0]).toBe("long-0001@example.org");
    expect(rows[1201]?.[0]).toBe("long-1201@example.org");
    expect(new Set(rows.map((r) => r[0])).size).toBe(1202);
  });
});
