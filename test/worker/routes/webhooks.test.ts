import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../src/worker/app.js";
import { eventually, isolate, request, SITE } from "../helpers.js";
import { address, mailbox, mailVars } from "../mailbox.js";

// The secrets the test Worker is given (vitest.config.ts), and one it is not.
const SECRET = "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTAxMjM0NTY=";
const OTHER_SECRET = "whsec_YW5vdGhlci13ZWJob29rLXNpZ25pbmcta2V5LTk4NzY=";
const POSTMARK_USER = "postmark-test";
const POSTMARK_PASS = "postmark-test-password-0123456789";

afterEach(() => {
  vi.useRealTimers();
});

let messages = 0;

/** Svix's scheme: HMAC-SHA-256 over "<id>.<timestamp>.<body>" under the base64 key after "whsec_". */
async function svixHeaders(
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Promise<Record<string, string>> {
  const id = options.id ?? `msg_test_${++messages}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const raw = atob((options.secret ?? SECRET).slice("whsec_".length));
  const key = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(raw, (c) => c.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)),
  );
  const signature = btoa(String.fromCharCode(...mac));
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` };
}

function postResend(body: string, headers: Record<string, string>): Promise<Response> {
  return request("/webhooks/resend", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

async function signedResend(event: unknown): Promise<Response> {
  const body = JSON.stringify(event);
  return postResend(body, await svixHeaders(body));
}

const basic = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`;

function postPostmark(event: unknown, authorization: string | null = basic(POSTMARK_USER, POSTMARK_PASS)) {
  return request("/webhooks/postmark", {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: typeof event === "string" ? event : JSON.stringify(event),
  });
}

const bounced = (to: string, type = "Permanent") => ({
  type: "email.bounced",
  created_at: "2026-03-02T08:00:00.000Z",
  data: {
    email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
    from: "The Steppe Ledger <digest@news.example.com>",
    to: [to],
    subject: "Your daily digest",
    created_at: "2026-03-02T07:59:00.000Z",
    bounce: { message: "The recipient's mailbox does not exist.", type, subType: "General" },
  },
});

const complained = (to: string) => ({
  type: "email.complained",
  created_at: "2026-03-02T08:00:00.000Z",
  data: { email_id: "b1", from: "digest@news.example.com", to: [to], subject: "Your daily digest" },
});

/** Every row the feature stores, to check that a refused request changed nothing. */
async function stored(): Promise<string> {
  const [subscribers, suppressions] = await Promise.all([
    env.DB.prepare("SELECT * FROM subscribers ORDER BY id").all(),
    env.DB.prepare("SELECT * FROM suppressions ORDER BY email_hash").all(),
  ]);
  return JSON.stringify([subscribers.results, suppressions.results]);
}

const suppressionCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM suppressions").first<number>("n")) ?? 0;

const statusOf = async (email: string) =>
  env.DB.prepare("SELECT status FROM subscribers WHERE email = ?1").bind(email).first<string>("status");

let clients = 0;

/** POST /subscribe by JSON, waiting for its queue send (the consumer sends with MAILER=smtp). */
async function subscribeBySmtp(email: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${SITE}/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `2001:db8:9:${(++clients).toString(16)}::1` },
      body: JSON.stringify({ email, frequency: "daily" }),
    }),
    smtpEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
const smtpEnv = mailVars("smtp");

async function unauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  const body = (await res.json()) as { status: number; title: string };
  expect(body).toMatchObject({ status: 401, title: "Unauthorized" });
}

describe("POST /webhooks/resend", { timeout: 30_000 }, () => {
  it("suppresses a subscriber on a hard bounce, and a later subscribe sends no email", async () => {
    const email = address("hard");
    expect((await subscribeBySmtp(email)).status).toBe(202);
    await eventually(async () => expect(await mailbox.messages(email)).toHaveLength(1));
    await mailbox.clear(email);
    const before = await suppressionCount();

    const res = await signedResend(bounced(email));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "suppressed", count: 1 });
    expect(await statusOf(email)).toBe("suppressed");
    expect(await suppressionCount()).toBe(before + 1);

    // Ten minutes on, a subscribe would send again: a suppressed address gets nothing, and the same answer.
    vi.useFakeTimers({ now: Date.now() + 11 * 60 * 1000, toFake: ["Date"] });
    expect((await subscribeBySmtp(email)).status).toBe(202);
    expect(await mailbox.messages(email)).toEqual([]);
    expect(await statusOf(email)).toBe("suppressed");
  });

  it("suppresses an address never seen on a complaint, so that subscribing later stays quiet", async () => {
    const email = address("complainer");
    const before = await suppressionCount();
    // The domain's case is not the address's: it is normalised before the hash.
    const res = await signedResend(complained(email.replace("example.net", "Example.NET")));
    expect(res.status).toBe(200);
    expect(await suppressionCount()).toBe(before + 1);

    expect((await subscribeBySmtp(email)).status).toBe(202);
    expect(await mailbox.messages(email)).toEqual([]);
    expect(await statusOf(email)).toBeNull();
  });

  it("changes nothing on a soft bounce or on another event, and says it ignored them", async () => {
    const email = address("soft");
    await subscribeBySmtp(email);
    const before = await stored();
    for (const event of [
      bounced(email, "Transient"),
      bounced(email, "Undetermined"),
      { ...complained(email), type: "email.delivered" },
    ]) {
      const res = await signedResend(event);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ignored" });
    }
    expect(await stored()).toBe(before);
    expect(await statusOf(email)).toBe("pending");
  });

  it("treats a second delivery of the same event as the first", async () => {
    const email = address("twice");
    await subscribeBySmtp(email);
    const body = JSON.stringify(bounced(email));
    const headers = await svixHeaders(body, { id: "msg_redelivered" });
    expect((await postResend(body, headers)).status).toBe(200);
    const after = await stored();
    expect((await postResend(body, headers)).status).toBe(200);
    expect(await stored()).toBe(after);
  });

  it("refuses a forged or foreign signature with 401 and changes nothing", async () => {
    const email = address("forged");
    await subscribeBySmtp(email);
    const body = JSON.stringify(bounced(email));
    const good = await svixHeaders(body);
    const before = await stored();

    // One byte of the signature changed.
    const signature = good["svix-signature"] ?? "";
    const flipped = signature.slice(0, 5) + (signature[5] === "A" ? "B" : "A") + signature.slice(6);
    await unauthorized(await postResend(body, { ...good, "svix-signature": flipped }));
    // One byte of the body changed, under the original signature.
    await unauthorized(await postResend(body.replace("Permanent", "Permanenu"), good));
    // Signed with another secret.
    await unauthorized(await postResend(body, await svixHeaders(body, { secret: OTHER_SECRET })));
    // Another scheme's entry only.
    await unauthorized(await postResend(body, { ...good, "svix-signature": signature.replace("v1,", "v2,") }));
    expect(await stored()).toBe(before);
    expect(await statusOf(email)).toBe("pending");
  });

  it("refuses a request missing any of the three headers with 401", async () => {
    const email = address("headless");
    const body = JSON.stringify(complained(email));
    const good = await svixHeaders(body);
    const before = await stored();
    for (const name of ["svix-id", "svix-timestamp", "svix-signature"]) {
      const headers = { ...good };
      delete headers[name];
      await unauthorized(await postResend(body, headers));
    }
    expect(await stored()).toBe(before);
  });

  it("accepts a timestamp 5 minutes old and refuses one 5 minutes and 1 second old, either way", async () => {
    const start = Date.parse("2026-03-02T08:00:00Z");
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    const stale = address("stale");
    const staleBody = JSON.stringify(complained(stale));
    const before = await stored();
    for (const timestamp of [start / 1000 - 301, start / 1000 + 301]) {
      await unauthorized(await postResend(staleBody, await svixHeaders(staleBody, { timestamp })));
    }
    expect(await stored()).toBe(before);

    for (const timestamp of [start / 1000 - 300, start / 1000 + 300]) {
      const fresh = JSON.stringify(complained(address("fresh")));
      expect((await postResend(fresh, await svixHeaders(fresh, { timestamp }))).status).toBe(200);
    }
  });

  it("takes a body of 65536 bytes and refuses one of 65537 with 413", async () => {
    const event = JSON.stringify(complained(address("big")));
    const exact = event + " ".repeat(65536 - event.length);
    expect((await postResend(exact, await svixHeaders(exact))).status).toBe(200);

    const before = await stored();
    const over = `${exact} `;
    const res = await postResend(over, await svixHeaders(over));
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await stored()).toBe(before);
  });

  it("answers 400 naming the field for a signed body that is not JSON or has no recipients", async () => {
    const before = await stored();
    const notJson = "{not json";
    const res = await postResend(notJson, await svixHeaders(notJson));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: "body" }] });

    const noRecipient = await signedResend({ type: "email.complained", data: { to: [] } });
    expect(noRecipient.status).toBe(400);
    expect(await noRecipient.json()).toMatchObject({ errors: [{ field: "data.to" }] });

    const badAddress = await signedResend({ type: "email.complained", data: { to: ["no-at-sign"] } });
    expect(badAddress.status).toBe(400);
    expect(await badAddress.json()).toMatchObject({ errors: [{ field: "data.to" }] });
    expect(await stored()).toBe(before);
  });

  it("answers 500 naming RESEND_WEBHOOK_SECRET when it is not set, without touching D1", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const secret of [undefined, "not-a-whsec-secret"]) {
        const worker = isolate({ RESEND_WEBHOOK_SECRET: secret });
        const body = JSON.stringify(complained(address("unset")));
        const res = await worker.fetch("/webhooks/resend", {
          method: "POST",
          headers: { "content-type": "application/json", ...(await svixHeaders(body)) },
          body,
        });
        expect(res.status).toBe(500);
        expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
        expect(((await res.json()) as { detail: string }).detail).toContain("RESEND_WEBHOOK_SECRET");
        expect(worker.statements()).toBe(0);
      }
    } finally {
      errors.mockRestore();
    }
  });
});

describe("POST /webhooks/postmark", { timeout: 30_000 }, () => {
  const bounce = (email: string, Type: string, TypeCode: number) => ({
    RecordType: "Bounce",
    ID: 42,
    Type,
    TypeCode,
    Name: Type,
    MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
    Email: email,
    BouncedAt: "2026-03-02T08:00:00Z",
    MessageStream: "broadcast",
  });

  it("suppresses on a hard bounce (by Type or by TypeCode 1) and on a spam complaint", async () => {
    const byType = address("pm-hard");
    const byCode = address("pm-code");
    const spam = address("pm-spam");
    await subscribeBySmtp(byType);
    await eventually(async () => expect(await mailbox.messages(byType)).toHaveLength(1));
    await mailbox.clear(byType);
    const before = await suppressionCount();
    for (const event of [
      bounce(byType, "HardBounce", 1),
      bounce(byCode, "Unknown", 1),
      { RecordType: "SpamComplaint", Type: "SpamComplaint", TypeCode: 512, Email: spam },
    ]) {
      const res = await postPostmark(event);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "suppressed", count: 1 });
    }
    expect(await suppressionCount()).toBe(before + 3);
    expect(await statusOf(byType)).toBe("suppressed");

    vi.useFakeTimers({ now: Date.now() + 11 * 60 * 1000, toFake: ["Date"] });
    for (const email of [byType, byCode, spam]) {
      expect((await subscribeBySmtp(email)).status).toBe(202);
      expect(await mailbox.messages(email)).toEqual([]);
    }
  });

  it("changes nothing on a soft bounce or a delivery", async () => {
    const email = address("pm-soft");
    await subscribeBySmtp(email);
    const before = await stored();
    for (const event of [
      bounce(email, "SoftBounce", 4096),
      bounce(email, "Transient", 2),
      { RecordType: "Delivery", Email: email },
    ]) {
      const res = await postPostmark(event);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ignored" });
    }
    expect(await stored()).toBe(before);
  });

  it("refuses missing or wrong credentials with 401 and a Basic challenge, and changes nothing", async () => {
    const email = address("pm-forged");
    await subscribeBySmtp(email);
    const before = await stored();
    for (const authorization of [
      null,
      basic(POSTMARK_USER, `${POSTMARK_PASS}x`),
      basic(POSTMARK_USER, POSTMARK_PASS.slice(0, -1)),
      basic("someone", POSTMARK_PASS),
      `Bearer ${POSTMARK_PASS}`,
    ]) {
      const res = await postPostmark(bounce(email, "HardBounce", 1), authorization);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
      await unauthorized(res);
    }
    expect(await stored()).toBe(before);
    expect(await statusOf(email)).toBe("pending");
  });

  it("refuses a user or password of the right length that differs in one character", async () => {
    const email = address("pm-same-length");
    await subscribeBySmtp(email);
    const before = await stored();
    // "postmark-test" / "postmark-test-password-0123456789", each changed in its first or last character.
    for (const authorization of [
      basic("postmark-test", "postmark-test-password-0123456788"),
      basic("postmark-test", "Postmark-test-password-0123456789"),
      basic("postmark-tesT", "postmark-test-password-0123456789"),
      basic("Postmark-test", "postmark-test-password-0123456789"),
    ]) {
      const res = await postPostmark(bounce(email, "HardBounce", 1), authorization);
      await unauthorized(res);
    }
    expect(await stored()).toBe(before);
    expect(await statusOf(email)).toBe("pending");
    // The right pair, same request: suppressed, so the refusals above were for the credentials alone.
    expect((await postPostmark(bounce(email, "HardBounce", 1))).status).toBe(200);
    expect(await statusOf(email)).toBe("suppressed");
  });

  it("answers 400 naming the field for a body that is not JSON or has no address", async () => {
    const before = await stored();
    const notJson = await postPostmark("[1,");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ errors: [{ field: "body" }] });
    const noEmail = await postPostmark({ RecordType: "SpamComplaint" });
    expect(noEmail.status).toBe(400);
    expect(await noEmail.json()).toMatchObject({ errors: [{ field: "Email" }] });
    expect(await stored()).toBe(before);
  });

  it("answers 500 naming the setting when the credentials are not set, without touching D1", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const [name, overrides] of [
        ["POSTMARK_WEBHOOK_USER", { POSTMARK_WEBHOOK_USER: undefined }],
        ["POSTMARK_WEBHOOK_PASS", { POSTMARK_WEBHOOK_PASS: undefined }],
      ] as const) {
        const worker = isolate(overrides);
        const res = await worker.fetch("/webhooks/postmark", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: basic(POSTMARK_USER, POSTMARK_PASS) },
          body: JSON.stringify({ RecordType: "SpamComplaint", Email: address("pm-unset") }),
        });
        expect(res.status).toBe(500);
        expect(((await res.json()) as { detail: string }).detail).toContain(name);
        expect(worker.statements()).toBe(0);
      }
    } finally {
      errors.mockRestore();
    }
  });
});
