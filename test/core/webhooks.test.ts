// The pure half of the bounce and complaint webhooks: Svix signatures (Resend), HTTP Basic
// credentials (Postmark) and what each provider's event asks for. The routes' answers are tested
// in test/worker/routes/webhooks.test.ts.

import { describe, expect, it } from "vitest";
import {
  basicAuthMatches,
  postmarkAction,
  resendAction,
  type SvixHeaders,
  svixKeyBytes,
  verifySvix,
  WebhookPayloadError,
} from "../../src/core/webhooks.js";

const SECRET = "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTAxMjM0NTY=";
const NOW_S = 1_767_225_600;
const NOW_MS = NOW_S * 1000;
const encoder = new TextEncoder();

function key(secret = SECRET): Uint8Array {
  const bytes = svixKeyBytes(secret);
  if (!bytes) throw new Error(`not a whsec_ secret: ${secret}`);
  return bytes;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The v1 signature Svix sends: base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>". */
async function sign(id: string, timestamp: string, body: string, secret = SECRET): Promise<string> {
  const hmac = await crypto.subtle.importKey("raw", key(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", hmac, encoder.encode(`${id}.${timestamp}.${body}`));
  return base64(new Uint8Array(mac));
}

async function signed(body: string, timestamp = String(NOW_S), id = "msg_2abc"): Promise<SvixHeaders> {
  return { id, timestamp, signature: `v1,${await sign(id, timestamp, body)}` };
}

const verify = (headers: SvixHeaders, body: string, nowMs = NOW_MS) =>
  verifySvix(key(), headers, encoder.encode(body), nowMs);

const BODY = '{"type":"email.bounced","data":{"to":["reader@example.com"]}}';

describe("svixKeyBytes", () => {
  it("decodes the base64 after whsec_", () => {
    expect(Array.from(svixKeyBytes("whsec_AAEC/w==") ?? [])).toEqual([0, 1, 2, 255]);
  });

  it("refuses a secret without the whsec_ prefix, or with no base64 after it", () => {
    expect(svixKeyBytes("dGVzdA==")).toBeNull();
    expect(svixKeyBytes("WHSEC_dGVzdA==")).toBeNull();
    expect(svixKeyBytes("whsec_")).toBeNull();
    expect(svixKeyBytes("whsec_not base64!")).toBeNull();
  });
});

describe("verifySvix", () => {
  it("accepts the example in Svix's documentation", async () => {
    const docKey = key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const headers = {
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: "1614265330",
      signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const body = encoder.encode('{"test": 2432232314}');
    expect(await verifySvix(docKey, headers, body, 1614265330 * 1000)).toBe(true);
    expect(await verifySvix(key(), headers, body, 1614265330 * 1000)).toBe(false);
  });

  it("accepts a body signed with the key, and an empty body signed with it", async () => {
    expect(await verify(await signed(BODY), BODY)).toBe(true);
    expect(await verify(await signed(""), "")).toBe(true);
  });

  it("accepts a timestamp exactly 300 seconds from now either way, not 301", async () => {
    for (const offset of [-300, 300]) {
      const timestamp = String(NOW_S + offset);
      expect(await verify(await signed(BODY, timestamp), BODY), `offset ${offset}`).toBe(true);
    }
    for (const offset of [-301, 301]) {
      const timestamp = String(NOW_S + offset);
      expect(await verify(await signed(BODY, timestamp), BODY), `offset ${offset}`).toBe(false);
    }
    // Milliseconds count: 300.001 seconds is past the tolerance.
    expect(await verify(await signed(BODY), BODY, NOW_MS + 300_000)).toBe(true);
    expect(await verify(await signed(BODY), BODY, NOW_MS + 300_001)).toBe(false);
  });

  it("refuses a body, id or timestamp changed by one byte", async () => {
    const headers = await signed(BODY);
    expect(await verify(headers, BODY.replace("reader", "Reader"))).toBe(false);
    expect(await verify(headers, `${BODY} `)).toBe(false);
    expect(await verify({ ...headers, id: "msg_2abd" }, BODY)).toBe(false);
    expect(await verify({ ...headers, timestamp: String(NOW_S + 1) }, BODY)).toBe(false);
  });

  it("refuses a signature changed by one character, cut short, or made longer", async () => {
    const mac = await sign("msg_2abc", String(NOW_S), BODY);
    const flipped = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
    const short = base64(Uint8Array.from(atob(mac), (c) => c.charCodeAt(0)).slice(0, 31));
    const long = base64(Uint8Array.from(`${atob(mac)}\0`, (c) => c.charCodeAt(0)));
    for (const signature of [flipped, short, long, mac.slice(0, -2), ""]) {
      expect(
        await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature: `v1,${signature}` }, BODY),
        signature,
      ).toBe(false);
    }
  });

  it("refuses a signature made with another key", async () => {
    const other = "whsec_b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMtLS0=";
    const signature = `v1,${await sign("msg_2abc", String(NOW_S), BODY, other)}`;
    expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature }, BODY)).toBe(false);
  });

  it("refuses missing or empty headers", async () => {
    const headers = await signed(BODY);
    for (const name of ["id", "timestamp", "signature"] as const) {
      expect(await verify({ ...headers, [name]: null }, BODY), `${name} null`).toBe(false);
      expect(await verify({ ...headers, [name]: "" }, BODY), `${name} empty`).toBe(false);
    }
  });

  it("refuses a body signed with an empty id", async () => {
    expect(await verify(await signed(BODY, String(NOW_S), ""), BODY)).toBe(false);
  });

  it("refuses a timestamp that is not whole seconds of at most 12 digits", async () => {
    for (const timestamp of [`${NOW_S}.0`, `+${NOW_S}`, ` ${NOW_S}`, `0${NOW_S}00`, "1e9"]) {
      expect(await verify(await signed(BODY, timestamp), BODY, Number(timestamp) * 1000), timestamp).toBe(false);
    }
  });

  it("takes an id of 200 characters, not 201", async () => {
    expect(await verify(await signed(BODY, String(NOW_S), "m".repeat(200)), BODY)).toBe(true);
    expect(await verify(await signed(BODY, String(NOW_S), "m".repeat(201)), BODY)).toBe(false);
  });

  it("takes a signature header of 2000 characters, not 2001", async () => {
    const good = (await signed(BODY)).signature ?? "";
    const padded = (length: number) => `v0,${"x".repeat(length - good.length - 4)} ${good}`;
    expect(padded(2000)).toHaveLength(2000);
    expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature: padded(2000) }, BODY)).toBe(true);
    expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature: padded(2001) }, BODY)).toBe(false);
  });

  it("accepts any one matching v1 entry among up to 10 (a key rotation), not an 11th", async () => {
    const good = (await signed(BODY)).signature ?? "";
    const wrong = `v1,${await sign("msg_2abc", String(NOW_S), "other")}`;
    const list = (before: number) => [...Array<string>(before).fill(wrong), good].join(" ");
    expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature: list(9) }, BODY)).toBe(true);
    expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature: list(10) }, BODY)).toBe(false);
  });

  it("refuses a matching signature under another version tag", async () => {
    const mac = await sign("msg_2abc", String(NOW_S), BODY);
    for (const signature of [`v2,${mac}`, `V1,${mac}`, mac, `v1 ${mac}`]) {
      expect(await verify({ id: "msg_2abc", timestamp: String(NOW_S), signature }, BODY), signature).toBe(false);
    }
  });
});

describe("basicAuthMatches", () => {
  const USER = "postmark";
  const PASS = "s3cret:with-colon";
  const header = (credentials: string, scheme = "Basic") => `${scheme} ${btoa(credentials)}`;

  it("accepts exactly the user and password, the scheme in any case", async () => {
    expect(await basicAuthMatches(header(`${USER}:${PASS}`), USER, PASS)).toBe(true);
    expect(await basicAuthMatches(header(`${USER}:${PASS}`, "basic"), USER, PASS)).toBe(true);
    expect(await basicAuthMatches(header(`${USER}:${PASS}`, "BASIC"), USER, PASS)).toBe(true);
  });

  it("refuses a password or user one character off, short or long", async () => {
    for (const credentials of [
      `${USER}:${PASS.slice(0, -1)}`,
      `${USER}:${PASS}x`,
      `${USER}:${PASS.slice(0, -1)}N`,
      `${USER}x:${PASS}`,
      `${USER.slice(1)}:${PASS}`,
      `${USER}${PASS}`,
      `:${PASS}`,
      `${USER}:`,
      "",
    ]) {
      expect(await basicAuthMatches(header(credentials), USER, PASS), credentials).toBe(false);
    }
  });

  it("compares every byte: refuses passwords whose SHA-256 shares the first or the last byte with the right one's", async () => {
    // Found by search: sha256("postmark:s3cret:with-colon-34")[0] and sha256("postmark:s3cret:with-colon-279")[31]
    // equal those of sha256("postmark:s3cret:with-colon").
    for (const pass of [`${PASS}-34`, `${PASS}-279`]) {
      expect(await basicAuthMatches(header(`${USER}:${pass}`), USER, PASS), pass).toBe(false);
    }
  });

  it("refuses no header, an empty one, another scheme, and base64 that does not decode", async () => {
    for (const value of [null, "", "Basic", "Basic ", `Bearer ${btoa(`${USER}:${PASS}`)}`, "Basic !!!!", "Basic QQ"]) {
      expect(await basicAuthMatches(value, USER, PASS), String(value)).toBe(false);
    }
  });

  it("reads a header of 1000 characters, not 1001", async () => {
    const exact = header(`${USER}:${PASS}`);
    const at = (length: number) => exact + " ".repeat(length - exact.length);
    expect(await basicAuthMatches(at(1000), USER, PASS)).toBe(true);
    expect(await basicAuthMatches(at(1001), USER, PASS)).toBe(false);
  });
});

/** What a call throws, as "field detail", or "no error". */
function thrown(run: () => unknown): string {
  try {
    run();
    return "no error";
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    return `${error.field}: ${error.detail}`;
  }
}

describe("resendAction", () => {
  const bounced = (type: unknown, to: unknown = ["reader@example.com"]) => ({
    type: "email.bounced",
    created_at: "2026-01-01T00:00:00.000Z",
    data: { email_id: "4ef9a417", to, bounce: { type, message: "550 mailbox unavailable" } },
  });

  it("suppresses each address of a permanent bounce", () => {
    expect(resendAction(bounced("Permanent", ["a@example.com", "b@example.org"]))).toEqual({
      kind: "suppress",
      suppressions: [
        { email: "a@example.com", reason: "bounce" },
        { email: "b@example.org", reason: "bounce" },
      ],
    });
  });

  it("takes data.to as one address too, and normalises it", () => {
    expect(resendAction(bounced("Permanent", "  reader@EXAMPLE.com "))).toEqual({
      kind: "suppress",
      suppressions: [{ email: "reader@example.com", reason: "bounce" }],
    });
  });

  it("suppresses the address of a complaint", () => {
    expect(resendAction({ type: "email.complained", data: { to: ["reader@example.com"] } })).toEqual({
      kind: "suppress",
      suppressions: [{ email: "reader@example.com", reason: "complaint" }],
    });
  });

  it("ignores a bounce that may deliver later, or that says no type", () => {
    expect(resendAction(bounced("Transient"))).toEqual({ kind: "ignore", why: "bounce type Transient" });
    expect(resendAction(bounced("Undetermined"))).toEqual({ kind: "ignore", why: "bounce type Undetermined" });
    expect(resendAction(bounced("permanent"))).toEqual({ kind: "ignore", why: "bounce type permanent" });
    expect(resendAction({ type: "email.bounced", data: { to: ["reader@example.com"] } })).toEqual({
      kind: "ignore",
      why: "bounce type undefined",
    });
  });

  it("ignores other events, whatever their data", () => {
    for (const type of ["email.sent", "email.delivered", "email.delivery_delayed", "email.opened", "contact.created"]) {
      expect(resendAction({ type, data: null })).toEqual({ kind: "ignore", why: `event ${type}` });
    }
  });

  it("cuts a long bounce type in its reason to 40 characters", () => {
    expect(resendAction(bounced("x".repeat(100)))).toEqual({ kind: "ignore", why: `bounce type ${"x".repeat(40)}` });
  });

  it("names the field of a malformed event", () => {
    for (const body of [null, [], "email.bounced", 42]) {
      expect(
        thrown(() => resendAction(body)),
        JSON.stringify(body),
      ).toBe("body: must be a JSON object");
    }
    expect(thrown(() => resendAction({}))).toBe("type: must be a string");
    expect(thrown(() => resendAction({ type: ["email.bounced"] }))).toBe("type: must be a string");
    expect(thrown(() => resendAction({ type: "email.complained" }))).toBe("data: must be a JSON object");
    expect(thrown(() => resendAction({ type: "email.complained", data: [] }))).toBe("data: must be a JSON object");
    expect(thrown(() => resendAction({ type: "email.bounced", data: { bounce: "Permanent" } }))).toBe(
      "data.bounce: must be a JSON object",
    );
    expect(thrown(() => resendAction({ type: "email.complained", data: { to: "not an address" } }))).toBe(
      "data.to: must be an email address",
    );
    expect(thrown(() => resendAction(bounced("Permanent", ["reader@example.com", 7])))).toBe(
      "data.to: must be an email address",
    );
  });

  it("takes 1 to 50 recipients, not none or 51", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.com`);
    expect(thrown(() => resendAction(bounced("Permanent", many(1))))).toBe("no error");
    expect(thrown(() => resendAction(bounced("Permanent", many(50))))).toBe("no error");
    expect(thrown(() => resendAction(bounced("Permanent", many(51))))).toBe("data.to: must list 1 to 50 addresses");
    expect(thrown(() => resendAction(bounced("Permanent", [])))).toBe("data.to: must list 1 to 50 addresses");
    expect(thrown(() => resendAction(bounced("Permanent", null)))).toBe("data.to: must list 1 to 50 addresses");
  });
});

describe("postmarkAction", () => {
  const bounce = (Type: unknown, TypeCode: unknown, Email: unknown = "reader@example.com") => ({
    RecordType: "Bounce",
    ID: 42,
    Type,
    TypeCode,
    Email,
    MessageStream: "outbound",
  });

  it("suppresses the address of a hard bounce, by Type or by TypeCode 1", () => {
    const suppressed = { kind: "suppress", suppressions: [{ email: "reader@example.com", reason: "bounce" }] };
    expect(postmarkAction(bounce("HardBounce", 1))).toEqual(suppressed);
    expect(postmarkAction(bounce("HardBounce", undefined))).toEqual(suppressed);
    expect(postmarkAction(bounce(undefined, 1))).toEqual(suppressed);
  });

  it("suppresses the address of a spam complaint", () => {
    expect(
      postmarkAction({
        RecordType: "SpamComplaint",
        Type: "SpamComplaint",
        TypeCode: 512,
        Email: "Reader@Example.COM",
      }),
    ).toEqual({
      kind: "suppress",
      suppressions: [{ email: "Reader@example.com", reason: "complaint" }],
    });
  });

  it("ignores bounces that are not hard", () => {
    expect(postmarkAction(bounce("SoftBounce", 4096))).toEqual({ kind: "ignore", why: "bounce type SoftBounce" });
    expect(postmarkAction(bounce("Transient", 2))).toEqual({ kind: "ignore", why: "bounce type Transient" });
    expect(postmarkAction(bounce("hardbounce", "1"))).toEqual({ kind: "ignore", why: "bounce type hardbounce" });
  });

  it("ignores other record types", () => {
    for (const type of ["Delivery", "Open", "Click", "SubscriptionChange", "bounce"]) {
      expect(postmarkAction({ RecordType: type, Email: "reader@example.com" })).toEqual({
        kind: "ignore",
        why: `record type ${type}`,
      });
    }
  });

  it("names the field of a malformed event", () => {
    for (const body of [null, [], "Bounce", 1]) {
      expect(
        thrown(() => postmarkAction(body)),
        JSON.stringify(body),
      ).toBe("body: must be a JSON object");
    }
    expect(thrown(() => postmarkAction({ Type: "HardBounce", Email: "reader@example.com" }))).toBe(
      "RecordType: must be a string",
    );
    expect(thrown(() => postmarkAction({ RecordType: "Bounce", Type: "HardBounce", TypeCode: 1 }))).toBe(
      "Email: must be an email address",
    );
    expect(thrown(() => postmarkAction(bounce("HardBounce", 1, "reader")))).toBe("Email: must be an email address");
    expect(thrown(() => postmarkAction({ RecordType: "SpamComplaint", Email: ["reader@example.com"] }))).toBe(
      "Email: must be an email address",
    );
  });
});
