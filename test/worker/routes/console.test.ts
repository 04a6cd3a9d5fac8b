// The publisher's console: signing in and out, the session cookie, the origin check on every
// form, and the dashboard's figures against counts read straight from D1.

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { signSession } from "../../../src/core/session.js";
import type { Preferences } from "../../../src/core/subscription.js";
import { app } from "../../../src/worker/app.js";
import { request, SITE, TOKEN, testServices } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

const SECRET = "test-signing-secret-0123456789-abcdefghijklmnop";
const DAILY: Preferences = { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 };
const WEEKLY: Preferences = { ...DAILY, frequency: "weekly" };

let clients = 0;
/** A client address of its own per sign-in test: the sign-in limit counts per client. */
const client = () => `198.51.100.${++clients}`;

function signIn(token: string, ip = client(), headers: Record<string, string> = { origin: SITE }) {
  return request("/admin/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip, ...headers },
    body: new URLSearchParams({ token, next: "/admin" }).toString(),
    redirect: "manual",
  });
}

/** A signed-in browser's cookie header. */
async function session(): Promise<string> {
  const res = await signIn(TOKEN);
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie") ?? "";
  return cookie.split(";")[0] ?? "";
}

const get = (path: string, cookie?: string) => request(path, { headers: cookie ? { cookie } : {}, redirect: "manual" });

describe("signing in", () => {
  it("sends a signed-out visitor of any console page to the sign-in page (303), and back after", async () => {
    const home = await get("/admin");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/admin/login");
    const deep = await get("/admin/subscribers?status=active");
    expect(deep.status).toBe(303);
    expect(deep.headers.get("location")).toBe(
      `/admin/login?next=${encodeURIComponent("/admin/subscribers?status=active")}`,
    );
    const form = await get("/admin/login?next=%2Fadmin%2Fsubscribers");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.forms[0]?.action).toBe("/admin/login");
    expect(page.forms[0]?.fields.map((f) => [f.name, f.type, f.value])).toEqual([
      ["next", "hidden", "/admin/subscribers"],
      ["token", "password", ""],
    ]);
    expect(form.headers.get("cache-control")).toBe("no-store");
    expect(form.headers.get("x-robots-tag")).toBe("noindex");
  });

  it("never sends anyone out of the console after signing in", async () => {
    for (const next of [
      "https://evil.example/admin",
      "//evil.example/admin",
      "/admin\\@evil.example",
      "/",
      "/administrator",
    ]) {
      const form = await get(`/admin/login?next=${encodeURIComponent(next)}`);
      expect(parsePage(await form.text()).forms[0]?.fields[0]?.value, next).toBe("/admin");
    }
  });

  it("sets a 12-hour HttpOnly, Secure, SameSite=Strict cookie for /admin on the right token", async () => {
    const res = await signIn(TOKEN);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^console_session=v1\.\d{13}\.token\.[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split("; ").slice(1).sort();
    expect(attributes).toEqual(["HttpOnly", "Max-Age=43200", "Path=/admin", "SameSite=Strict", "Secure"]);
    const dashboard = await get("/admin", cookie.split(";")[0]);
    expect(dashboard.status).toBe(200);
    expect(parsePage(await dashboard.text()).headings[0]).toBe("Dashboard");
  });

  it("leaves Secure off on a loopback SITE_URL, where the site is plain http", async () => {
    const res = await app.request(
      "/admin/login",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787" },
        body: new URLSearchParams({ token: TOKEN }).toString(),
      },
      { ...env, SITE_URL: "http://127.0.0.1:8787" },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/i);
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/);
  });

  it("shows the form again (400) with the message next to the field for a wrong or missing token, and sets no cookie", async () => {
    for (const [token, message] of [
      ["wrong-token-0123456789", "That is not the admin token."],
      [`${TOKEN}x`, "That is not the admin token."],
      ["", "Enter the admin token."],
    ]) {
      const res = await signIn(token ?? "");
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
      const page = parsePage(await res.text());
      const field = page.forms[0]?.fields.find((f) => f.name === "token");
      expect(field?.attributes["aria-invalid"]).toBe("true");
      expect(field?.description).toBe(message);
    }
  });

  it("refuses a hostile sign-in (a huge token, the field twice, JSON instead of a form) without a 500 or a cookie", async () => {
    const post = (body: string, type = "application/x-www-form-urlencoded") =>
      request("/admin/login", {
        method: "POST",
        headers: { "content-type": type, "cf-connecting-ip": client(), origin: SITE },
        body,
        redirect: "manual",
      });
    for (const res of [
      await post(`token=${"a".repeat(5_000)}`),
      await post(`token=${TOKEN}&token=${TOKEN}`),
      await post(JSON.stringify({ token: TOKEN }), "application/json"),
      await post("token=%E0%A4%A"),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("allows 5 attempts a minute per client: the 6th is 429, even with the right token", async () => {
    const ip = client();
    for (let i = 0; i < 5; i++) expect((await signIn("wrong-token-0123456789", ip)).status).toBe(400);
    const limited = await signIn(TOKEN, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.headers.get("set-cookie")).toBeNull();
    expect((await signIn(TOKEN, client())).status).toBe(303);
  });

  it("refuses a sign-in sent from another site, or naming no origin at all (403)", async () => {
    for (const headers of [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "http://news.example.com" },
      { referer: "https://evil.example/page" },
      {} as Record<string, string>,
    ]) {
      const res = await signIn(TOKEN, client(), headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    // Without Origin, a Referer from the site itself is enough.
    expect((await signIn(TOKEN, client(), { referer: `${SITE}/admin/login` })).status).toBe(303);
  });

  it("says the console is off, and signs no one in, without ADMIN_TOKEN", async () => {
    const { ADMIN_TOKEN: _, ...off } = env;
    const form = await app.request("/admin/login", {}, off);
    expect(form.status).toBe(403);
    expect(await form.text()).toContain("The console is off");
    const res = await app.request(
      "/admin/login",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE },
        body: "token=anything",
      },
      off,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("the session", () => {
  it("is refused when tampered with, expired, signed with another secret or before the token changed", async () => {
    const now = Date.now();
    const good = await session();
    const value = good.slice("console_session=".length);
    const bad = [
      `console_session=${value.slice(0, -2)}AA`,
      `console_session=${await signSession(SECRET, TOKEN, "token", now - 12 * 3_600_000 - 1000)}`,
      `console_session=${await signSession("another-secret-0123456789-abcdefghijklmnop", TOKEN, "token", now)}`,
      `console_session=${await signSession(SECRET, "an-older-admin-token-0123", "token", now)}`,
      "console_session=",
      "console_session=v1.garbage",
    ];
    for (const cookie of bad) {
      const res = await get("/admin", cookie);
      expect(res.status, cookie).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
    }
    expect((await get("/admin", `console_session=${await signSession(SECRET, TOKEN, "token", now)}`)).status).toBe(200);
  });

  it("ends with sign-out: the cookie is cleared and the next page asks to sign in", async () => {
    const cookie = await session();
    const out = await request("/admin/logout", {
      method: "POST",
      headers: { cookie, origin: SITE },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/admin/login");
    expect(out.headers.get("set-cookie")).toMatch(
      /^console_session=; Max-Age=0; Path=\/admin; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it("does not let another site sign a publisher out or act for them (403)", async () => {
    const cookie = await session();
    for (const path of ["/admin/logout", "/admin/editions/retry"]) {
      const res = await request(path, {
        method: "POST",
        headers: { cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
        body: "edition=daily/2022-01-10",
        redirect: "manual",
      });
      expect(res.status, path).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });
});

/** The dashboard's figures, found by their data attributes. */
function figures(html: string) {
  const document = parseDocument(html);
  type Attributes = Record<string, string>;
  const number = (match: (own: Attributes, parent: Attributes) => boolean) => {
    const found = DomUtils.findOne(
      (e) => match(e.attribs, (e.parent as { attribs?: Attributes } | null)?.attribs ?? {}),
      document.children,
    );
    return found ? Number(DomUtils.textContent(found).replace(/,/g, "")) : Number.NaN;
  };
  return {
    subscriber: (status: string, frequency: string) =>
      number((own, row) => own["data-frequency"] === frequency && row["data-status"] === status),
    figure: (name: string) => number((own) => own["data-figure"] === name),
    edition: (edition: string, status: string) =>
      number((own, row) => own["data-status"] === status && row["data-edition"] === edition),
  };
}

async function count(sql: string, ...params: unknown[]): Promise<number> {
  return (
    (await env.DB.prepare(sql)
      .bind(...params)
      .first<number>("n")) ?? 0
  );
}

describe("the dashboard", () => {
  it("shows figures that equal the counts in D1", async () => {
    const s = testServices();
    const now = Date.now();
    // Subscribers in each state: confirmed daily and weekly, one pending, one unsubscribed.
    const subscribe = async (email: string, preferences: Preferences) => {
      const outcome = await s.subscribers.request({ email, preferences, source: "/", ip: null });
      if (outcome.kind !== "send") throw new Error("expected a new subscriber");
      return outcome;
    };
    for (let i = 0; i < 3; i++) {
      const o = await subscribe(`dash-daily-${i}@example.com`, DAILY);
      await s.subscribers.confirm(o.subscriberId, o.nonce);
    }
    const weekly = await subscribe("dash-weekly@example.com", WEEKLY);
    await s.subscribers.confirm(weekly.subscriberId, weekly.nonce);
    await subscribe("dash-pending@example.com", DAILY);
    const leaving = await subscribe("dash-leaving@example.com", WEEKLY);
    await s.subscribers.confirm(leaving.subscriberId, leaving.nonce);
    await s.subscribers.unsubscribe(leaving.subscriberId);
    // An old confirmation (40 days ago) counts in neither window.
    await env.DB.prepare("UPDATE subscribers SET confirmed_at = ?1 WHERE email = 'dash-daily-0@example.com'")
      .bind(now - 40 * 86_400_000)
      .run();
    // A confirmation 8 days ago counts in 30 days, not in 7.
    await env.DB.prepare("UPDATE subscribers SET confirmed_at = ?1 WHERE email = 'dash-daily-1@example.com'")
      .bind(now - 8 * 86_400_000)
      .run();
    await s.suppressions.suppress("bounced@example.com", "bounce");
    await s.suppressions.suppress("complained@example.com", "complaint");
    await s.suppressions.suppress("complained2@example.com", "complaint");
    await env.DB.prepare("INSERT INTO suppressions (email_hash, reason, created_at) VALUES ('old', 'bounce', ?1)")
      .bind(now - 31 * 86_400_000)
      .run();
    // An edition with two sends dead and one sent.
    const ids = await s.deliveries.enqueue("daily/2022-01-10", [
      { subscriberId: 1, tagsKey: "all" },
      { subscriberId: 2, tagsKey: "all" },
      { subscriberId: 3, tagsKey: "all" },
    ]);
    await s.deliveries.markDead(ids.slice(0, 2), "test");

    const res = await get("/admin", await session());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const shown = figures(html);
    for (const status of ["active", "pending", "unsubscribed", "suppressed"]) {
      for (const frequency of ["daily", "weekly"]) {
        const inD1 = await count(
          "SELECT count(*) AS n FROM subscribers WHERE status = ?1 AND frequency = ?2",
          status,
          frequency,
        );
        expect(shown.subscriber(status, frequency), `${status} ${frequency}`).toBe(inD1);
      }
      const all = await count("SELECT count(*) AS n FROM subscribers WHERE status = ?1", status);
      expect(shown.subscriber(status, "all")).toBe(all);
    }
    expect(shown.subscriber("active", "daily")).toBe(3);
    expect(shown.subscriber("unsubscribed", "weekly")).toBe(1);
    for (const [name, days] of [
      ["confirmed-7", 7],
      ["confirmed-30", 30],
    ] as const) {
      const since = now - days * 86_400_000;
      expect(shown.figure(name)).toBe(
        await count("SELECT count(*) AS n FROM subscribers WHERE confirmed_at >= ?1", since),
      );
    }
    expect(shown.figure("confirmed-7")).toBe(3);
    expect(shown.figure("confirmed-30")).toBe(4);
    expect(shown.figure("bounces-30")).toBe(1);
    expect(shown.figure("complaints-30")).toBe(2);
    expect(shown.edition("daily/2022-01-10", "queued")).toBe(1);
    expect(shown.edition("daily/2022-01-10", "dead")).toBe(2);
    expect(html).toContain(`<dd data-figure="mailer">smtp</dd>`);
    expect(html).not.toContain("Email is not being sent");
  });

  it("counts recent confirmations and bounces up to 10,000, then says 10,000 or more", async () => {
    const now = Date.now();
    const insert = (count: number, from: number) =>
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, confirmed_at, source, updated_at)
         SELECT 'bulk-' || i || '@example.com', 'active', 'daily', 'UTC', 7, ?3, ?3, '/', ?3 FROM n`,
      )
        .bind(from, from + count - 1, now - 86_400_000)
        .run();
    const bounces = (count: number, from: number) =>
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         INSERT INTO suppressions (email_hash, reason, created_at) SELECT 'bulk-' || i, 'bounce', ?3 FROM n`,
      )
        .bind(from, from + count - 1, now - 86_400_000)
        .run();
    // Up to 9,999 in each window, counting what the file's other tests left.
    const confirmed = await count(
      "SELECT count(*) AS n FROM subscribers WHERE confirmed_at >= ?1",
      now - 7 * 86_400_000,
    );
    const bounced = await count(
      "SELECT count(*) AS n FROM suppressions WHERE reason = 'bounce' AND created_at >= ?1",
      now - 30 * 86_400_000,
    );
    await insert(9_999 - confirmed, 1);
    await bounces(9_999 - bounced, 1);
    const cookie = await session();
    const before = figures(await (await get("/admin", cookie)).text());
    expect(before.figure("confirmed-7")).toBe(9_999);
    expect(before.figure("bounces-30")).toBe(9_999);
    await insert(1, 10_000);
    await bounces(1, 10_000);
    const html = await (await get("/admin", cookie)).text();
    expect(html).toContain(`<dd data-figure="confirmed-7">10,000 or more</dd>`);
    expect(html).toContain(`<dd data-figure="bounces-30">10,000 or more</dd>`);
    expect(figures(html).subscriber("active", "daily")).toBe(
      await count("SELECT count(*) AS n FROM subscribers WHERE status = 'active' AND frequency = 'daily'"),
    );
  });

  it("warns plainly when MAILER is log on a site that is not on this machine", async () => {
    const cookie = await session();
    const res = await app.request("/admin", { headers: { cookie } }, { ...env, MAILER: "log" });
    expect(res.status).toBe(200);
    expect(parsePage(await res.text()).text).toContain("Email is not being sent: MAILER is log");
  });

  it("puts an edition's dead sends back in the queue with Retry dead, and says so", async () => {
    const s = testServices();
    const ids = await s.deliveries.enqueue("daily/2022-01-11", [
      { subscriberId: 11, tagsKey: "all" },
      { subscriberId: 12, tagsKey: "all" },
    ]);
    await s.deliveries.markDead(ids, "test");
    const cookie = await session();
    const res = await request("/admin/editions/retry", {
      method: "POST",
      headers: { cookie, origin: SITE, "content-type": "application/x-www-form-urlencoded" },
      body: "edition=daily%2F2022-01-11",
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const back = res.headers.get("location") ?? "";
    expect(back).toBe("/admin?retried=2&edition=daily%2F2022-01-11");
    expect(
      await count("SELECT count(*) AS n FROM deliveries WHERE edition = 'daily/2022-01-11' AND status = 'dead'"),
    ).toBe(0);
    const page = await get(back, cookie);
    expect(parsePage(await page.text()).text).toContain("2 dead sends of daily/2022-01-11 went back in the queue.");
  });

  it("answers a retry naming no edition with the 400 page naming the field, changing nothing", async () => {
    const cookie = await session();
    const res = await request("/admin/editions/retry", {
      method: "POST",
      headers: { cookie, origin: SITE, "content-type": "application/x-www-form-urlencoded" },
      body: "edition=daily%2F2022-02-30",
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(parsePage(await res.text()).text).toContain("edition: must be an edition");
  });
});
