import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { DomUtils } from "htmlparser2";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyToken } from "../../../src/core/token.js";
import { app } from "../../../src/worker/app.js";
import { admin, eventually, fixture, request, SITE, testServices } from "../helpers.js";
import { address, mailbox } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

// Every test posts from clients of its own (the limiter allows 5 requests a minute per IPv4
// address or IPv6 /64): each a /64 of its own.
let clients = 0;
const nextIp = () => `2001:db8:5:${(++clients).toString(16)}::1`;
let addresses = 0;
const nextAddress = (name = "reader") => `${name}.${++addresses}@example.org`;

type Fields = Record<string, string | string[]>;

function form(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return params.toString();
}

function postForm(fields: Fields, ip = nextIp()): Promise<Response> {
  return request("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    body: form(fields),
  });
}

function postJson(body: unknown, ip = nextIp()): Promise<Response> {
  return request("/subscribe", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function post(body: string, type: string | null, ip = nextIp()): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": ip };
  if (type !== null) headers["content-type"] = type;
  return request("/subscribe", { method: "POST", headers, body });
}

async function problem(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  // An answer about what someone typed is never kept by a cache.
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as { status: number; errors?: { field: string; detail: string }[] };
  expect(body.status).toBe(400);
  return body;
}

/** Every row the feature stores, to check that a refused request changed nothing. */
async function stored(): Promise<string> {
  const [subscribers, suppressions] = await Promise.all([
    env.DB.prepare("SELECT * FROM subscribers ORDER BY id").all(),
    env.DB.prepare("SELECT * FROM suppressions ORDER BY email_hash").all(),
  ]);
  return JSON.stringify([subscribers.results, suppressions.results]);
}

interface Row {
  id: number;
  email: string;
  status: string;
  frequency: string;
  tags_json: string;
  time_zone: string;
  send_hour: number;
  requested_at: number;
  confirmed_at: number | null;
  source: string;
  ip_hash: string | null;
  pending_json: string | null;
  confirm_nonce: string | null;
}

const row = (email: string) => env.DB.prepare("SELECT * FROM subscribers WHERE email = ?1").bind(email).first<Row>();

/** Headers that say anything about the request: all of them but Date. */
function headersOf(res: Response): [string, string][] {
  return [...res.headers].filter(([name]) => name !== "date");
}

beforeAll(async () => {
  await admin(
    "POST",
    "/api/articles",
    fixture({ slug: "signup-story", title: "Trams return", tags: ["Transit", "Culture"] }),
  );
  await admin("POST", "/api/articles", fixture({ slug: "signup-other", tags: ["Culture"] }));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /subscribe", () => {
  it("takes a form: a check-your-inbox page, and a pending subscriber with what was asked and where", async () => {
    vi.setSystemTime(new Date("2026-03-02T08:00:00Z"));
    const email = nextAddress();
    const ip = nextIp();
    const res = await postForm(
      { email, frequency: "weekly", tags: ["transit", "culture"], source: "/articles/signup-story", comment: "" },
      ip,
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Check your inbox");
    expect(await htmlProblems(html)).toEqual([]);
    expect(page.text).toContain("If the address can receive mail, a confirmation link is on its way.");

    const subscriber = await row(email);
    expect(subscriber).toMatchObject({
      status: "pending",
      frequency: "weekly",
      time_zone: "Asia/Almaty",
      send_hour: 7,
      requested_at: Date.parse("2026-03-02T08:00:00Z"),
      confirmed_at: null,
      source: "/articles/signup-story",
    });
    expect(JSON.parse(subscriber?.tags_json ?? "null")).toEqual(["transit", "culture"]);
    // The consent record knows the client only by a hash.
    expect(subscriber?.ip_hash).toMatch(/^[0-9a-f]{32,}$/);
    expect(JSON.stringify(subscriber)).not.toContain(ip);
  });

  it("takes JSON: 202 with one fixed body, and the time zone and hour given", async () => {
    const email = nextAddress();
    const res = await postJson({ email, frequency: "daily", time_zone: "Europe/Moscow", send_hour: 18 });
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      status: "accepted",
      message: "If the address can receive mail, a confirmation link is on its way.",
    });
    expect(await row(email)).toMatchObject({
      status: "pending",
      frequency: "daily",
      tags_json: "[]",
      time_zone: "Europe/Moscow",
      send_hour: 18,
      source: "/api",
    });
  });

  it("takes an address alone, by JSON or form: a daily digest with the default zone and hour", async () => {
    const byJson = nextAddress();
    expect((await postJson({ email: byJson })).status).toBe(202);
    const byForm = nextAddress();
    expect((await postForm({ email: byForm, comment: "" }, nextIp())).status).toBe(202);
    for (const email of [byJson, byForm]) {
      expect(await row(email), email).toMatchObject({
        status: "pending",
        frequency: "daily",
        tags_json: "[]",
        time_zone: "Asia/Almaty",
        send_hour: 7,
      });
    }
  });

  it("takes multipart/form-data too", async () => {
    const email = nextAddress();
    const body = new FormData();
    body.append("email", email);
    body.append("frequency", "daily");
    body.append("tags", "culture");
    const res = await request("/subscribe", { method: "POST", headers: { "cf-connecting-ip": nextIp() }, body });
    expect(res.status).toBe(202);
    expect(JSON.parse((await row(email))?.tags_json ?? "null")).toEqual(["culture"]);
  });

  it("stores the address normalised: trimmed, the domain lower-cased", async () => {
    const local = `Mixed.Case.${++addresses}`;
    expect((await postJson({ email: `  ${local}@Example.ORG `, frequency: "daily" })).status).toBe(202);
    expect(await row(`${local}@example.org`)).not.toBeNull();
  });

  describe("answers the same for every address, known or not", () => {
    const s = testServices();

    async function addressIn(status: "new" | "pending" | "active" | "unsubscribed" | "suppressed") {
      const email = nextAddress(status);
      if (status === "new") return email;
      await postJson({ email, frequency: "daily" });
      const subscriber = await row(email);
      if (!subscriber?.confirm_nonce) throw new Error("no pending subscriber");
      if (status === "active" || status === "unsubscribed") {
        await s.subscribers.confirm(subscriber.id, subscriber.confirm_nonce);
      }
      if (status === "unsubscribed") await s.subscribers.unsubscribe(subscriber.id);
      if (status === "suppressed") await s.suppressions.suppress(email, "bounce");
      return email;
    }

    const statuses = ["new", "pending", "active", "unsubscribed", "suppressed"] as const;

    it("by JSON: the same status, headers and bytes", async () => {
      const answers: [number, [string, string][], string][] = [];
      for (const status of statuses) {
        const res = await postJson({ email: await addressIn(status), frequency: "weekly", tags: ["culture"] });
        answers.push([res.status, headersOf(res), await res.text()]);
      }
      expect(answers[0]?.[0]).toBe(202);
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    });

    it("by form: the same status, headers and bytes", async () => {
      const answers: [number, [string, string][], string][] = [];
      for (const status of statuses) {
        const res = await postForm({ email: await addressIn(status), frequency: "daily", source: "/" });
        answers.push([res.status, headersOf(res), await res.text()]);
      }
      expect(answers[0]?.[0]).toBe(202);
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    });
  });

  describe("refuses bad input with a 400 naming the field, and stores nothing", () => {
    const valid = () => ({ email: nextAddress("bad"), frequency: "daily" });
    const jsonCases: [string, Record<string, unknown>, string][] = [
      ["an address without @", { email: "reader.example.org" }, "email"],
      ["no address", { email: "" }, "email"],
      ["an address that is not a string", { email: ["a@example.org"] }, "email"],
      ["a CR LF in the address", { email: "a@example.org\r\nBcc: b@example.org" }, "email"],
      ["a NUL in the address", { email: "a@example.org\u0000" }, "email"],
      ["a LF in the frequency", { frequency: "daily\n" }, "frequency"],
      ["an unknown frequency", { frequency: "hourly" }, "frequency"],
      ["a CR in a tag", { tags: ["culture\r"] }, "tags"],
      ["a NUL in a tag", { tags: ["culture\u0000"] }, "tags"],
      ["an unknown tag", { tags: ["culture", "no-such-tag"] }, "tags"],
      ["a tag that is not a slug", { tags: ["Culture!"] }, "tags"],
      ["21 tags", { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      ["2000 tags", { tags: Array.from({ length: 2000 }, () => "x") }, "tags"],
      ["tags that are not a list", { tags: { culture: true } }, "tags"],
      ["a LF in the time zone", { time_zone: "Asia/Almaty\n" }, "time_zone"],
      ["an unknown time zone", { time_zone: "Mars/Olympus_Mons" }, "time_zone"],
      ["hour -1", { send_hour: -1 }, "send_hour"],
      ["hour 24", { send_hour: 24 }, "send_hour"],
      ['hour "7.5"', { send_hour: "7.5" }, "send_hour"],
      ["hour 7.5", { send_hour: 7.5 }, "send_hour"],
      ["a CR in the hour", { send_hour: "7\r" }, "send_hour"],
      ["a LF in the source", { source: "/\nX-Header: 1" }, "source"],
      ["a source that is not a path", { source: "https://elsewhere.example/" }, "source"],
    ];

    for (const [name, fields, field] of jsonCases) {
      it(`by JSON: ${name}`, async () => {
        const before = await stored();
        const body = await problem(await postJson({ ...valid(), ...fields }));
        expect(body.errors?.map((e) => e.field)).toEqual([field]);
        expect(await stored()).toBe(before);
      });
    }

    const formCases: [string, Fields, string][] = [
      ["an address without @", { email: "reader.example.org" }, "email"],
      ["a CR LF in the address", { email: "a@example.org\r\nBcc: b@example.org" }, "email"],
      ["a NUL in the frequency", { frequency: "weekly\u0000" }, "frequency"],
      ["a LF in a tag", { tags: ["culture", "transit\n"] }, "tags"],
      ["an unknown tag", { tags: ["no-such-tag"] }, "tags"],
      ["a CR in the time zone", { time_zone: "Asia/Almaty\r" }, "time_zone"],
      ["an unknown time zone", { time_zone: "Nowhere/Land" }, "time_zone"],
      ["hour 24", { send_hour: "24" }, "send_hour"],
      ["hour -1", { send_hour: "-1" }, "send_hour"],
      ["a NUL in the source", { source: "/\u0000" }, "source"],
      ["the address twice", { email: ["a@example.org", "b@example.org"] }, "email"],
    ];

    for (const [name, fields, field] of formCases) {
      it(`by form: ${name}, shown again with the message`, async () => {
        const before = await stored();
        const res = await postForm({ ...valid(), ...fields });
        expect(res.status).toBe(400);
        expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(res.headers.get("cache-control")).toBe("no-store");
        const page = parsePage(await res.text());
        expect(page.forms).toHaveLength(1);
        const invalid = page.forms[0]?.fields.filter((f) => f.attributes["aria-invalid"] === "true") ?? [];
        if (["email", "frequency", "tags", "time_zone", "send_hour"].includes(field)) {
          // The message sits next to the field, tied to it for screen readers.
          expect(invalid.length).toBeGreaterThan(0);
          for (const f of invalid) {
            expect(f.name).toBe(field);
            expect(f.description).toMatch(/\.$/);
          }
        } else {
          expect(invalid).toEqual([]);
          expect(page.text).toContain(`${field}:`);
        }
        expect(await stored()).toBe(before);
      });
    }

    it("by form: the fields keep what was typed and checked", async () => {
      const res = await postForm({
        email: "reader.example.org",
        frequency: "weekly",
        tags: ["culture"],
        source: "/articles/signup-story",
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      const fields = parsePage(html).forms[0]?.fields ?? [];
      const field = (name: string, value?: string) =>
        fields.find((f) => f.name === name && (value === undefined || f.value === value));
      expect(field("email")?.value).toBe("reader.example.org");
      expect(field("email")?.description).toBe("The address is not a valid email address.");
      expect(field("frequency", "weekly")?.checked).toBe(true);
      expect(field("frequency", "daily")?.checked).toBe(false);
      expect(field("tags", "culture")?.checked).toBe(true);
      expect(field("tags", "transit")?.checked).toBe(false);
      expect(field("source")?.value).toBe("/articles/signup-story");
      expect(html).toContain('<meta name="robots" content="noindex"/>');
      expect(await htmlProblems(html)).toEqual([]);
    });

    it("an address of 254 characters is taken; 255 is refused", async () => {
      const of = (length: number) => {
        const domain = `${"d".repeat(60)}.${"e".repeat(60)}.${"f".repeat(60)}.example.org`;
        const local = `n${++addresses}`.padEnd(length - domain.length - 1, "x");
        return `${local}@${domain}`;
      };
      expect(of(254)).toHaveLength(254);
      expect((await postJson({ email: of(254), frequency: "daily" })).status).toBe(202);
      const before = await stored();
      const body = await problem(await postJson({ email: of(255), frequency: "daily" }));
      expect(body.errors?.map((e) => e.field)).toEqual(["email"]);
      expect(await stored()).toBe(before);
    });

    it("a source path of 200 characters is kept; 201 is refused", async () => {
      const email = nextAddress();
      const path = `/tags/${"a".repeat(194)}`;
      expect(path).toHaveLength(200);
      expect((await postForm({ email, frequency: "daily", source: path })).status).toBe(202);
      expect((await row(email))?.source).toBe(path);
      const before = await stored();
      const res = await postJson({ email: nextAddress(), frequency: "daily", source: `${path}b` });
      expect((await problem(res)).errors?.map((e) => e.field)).toEqual(["source"]);
      expect(await stored()).toBe(before);
    });

    it("a body of 8192 bytes is read; 8193 bytes is refused", async () => {
      const sized = (bytes: number) => {
        const base = JSON.stringify({ ...valid(), padding: "" });
        const body = JSON.stringify({ ...JSON.parse(base), padding: "x".repeat(bytes - base.length) });
        expect(new TextEncoder().encode(body).byteLength).toBe(bytes);
        return body;
      };
      expect((await postJson(sized(8192))).status).toBe(202);
      const before = await stored();
      const body = await problem(await postJson(sized(8193)));
      expect(body.errors?.map((e) => e.field)).toEqual(["body"]);
      expect(await stored()).toBe(before);
    });

    it("a body over 8192 bytes sent in chunks, with no length given, is refused", async () => {
      const before = await stored();
      const chunk = new TextEncoder().encode(`email=a%40example.org&frequency=daily&pad=${"x".repeat(4000)}`);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 3; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await request("/subscribe", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": nextIp() },
        body: stream,
      });
      expect(res.status).toBe(400);
      expect(parsePage(await res.text()).text).toContain("body: is over 8192 bytes");
      expect(await stored()).toBe(before);
    });

    const bodyCases: [string, string, string | null, string][] = [
      ["plain text", "email=a@example.org", "text/plain", "content-type"],
      ["no content type", "email=a@example.org", null, "content-type"],
      ["XML", "<email>a@example.org</email>", "application/xml", "content-type"],
      ["malformed JSON", '{"email": "a@example.org",', "application/json", "body"],
      ["a JSON array", '["a@example.org"]', "application/json", "body"],
      ["a JSON string", '"a@example.org"', "application/json", "body"],
      ["JSON null", "null", "application/json", "body"],
    ];

    for (const [name, body, type, field] of bodyCases) {
      it(`${name}: a problem naming ${field}`, async () => {
        const before = await stored();
        const answer = await problem(await post(body, type));
        expect(answer.errors?.map((e) => e.field)).toEqual([field]);
        expect(await stored()).toBe(before);
      });
    }

    it("a file in a multipart form: the form again, naming the field", async () => {
      const before = await stored();
      const body = new FormData();
      body.append("email", new File(["a@example.org"], "address.txt"));
      body.append("frequency", "daily");
      const res = await request("/subscribe", { method: "POST", headers: { "cf-connecting-ip": nextIp() }, body });
      expect(res.status).toBe(400);
      const email = parsePage(await res.text()).forms[0]?.fields.find((f) => f.name === "email");
      expect(email?.description).toBe("Email address: must not be a file.");
      expect(await stored()).toBe(before);
    });

    it("a body that is not UTF-8, in bytes", async () => {
      const before = await stored();
      const bytes = new Uint8Array([
        ...new TextEncoder().encode('{"email":"a@example.org","frequency":"'),
        0xff,
        0x22,
        0x7d,
      ]);
      const res = await request("/subscribe", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() },
        body: bytes,
      });
      expect((await problem(res)).errors?.map((e) => e.field)).toEqual(["body"]);
      expect(await stored()).toBe(before);
    });
  });

  it("drops a request whose honeypot is filled: the same answer, nothing stored", async () => {
    const real = await postForm({ email: nextAddress(), frequency: "daily", source: "/" });
    const before = await stored();
    const email = nextAddress("bot");
    const bot = await postForm({ email, frequency: "daily", source: "/", comment: "Great post! Visit my site" });
    expect([bot.status, headersOf(bot), await bot.text()]).toEqual([real.status, headersOf(real), await real.text()]);
    expect(await row(email)).toBeNull();
    expect(await stored()).toBe(before);
  });

  it("refuses the 6th request from one IP address in a minute with 429 and Retry-After; another IP gets through", async () => {
    // The limiter counts in fixed minutes of the wall clock: if one ends mid-run, run again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const ip = nextIp();
      const minute = Math.floor(Date.now() / 60_000);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await postJson({ email: nextAddress(), frequency: "daily" }, ip)).status);
      const before = await stored();
      const sixth = await postJson({ email: nextAddress(), frequency: "daily" }, ip);
      const asForm = await postForm({ email: nextAddress(), frequency: "daily" }, ip);
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      expect(statuses).toEqual([202, 202, 202, 202, 202]);
      expect(sixth.status).toBe(429);
      expect(sixth.headers.get("retry-after")).toBe("60");
      expect(sixth.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(asForm.status).toBe(429);
      expect(asForm.headers.get("retry-after")).toBe("60");
      expect(asForm.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await asForm.text();
      expect(parsePage(html).text).toContain("try again in a minute");
      expect(await htmlProblems(html)).toEqual([]);
      expect(await stored()).toBe(before);
      expect((await postJson({ email: nextAddress(), frequency: "daily" }, nextIp())).status).toBe(202);
      return;
    }
    throw new Error("two minutes ended mid-run");
  });

  it("counts an IPv6 client per /64: twelve addresses in one /64 are one client, the next /64 another", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const network = ++clients;
      const prefix = `2001:db8:6:${network.toString(16)}`;
      const minute = Math.floor(Date.now() / 60_000);
      const statuses: number[] = [];
      // Twelve addresses inside one /64, in short and long forms, lower and upper case.
      for (const host of ["::1", "::2", ":0:0:0:3", ":ffff:ffff:ffff:ffff", "::a:b", ":1:2:3:4"]) {
        statuses.push((await postJson({ email: nextAddress(), frequency: "daily" }, `${prefix}${host}`)).status);
        statuses.push(
          (await postJson({ email: nextAddress(), frequency: "daily" }, `${prefix.toUpperCase()}${host}`)).status,
        );
      }
      const neighbour = await postJson(
        { email: nextAddress(), frequency: "daily" },
        `2001:db8:6:${(network + 0x8000).toString(16)}::1`,
      );
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429, 429, 429, 429, 429, 429]);
      expect(neighbour.status).toBe(202);
      return;
    }
    throw new Error("two minutes ended mid-run");
  });
});

describe("a broken setting", () => {
  it("is named, to programs in a problem and to people in a page, and nothing is stored", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const broken = { ...env, SIGNING_SECRET: "too-short" };
      const before = await stored();
      const json = await app.request(
        "/subscribe",
        {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() },
          body: JSON.stringify({ email: nextAddress(), frequency: "daily" }),
        },
        broken,
      );
      expect(json.status).toBe(500);
      expect(json.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(((await json.json()) as { detail: string }).detail).toMatch(/^setting SIGNING_SECRET /);
      const page = await app.request(
        "/subscribe",
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": nextIp() },
          body: form({ email: nextAddress(), frequency: "daily" }),
        },
        broken,
      );
      expect(page.status).toBe(500);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(parsePage(await page.text()).text).toContain("SIGNING_SECRET");
      expect(await stored()).toBe(before);
    } finally {
      errors.mockRestore();
    }
  });

  it("without the delivery queue is named DELIVERIES, and nothing is stored", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const { DELIVERIES: _, ...unbound } = env as unknown as Record<string, unknown>;
      const before = await stored();
      const res = await app.request(
        "/subscribe",
        {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() },
          body: JSON.stringify({ email: nextAddress(), frequency: "daily" }),
        },
        unbound,
      );
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(((await res.json()) as { detail: string }).detail).toMatch(/^setting DELIVERIES is not bound/);
      expect(await stored()).toBe(before);
    } finally {
      errors.mockRestore();
    }
  });
});

describe("the confirmation email", { timeout: 30_000 }, () => {
  // The worker project's queue consumer sends with MAILER=smtp (vitest.config.ts): each email
  // arrives at the local SMTP server a moment after the answer.
  const CONFIRM_LINK = /https:\/\/news\.example\.com\/subscribe\/confirm\?token=[A-Za-z0-9._~-]+/;

  /** Through the Worker, then waiting for the work it left after its answer (the queue send). */
  async function subscribeWith(body: { form: Fields } | { json: unknown }, ip = nextIp()): Promise<Response> {
    const ctx = createExecutionContext();
    const init =
      "form" in body
        ? { type: "application/x-www-form-urlencoded", body: form(body.form) }
        : { type: "application/json", body: JSON.stringify(body.json) };
    const req = new Request(`${SITE}/subscribe`, {
      method: "POST",
      headers: { "content-type": init.type, "cf-connecting-ip": ip },
      body: init.body,
    });
    const res = await app.fetch(req, env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  /** The `count` emails `to` has received, once that many have arrived. */
  const arrived = (to: string, count: number) =>
    eventually(async () => {
      const all = await mailbox.messages(to);
      expect(all).toHaveLength(count);
      return all;
    });

  it("goes out by SMTP after the answer, with a link signed for this subscriber's pending request", async () => {
    const email = address("signup");
    const res = await subscribeWith({
      form: { email, frequency: "weekly", tags: ["transit"], source: "/tags/transit" },
    });
    expect(res.status).toBe(202);
    const message = await eventually(() => mailbox.smtp(email));
    expect(message.subject).toBe("Confirm your subscription to The Steppe Ledger");
    expect(message.contentType).toBe("multipart/alternative");
    const link = CONFIRM_LINK.exec(message.text)?.[0] ?? "";
    expect(message.html).toContain(`href="${link}"`);
    const subscriber = await row(email);
    const token = new URL(link).searchParams.get("token") ?? "";
    const secret = testServices().signingSecret();
    const now = Date.now();
    expect(await verifyToken(secret, token, "confirm", now)).toEqual({
      ok: true,
      subscriber: subscriber?.id,
      nonce: subscriber?.confirm_nonce,
    });
    // Good for 48 hours from when it was sent.
    const hours = (h: number) => now + h * 3_600_000;
    expect((await verifyToken(secret, token, "confirm", hours(47.9))).ok).toBe(true);
    expect(await verifyToken(secret, token, "confirm", hours(48.1))).toMatchObject({ ok: false });
  });

  it("end to end: subscribe by form, open the emailed link (a page with a button), press it: active", async () => {
    const email = address("e2e");
    expect((await subscribeWith({ form: { email, frequency: "weekly", tags: ["culture"], source: "/" } })).status).toBe(
      202,
    );
    const link = CONFIRM_LINK.exec((await eventually(() => mailbox.smtp(email))).text)?.[0] ?? "";
    expect(link).not.toBe("");

    // Mail scanners fetch every link: the GET shows one button and changes nothing.
    const before = await stored();
    const shown = await request(link);
    expect(shown.status).toBe(200);
    const page = parsePage(await shown.text());
    const confirm = page.forms.find((f) => f.method === "post" && f.buttons.length === 1);
    expect(confirm?.buttons).toEqual(["Confirm my subscription"]);
    expect(await stored()).toBe(before);
    expect((await row(email))?.status).toBe("pending");

    // The button posts the form as a browser would.
    const fields = Object.fromEntries((confirm?.fields ?? []).map((f) => [f.name, f.value]));
    const pressed = await request(new URL(confirm?.action ?? "", link).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(pressed.status).toBe(200);
    expect(await row(email)).toMatchObject({
      status: "active",
      frequency: "weekly",
      tags_json: '["culture"]',
      source: "/",
    });
    expect((await row(email))?.confirmed_at).not.toBeNull();
  });

  it("goes out at most once per address in 10 minutes, whatever is posted", async () => {
    const start = Date.parse("2026-03-02T08:00:00Z");
    const email = address("bombed");
    vi.setSystemTime(start);
    await subscribeWith({ form: { email, frequency: "daily" } });
    vi.setSystemTime(start + 1_000);
    await subscribeWith({ json: { email, frequency: "weekly", tags: ["culture"] } });
    vi.setSystemTime(start + 599_999);
    await subscribeWith({ form: { email, frequency: "daily", tags: ["transit"] } });
    await arrived(email, 1);
    vi.setSystemTime(start + 600_000);
    const res = await subscribeWith({ json: { email, frequency: "weekly" } });
    expect(res.status).toBe(202);
    // The second email is the last one queued: by the time it is in, nothing else is on its way.
    await arrived(email, 2);
    expect(await mailbox.messages(email)).toHaveLength(2);
  });

  it("asks an active subscriber to confirm new preferences, with the same answer", async () => {
    const email = address("active");
    const fresh = await subscribeWith({ json: { email, frequency: "daily" } });
    await arrived(email, 1);
    const first = await row(email);
    await testServices().subscribers.confirm(first?.id ?? 0, first?.confirm_nonce ?? "");
    await mailbox.clear(email);
    vi.setSystemTime(Date.now() + 600_000);
    const again = await subscribeWith({ json: { email, frequency: "weekly" } });
    expect([again.status, headersOf(again), await again.text()]).toEqual([
      fresh.status,
      headersOf(fresh),
      await fresh.text(),
    ]);
    const message = await eventually(() => mailbox.smtp(email));
    expect(message.subject).toBe("Confirm your new preferences for The Steppe Ledger");
    expect((await row(email))?.status).toBe("active");
  });

  it("is never sent for a filled honeypot, nor for a suppressed address", async () => {
    const bot = address("bot");
    await subscribeWith({ form: { email: bot, frequency: "daily", comment: "hello" } });
    const blocked = address("blocked");
    await testServices().suppressions.suppress(blocked, "complaint");
    await subscribeWith({ json: { email: blocked, frequency: "daily" } });
    // A sign-up posted after them is delivered: anything they had queued would be in by then.
    const control = address("control");
    await subscribeWith({ json: { email: control, frequency: "daily" } });
    await arrived(control, 1);
    expect(await mailbox.messages(bot)).toEqual([]);
    expect(await mailbox.messages(blocked)).toEqual([]);
  });
});

describe("the subscribe forms", () => {
  const formOn = async (path: string) => {
    const res = await request(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = parsePage(html);
    const forms = page.forms.filter((f) => f.action === "/subscribe");
    expect(forms).toHaveLength(1);
    return { html, page, form: forms[0] ?? { action: "", method: "", fields: [], buttons: [], element: null } };
  };
  const tagBoxes = (fields: { name: string; value: string; checked: boolean }[]) =>
    fields.filter((f) => f.name === "tags").map((f) => `${f.value}${f.checked ? " (checked)" : ""}`);

  it("on the home page: the compact form, an address and a button (a daily digest of every article)", async () => {
    const { form, html } = await formOn("/");
    expect(form.method).toBe("post");
    expect(form.buttons).toEqual(["Subscribe"]);
    expect(form.fields.find((f) => f.name === "email")).toMatchObject({ type: "email" });
    expect(form.fields.filter((f) => f.name === "frequency")).toEqual([]);
    expect(tagBoxes(form.fields)).toEqual([]);
    expect(form.fields.find((f) => f.name === "source")).toMatchObject({ type: "hidden", value: "/" });
    // Empty until public/zone.js fills it in: the site's zone.
    expect(form.fields.find((f) => f.name === "browser_zone")).toMatchObject({ type: "hidden", value: "" });
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("on an article page: after it, for every article", async () => {
    const { form, html } = await formOn("/articles/signup-story");
    expect(tagBoxes(form.fields)).toEqual([]);
    expect(form.fields.find((f) => f.name === "source")?.value).toBe("/articles/signup-story");
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("on an article in another language: marked in the site's", async () => {
    await admin("POST", "/api/articles", fixture({ slug: "signup-kk", lang: "kk", tags: ["Culture"] }));
    const { form } = await formOn("/articles/signup-kk");
    expect(form.element?.parent && "attribs" in form.element.parent ? form.element.parent.attribs.lang : null).toBe(
      "en",
    );
    const { form: english } = await formOn("/articles/signup-story");
    expect(
      english.element?.parent && "attribs" in english.element.parent ? english.element.parent.attribs.lang : null,
    ).toBe("en");
  });

  it("on a tag page: that tag asked for", async () => {
    const { form, html } = await formOn("/tags/transit");
    expect(form.fields.filter((f) => f.name === "tags").map((f) => `${f.type} ${f.value}`)).toEqual(["hidden transit"]);
    expect(form.fields.find((f) => f.name === "source")?.value).toBe("/tags/transit");
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("has a honeypot hidden from people and screen readers that autofill passes by", async () => {
    const { form, page } = await formOn("/");
    const trap = form.fields.find((f) => f.name === "comment");
    expect(trap?.attributes).toMatchObject({ tabindex: "-1", autocomplete: "off", type: "text" });
    const element = DomUtils.findOne((e) => e.attribs.name === "comment", form.element ? [form.element] : []);
    expect(element && page.hiddenFromScreenReaders(element)).toBe(true);
    // Off screen by the stylesheet, so a bot reading the markup still sees an ordinary field.
    expect((await (await request("/")).text()).match(/\.hp\{[^}]*\}/)?.[0]).toContain("left:-10000px");
  });

  it("has a page of its own at /subscribe, linked from every page, with every tag", async () => {
    const home = parsePage(await (await request("/")).text());
    expect(home.links).toContain("/subscribe");
    const { form, page, html } = await formOn("/subscribe");
    expect(page.headings[0]).toBe("Subscribe");
    expect(tagBoxes(form.fields)).toEqual(["culture", "transit"]);
    expect(await htmlProblems(html)).toEqual([]);
  });
});
